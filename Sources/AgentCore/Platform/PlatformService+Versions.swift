import Foundation
import Synchronization

/// Uploads, versions, builds and artifact downloads.
extension PlatformService {
    /// Where an upload handler should spool request bodies (inside the storage root, so the final
    /// move is a rename on the same file system).
    public var incomingDirectory: String { paths.incoming }

    /// Takes an uploaded artifact and queues its build.
    ///
    /// The file at `file` (already received, at most `uploadMaxSize`) is moved into the agent's
    /// artifacts; it must be named `.tar.gz` and start with the gzip magic, else `badRequest("File
    /// must be a .tar.gz archive")` and no version is made. The agent is `building` before this
    /// returns. The caller's `file` is consumed (moved or deleted) either way.
    public func upload(for principal: Principal, agentID: Int, file: String, filename: String?, size: Int) async throws -> AgentVersion {
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try await agent(for: principal, id: agentID)
        guard size <= configuration.uploadMaxSize else {
            throw AccountError.tooLarge("File too large: the limit is \(configuration.uploadMaxSize) bytes")
        }
        // seed 003: "File must be `.tar.gz` format"; the bytes must agree with the name (RFC 1952 §2.3.1: ID1 ID2 = 1f 8b).
        guard let filename, filename.lowercased().hasSuffix(".tar.gz"), Self.startsWithGzipMagic(file) else {
            throw AccountError.badRequest("File must be a .tar.gz archive")
        }
        let paths = self.paths
        let version = try await store.insertVersion(agentID: agentID, createdAt: now()) { number in
            PlatformPaths.artifact(agentID: agentID, number: number)
        }
        let destination = paths.absolute(version.tarballPath ?? PlatformPaths.artifact(agentID: agentID, number: 0))
        do {
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard rename(file, destination) == 0 else { throw AccountError.storage("cannot store the artifact: \(String(cString: strerror(errno)))") }
        } catch {
            _ = try await store.finishBuild(versionID: version.id, BuildResult(status: .failed, log: "the artifact could not be stored: \(error)"),
                                            at: now())
            throw AccountError.storage("the artifact could not be stored")
        }
        await builds.withLock { $0 }?.enqueue(version.id)
        return version
    }

    /// An agent's versions, oldest first (beyond seed 003: reads builds back).
    public func versions(for principal: Principal, agentID: Int) async throws -> [AgentVersion] {
        _ = try await agent(for: principal, id: agentID)
        return try await store.versions(agentID: agentID)
    }

    /// One version of one of the caller's agents.
    public func version(for principal: Principal, agentID: Int, versionID: Int) async throws -> AgentVersion {
        _ = try await agent(for: principal, id: agentID)
        guard let version = try await store.version(id: versionID), version.agentID == agentID else {
            throw AccountError.notFound("Version not found")
        }
        return version
    }

    /// The absolute path of a stored file the caller may download (`GET /api/v1/uploads/{filepath}`).
    ///
    /// Only `agents/{agent_id}/artifacts/{name}` of the caller's own agents is served; anything else —
    /// `..`, absolute paths, other folders, links, another user's agent — is `notFound("File not found")`.
    public func artifactFile(for principal: Principal, path relative: String) async throws -> String {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "agents", parts[2] == "artifacts", let agentID = Int(parts[1]), agentID > 0,
              String(agentID) == parts[1], Self.isPlainFileName(parts[3]),
              let agent = try await store.agent(id: agentID), principal.isAdmin || agent.userID == principal.userID
        else { throw AccountError.notFound("File not found") }
        let absolute = paths.absolute(relative)
        var status = stat()
        guard lstat(absolute, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { throw AccountError.notFound("File not found") }
        return absolute
    }

    static func isPlainFileName(_ name: Substring) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.utf8.count <= 255
            && name.utf8.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") && $0 != 0x7F }
    }

    static func startsWithGzipMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 2)) ?? Data()
        return head.count == 2 && head[head.startIndex] == 0x1F && head[head.startIndex + 1] == 0x8B
    }

    /// The version once its build has ended (`ready` or `failed`), or as it is after `timeout`
    /// seconds — for callers in the same process (tests, tools) that would otherwise poll.
    public func waitUntilBuilt(for principal: Principal, agentID: Int, versionID: Int, timeout: Double) async throws -> AgentVersion {
        let (wakes, waker) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // Registered before the first read, so a build that ends in between still wakes us.
        buildWaiters.withLock { $0[versionID, default: []].append(waker) }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(timeout))
            waker.finish()
        }
        defer { deadline.cancel(); waker.finish() }
        var current = try await version(for: principal, agentID: agentID, versionID: versionID)
        if current.status == .ready || current.status == .failed { return current }
        for await _ in wakes {
            current = try await version(for: principal, agentID: agentID, versionID: versionID)
            if current.status == .ready || current.status == .failed { break }
        }
        return try await version(for: principal, agentID: agentID, versionID: versionID)
    }

    func wakeBuildWaiters(_ versionID: Int) {
        let waiting = buildWaiters.withLock { $0.removeValue(forKey: versionID) ?? [] }
        for waker in waiting {
            waker.yield()
            waker.finish()
        }
    }

    /// Runs one queued build to its end and records the outcome in the version, the agent and its log.
    func runBuild(_ versionID: Int) async {
        guard let version = try? await store.version(id: versionID), version.status == .queued || version.status == .building else { return }
        try? await store.markBuilding(versionID: versionID, at: now())
        let result = await VersionBuilder(paths: paths, configuration: configuration, sandbox: sandbox).build(version)
        if result.status != .ready {
            try? FileManager.default.removeItem(atPath: paths.versionDirectory(agentID: version.agentID, version: version.version))
        }
        _ = try? await store.finishBuild(versionID: versionID, result, at: now())
        let succeeded = result.status == .ready
        try? await store.appendLogs([PlatformLogEntry(
            agentID: version.agentID, timestamp: now(), level: succeeded ? .info : .error,
            message: succeeded ? "Build completed successfully" : "Build failed: " + (result.log.split(separator: "\n").last.map(String.init) ?? ""),
            source: .build, metadata: ["version_id": .int(versionID), "version": .string(version.version), "status": .string(result.status.rawValue)])])
        wakeBuildWaiters(versionID)
    }
}
