import CommandLineSupport

/// A build's progress on standard error: on a terminal one line redrawn in place with the time
/// so far, otherwise a plain line each time the status changes.
///
/// ```swift
/// let progress = BuildProgress(output: output, label: "agent 3 v2", redraws: console.errorIsTerminal)
/// progress.update(status: "building", elapsed: 4.2)   // ⠙ agent 3 v2: building (4 s)
/// progress.end()
/// ```
final class BuildProgress: @unchecked Sendable {
    private let output: any OutputSink
    private let label: String
    private let redraws: Bool
    private var lastStatus: String?
    private var frame = 0
    private var drawn = false
    private static let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init(output: any OutputSink, label: String, redraws: Bool) {
        self.output = output
        self.label = label
        self.redraws = redraws
    }

    /// Shows `status` after `elapsed` seconds.
    func update(status: String, elapsed: Double) {
        defer { lastStatus = status }
        guard redraws else {
            if status != lastStatus { output.err("\(label): \(status)\n") }
            return
        }
        frame += 1
        // ECMA-48: CR returns to the line's start, CSI 2 K erases the whole line.
        output.err("\r\u{1B}[2K\(Self.spinner[frame % Self.spinner.count]) \(label): \(status) (\(Int(elapsed)) s)")
        drawn = true
    }

    /// Erases the redrawn line, so what follows starts on a clean line.
    func end() {
        if drawn { output.err("\r\u{1B}[2K") }
        drawn = false
    }
}
