import AgentCore
import AgentHTTP
import AgentTesting
import Testing

/// `/metrics`: Prometheus text that parses line by line, requests counted by route pattern,
/// sessions by status, run counters, and loopback-only access.
@Suite(.timeLimit(.minutes(1)))
struct MetricsTests {
    /// The native API with `/metrics`, behind the metrics middleware.
    static func handler(_ api: APIHarness, metrics: HTTPMetrics, remote: Bool = false) -> any HTTPHandler {
        var router = Router()
        NativeAPI(service: api.service).register(on: &router)
        MetricsEndpoint(metrics: metrics, service: api.service, allowsRemotePeers: remote).register(on: &router)
        return MetricsMiddleware(wrapping: router, metrics: metrics, routes: router)
    }

    /// Samples by their full name with labels (`name{a="b"}`), checking every line's shape.
    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                #expect(line.split(separator: " ").count >= 4, "bad HELP: \(line)")
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && ["counter", "gauge", "histogram"].contains(parts[3]), "bad TYPE: \(line)")
                typed.insert(String(parts[2]))
            } else {
                let space = try #require(line.lastIndex(of: " "), "no value: \(line)")
                let series = String(line[..<space])
                let value = try #require(Double(line[line.index(after: space)...]), "bad value: \(line)")
                let name = series.prefix { $0 != "{" }
                #expect(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }, "bad name: \(line)")
                if series.contains("{") { #expect(series.hasSuffix("}"), "bad labels: \(line)") }
                let family = ["_bucket", "_sum", "_count"].reduce(String(name)) { name, suffix in
                    typed.contains(String(name.dropLast(suffix.count))) && name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
                }
                #expect(typed.contains(family), "sample before its TYPE: \(line)")
                samples[series] = value
            }
        }
        return samples
    }

    static func scrape(_ handler: any HTTPHandler) async throws -> (HTTPResponse, [String: Double]) {
        let response = await handler.handle(try MiddlewareRequest.make("GET", "/metrics"))
        return (response, try parse(MiddlewareRequest.text(response)))
    }

    @Test func requestsAreCountedByRoutePatternAndSessionsByStatus() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let handler = Self.handler(api, metrics: HTTPMetrics())
        let created = await handler.handle(try MiddlewareRequest.make(
            "POST", "/api/v1/sessions", headers: [("Content-Type", "application/json")], body: #"{"name": "m"}"#))
        let id = try #require(MiddlewareRequest.json(created)["id"]?.stringValue)
        for _ in 0..<2 { _ = await handler.handle(try MiddlewareRequest.make("GET", "/api/v1/sessions/\(id)")) }
        _ = await handler.handle(try MiddlewareRequest.make("GET", "/api/v1/sessions/missing"))
        _ = await handler.handle(try MiddlewareRequest.make("GET", "/nowhere/\(id)"))
        _ = await handler.handle(try MiddlewareRequest.make("BREW", "/api/v1/sessions"))

        let (response, samples) = try await Self.scrape(handler)
        #expect(response.status == 200 && response.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let one = #"route="/api/v1/sessions/{id}",method="GET""#
        #expect(samples[#"agentd_http_requests_total{\#(one),status="200"}"#] == 2)
        #expect(samples[#"agentd_http_requests_total{\#(one),status="404"}"#] == 1)
        #expect(samples[#"agentd_http_requests_total{route="/api/v1/sessions",method="POST",status="201"}"#] == 1)
        #expect(samples[#"agentd_http_requests_total{route="unmatched",method="GET",status="404"}"#] == 1)
        #expect(samples[#"agentd_http_requests_total{route="/api/v1/sessions",method="OTHER",status="405"}"#] == 1)
        #expect(!samples.keys.contains { $0.contains(id) }, "a raw path leaked into a label")

        let histogram = "agentd_http_request_duration_seconds"
        #expect(samples[#"\#(histogram)_count{route="/api/v1/sessions/{id}"}"#] == 3)
        #expect(samples[#"\#(histogram)_bucket{route="/api/v1/sessions/{id}",le="+Inf"}"#] == 3)
        let buckets = HTTPMetrics.buckets.compactMap { samples[#"\#(histogram)_bucket{route="/api/v1/sessions/{id}",le="\#(PrometheusText.format($0))"}"#] }
        #expect(buckets.count == HTTPMetrics.buckets.count && buckets == buckets.sorted())

        #expect(samples[#"agentd_sessions{status="idle"}"#] == 1)
        #expect(samples[#"agentd_sessions{status="running"}"#] == 0)
        #expect(samples[#"agentd_model_tokens_total{kind="output"}"#] == 0)
        #expect(samples["agentd_tool_calls_total"] == 0 && samples["agentd_model_retries_total"] == 0)

        // The scrape itself is counted by the next one.
        let (_, again) = try await Self.scrape(handler)
        #expect(again[#"agentd_http_requests_total{route="/metrics",method="GET",status="200"}"#] == 1)
    }

    @Test func runsAddToolCallsAndTokens() async throws {
        let api = try await APIHarness(script: NativeAPIRunTests.script, tools: [ToolLoopResponder.noteTool])
        defer { Task { await api.finish() } }
        let handler = Self.handler(api, metrics: HTTPMetrics())
        let id = try #require(try await api.send("POST", "/api/v1/sessions", json: ["message": "note hello"]).json["id"]?.stringValue)
        #expect(try await api.send("GET", "/api/v1/sessions/\(id)/wait?timeout=20").json["status"] == "completed")
        let (_, samples) = try await Self.scrape(handler)
        #expect(samples["agentd_tool_calls_total"] == 1)
        #expect(samples[#"agentd_sessions{status="completed"}"#] == 1)
        let snapshot = api.service.metrics.snapshot
        #expect(samples[#"agentd_model_tokens_total{kind="input"}"#] == Double(snapshot.tokens["input"] ?? -1))
    }

    @Test func onlyLoopbackPeersGetMetricsUnlessConfigured() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let closed = Self.handler(api, metrics: HTTPMetrics())
        for peer in ["203.0.113.7:4000", "[2001:db8::1]:4000", "", "128.0.0.1:1"] {
            let response = await closed.handle(try MiddlewareRequest.make("GET", "/metrics", remoteAddress: peer))
            #expect(response.status == 404, "peer \(peer)")
            #expect(MiddlewareRequest.json(response)["error"] == "not_found")
        }
        for peer in ["127.0.0.1:4000", "127.8.9.10:1", "[::1]:4000", "[::ffff:127.0.0.1]:9"] {
            #expect(await closed.handle(try MiddlewareRequest.make("GET", "/metrics", remoteAddress: peer)).status == 200, "peer \(peer)")
        }
        let open = Self.handler(api, metrics: HTTPMetrics(), remote: true)
        #expect(await open.handle(try MiddlewareRequest.make("GET", "/metrics", remoteAddress: "203.0.113.7:4000")).status == 200)
    }

    @Test func theStoreCountsSessionsPerStatus() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        for _ in 0..<3 { _ = try await api.send("POST", "/api/v1/sessions", json: [:]) }
        let id = try #require(try await api.send("POST", "/api/v1/sessions", json: [:]).json["id"]?.stringValue)
        _ = try await api.send("POST", "/api/v1/sessions/\(id)/stop")
        #expect(try await api.sessions.store.statusCounts() == [.idle: 3, .stopped: 1])
        #expect(try await api.service.statusCounts() == [.idle: 3, .stopped: 1])
    }

    @Test func labelValuesAndSpecialNumbersAreEscaped() {
        var text = PrometheusText()
        text.family("x_total", .counter, "a \\ b\nc")
        text.sample("x_total", ["path": "a\"b\\c\nd"], value: 1.5)
        text.sample("x_total", value: .infinity)
        #expect(text.output == "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{path=\"a\\\"b\\\\c\\nd\"} 1.5\nx_total +Inf\n")
    }
}
