import CommandLineSupport
import Synchronization
@testable import agentctl

/// An `OutputSink` that keeps what a command prints, for in-process tests.
final class MemoryOutput: OutputSink {
    private let text = Mutex((out: "", err: ""))

    func out(_ text: String) { self.text.withLock { $0.out += text } }
    func err(_ text: String) { self.text.withLock { $0.err += text } }

    /// Everything written to standard output so far.
    var stdout: String { text.withLock { $0.out } }
    /// Everything written to standard error so far.
    var stderr: String { text.withLock { $0.err } }
}

/// Runs `agentctl` in-process with `arguments`; returns the exit code and what it printed.
func runInProcess(_ arguments: [String], environment: [String: String] = [:]) async -> (code: ExitCode, output: MemoryOutput) {
    let output = MemoryOutput()
    let code = await AgentCtl.run(arguments, environment: environment, output: output)
    return (code, output)
}

extension String {
    /// The text split into lines, without the empty piece after a final newline.
    var lines: [String] {
        var parts = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
