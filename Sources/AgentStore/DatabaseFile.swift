import AgentCore
import Foundation

/// Creates the database file and its directory with private permissions before SQLite opens them.
enum DatabaseFile {
    /// Creates a missing parent directory (mode 0700) and a missing database file (mode 0600).
    ///
    /// SQLite gives the `-wal` and `-shm` files the permissions of the database file, so they are
    /// private too (https://www.sqlite.org/tempfiles.html).
    static func prepare(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        // O_EXCL: create only when missing; an existing file keeps the permissions its owner chose.
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)  // the umask may have removed bits, never added them; make it exact
            close(descriptor)
        } else if errno != EEXIST {
            throw SessionError.storage("cannot create the database file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
