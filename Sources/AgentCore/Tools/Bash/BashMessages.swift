/// The texts the bash tool shows the model, worded as the reference demo words them.
enum BashMessages {
    // reference §6.3: "Neither command nor restart: `no command provided.`"
    static let noCommand = "no command provided."

    // reference §6.3: restart "returns system note `tool has been restarted.`"; we also send it as text
    // because the demo's empty content list is a bug (§6.3 ⚠, §5.5).
    static let restarted = "tool has been restarted."

    // reference §6.3: after a timeout or an exit, the result "has system `tool must be restarted`".
    static let mustRestart = "tool must be restarted"

    /// Sent when a second command arrives while one is still running in the same shell.
    static let busy = "bash is still running a previous command in this session; wait for it or restart the tool."

    /// reference §6.3: `timed out: bash has not returned in 120.0 seconds and must be restarted`.
    ///
    /// Swift prints a `Double` the way Python prints a float (`120.0`, `1.5`), which is what the demo shows.
    static func timedOut(after seconds: Double) -> String {
        "timed out: bash has not returned in \(seconds) seconds and must be restarted"
    }

    /// reference §6.3: `bash has exited with returncode <n>`; like Python's `returncode`, a shell killed by
    /// signal N reports `-N`.
    static func exited(returnCode: Int32) -> String {
        "bash has exited with returncode \(returnCode)"
    }

    /// The system note for a command that finished with a non-zero status. The demo reports no status
    /// at all (reference §6.3 ⚠ "There is no exit-status reporting").
    static func exitStatus(_ status: Int32) -> String {
        "exit status \(status)"
    }

    /// Appended to output cut at the character cap (reference §6.4, "Truncation (`run.py`)").
    static let clipped = "<response clipped><NOTE>To save on context only part of this file has been shown to you. "
        + "You should retry this tool after you have searched inside the file with `grep -n` in order to find "
        + "the line numbers of what you are looking for.</NOTE>"
}
