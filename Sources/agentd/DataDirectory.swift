import Foundation

/// agentd's data directory: created 0700 when missing, and checked by writing to it, so a
/// directory agentd cannot use stops it at start-up with a clear message rather than at the
/// first session.
enum DataDirectory {
    /// Creates `path` (and missing parents) with mode 0700 and checks that a file can be written in it.
    /// - Throws: `DaemonError` naming the directory and what went wrong.
    static func prepare(_ path: String) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DaemonError("the data directory \(path) is a file, not a directory") }
        } else {
            do {
                try manager.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw DaemonError("cannot create the data directory \(path): \(reason(error))")
            }
        }
        let probe = path + "/.agentd-write-probe-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DaemonError("the data directory \(path) is not writable: \(String(cString: strerror(errno)))")
        }
        let written = write(fd, "ok", 2)
        let failure = errno
        close(fd)
        unlink(probe)
        guard written == 2 else {
            throw DaemonError("the data directory \(path) is not writable: \(String(cString: strerror(failure)))")
        }
    }

    /// The operating system's reason, without Foundation's wrapping.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
