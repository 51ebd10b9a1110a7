import AgentCore
import AgentHTTP
import Synchronization
import Testing

/// The rate limiter on a test route group: headers, 429 with `Retry-After` and the envelope, window
/// reset, per-client budgets, and routes outside the group untouched.
struct RateLimitTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let time = Mutex(1000.0)
        var now: Double { time.withLock { $0 } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
    }

    static func limited(_ clock: ManualClock, limit: Int = 3) -> RateLimitMiddleware {
        RateLimitMiddleware(wrapping: MiddlewareRequest.router(),
                            limiter: RateLimiter(limit: limit, window: 60, clock: { clock.now }), pathPrefix: "/limited/")
    }

    @Test func requestsOverTheLimitGet429WithRetryAfterAndTheEnvelope() async throws {
        let clock = ManualClock()
        let handler = Self.limited(clock)
        for expected in [2, 1, 0] {
            let response = await handler.handle(try MiddlewareRequest.make("GET", "/limited/ping"))
            #expect(response.status == 200)
            #expect(response.headers["X-RateLimit-Limit"] == "3")
            #expect(response.headers["X-RateLimit-Remaining"] == String(expected))
            #expect(response.headers["X-RateLimit-Reset"] == "60")
        }
        clock.advance(20.5)
        let refused = await handler.handle(try MiddlewareRequest.make("GET", "/limited/ping", headers: [("X-Request-ID", "r-1")]))
        #expect(refused.status == 429)
        #expect(refused.headers["Retry-After"] == "40")
        #expect(refused.headers["X-RateLimit-Remaining"] == "0")
        #expect(refused.headers["X-Request-ID"] == "r-1")
        let body = MiddlewareRequest.json(refused)
        #expect(body["error"] == "rate_limited" && body["status_code"] == 429 && body["request_id"] == "r-1")
        #expect(body["detail"]?.stringValue != nil && body["timestamp"]?.stringValue != nil)

        clock.advance(40)
        let again = await handler.handle(try MiddlewareRequest.make("GET", "/limited/ping"))
        #expect(again.status == 200 && again.headers["X-RateLimit-Remaining"] == "2")
    }

    @Test func eachClientHasItsOwnBudget() async throws {
        let handler = Self.limited(ManualClock(), limit: 1)
        #expect(await handler.handle(try MiddlewareRequest.make("GET", "/limited/ping", remoteAddress: "10.0.0.1:1")).status == 200)
        #expect(await handler.handle(try MiddlewareRequest.make("GET", "/limited/ping", remoteAddress: "10.0.0.1:2")).status == 429)
        #expect(await handler.handle(try MiddlewareRequest.make("GET", "/limited/ping", remoteAddress: "[::1]:3")).status == 200)
    }

    @Test func routesOutsideTheGroupAreNotLimited() async throws {
        let handler = Self.limited(ManualClock(), limit: 1)
        for _ in 0..<5 {
            let response = await handler.handle(try MiddlewareRequest.make("GET", "/items/1"))
            #expect(response.status == 200 && response.headers["X-RateLimit-Limit"] == nil)
        }
    }

    @Test func endedWindowsAreSweptWhenTheTableIsFull() {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: 1, window: 10, maximumKeys: 2, clock: { clock.now })
        #expect(limiter.take("a").allowed && limiter.take("b").allowed)
        #expect(!limiter.take("a").allowed)
        clock.advance(11)
        #expect(limiter.take("c").allowed)  // sweeps a and b
        #expect(limiter.take("a").allowed)
        #expect(!limiter.take("c").allowed)
    }
}
