import Synchronization

/// What every event loop of one server shares: configuration, handler, listener and the
/// connection count. Immutable apart from the atomics.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let listener: Int32
    /// Open connections across all loops, checked against ``HTTPServerConfiguration/maxConnections``.
    let connectionCount = Atomic<Int>(0)
    /// Connections that already sent their last response and only drain input before closing;
    /// graceful shutdown does not wait for them.
    let lingeringCount = Atomic<Int>(0)

    // Timeouts in monotonic nanoseconds, converted once.
    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let idleTimeout: UInt64
    let writeStallTimeout: UInt64
    let sweepInterval: UInt64
    /// How long a closing connection keeps reading (and discarding) after its last response, so
    /// that closing with unread input does not reset the connection before the client saw the
    /// response (RFC 9112 §9.6).
    let lingerTimeout: UInt64 = 2_000_000_000

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, listener: Int32) {
        self.configuration = configuration
        self.handler = handler
        self.listener = listener
        headerTimeout = configuration.timeouts.headerRead.nanoseconds
        bodyTimeout = configuration.timeouts.bodyRead.nanoseconds
        idleTimeout = configuration.timeouts.keepAliveIdle.nanoseconds
        writeStallTimeout = configuration.timeouts.writeStall.nanoseconds
        sweepInterval = max(configuration.timeouts.sweepInterval.nanoseconds, 1_000_000)
    }
}
