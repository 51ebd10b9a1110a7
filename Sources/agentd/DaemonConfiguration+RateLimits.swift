import CommandLineSupport

extension DaemonConfiguration {
    /// Seed 001's rate limits (its "Rate Limiting" section), per client IP and minute, on the root
    /// routes it documents; flags beat environment variables, which beat the document's defaults.
    struct RateLimits: Sendable, Hashable {
        /// Requests to `/sessions…` other than creations.
        var requests = 100
        /// `POST /sessions`.
        var sessions = 10
        /// `/ws/{id}` and `/vnc/{id}` connections.
        var webSockets = 5
        /// Requests to `/api/v1` (the native API and seed 003's platform); nil, the default, is no
        /// limit, so scripts, UIs and benchmarks are never throttled by surprise.
        var api: Int?

        /// The three flags, as given.
        struct Flags {
            var requests: Int?
            var sessions: Int?
            var webSockets: Int?
            var api: Int?

            init(parsing cursor: inout ArgumentCursor) throws {
                requests = try cursor.takeInt("--rate-limit", in: 1...1_000_000)
                sessions = try cursor.takeInt("--session-rate-limit", in: 1...1_000_000)
                webSockets = try cursor.takeInt("--ws-rate-limit", in: 1...1_000_000)
                api = try cursor.takeInt("--api-rate-limit", in: 1...1_000_000)
            }
        }

        init() {}

        init(flags: Flags, environment env: (String) -> String?) throws {
            func value(_ flag: Int?, _ name: String, _ fallback: Int?) throws -> Int? {
                if let flag { return flag }
                guard let text = env(name) else { return fallback }
                guard let number = Int(text), (1...1_000_000).contains(number) else {
                    throw DaemonError("\(name)='\(text)' must be a whole number of requests per minute (1…1000000)")
                }
                return number
            }
            requests = try value(flags.requests, "RATE_LIMIT_REQUESTS", requests)!
            sessions = try value(flags.sessions, "RATE_LIMIT_SESSIONS", sessions)!
            webSockets = try value(flags.webSockets, "RATE_LIMIT_WEBSOCKETS", webSockets)!
            api = try value(flags.api, "RATE_LIMIT_API", nil)
        }
    }
}
