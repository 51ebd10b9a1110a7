public import AgentCore
import Synchronization

/// Each session's JSON bytes, remembered with the record they were written from, so lists and
/// reads of sessions that did not change since are not serialized again.
///
/// A hit needs the cached record to equal the one asked for (every field), so the cache can never
/// answer with stale JSON; comparing a record costs far less than building and writing its JSON.
/// Past `capacity` sessions it starts over.
public final class SessionJSONCache: Sendable {
    /// A class, so looking one up copies a reference rather than a whole record.
    private final class Entry: Sendable {
        let record: SessionRecord
        let bytes: [UInt8]
        init(record: SessionRecord, bytes: [UInt8]) {
            self.record = record
            self.bytes = bytes
        }
    }

    private let entries = Mutex<[String: Entry]>([:])
    public let capacity: Int

    public init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// `record.json` serialized.
    public func bytes(for record: SessionRecord) -> [UInt8] {
        if let entry = entries.withLock({ $0[record.id] }), entry.record == record { return entry.bytes }
        let bytes = record.json.serializedBytes()
        entries.withLock { entries in
            if entries.count >= capacity, entries[record.id] == nil { entries.removeAll(keepingCapacity: true) }
            entries[record.id] = Entry(record: record, bytes: bytes)
        }
        return bytes
    }

    /// A JSON response whose body is the session's JSON.
    public func response(_ status: Int, for record: SessionRecord) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(bytes(for: record)))
    }

    /// Forgets a deleted session.
    public func remove(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}
