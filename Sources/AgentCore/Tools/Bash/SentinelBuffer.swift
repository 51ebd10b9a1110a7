/// Bytes one output stream produced for one command.
struct CapturedBytes: Sendable, Equatable {
    /// The bytes kept, at most the buffer's capacity.
    var bytes: [UInt8]
    /// How many further bytes the command wrote; they were read and discarded.
    var droppedByteCount: Int

    static let empty = CapturedBytes(bytes: [], droppedByteCount: 0)

    init(bytes: [UInt8], droppedByteCount: Int = 0) {
        self.bytes = bytes
        self.droppedByteCount = droppedByteCount
    }
}

/// One output stream of the shell, held until a sentinel marker ends the current command.
///
/// Memory is bounded: the first `capacity` bytes are kept; after that only a short sliding window is
/// kept, so the marker is still found however much a command prints (`yes` for two minutes).
///
/// ```swift
/// var buffer = SentinelBuffer(capacity: 4 << 20)
/// buffer.append(Array("hi\n\n<<m:0>>\n".utf8)[...])
/// buffer.take(through: marker)  // (CapturedBytes("hi\n"), 0)
/// ```
struct SentinelBuffer: Sendable {
    /// The bytes kept of the window when it is trimmed; longer than any marker.
    static let windowSlack = 256

    let capacity: Int
    /// The first `capacity` bytes of the stream since the last take.
    private var kept: [UInt8] = []
    /// Where the next scan of `kept` starts.
    private var scanFrom = 0
    /// Once the stream outgrew `capacity`: its latest bytes, starting at stream offset `windowStart`.
    private var window: [UInt8] = []
    private var windowStart = 0
    /// Bytes appended since the last take.
    private var length = 0

    init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// Whether the stream has outgrown `capacity`.
    var isOverflowing: Bool { length > kept.count }

    /// Whether nothing is buffered.
    var isEmpty: Bool { length == 0 }

    /// Adds bytes read from the stream.
    mutating func append(_ chunk: ArraySlice<UInt8>) {
        guard !chunk.isEmpty else { return }
        defer { length += chunk.count }
        guard isOverflowing else {
            let room = capacity - kept.count
            if chunk.count <= room {
                kept.append(contentsOf: chunk)
                return
            }
            kept.append(contentsOf: chunk.prefix(room))
            // The window starts with the end of `kept`, so a marker across the boundary is still whole.
            window = Array(kept.suffix(Self.windowSlack))
            windowStart = kept.count - window.count
            window.append(contentsOf: chunk.dropFirst(room))
            return
        }
        if window.count > Self.windowSlack {
            let excess = window.count - Self.windowSlack
            window.removeFirst(excess)
            windowStart += excess
        }
        window.append(contentsOf: chunk)
    }

    /// Removes and returns everything before the first `marker`, and the marker; the bytes after it stay
    /// as the start of the next command's output.
    ///
    /// - Returns: The output before the marker and the marker's status, or nil when no whole marker
    ///   has arrived yet.
    mutating func take(through marker: SentinelMarker) -> (output: CapturedBytes, status: Int32?)? {
        switch marker.scan(kept, from: scanFrom) {
        case .found(let start, let end, let status):
            let output = CapturedBytes(bytes: Array(kept[..<start]))
            var rest = Array(kept[end...])
            if isOverflowing {
                let tailStart = max(kept.count, windowStart) - windowStart
                rest.append(contentsOf: window[tailStart...])
            }
            restart(with: rest)
            return (output, status)
        case .partial(let start):
            scanFrom = start
        case .notFound:
            scanFrom = kept.count
        }
        guard isOverflowing, case .found(let start, let end, let status) = marker.scan(window, from: 0) else {
            return nil
        }
        let markerOffset = windowStart + start
        let output = CapturedBytes(
            bytes: Array(kept.prefix(markerOffset)),
            droppedByteCount: max(0, markerOffset - kept.count)
        )
        let rest = Array(window[end...])
        restart(with: rest)
        return (output, status)
    }

    /// Removes and returns everything buffered (after a timeout, an exit or a missing stderr marker).
    mutating func takeAll() -> CapturedBytes {
        let output = CapturedBytes(bytes: kept, droppedByteCount: length - kept.count)
        restart(with: [])
        return output
    }

    private mutating func restart(with bytes: [UInt8]) {
        kept = []
        scanFrom = 0
        window = []
        windowStart = 0
        length = 0
        append(bytes[...])
    }
}
