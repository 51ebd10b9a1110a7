import AgentCore

/// Follows a session's events live over Server-Sent Events, reconnecting with `Last-Event-ID` when
/// the connection drops, so no stored event is missed or repeated.
///
/// ```swift
/// var follower = EventFollower(client: client, sessionID: id, after: session.lastSeq)
/// try await follower.follow(onConnected: { first in … }) { event in
///     print(event)
///     return event["type"] == "finished" ? .done : .more
/// }
/// ```
struct EventFollower {
    /// What the handler wants after an event.
    enum Verdict { case more, done }

    let client: AgentdClient
    let sessionID: String
    /// The `seq` of the last stored event seen; the stream resumes after it.
    private(set) var after: Int
    /// Attempts in a row that may fail before following gives up.
    var maxAttempts = 5

    init(client: AgentdClient, sessionID: String, after: Int) {
        self.client = client
        self.sessionID = sessionID
        self.after = after
    }

    /// Streams events to `handle` until it answers `.done`, the task is cancelled, or the stream
    /// cannot be resumed.
    /// - Parameters:
    ///   - onConnected: called once the server accepted each (re)connection, before any of its
    ///     events is handled; its argument is true for the first connection.
    ///   - handle: called with each event's JSON (`seq`, `type`, its fields; `live: true` for deltas).
    /// - Throws: `RemoteError` when agentd refuses the stream, cannot be reached, or the session is deleted.
    mutating func follow(
        onConnected: (Bool) async throws(RemoteError) -> Void = { _ throws(RemoteError) in },
        handle: (JSONValue) async throws(RemoteError) -> Verdict
    ) async throws(RemoteError) {
        var connected = false
        var failures = 0
        var lastEventID: String?
        var retryMilliseconds = 1000
        while !Task.isCancelled {
            var headers = [HTTPField("Accept", "text/event-stream")] + client.credentialHeaders
            // WHATWG HTML §9.2.4: a reconnecting client sends the last event ID it saw.
            if let lastEventID { headers.append(HTTPField("Last-Event-ID", lastEventID)) }
            let url = client.server + "/api/v1/sessions/\(AgentdClient.escape(sessionID))/events?after=\(after)"
            let request = HTTPClientRequest(method: "GET", url: url, headers: headers, connectTimeout: 10, idleTimeout: 90)
            var decoder = SSEDecoder()
            var errorHead: HTTPClientResponseHead?
            var errorBody: [UInt8] = []
            do {
                reading: for try await part in client.transport.stream(request) {
                    switch part {
                    case .head(let head):
                        guard head.status < 400 else {
                            errorHead = head
                            continue
                        }
                        failures = 0
                        try await onConnected(!connected)
                        connected = true
                    case .body(let bytes):
                        if errorHead != nil {
                            errorBody += bytes
                            continue
                        }
                        for event in try decoder.feed(bytes) {
                            if let id = event.id { lastEventID = id }
                            if let retry = event.retry { retryMilliseconds = min(max(retry, 100), 5000) }
                            if event.event == "closed" {
                                let data = try? JSONValue(parsing: event.data)
                                if data?["kind"] == "session_deleted" { throw RemoteError.failed("the session was deleted") }
                                break reading  // the server ended the stream: resume from the last event
                            }
                            guard let json = try? JSONValue(parsing: event.data) else { continue }
                            if json["live"] != true, let seq = json["seq"]?.intValue { after = max(after, seq) }
                            if try await handle(json) == .done { return }
                        }
                    }
                }
            } catch let error as RemoteError {
                throw error
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures >= maxAttempts { throw client.mapped(error) }
            }
            if let errorHead { try AgentdClient.check(AgentdClient.Response(head: errorHead, body: errorBody)) }
            if Task.isCancelled { return }
            do {
                try await Task.sleep(for: .milliseconds(connected ? retryMilliseconds : 200))
            } catch {
                return
            }
        }
    }
}
