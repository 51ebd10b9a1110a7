import AgentCore
import Dispatch
import Foundation
import Glibc
import Synchronization

/// WebSocket fan-out through agentd's HTTP stack: `subscribers` clients open
/// `GET /api/v1/sessions/{id}/ws` on one session, then `messages` messages are posted to the
/// session one after another (each waited for with `/wait`), so the scripted model produces events.
/// Every client should receive every stored event of the session (seq 1 up to its `last_seq`).
struct WebSocketSubscribersRun {
    var subscribers = 1000
    var messages = 20

    struct Outcome {
        let connected: Int
        let handshakeFailure: String?
        let storedEvents: Int
        let delivered: Int
        let expected: Int
        let duplicates: Int
        let closedEarly: Int
        let liveFrames: Int
        let latencies: [Double]
        let connectSeconds: Double
        let driveSeconds: Double
    }

    func run(port: Int) throws -> Outcome {
        let created = try BlockingSocket.request(port: port, "POST", "/api/v1/sessions", body: #"{"name":"ws fan-out"}"#)
        guard created.status == 201, let id = try JSONValue(parsing: created.body)["id"]?.stringValue else {
            throw BenchError("cannot create the fan-out session: \(created.status) \(created.body.prefix(200))")
        }
        let connectStart = nowNanoseconds()
        var clients: [WebSocketReader.Client] = []
        var failure: String?
        for _ in 0..<subscribers {
            do { clients.append(try Self.open(port: port, path: "/api/v1/sessions/\(id)/ws")) } catch {
                failure = failure ?? "\(error)"
            }
        }
        let connectSeconds = secondsSince(connectStart)
        let reader = WebSocketReader(clients: clients)
        let since = Date().timeIntervalSince1970
        let done = DispatchSemaphore(value: 0)
        Thread { reader.run(since: since); done.signal() }.start()

        let driveStart = nowNanoseconds()
        for index in 0..<messages {
            let sent = try BlockingSocket.request(port: port, "POST", "/api/v1/sessions/\(id)/messages",
                                                  body: #"{"content":"event burst \#(index)"}"#)
            guard sent.status == 202 else { throw BenchError("message \(index) refused: \(sent.status) \(sent.body.prefix(200))") }
            _ = try BlockingSocket.request(port: port, "GET", "/api/v1/sessions/\(id)/wait?timeout=10")
        }
        let session = try JSONValue(parsing: try BlockingSocket.request(port: port, "GET", "/api/v1/sessions/\(id)").body)
        let lastSeq = session["last_seq"]?.intValue ?? 0
        reader.target.store(lastSeq, ordering: .relaxed)
        if done.wait(timeout: .now() + 15) == .timedOut {
            reader.stopRequested.store(true, ordering: .relaxed)
            done.wait()
        }
        let driveSeconds = secondsSince(driveStart)
        for client in clients { Glibc.close(client.fd) }
        return Outcome(
            connected: clients.count, handshakeFailure: failure, storedEvents: lastSeq,
            delivered: clients.reduce(0) { $0 + $1.seqs.filter { $0 <= lastSeq }.count },
            expected: lastSeq * subscribers, duplicates: clients.reduce(0) { $0 + $1.duplicates },
            closedEarly: clients.filter(\.closed).count, liveFrames: clients.reduce(0) { $0 + $1.liveFrames },
            latencies: reader.latencies, connectSeconds: connectSeconds, driveSeconds: driveSeconds)
    }

    /// Connects and completes the opening handshake; later bytes stay in the client's buffer.
    static func open(port: Int, path: String) throws -> WebSocketReader.Client {
        let socket = try BlockingSocket(port: port)
        do {
            try socket.write(Array(("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8))
            var buffer: [UInt8] = []
            var end: Int?
            while end == nil {
                try socket.read(into: &buffer)
                end = BlockingSocket.endOfHead(buffer)
            }
            let head = String(decoding: buffer[0..<end!], as: UTF8.self)
            guard head.hasPrefix("HTTP/1.1 101") else { throw BenchError("handshake refused: \(head.prefix(80))") }
            return WebSocketReader.Client(fd: socket.fd, leftover: Array(buffer[end!...]))
        } catch {
            socket.close()
            throw error
        }
    }
}
