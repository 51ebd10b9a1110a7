import Foundation

/// One build: unpack the artifact safely, read `anymind.yaml`, install `requirements.txt` into the
/// version's own virtual environment, and check the entrypoint imports and is callable — the last
/// two inside the sandbox, never in agentd's process (seed 003 "Build Process").
struct VersionBuilder: Sendable {
    let paths: PlatformPaths
    let configuration: PlatformConfiguration
    let sandbox: Sandbox

    /// The manifest's file names, in the order looked for.
    static let manifestNames = ["anymind.yaml", "anymind.yml"]
    /// Largest manifest read, in bytes.
    static let maxManifestBytes = 64 * 1024

    /// Builds `version` and says how it went; never throws (a failure is a `failed` result with its log).
    func build(_ version: AgentVersion) async -> BuildResult {
        var log = BuildLog()
        guard let tarball = version.tarballPath else { return log.failed("the version has no artifact") }
        let code = paths.codeDirectory(agentID: version.agentID, version: version.version)
        let versionDirectory = paths.versionDirectory(agentID: version.agentID, version: version.version)
        // A build interrupted by a restart starts again from a clean folder.
        try? FileManager.default.removeItem(atPath: versionDirectory)
        do {
            try FileManager.default.createDirectory(atPath: versionDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let summary = try SafeExtractor(limits: configuration.extractionLimits, readOnly: true)
                .extract(archiveAt: paths.absolute(tarball), to: code)
            log.line("extracted \(summary.entries) entries, \(summary.bytes) bytes")
        } catch {
            try? FileManager.default.removeItem(atPath: versionDirectory)
            return log.failed("the archive was refused: \(error)")
        }
        guard let (manifestText, manifestName) = readManifest(in: code) else {
            return log.failed("anymind.yaml not found at the top of the archive")
        }
        let manifest: AgentManifest
        do {
            manifest = try AgentManifest(yaml: manifestText)
        } catch {
            return log.failed("\(manifestName): \(error)", config: manifestText)
        }
        log.line("\(manifestName): name \(manifest.name), framework \(manifest.framework)")
        if manifest.framework == AgentManifest.computerUseFramework {
            log.line("computer-use agent: runs as an agentd session; no Python needed")
            return log.ready(entrypoint: manifest.entrypoint.map { "\($0.module):\($0.function)" }, config: manifestText,
                             framework: manifest.framework)
        }
        guard let entrypoint = manifest.entrypoint else { return log.failed("entrypoint is required", config: manifestText) }
        let entrypointText = "\(entrypoint.module):\(entrypoint.function)"
        var environment: String?
        let requirementFiles = manifest.requirements ?? (FileManager.default.fileExists(atPath: code + "/requirements.txt") ? ["requirements.txt"] : [])
        if !requirementFiles.isEmpty {
            let venv = paths.virtualEnvironment(agentID: version.agentID, version: version.version)
            var limits = configuration.sandboxLimits
            limits.timeout = .seconds(configuration.installTimeout)
            log.line("installing \(requirementFiles.joined(separator: ", ")) into the version's virtual environment")
            let (succeeded, output) = await sandbox.installRequirements(
                codeDirectory: code, virtualEnvironment: venv, wheelDirectory: configuration.wheelDirectory, limits: limits)
            log.append(output)
            guard succeeded else { return log.failed("installing requirements failed", config: manifestText) }
            environment = venv
        }
        var limits = configuration.sandboxLimits
        limits.timeout = .seconds(configuration.executionTimeout)
        let check = await sandbox.check(SandboxProgram(codeDirectory: code, entrypoint: entrypointText, virtualEnvironment: environment),
                                        limits: limits)
        log.append(check.stdout)
        log.append(check.stderr)
        switch check.status {
        case .callable:
            log.line("entrypoint \(entrypointText) is callable")
            return log.ready(entrypoint: entrypointText, config: manifestText, framework: manifest.framework)
        case .failed(let reason):
            log.append(check.traceback)
            return log.failed("entrypoint \(entrypointText): \(reason)", config: manifestText)
        }
    }

    private func readManifest(in code: String) -> (String, String)? {
        for name in Self.manifestNames {
            let path = code + "/" + name
            var status = stat()
            // The extractor refuses links, but the manifest is read by agentd: check it is a plain file.
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) <= Self.maxManifestBytes,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            return (String(decoding: data, as: UTF8.self), name)
        }
        return nil
    }
}

/// The text of a build log, and the results made from it.
private struct BuildLog {
    private(set) var text = ""

    mutating func line(_ line: String) { text += line + "\n" }

    mutating func append(_ output: String) {
        guard !output.isEmpty else { return }
        text += output.hasSuffix("\n") ? output : output + "\n"
    }

    mutating func failed(_ reason: String, config: String? = nil) -> BuildResult {
        line("build failed: " + reason)
        return BuildResult(status: .failed, log: text, config: config)
    }

    mutating func ready(entrypoint: String?, config: String, framework: String) -> BuildResult {
        line("build succeeded")
        return BuildResult(status: .ready, log: text, entrypoint: entrypoint, config: config, framework: framework)
    }
}
