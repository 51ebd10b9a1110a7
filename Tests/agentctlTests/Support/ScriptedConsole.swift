import Synchronization
@testable import agentctl

/// A `Console` with canned answers, for in-process tests of prompts and piped input.
final class ScriptedConsole: Console {
    let inputIsTerminal: Bool
    let errorIsTerminal: Bool
    private let state: Mutex<(answers: [String], input: String, asked: [(prompt: String, secret: Bool)])>

    /// - Parameters:
    ///   - answers: what the person types at each prompt, in order.
    ///   - input: what standard input holds.
    init(terminal: Bool = false, errorIsTerminal: Bool = false, answers: [String] = [], input: String = "") {
        inputIsTerminal = terminal
        self.errorIsTerminal = errorIsTerminal
        state = Mutex((answers, input, []))
    }

    func ask(_ prompt: String, secret: Bool) -> String? {
        state.withLock { state in
            state.asked.append((prompt, secret))
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
    }

    func readInput() -> String {
        state.withLock { state in
            defer { state.input = "" }
            return state.input
        }
    }

    /// The prompts shown so far, and whether each hid what was typed.
    var asked: [(prompt: String, secret: Bool)] { state.withLock { $0.asked } }
}
