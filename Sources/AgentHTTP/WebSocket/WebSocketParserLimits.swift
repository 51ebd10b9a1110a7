/// Size limits the frame parser enforces from frame headers, before any payload is buffered.
///
/// Defaults follow the project's security notes: 1 MiB per message, and per frame.
///
/// ```swift
/// var limits = WebSocketParserLimits()
/// limits.maxMessageBytes = 64 * 1024
/// var parser = WebSocketFrameParser(limits: limits)
/// ```
public struct WebSocketParserLimits: Sendable, Hashable {
    /// Largest payload of one frame. A larger frame fails the connection with 1009.
    public var maxFrameBytes: Int
    /// Largest message after reassembling its fragments. A larger one fails with 1009.
    public var maxMessageBytes: Int

    /// Creates limits; every argument has the documented default.
    public init(maxFrameBytes: Int = 1 << 20, maxMessageBytes: Int = 1 << 20) {
        self.maxFrameBytes = maxFrameBytes
        self.maxMessageBytes = maxMessageBytes
    }
}
