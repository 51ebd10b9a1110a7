import Foundation
import Glibc
import Synchronization

/// Many WebSocket clients read on one thread with `poll(2)`: each client's unmasked server frames
/// are parsed, and every session event (text frame with a `seq`) is counted per client, with its
/// delivery latency (receipt minus the event's own `time`) when it was stamped after `since`.
///
/// Confined to the thread that calls ``run(since:)``; the results are read after it returns.
final class WebSocketReader: @unchecked Sendable {
    /// One connected client: its socket, unread bytes, and the stored event seqs it has received.
    final class Client {
        let fd: Int32
        var buffer: [UInt8]
        var seqs = Set<Int>()
        var duplicates = 0
        var liveFrames = 0
        var closed = false

        init(fd: Int32, leftover: [UInt8]) {
            self.fd = fd
            self.buffer = leftover
        }
    }

    let clients: [Client]
    /// Milliseconds from event time to receipt, for events stamped after `since`.
    private(set) var latencies: [Double] = []
    /// The run stops once every open client has seen this seq (or on `stop`).
    let target = Atomic<Int>(Int.max)
    let stopRequested = Atomic<Bool>(false)

    init(clients: [Client]) {
        self.clients = clients
    }

    /// Reads until `stopRequested`, or until every client that is still open has every seq up to `target`.
    func run(since: Double) {
        var descriptors = clients.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopRequested.load(ordering: .relaxed) {
            let target = self.target.load(ordering: .relaxed)
            if target != Int.max, clients.allSatisfy({ $0.closed || $0.seqs.count >= target }) { return }
            let ready = poll(&descriptors, nfds_t(descriptors.count), 100)
            guard ready > 0 else { continue }
            let now = Date().timeIntervalSince1970
            for index in descriptors.indices where descriptors[index].revents != 0 {
                let client = clients[index]
                let n = chunk.withUnsafeMutableBytes { Glibc.read(client.fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EAGAIN || errno == EINTR { continue }
                guard n > 0 else {
                    client.closed = true
                    descriptors[index].fd = -1
                    continue
                }
                client.buffer.append(contentsOf: chunk[0..<n])
                parseFrames(client, receivedAt: now, since: since)
                if client.closed { descriptors[index].fd = -1 }
            }
        }
    }

    /// Takes every complete frame off the client's buffer.
    private func parseFrames(_ client: Client, receivedAt now: Double, since: Double) {
        var offset = 0
        let bytes = client.buffer
        while bytes.count - offset >= 2 {
            let opcode = bytes[offset] & 0x0F
            var length = Int(bytes[offset + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard bytes.count - offset >= 4 else { break }
                length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                header = 4
            } else if length == 127 {
                guard bytes.count - offset >= 10 else { break }
                length = (0..<8).reduce(0) { $0 << 8 | Int(bytes[offset + 2 + $1]) }
                header = 10
            }
            if bytes[offset + 1] & 0x80 != 0 { header += 4 }
            guard bytes.count - offset >= header + length else { break }
            let payload = bytes[(offset + header)..<(offset + header + length)]
            offset += header + length
            switch opcode {
            case 0x1: record(payload, client: client, receivedAt: now, since: since)
            case 0x8: client.closed = true
            default: break
            }
        }
        client.buffer.removeFirst(offset)
    }

    private func record(_ payload: ArraySlice<UInt8>, client: Client, receivedAt now: Double, since: Double) {
        // A byte scan rather than a JSON parse, so 1,000 clients' reading does not crowd out the server.
        guard let seq = Self.number(after: Self.seqKey, in: payload).flatMap({ Int($0) }) else { return }
        if Self.find(Self.liveKey, in: payload) != nil {
            client.liveFrames += 1
            return
        }
        if !client.seqs.insert(seq).inserted { client.duplicates += 1 }
        if let time = Self.number(after: Self.timeKey, in: payload).flatMap({ Double($0) }), time >= since {
            latencies.append((now - time) * 1000)
        }
    }

    private static let seqKey = Array(#""seq":"#.utf8), timeKey = Array(#""time":"#.utf8), liveKey = Array(#""live":true"#.utf8)

    /// The number text right after `key` in a compact JSON object.
    static func number(after key: [UInt8], in bytes: ArraySlice<UInt8>) -> String? {
        guard let start = find(key, in: bytes) else { return nil }
        var end = start
        while end < bytes.endIndex, bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: ".")
            || bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "+") || (48...57).contains(bytes[end]) {
            end += 1
        }
        return end > start ? String(decoding: bytes[start..<end], as: UTF8.self) : nil
    }

    /// The index just past the first occurrence of `key`.
    static func find(_ key: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= key.count else { return nil }
        var i = bytes.startIndex
        while i <= bytes.endIndex - key.count {
            if bytes[i] == key[0], bytes[i..<(i + key.count)].elementsEqual(key) { return i + key.count }
            i += 1
        }
        return nil
    }
}
