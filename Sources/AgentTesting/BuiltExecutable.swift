import Foundation

/// Finds an executable of this package built together with the tests (`agentctl`, `session-writer`).
///
/// SwiftPM puts the test product (`agentdPackageTests.xctest`) and the executables in the same
/// build directory (`<scratch>/<triple>/debug/`), whatever `--scratch-path` says, so the binary is
/// looked for beside (or above) the running test executable first, then under the package's
/// default `.build/debug/`. An environment variable, when set, overrides both.
///
/// ```swift
/// let binary = try #require(BuiltExecutable.path(named: "agentctl", override: "AGENTCTL_BINARY"))
/// ```
public enum BuiltExecutable {
    /// The path of the executable `name`, or nil when it is not built.
    /// - Parameters:
    ///   - name: the executable product's name.
    ///   - override: an environment variable that, when set and not empty, is the path to use.
    public static func path(named name: String, override: String? = nil) -> String? {
        if let override, let path = ProcessInfo.processInfo.environment[override], !path.isEmpty { return path }
        for start in startingPoints() {
            var directory = start
            for _ in 0..<5 {
                let candidate = directory.appendingPathComponent(name).path
                if isExecutableFile(candidate) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
        }
        // …/Sources/AgentTesting/BuiltExecutable.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let fallback = root.appendingPathComponent(".build/debug/\(name)").path
        return isExecutableFile(fallback) ? fallback : nil
    }

    // MARK: - Internals

    /// The running executable, by every name it goes under.
    private static func startingPoints() -> [URL] {
        var starts = [URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()]
        if let executable = Bundle.main.executableURL { starts.append(executable.resolvingSymlinksInPath()) }
        starts.append(Bundle.main.bundleURL)
        if let argument0 = CommandLine.arguments.first {
            starts.append(URL(fileURLWithPath: argument0).resolvingSymlinksInPath())
        }
        return starts
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
