import Foundation

extension Agent {
    /// Runs the calls in order; each gets exactly one result.
    /// - Returns: the result blocks, whether the stall guard tripped, and the reason the run must
    ///   end if it was stopped meanwhile.
    func runTools(_ calls: [ToolCall], emit: EventEmitter, stall: inout StallGuard)
        async -> (results: [ContentBlock], stalled: Bool, interruption: FinishReason?)
    {
        var results: [ContentBlock] = []
        var stalled = false
        for (index, call) in calls.enumerated() {
            if let reason = await checkpoint(emit) {
                results += interrupted(calls[index...], reason: reason, emit: emit)
                return (results, stalled, reason)
            }
            if let approval {
                let decision: ApprovalDecision
                do {
                    decision = try await approval.review(call)
                } catch {
                    let reason = stopReason ?? FinishReason(.stopped, "the approval was cancelled")
                    results += interrupted(calls[index...], reason: reason, emit: emit)
                    return (results, stalled, reason)
                }
                if case .deny(let message) = decision {
                    emit(.toolCallSkipped(call, reason: message))
                    results.append(.toolResult(ToolResultBlock(toolUseID: call.id, content: [.text(message)], isError: true)))
                    continue
                }
            }
            emit(.toolCallStarted(call))
            let started = ContinuousClock.now
            let output: ToolOutput
            do {
                guard let tool = tools.tool(named: call.name) else {
                    throw ToolError("Tool \(call.name) is invalid")  // reference §6.4 collection.py
                }
                output = try await tool.run(call.input, context: configuration.toolContext)
            } catch let error as ToolError {
                output = ToolOutput(error: error.message)
            } catch {
                if let reason = stopReason {
                    let outcome = Self.outcome(call, ToolOutput(error: "interrupted: \(reason.message)"), since: started)
                    emit(.toolCallFinished(outcome))
                    results.append(Self.resultBlock(for: call, output: ToolOutput(error: "interrupted: \(reason.message)")))
                    results += interrupted(calls[(index + 1)...], reason: reason, emit: emit)
                    return (results, stalled, reason)
                }
                output = ToolOutput(error: "The tool failed: \(error)")
            }
            var outcome = Self.outcome(call, output, since: started)
            if let image = output.image, let reference = outcome.image, let store = configuration.imageStore {
                do {
                    try await store.store(image, sha256: reference.sha256)
                } catch {
                    outcome.system = [outcome.system, "the screenshot could not be stored: \(error)"].compactMap { $0 }.joined(separator: "; ")
                }
            }
            emit(.toolCallFinished(outcome))
            results.append(Self.resultBlock(for: call, output: output))
            if stall.record(outcome) { stalled = true }
        }
        return (results, stalled, nil)
    }

    /// Error results for calls that never ran because the run ended.
    private func interrupted(_ calls: ArraySlice<ToolCall>, reason: FinishReason, emit: EventEmitter) -> [ContentBlock] {
        calls.map { call in
            let text = "not run: \(reason.message)"
            emit(.toolCallSkipped(call, reason: text))
            return .toolResult(ToolResultBlock(toolUseID: call.id, content: [.text(text)], isError: true))
        }
    }

    static func outcome(_ call: ToolCall, _ output: ToolOutput, since started: ContinuousClock.Instant) -> ToolCallOutcome {
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let image = output.image.map {
            ImageReference(sha256: SHA256.hex($0.data), mediaType: $0.mediaType, byteCount: $0.data.count)
        }
        return ToolCallOutcome(
            call: call, output: output.output, error: output.error, system: output.system,
            image: output.error == nil ? image : nil, durationMs: ms)
    }

    /// The `tool_result` block for an output (reference §6.5 step 7, with its fixes: an error keeps
    /// the text output beside it, and a system note is never lost).
    public static func resultBlock(for call: ToolCall, output: ToolOutput) -> ContentBlock {
        func withSystem(_ text: String) -> String {
            guard let system = output.system else { return text }
            return "<system>\(system)</system>\n\(text)"
        }
        if let error = output.error {
            let text = [output.output, error].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            return .toolResult(ToolResultBlock(toolUseID: call.id, content: [.text(withSystem(text))], isError: true))
        }
        var content: [ContentBlock] = []
        if let text = output.output, !text.isEmpty {
            content.append(.text(withSystem(text)))
        } else if output.system != nil {
            content.append(.text(withSystem("")))
        }
        if let image = output.image {
            content.append(.image(ImageBlock(mediaType: image.mediaType, base64Data: Base64.encode(image.data))))
        }
        return .toolResult(ToolResultBlock(toolUseID: call.id, content: content))
    }
}
