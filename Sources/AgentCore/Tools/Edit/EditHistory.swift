/// The per-file edit history that `undo_edit` pops (reference §6.4 "undo_edit").
///
/// Tools are `Sendable` values, so the mutable history lives in this actor; one `EditTool` value
/// creates one history in its `init` and every call made through that value (or its copies) shares it.
/// Only the versions that have `undo_edit` record anything.
actor EditHistory {
    /// One saved state of a file.
    struct Entry: Sendable, Equatable {
        /// The exact bytes to write back, so an undo restores the file byte for byte.
        var bytes: [UInt8]
        /// The text the reference would have saved, rendered by `undo_edit`'s output.
        var text: String
    }

    private var entries: [String: [Entry]] = [:]

    init() {}

    /// Saves `entry` as the newest state of the file at `key`.
    func push(_ entry: Entry, for key: String) {
        entries[key, default: []].append(entry)
    }

    /// Removes and returns the newest saved state of the file at `key`, or nil when there is none.
    func pop(for key: String) -> Entry? {
        guard var list = entries[key], let last = list.popLast() else { return nil }
        entries[key] = list.isEmpty ? nil : list
        return last
    }

    /// How many states are saved for `key`.
    func count(for key: String) -> Int { entries[key]?.count ?? 0 }
}
