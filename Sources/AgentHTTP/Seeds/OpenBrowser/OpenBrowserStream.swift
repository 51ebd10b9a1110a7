import AgentCore
import Foundation

/// A conversation's events as S4's Server-Sent Events (seed 004 "SSE Events"; WHATWG HTML
/// §9.2): `connected` first, `heartbeat` every interval, then the mapped events. Observations carry
/// their screenshot as base64. A client that goes away ends only its stream, never the conversation.
struct OpenBrowserStream: Sendable {
    /// Where the session events come from: a live subscription or a finished history.
    enum Source: Sendable {
        case live(EventSubscription)
        case history([SessionEvent])
    }

    let service: SessionService
    let conversationID: String
    let source: Source
    let heartbeat: Duration
    /// The stream ends after this many `complete` events (nil: only when the source ends).
    var completes: Int?

    private enum Item: Sendable {
        case event(SessionEvent)
        case heartbeat
    }

    func response() -> HTTPResponse {
        let stream = self
        return HTTPResponse(
            status: 200,
            headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"],
            body: .stream { writer in await stream.write(to: writer) })
    }

    private func write(to writer: any HTTPBodyWriter) async {
        let (items, feed) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
        let source = self.source
        let reader = Task {
            switch source {
            case .live(let subscription):
                for await item in subscription {
                    guard case .event(let event) = item else { break }
                    feed.yield(.event(event))
                }
            case .history(let events):
                for event in events { feed.yield(.event(event)) }
            }
            feed.finish()
        }
        let interval = heartbeat
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if !Task.isCancelled { feed.yield(.heartbeat) }
            }
        }
        defer {
            reader.cancel()
            ticker.cancel()
            if case .live(let subscription) = source { subscription.cancel() }
        }
        var mapper = OpenBrowserEvents(conversationID: conversationID)
        var remaining = completes
        do {
            try await writer.write(Self.encode("connected", ["status": "connected", "conversation_id": .string(conversationID)]))
            for await item in items {
                switch item {
                case .heartbeat:
                    // seed 004: "Periodic keepalive (30s interval)".
                    try await writer.write(Self.encode("heartbeat", ["timestamp": .string(SeedHistory.iso(Date().timeIntervalSince1970))]))
                case .event(let event):
                    for mapped in mapper.map(event) {
                        try await writer.write(Self.encode(mapped.type, await withScreenshot(mapped.data)))
                        if mapped.type == "complete", let count = remaining {
                            remaining = count - 1
                            if count <= 1 { return }
                        }
                    }
                }
            }
        } catch {
            return  // the client went away; the conversation goes on
        }
    }

    /// An observation's screenshot hash replaced by the image as base64 (seed 004 example:
    /// `"screenshot": "base64..."`).
    private func withScreenshot(_ data: JSONValue) async -> JSONValue {
        guard let hash = data["result"]?["screenshot"]?.stringValue,
              let image = try? await service.image(sha256: hash) else { return data }
        var result = data
        result["result"]?["screenshot"] = .string(Data(image.data).base64EncodedString())
        return result
    }

    /// One SSE message: `event:` and one `data:` line of JSON.
    static func encode(_ type: String, _ data: JSONValue) -> [UInt8] {
        Array("event: \(type)\ndata: \(data.serialized())\n\n".utf8)
    }
}
