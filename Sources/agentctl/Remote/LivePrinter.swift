import AgentCore
import CommandLineSupport

/// Prints a session's turn as it happens, in `agentctl run`'s style: text as it streams, one line
/// per tool step, and on standard error a line while the run waits for an approval.
final class LivePrinter: @unchecked Sendable {
    private let output: any OutputSink
    private let sessionID: String
    private var midLine = false  // text was printed without a newline yet

    init(output: any OutputSink, sessionID: String) {
        self.output = output
        self.sessionID = sessionID
    }

    /// Prints one event (as the API sends it).
    func print(_ event: JSONValue) {
        let name = event["name"]?.stringValue ?? ""
        switch event["type"]?.stringValue {
        case "text_delta":
            let text = event["text"]?.stringValue ?? ""
            output.out(text)
            if !text.isEmpty { midLine = !text.hasSuffix("\n") }
        case "assistant_message":
            endLine()
        case "tool_call_started":
            endLine()
            output.out("▶ \(name) \(EventPrinter.summary(of: ToolCall(id: "", name: name, input: event["input"] ?? [:])))\n")
        case "tool_call_finished":
            output.out(EventPrinter.outcomeLine(
                durationMs: event["duration_ms"]?.doubleValue ?? 0, error: event["error"]?.stringValue,
                output: event["output"]?.stringValue, imageBytes: event["image"]?["bytes"]?.intValue))
        case "tool_call_skipped":
            output.out(EventPrinter.skippedLine(name: name, reason: event["reason"]?.stringValue ?? ""))
        case "retrying":
            endLine()
            let delay = String(format1: event["delay_seconds"]?.doubleValue ?? 0)
            output.err("retrying in \(delay) s (attempt \(event["attempt"]?.intValue ?? 0) failed: \(event["reason"]?.stringValue ?? ""))\n")
        case "approval_requested":
            endLine()
            let input = EventLine.oneLine(event["input"]?.serialized() ?? "{}")
            output.err("⏸ waiting for approval of \(name) \(input): \(event["reason"]?.stringValue ?? "")\n")
            output.err("  (agentctl sessions approve \(sessionID), or agentctl sessions deny \(sessionID) --message TEXT)\n")
        case "approval_resolved":
            output.err(event["approved"] == true ? "approved\n" : "denied\n")
        case "paused": output.err("paused\n")
        case "resumed": output.err("resumed\n")
        case "finished":
            endLine()
            let reason = event["reason"]?.stringValue ?? "error"
            if reason != FinishReason.Kind.endTurn.rawValue {
                output.err("agentctl: run ended (\(reason)): \(event["message"]?.stringValue ?? "")\n")
            }
        default:
            break
        }
    }

    /// Ends a line of streamed text, if one is open.
    func endLine() {
        if midLine { output.out("\n") }
        midLine = false
    }
}
