import Foundation

/// Whether an X server left its socket behind. Tests run in parallel, so another test's server may
/// legitimately take a display number the moment ours frees it: a socket file is a leftover only
/// when nothing listens behind it.
public enum XSocketProbe {
    public static func socketPath(display: Int) -> String { "/tmp/.X11-unix/X\(display)" }

    /// True when the socket file exists but no server accepts connections on it.
    public static func isLeftover(display: Int) -> Bool {
        let path = socketPath(display: display)
        guard FileManager.default.fileExists(atPath: path) else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return connected != 0
    }
}
