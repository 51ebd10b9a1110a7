import Foundation
import Synchronization

/// Executions (seed 003 "Runtime Execution") and logs.
extension PlatformService {
    /// Most log entries one read returns (the newest).
    static let logReadLimit = 1000

    /// Runs the agent's latest ready version with `payload` and returns the ended execution.
    ///
    /// While it runs, the execution is listed as `running`; `cancel` ends it and this returns it
    /// `cancelled`. Python agents call `handle(payload)` in the sandbox under `EXECUTION_TIMEOUT`;
    /// `framework: computer-use` agents run an agentd session owned by the caller under the
    /// manifest's own limits. An archived agent, or one without a ready version, is `badRequest`.
    public func execute(for principal: Principal, agentID: Int, payload: JSONValue) async throws -> Execution {
        let agent = try await agent(for: principal, id: agentID)
        guard agent.status != .archived else { throw AccountError.badRequest("Agent is archived") }
        guard let versionID = agent.currentVersionID, let version = try await store.version(id: versionID), version.status == .ready else {
            throw AccountError.badRequest("Agent has no ready version")
        }
        let execution = try await store.insertExecution(agentVersionID: version.id, userID: principal.userID, status: .running,
                                                        inputData: payload, createdAt: now())
        let task = Task { [self] in await self.run(version, execution: execution, payload: payload, principal: principal) }
        running.withLock { $0[execution.id] = RunningExecution(agentID: agentID, task: task) }
        // The caller going away (client disconnect) does not cancel the run: only `cancel` does.
        let result = await task.value
        running.withLock { _ = $0.removeValue(forKey: execution.id) }
        let stored = try await store.finishExecution(id: execution.id, result, at: now())
        guard let stored else { throw AccountError.notFound("Execution not found") }
        try await store.appendLogs(Self.logEntries(for: stored, agentID: agentID, result: result, time: now()))
        return stored
    }

    /// Cancels a running execution (ends its process or session within 2 s); one that already
    /// ended is returned as it is.
    public func cancel(for principal: Principal, executionID: Int) async throws -> Execution {
        _ = try await execution(for: principal, id: executionID)
        guard let updated = try await store.updateExecutionStatus(id: executionID, .cancelled, at: now()) else {
            throw AccountError.notFound("Execution not found")
        }
        running.withLock { $0[executionID] }?.task.cancel()
        return updated
    }

    /// The caller's executions (everyone's for an admin), newest first.
    public func executions(for principal: Principal, agentVersionID: Int?, skip: Int, limit: Int) async throws -> [Execution] {
        try Self.validatePage(skip: skip, limit: limit)
        return try await store.executions(userID: principal.isAdmin ? nil : principal.userID, agentVersionID: agentVersionID,
                                          skip: skip, limit: limit)
    }

    public func execution(for principal: Principal, id: Int) async throws -> Execution {
        guard let execution = try await store.execution(id: id), principal.isAdmin || execution.userID == principal.userID else {
            throw AccountError.notFound("Execution not found")
        }
        return execution
    }

    /// An agent's build and runtime log, oldest first.
    public func logs(for principal: Principal, agentID: Int) async throws -> [PlatformLogEntry] {
        _ = try await agent(for: principal, id: agentID)
        return try await store.logs(agentID: agentID, limit: Self.logReadLimit)
    }

    /// One execution's log entries, oldest first.
    public func logs(for principal: Principal, executionID: Int) async throws -> [PlatformLogEntry] {
        _ = try await execution(for: principal, id: executionID)
        return try await store.logs(executionID: executionID, limit: Self.logReadLimit)
    }

    // MARK: - Running

    private func run(_ version: AgentVersion, execution: Execution, payload: JSONValue, principal: Principal) async -> ExecutionResult {
        if version.framework == AgentManifest.computerUseFramework {
            return await ComputerUseExecution(sessions: sessions, version: version).run(payload: payload, principal: principal)
        }
        guard let entrypoint = version.entrypoint else { return ExecutionResult(status: .failed, errorMessage: "the version has no entrypoint") }
        let code = paths.codeDirectory(agentID: version.agentID, version: version.version)
        let venv = paths.virtualEnvironment(agentID: version.agentID, version: version.version)
        let program = SandboxProgram(codeDirectory: code, entrypoint: entrypoint,
                                     virtualEnvironment: FileManager.default.fileExists(atPath: venv) ? venv : nil)
        var limits = configuration.sandboxLimits
        limits.timeout = .seconds(configuration.executionTimeout)
        let outcome = await sandbox.run(program, payload: payload, limits: limits)
        return Self.result(of: outcome, timeout: configuration.executionTimeout)
    }

    /// seed 003's execution fields from a sandbox outcome: a returned object is `output_data`, any
    /// other value is wrapped as `{"result": …}`.
    static func result(of outcome: SandboxOutcome, timeout: Double) -> ExecutionResult {
        let logs = Self.combinedOutput(outcome)
        switch outcome.result {
        case .returned(let value):
            let output: JSONValue = value.objectValue != nil ? value : ["result": value]
            return ExecutionResult(status: .completed, outputData: output, logs: logs)
        case .raised(let message, let traceback):
            return ExecutionResult(status: .failed, errorMessage: message, logs: logs, traceback: traceback)
        case .timedOut:
            return ExecutionResult(status: .failed, errorMessage: "Execution timed out after \(Self.seconds(timeout)) seconds", logs: logs)
        case .cancelled:
            return ExecutionResult(status: .cancelled, errorMessage: "Execution was cancelled", logs: logs)
        case .crashed(let reason):
            return ExecutionResult(status: .failed, errorMessage: "The agent process ended without a result: \(reason)", logs: logs)
        case .rejected(let reason):
            return ExecutionResult(status: .failed, errorMessage: "The execution could not start: \(reason)", logs: logs)
        }
    }

    private static func combinedOutput(_ outcome: SandboxOutcome) -> String {
        var text = outcome.stdout
        if outcome.stdoutTruncated { text += "\n[stdout truncated]\n" }
        if !outcome.stderr.isEmpty { text += (text.isEmpty || text.hasSuffix("\n") ? "" : "\n") + outcome.stderr }
        if outcome.stderrTruncated { text += "\n[stderr truncated]\n" }
        return text
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The log entries an ended execution leaves: its output, and how it ended (with the traceback
    /// on failure, as an ERROR entry).
    static func logEntries(for execution: Execution, agentID: Int, result: ExecutionResult, time: Double) -> [PlatformLogEntry] {
        let metadata: JSONValue = ["execution_id": .int(execution.id), "status": .string(execution.status.rawValue)]
        var entries: [PlatformLogEntry] = []
        if let logs = result.logs, !logs.isEmpty {
            entries.append(PlatformLogEntry(agentID: agentID, executionID: execution.id, timestamp: time, level: .info,
                                            message: logs, source: .runtime, metadata: metadata))
        }
        let summary: (PlatformLogEntry.Level, String) = switch execution.status {
        case .completed: (.info, "Execution \(execution.id) completed successfully")
        case .cancelled: (.warning, "Execution \(execution.id) was cancelled")
        default: (.error, "Execution \(execution.id) failed: \(execution.errorMessage ?? "unknown error")"
                    + (result.traceback.map { "\n" + $0 } ?? ""))
        }
        entries.append(PlatformLogEntry(agentID: agentID, executionID: execution.id, timestamp: time, level: summary.0,
                                        message: summary.1, source: .runtime, metadata: metadata))
        return entries
    }
}
