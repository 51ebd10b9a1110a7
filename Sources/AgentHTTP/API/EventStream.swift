import AgentCore

/// A session's events as Server-Sent Events (WHATWG HTML §9.2): `id:` is the event's `seq` (live
/// deltas carry none, so a reconnect resumes after the last stored event), `event:` its type,
/// `data:` its JSON; a comment every `heartbeat` seconds keeps proxies from closing the stream.
struct EventStream: Sendable {
    let subscription: EventSubscription
    var heartbeat: Double = 15

    func response() -> HTTPResponse {
        let subscription = self.subscription
        let heartbeat = self.heartbeat
        return HTTPResponse(
            status: 200,
            headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"],
            body: .stream { writer in
                let (items, feed) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .unbounded)
                let reader = Task {
                    for await item in subscription { feed.yield(Self.encode(item)) }
                    feed.finish()
                }
                let ticker = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(heartbeat))
                        feed.yield(Array(": keep-alive\n\n".utf8))
                    }
                }
                defer {
                    reader.cancel()
                    ticker.cancel()
                    subscription.cancel()
                }
                do {
                    try await writer.write(Array("retry: 2000\n\n".utf8))
                    for await bytes in items { try await writer.write(bytes) }
                } catch {
                    return  // the client went away
                }
            })
    }

    /// One SSE message for a subscription item.
    static func encode(_ item: SubscriptionItem) -> [UInt8] {
        switch item {
        case .event(let event):
            var text = event.isLive ? "" : "id: \(event.seq)\n"
            text += "event: \(event.type)\ndata: \(event.json.serialized())\n\n"
            return Array(text.utf8)
        case .closed(let reason, let kind):
            let data: JSONValue = ["reason": .string(reason), "kind": .string(kind.rawValue)]
            return Array("event: closed\ndata: \(data.serialized())\n\n".utf8)
        }
    }
}
