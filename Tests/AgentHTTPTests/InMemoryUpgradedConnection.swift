import AgentHTTP

/// An `UpgradedConnection` made of two in-memory byte queues, one each way, for driving a
/// `WebSocketConnection` from a test as the client.
final class InMemoryUpgradedConnection: UpgradedConnection {
    struct Closed: Error {}

    /// Client → server.
    let toServer = ByteQueue()
    /// Server → client.
    let toClient = ByteQueue()

    func read() async -> [UInt8]? { await toServer.pop() }

    func write(_ bytes: [UInt8]) async throws {
        guard await toClient.push(bytes) else { throw Closed() }
    }

    func close() async {
        await toServer.finish()
        await toClient.finish()
    }

    /// A FIFO of byte chunks; `pop` waits for the next chunk, or returns nil once finished and drained.
    actor ByteQueue {
        private var chunks: [[UInt8]] = []
        private var waiters: [CheckedContinuation<[UInt8]?, Never>] = []
        private(set) var isFinished = false

        /// Enqueues `bytes`; false once finished.
        @discardableResult
        func push(_ bytes: [UInt8]) -> Bool {
            guard !isFinished else { return false }
            if waiters.isEmpty { chunks.append(bytes) } else { waiters.removeFirst().resume(returning: bytes) }
            return true
        }

        func pop() async -> [UInt8]? {
            if !chunks.isEmpty { return chunks.removeFirst() }
            if isFinished { return nil }
            return await withCheckedContinuation { waiters.append($0) }
        }

        func finish() {
            isFinished = true
            for waiter in waiters { waiter.resume(returning: nil) }
            waiters = []
        }
    }
}

/// The test's client end: sends masked frames, decodes the server's unmasked frames.
struct TestClient {
    let connection: InMemoryUpgradedConnection
    private var buffer: [UInt8] = []

    init(_ connection: InMemoryUpgradedConnection) { self.connection = connection }

    func send(_ frame: WebSocketFrame) async { await send(bytes: frame.encoded(maskingKey: WebSocketTests.key)) }

    func send(bytes: [UInt8]) async { await connection.toServer.push(bytes) }

    /// Ends the client's side as if the TCP connection dropped.
    func drop() async { await connection.toServer.finish() }

    /// The next frame from the server, or nil once the server closed the connection.
    mutating func receive() async -> WebSocketFrame? {
        while true {
            if let frame = decode() { return frame }
            guard let chunk = await connection.toClient.pop() else { return nil }
            buffer += chunk
        }
    }

    /// One unmasked frame from the front of the buffer (server frames are trusted here).
    private mutating func decode() -> WebSocketFrame? {
        guard buffer.count >= 2 else { return nil }
        precondition(buffer[1] & 0x80 == 0, "server frames must not be masked")
        var length = Int(buffer[1] & 0x7F), offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard buffer.count >= offset + length else { return nil }
        let frame = WebSocketFrame(fin: buffer[0] & 0x80 != 0, opcode: .init(rawValue: buffer[0]),
                                   payload: Array(buffer[offset..<offset + length]))
        buffer.removeFirst(offset + length)
        return frame
    }
}
