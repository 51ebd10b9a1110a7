import Foundation

/// Unbuffered writes to stdout and stderr: each call is one `write(2)`, so a line printed is a line
/// the reader can see even if the process is killed the next instant (a pipe write of at most
/// `PIPE_BUF` bytes is atomic, so no line is ever cut).
enum StandardStream {
    /// Writes `text` to standard output.
    static func output(_ text: String) { write(text, to: 1) }

    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) { write(text + "\n", to: 2) }

    private static func write(_ text: String, to fd: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
