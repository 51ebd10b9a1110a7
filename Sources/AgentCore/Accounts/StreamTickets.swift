import Synchronization

/// Short-lived, single-use tickets for WebSocket and EventSource clients in browsers, which cannot
/// set an `Authorization` header: a caller with a credential asks for a ticket, then opens the
/// stream with `?ticket=…`. A long-lived token never appears in a URL (and so in access logs).
public final class StreamTickets: Sendable {
    /// How long a ticket may wait before it is used, in seconds.
    public let lifetime: Double
    /// Most tickets outstanding at once; expired ones are dropped first, then the oldest.
    public let capacity: Int
    private let tickets = Mutex<[String: (principal: Principal, expiresAt: Double)]>([:])

    public init(lifetime: Double = 60, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// A new ticket for `principal`.
    public func issue(for principal: Principal, now: Double) throws -> String {
        let ticket = "tkt_" + Base64URL.encode(try SecureRandom.bytes(24))
        let expiresAt = now + lifetime
        let capacity = self.capacity
        tickets.withLock { table in
            if table.count >= capacity {
                table = table.filter { $0.value.expiresAt > now }
                if table.count >= capacity, let oldest = table.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                    table.removeValue(forKey: oldest.key)
                }
            }
            table[ticket] = (principal, expiresAt)
        }
        return ticket
    }

    /// The principal a ticket was issued for, consuming it; `nil` when unknown, used or expired.
    public func redeem(_ ticket: String, now: Double) -> Principal? {
        guard let entry = tickets.withLock({ $0.removeValue(forKey: ticket) }), entry.expiresAt > now else { return nil }
        return entry.principal
    }
}
