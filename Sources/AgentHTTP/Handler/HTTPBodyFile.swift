import Glibc
import Synchronization

/// A request body the server spooled to disk (``HTTPBodyDestination/file(directory:)``).
///
/// The file belongs to the request: it is deleted when the response has been produced (a
/// complete response, before it is sent) or, at the latest, when the last reference to this
/// object goes away, whatever the handler does or throws. A handler that wants to keep the bytes
/// moves the file out with ``move(to:)``, or ``take()``s it and becomes responsible for it.
///
/// ```swift
/// guard let upload = request.bodyFile else { throw APIError.badRequest("no body") }
/// try upload.move(to: "/var/lib/agentd/artifacts/agent_1.tar.gz")
/// ```
public final class HTTPBodyFile: Sendable {
    /// Where the body is. Read it in bounded chunks; never load it whole.
    public let path: String
    /// How many body bytes the file holds (after de-chunking).
    public let byteCount: Int

    private let state = Atomic<UInt8>(Ownership.owned)

    private enum Ownership {
        /// Deleted by ``remove()`` or `deinit`.
        static let owned: UInt8 = 0
        /// Taken or moved: no longer ours to delete.
        static let released: UInt8 = 1
    }

    /// Adopts the file at `path`: it will be deleted unless taken or moved.
    ///
    /// - Parameters:
    ///   - path: an existing file the caller hands over.
    ///   - byteCount: its size in bytes.
    public init(adopting path: String, byteCount: Int) {
        self.path = path
        self.byteCount = byteCount
    }

    deinit { remove() }

    /// Whether the file is still this object's to delete (not taken, moved or removed).
    public var isOwned: Bool { state.load(ordering: .acquiring) == Ownership.owned }

    /// Gives up ownership: the file stays at ``path`` and the caller must delete or keep it.
    ///
    /// - Returns: the path, or nil when the file was already taken, moved or removed.
    public func take() -> String? {
        release() ? path : nil
    }

    /// Moves the file to `destination` (same file system) and gives up ownership.
    ///
    /// An existing file at `destination` is never replaced.
    /// - Throws: `HTTPBodyFileError` when the file is no longer owned or the move fails (the file
    ///   then stays owned and is still deleted as usual).
    public func move(to destination: String) throws(HTTPBodyFileError) {
        guard isOwned else { throw HTTPBodyFileError(operation: "move", errno: ENOENT) }
        // link + unlink rather than rename(2): link refuses to replace an existing destination.
        guard link(path, destination) == 0 else { throw HTTPBodyFileError(operation: "move", errno: errno) }
        guard release() else {
            // Removed meanwhile by another owner: undo the link so nothing is left behind.
            unlink(destination)
            throw HTTPBodyFileError(operation: "move", errno: ENOENT)
        }
        unlink(path)
    }

    /// Deletes the file now, unless it was taken or moved. Safe to call more than once.
    public func remove() {
        if release() { unlink(path) }
    }

    /// Marks the file released; true for the one caller that did it.
    private func release() -> Bool {
        state.compareExchange(expected: Ownership.owned, desired: Ownership.released, ordering: .acquiringAndReleasing)
            .exchanged
    }
}

/// Why moving a spooled body failed.
public struct HTTPBodyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was attempted (`move`).
    public let operation: String
    /// The `errno` value.
    public let errno: Int32

    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}
