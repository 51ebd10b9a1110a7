import AgentCore
import Foundation

/// The token signing key when `SECRET_KEY` is not given: 32 random bytes generated on first start
/// and kept in `<data-dir>/secret_key` (mode 0600, base64url), so tokens survive restarts.
enum SecretKeyFile {
    static func path(in dataDirectory: String) -> String { dataDirectory + "/secret_key" }

    /// The key bytes: the environment's `SECRET_KEY` (never written anywhere), else the file's,
    /// else a new one written to the file.
    /// - Throws: `DaemonError` when the file is unreadable, malformed, readable by others, or cannot be written.
    static func load(given: String?, dataDirectory: String) throws -> [UInt8] {
        if let given { return Array(given.utf8) }
        let path = path(in: dataDirectory)
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFREG else { throw DaemonError("\(path) is not a regular file") }
            guard status.st_mode & 0o077 == 0 else {
                throw DaemonError("\(path) is readable by other users (mode \(String(status.st_mode & 0o777, radix: 8))); chmod 600 it")
            }
            guard let data = FileManager.default.contents(atPath: path),
                  let key = Base64URL.decode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                  key.count >= JSONWebToken.minimumSecretLength
            else { throw DaemonError("\(path) does not hold a key of at least \(JSONWebToken.minimumSecretLength) bytes") }
            return key
        }
        let key: [UInt8]
        do {
            key = try SecureRandom.bytes(32)
        } catch {
            throw DaemonError("cannot generate a secret key: \(error)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw DaemonError("cannot create \(path): \(String(cString: strerror(errno)))") }
        let text = Array((Base64URL.encode(key) + "\n").utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.count, synced == 0 else {
            unlink(path)
            throw DaemonError("cannot write \(path)")
        }
        return key
    }
}
