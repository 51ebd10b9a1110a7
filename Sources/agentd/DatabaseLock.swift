import Foundation

/// An exclusive lock on the database, held for the life of the process: a second agentd on the
/// same database is refused before it touches anything (it would otherwise mark the first one's
/// running sessions `interrupted`). The kernel releases it when the process ends, even on `kill -9`.
final class DatabaseLock: Sendable {
    /// The lock file, `<database>.lock`.
    let path: String
    private let fd: Int32

    /// Takes the lock beside `databasePath`, creating its directory (0700) and the file (0600).
    /// - Throws: `DaemonError` when another process holds it or the file cannot be created.
    init(databasePath: String) throws {
        path = databasePath + ".lock"
        let directory = (databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw DaemonError("cannot create the database directory \(directory): \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DaemonError("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another agentd is already using it" : String(cString: strerror(errno))
            close(fd)
            throw DaemonError("cannot lock the database \(databasePath): \(reason)")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }
}
