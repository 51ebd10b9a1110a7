extension SessionRuntime {
    /// Applies `changes` (configuration fields as JSON, absent ones kept) while no run is in
    /// progress; the shell and desktop, if any, are released and the next run prepares them anew
    /// from the new configuration, continuing the stored conversation.
    func reconfigure(_ changes: JSONValue) async throws -> SessionRecord {
        guard !record.status.hasActiveRun else {
            throw SessionError.invalidTransition(id: id, from: record.status, action: "change its configuration")
        }
        let settings = context.configuration
        var current = record.configuration
        // A new environment without tools named: the computer tool follows the screen (added for
        // one, dropped without).
        if changes["environment"] != nil, changes["tools"] == nil { current.tools.removeAll { $0 == "computer" } }
        let changed = try SessionConfiguration(
            json: changes, defaults: current, desktopWidth: settings.desktopWidth, desktopHeight: settings.desktopHeight)
        guard changed != record.configuration else { return committed }
        await releaseEnvironment()
        guard !record.status.hasActiveRun else {
            throw SessionError.invalidTransition(id: id, from: record.status, action: "change its configuration")
        }
        record.configuration = changed
        try await commit([event("configuration_changed", ["configuration": changed.json])])
        return committed
    }
}

extension SessionService {
    /// Changes a session's configuration (model, tools, environment, working directory, limits…)
    /// between runs. Fields absent from `changes` keep their values.
    ///
    /// ```swift
    /// _ = try await service.reconfigure(id, ["environment": "browser", "working_directory": "/srv/site"])
    /// ```
    /// - Throws: `SessionError.invalidTransition` while a run is in progress (running, paused or
    ///   waiting for approval), `.invalidRequest` for an invalid field, `.notFound`.
    public func reconfigure(_ id: String, _ changes: JSONValue) async throws -> SessionRecord {
        guard changes.objectValue != nil else { throw SessionError.invalidRequest("the configuration changes must be an object") }
        return try await runtime(id).reconfigure(changes)
    }
}
