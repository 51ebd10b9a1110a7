import Foundation

/// Runs a `framework: computer-use` version as an agentd session owned by the caller: the
/// manifest's model, system prompt and tools verbatim, `payload.input` as the task, under the
/// manifest's `max_steps` and `timeout_seconds`. Its events stream like any session's.
struct ComputerUseExecution: Sendable {
    let sessions: SessionService?
    let version: AgentVersion

    /// The wait when the manifest gives no `timeout_seconds`.
    static let defaultTimeout: Double = 600

    func run(payload: JSONValue, principal: Principal) async -> ExecutionResult {
        guard let sessions else { return ExecutionResult(status: .failed, errorMessage: "computer-use agents are not available on this server") }
        guard let text = version.config, let manifest = try? AgentManifest(yaml: text) else {
            return ExecutionResult(status: .failed, errorMessage: "the version's anymind.yaml cannot be read")
        }
        let task: String
        if let input = payload["input"]?.stringValue, !input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            task = input
        } else {
            task = payload.serialized()
        }
        let timeout = manifest.timeoutSeconds.map(Double.init) ?? Self.defaultTimeout
        var configuration: [String: JSONValue] = [
            "environment": ["kind": .string(manifest.sessionEnvironment ?? "none")],
            "limits": ["timeout_seconds": .double(timeout), "max_steps": manifest.maxSteps.map { .int($0) } ?? .null],
        ]
        if let model = manifest.model { configuration["model"] = .string(model) }
        if let system = manifest.system { configuration["system_prompt"] = .string(system) }
        if let tools = manifest.tools { configuration["tools"] = .array(tools.map(JSONValue.string)) }
        let record: SessionRecord
        do {
            record = try await sessions.create(SessionRequest(
                owner: principal.owner, name: "execution of \(manifest.name) \(version.version)", tags: ["anymind"],
                metadata: ["agent_version_id": .int(version.id)], configuration: .object(configuration),
                message: Message(role: .user, content: [.text(task)])))
        } catch {
            return ExecutionResult(status: .failed, errorMessage: "the session could not start: \(error)")
        }
        let settled: SessionRecord
        do {
            settled = try await withTaskCancellationHandler {
                try await sessions.waitUntilSettled(record.id, timeout: timeout + 5)
            } onCancel: {
                Task { _ = try? await sessions.stop(record.id) }
            }
        } catch {
            return ExecutionResult(status: .failed, errorMessage: "\(error)", sessionID: record.id)
        }
        if Task.isCancelled {
            _ = try? await sessions.stop(record.id)
            return ExecutionResult(status: .cancelled, errorMessage: "Execution was cancelled", sessionID: record.id)
        }
        let finalText = ((try? await sessions.messages(record.id)) ?? []).last { $0.role == .assistant }?.text ?? ""
        let output: JSONValue = ["result": .string(finalText), "session_id": .string(record.id)]
        switch settled.status {
        case .completed, .idle:
            return ExecutionResult(status: .completed, outputData: output, sessionID: record.id)
        case .running:
            _ = try? await sessions.stop(record.id)
            return ExecutionResult(status: .failed, outputData: output, errorMessage: "Execution timed out after \(Int(timeout)) seconds",
                                   sessionID: record.id)
        default:
            let reason = settled.statusReason.map { ": \($0)" } ?? ""
            return ExecutionResult(status: .failed, outputData: output, errorMessage: "the session ended \(settled.status.rawValue)\(reason)",
                                   sessionID: record.id)
        }
    }
}
