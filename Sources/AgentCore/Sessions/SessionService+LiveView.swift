extension SessionService {
    /// Where a viewer reaches the session's screen: its desktop's RFB server (x11vnc on loopback).
    ///
    /// With `start`, the session's environment is prepared when it is not yet (its desktop starts,
    /// as for a first run) and the RFB server is started on first use; without, only a server
    /// already running is reported.
    /// - Returns: nil when the session's environment has no screen, or (without `start`) when no
    ///   live view runs.
    /// - Throws: `SessionError.notFound`; `SessionError.environment` when the desktop or x11vnc
    ///   cannot start.
    public func liveView(_ id: String, start: Bool) async throws -> LiveViewEndpoint? {
        let runtime = try await runtime(id)
        return try await runtime.liveView(start: start)
    }
}

extension SessionRuntime {
    func liveView(start: Bool) async throws -> LiveViewEndpoint? {
        guard record.configuration.environment.hasScreen else { return nil }
        guard start else { return await environment?.liveView?.current }
        guard let view = try await preparedEnvironment().liveView else { return nil }
        do {
            return try await view.endpoint()
        } catch {
            throw SessionError.environment("the live view could not start: \(error)")
        }
    }
}
