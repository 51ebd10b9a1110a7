import Glibc

/// A request body being written to a private file as it arrives (``HTTPBodyDestination/file(directory:)``).
///
/// Confined to its connection's loop thread. Each piece is written with plain `write(2)` the
/// moment the parser hands it out, so memory holds one read's worth of body at a time; writes
/// to a regular file land in the page cache and do not wait for the disk. The file is removed
/// by ``discard()`` (limits, errors, a client gone mid-body) or handed to the request with
/// ``finish()``, after which ``HTTPBodyFile`` owns it.
final class BodySpool {
    let path: String
    private var fd: Int32
    /// Body bytes written so far.
    private(set) var byteCount = 0

    /// Creates a new, empty file with a random name in `directory`: mode 0600, `O_EXCL` so an
    /// existing file (or a planted symlink) is never opened, `O_CLOEXEC` so children never inherit it.
    ///
    /// - Throws: ``BodySpoolError`` when the file cannot be created.
    init(directory: String) throws(BodySpoolError) {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var attempts = 0
        while true {
            let candidate = base + "/agentd-body-" + Self.randomName() + ".part"
            let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if opened >= 0 {
                path = candidate
                fd = opened
                return
            }
            let code = errno
            attempts += 1
            guard code == EEXIST || code == EINTR, attempts < 8 else { throw BodySpoolError(errno: code) }
        }
    }

    deinit { discard() }

    /// Appends `bytes` to the file.
    /// - Throws: ``BodySpoolError`` for a failed write (`ENOSPC`, `EDQUOT`, `EIO`, …).
    func write(_ bytes: [UInt8]) throws(BodySpoolError) {
        guard fd >= 0 else { throw BodySpoolError(errno: EBADF) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw BodySpoolError(errno: errno)
            }
            if written == 0 { throw BodySpoolError(errno: ENOSPC) }  // no progress on a regular file: full
            offset += written
        }
        byteCount += bytes.count
    }

    /// Closes the file and hands it over: from now on the returned object deletes it.
    /// - Throws: ``BodySpoolError`` when closing reports a deferred write error; the file is removed.
    func finish() throws(BodySpoolError) -> HTTPBodyFile {
        let descriptor = fd
        fd = -1
        if close(descriptor) != 0 && errno != EINTR {
            let code = errno
            unlink(path)
            throw BodySpoolError(errno: code)
        }
        return HTTPBodyFile(adopting: path, byteCount: byteCount)
    }

    /// Closes and removes the file, unless ``finish()`` already handed it over.
    func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(path)
    }

    /// 16 random hex digits.
    private static func randomName() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

@available(*, unavailable)
extension BodySpool: Sendable {}

extension HTTPBodyFile {
    /// Deletes the file, unless the handler took or moved it, once the handler's complete
    /// response exists: the file is gone before the client sees the answer. A streamed or
    /// upgraded response may still read it; that file goes when the last reference to it does.
    func release(answeredBy response: HTTPResponse) {
        guard case .bytes = response.body else { return }
        remove()
    }
}

/// Why a body could not be spooled; answered with ``status`` and ``detail`` before closing.
struct BodySpoolError: Error, Sendable {
    /// The `errno` of the failed call.
    let errno: Int32

    /// 507 Insufficient Storage (RFC 4918 §11.5) when the disk or quota is full, else 500.
    var status: Int { errno == ENOSPC || errno == EDQUOT || errno == EFBIG ? 507 : 500 }

    /// A fixed phrase for the client: never the path or the system's message.
    var detail: String {
        status == 507 ? "not enough storage to receive the request body" : "the request body could not be stored"
    }
}
