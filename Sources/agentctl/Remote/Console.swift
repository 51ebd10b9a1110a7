import Foundation

/// What agentctl reads from the person or script running it, and whether a person is watching:
/// the terminal for prompts, standard input for piped secrets.
///
/// Tests pass a scripted console; the real one is ``TerminalConsole``.
protocol Console: Sendable {
    /// Whether standard input is a terminal, so a person can be asked.
    var inputIsTerminal: Bool { get }
    /// Whether standard error is a terminal, so a progress line may be redrawn in place.
    var errorIsTerminal: Bool { get }
    /// Asks on the terminal and returns the line typed, without its newline; nil at end of input.
    /// - Parameter secret: turn echo off while the line is typed (a password).
    func ask(_ prompt: String, secret: Bool) -> String?
    /// All of standard input.
    func readInput() -> String
}

/// The process's terminal and standard input.
struct TerminalConsole: Console {
    var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func ask(_ prompt: String, secret: Bool) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        guard secret else { return readLine(strippingNewline: true) }
        // POSIX termios: clear ECHO for the line, and restore the settings whatever happens. TCSANOW
        // rather than TCSAFLUSH keeps a line typed ahead (or sent by a script driving the terminal).
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return readLine(strippingNewline: true) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))  // the newline typed was not echoed
        }
        return readLine(strippingNewline: true)
    }

    func readInput() -> String {
        String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}
