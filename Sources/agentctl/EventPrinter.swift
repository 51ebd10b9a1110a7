import CommandLineSupport
import AgentCore

/// Prints a run's events: readable lines for people, or NDJSON with `--json`.
final class EventPrinter: @unchecked Sendable {
    private let json: Bool
    private let output: any OutputSink
    private var midLine = false  // text was printed without a newline yet

    init(json: Bool, output: any OutputSink) {
        self.json = json
        self.output = output
    }

    func print(_ event: AgentEvent) {
        if json {
            output.out(event.json.serialized() + "\n")
            // stdout stays pure NDJSON; a failed run still says why on stderr.
            if case .finished(let reason) = event, !reason.isSuccess { output.err(Self.failureLine(reason)) }
            return
        }
        switch event {
        case .textDelta(let text):
            output.out(text)
            midLine = !text.hasSuffix("\n")
        case .assistantMessage:
            endLine()
        case .toolCallStarted(let call):
            endLine()
            output.out("▶ \(call.name) \(Self.summary(of: call))\n")
        case .toolCallFinished(let outcome):
            output.out(Self.outcomeLine(
                durationMs: outcome.durationMs, error: outcome.error, output: outcome.output, imageBytes: outcome.image?.byteCount))
        case .toolCallSkipped(let call, let reason):
            output.out(Self.skippedLine(name: call.name, reason: reason))
        case .retrying(let notice):
            endLine()
            output.err("retrying in \(String(format1: notice.delay)) s (attempt \(notice.attempt) failed: \(notice.reason))\n")
        case .paused: output.err("paused\n")
        case .resumed: output.err("resumed\n")
        case .finished(let reason):
            endLine()
            if !reason.isSuccess { output.err(Self.failureLine(reason)) }
        case .userMessage, .turnStarted, .thinkingDelta, .usage, .toolResults:
            break
        }
    }

    /// The line for a finished tool call: `  ✓ 12 ms: output` or `  ✗ 12 ms: error`.
    static func outcomeLine(durationMs: Double, error: String?, output: String?, imageBytes: Int?) -> String {
        let ms = Int(durationMs.rounded())
        if let error { return "  ✗ \(ms) ms: \(clip(error))\n" }
        var text = clip(output ?? "")
        if let imageBytes { text += (text.isEmpty ? "" : " ") + "[image \(imageBytes) bytes]" }
        return "  ✓ \(ms) ms\(text.isEmpty ? "" : ": " + text)\n"
    }

    /// The line for a tool call that was not run.
    static func skippedLine(name: String, reason: String) -> String {
        "  ⊘ \(name) not run: \(reason)\n"
    }

    /// The diagnostic for a run that did not end its turn normally.
    static func failureLine(_ reason: FinishReason) -> String {
        "agentctl: run ended (\(reason.kind.rawValue)): \(reason.message)\n"
    }

    private func endLine() {
        if midLine { output.out("\n") }
        midLine = false
    }

    /// A one-line view of a call's input: the command for bash, the command and path for the editor.
    static func summary(of call: ToolCall) -> String {
        if let command = call.input["command"]?.stringValue {
            if let path = call.input["path"]?.stringValue { return "\(command) \(path)" }
            return clip(command)
        }
        if let action = call.input["action"]?.stringValue { return action }
        return clip(call.input.serialized())
    }

    /// The first lines of a text, at most 200 characters.
    static func clip(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var shown = lines.prefix(3).joined(separator: "\n    ")
        if shown.count > 200 { shown = String(shown.prefix(200)) + "…" }
        if lines.count > 3 { shown += " … (\(lines.count) lines)" }
        return shown
    }
}

extension String {
    /// A number with one decimal.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
