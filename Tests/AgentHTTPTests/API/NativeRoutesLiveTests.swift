import AgentCore
import AgentHTTP
import AgentTesting
import Foundation
import Testing

/// One native route and its live test: a success a user would check, then every refusal that
/// applies to the route, each leaving what is stored unchanged.
struct LiveRouteCase: Sendable, CustomTestStringConvertible {
    let route: RouteDescription
    let test: @Sendable (LiveNativeAPI) async throws -> Void

    init(_ method: String, _ pattern: String, _ test: @escaping @Sendable (LiveNativeAPI) async throws -> Void) {
        route = RouteDescription(method: method, pattern: pattern)
        self.test = test
    }

    var testDescription: String { route.description }
}

/// Every route of the native API (`/api/v1`, `/openapi.json`, `/metrics`) over real sockets,
/// against the stack agentd serves, on an ephemeral port with the fake Messages API as the model.
@Suite(.timeLimit(.minutes(2)))
struct NativeRoutesLiveTests {
    /// The live test of each route; `everyNativeRouteHasALiveTest` keeps it equal to the route table.
    static let cases: [LiveRouteCase] = serviceCases + sessionCases + runCases + approvalCases + readCases

    @Test(arguments: cases) func route(_ routeCase: LiveRouteCase) async throws {
        try await LiveNativeAPI.run { live in try await routeCase.test(live) }
    }

    /// A route added to the native API without a live test here fails this test.
    @Test func everyNativeRouteHasALiveTest() async throws {
        try await LiveNativeAPI.run { live in
            let table = try AgentdStack(service: live.seed.service, corsOrigins: []).routeTable
            let native = table.filter { $0.pattern.hasPrefix("/api/v1/") || ["/openapi.json", "/metrics"].contains($0.pattern) }
            let covered = Self.cases.map(\.route)
            #expect(Set(covered).count == covered.count, "a route has two live tests")
            let untested = native.filter { !covered.contains($0) }
            #expect(untested.isEmpty, "native routes without a live test: \(untested)")
            let stale = covered.filter { !native.contains($0) }
            #expect(stale.isEmpty, "live tests of routes that no longer exist: \(stale)")
            #expect(native.count == 24)
        }
    }

    // MARK: - Service routes

    static let serviceCases: [LiveRouteCase] = [
        LiveRouteCase("GET", "/api/v1/health") { live in
            let health = try await live.send("GET", "/api/v1/health")
            #expect(health.status == 200 && health.json["status"] == "ok" && health.json["database"] == "ok")
            #expect(health.json["version"] == .string(AgentCoreVersion.string) && health.json["active_sessions"] == 0)
            #expect(health.header("X-Content-Type-Options") == "nosniff")
            #expect(health.header("X-Request-ID")?.hasPrefix("req_") == true)
            try await live.refuseMethod("POST", "/api/v1/health", allow: "GET")
        },
        LiveRouteCase("GET", "/api/v1/ready") { live in
            let ready = try await live.send("GET", "/api/v1/ready", headers: [("X-Request-ID", "probe-1")])
            #expect(ready.status == 200 && ready.json == ["ready": true])
            #expect(ready.header("X-Request-ID") == "probe-1")
            try await live.refuseMethod("DELETE", "/api/v1/ready", allow: "GET")
        },
        LiveRouteCase("GET", "/openapi.json") { live in
            let document = try await live.send("GET", "/openapi.json")
            #expect(document.status == 200 && document.header("Content-Type") == "application/json")
            #expect(document.json["openapi"]?.stringValue?.hasPrefix("3.1") == true)
            #expect(document.json["paths"]?["/api/v1/sessions/{id}"]?["patch"]?["responses"]?["422"] != nil)
            try await live.refuseMethod("POST", "/openapi.json", allow: "GET")
        },
        LiveRouteCase("GET", "/metrics") { live in
            _ = try await live.create()
            _ = try await live.send("GET", "/api/v1/sessions/nope")
            let metrics = try await live.send("GET", "/metrics")
            #expect(metrics.status == 200 && metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
            let lines = metrics.text.split(separator: "\n")
            let idle = lines.first { $0.hasPrefix("agentd_sessions{status=\"idle\"}") }
            #expect(idle.flatMap { Double($0.split(separator: " ").last ?? "") } == 1)
            let notFound = lines.first { $0.hasPrefix("agentd_http_requests_total{") && $0.contains("route=\"/api/v1/sessions/{id}\"")
                && $0.contains("status=\"404\"") }
            #expect(notFound != nil, "the 404 is counted under its route pattern")
            try await live.refuseMethod("PUT", "/metrics", allow: "GET")
        },
    ]

    // MARK: - Sessions

    static let sessionCases: [LiveRouteCase] = [
        LiveRouteCase("POST", "/api/v1/sessions") { live in
            let created = try await live.send("POST", "/api/v1/sessions", json: [
                "id": "live-1", "name": "first", "tags": ["a"], "priority": "high", "limits": ["max_steps": 5],
            ])
            #expect(created.status == 201 && created.json["id"] == "live-1" && created.json["status"] == "idle")
            #expect(created.json["name"] == "first" && created.json["tags"] == ["a"] && created.json["priority"] == "high")
            #expect(created.json["configuration"]?["limits"]?["max_steps"] == 5)
            let path = "/api/v1/sessions"
            try await live.refuseBadBodies("POST", path)
            try await live.refuse(400, "invalid_request", naming: "name", "POST", path, json: ["name": 5])
            try await live.refuse(400, "invalid_request", naming: "tags", "POST", path, json: ["tags": "a"])
            try await live.refuse(400, "invalid_request", naming: "max_steps", "POST", path, json: ["limits": ["max_steps": "ten"]])
            try await live.refuse(400, "invalid_request", naming: "configuration", "POST", path, json: ["configuration": 3])
            try await live.refuse(422, "invalid_value", naming: "tools", "POST", path, json: ["tools": ["rm"]])
            try await live.refuse(422, "invalid_value", naming: "environment.kind", "POST", path, json: ["environment": "moon"])
            try await live.refuse(422, "invalid_value", naming: "priority", "POST", path, json: ["priority": "urgent"])
            try await live.refuse(422, "invalid_value", naming: "max_steps", "POST", path, json: ["limits": ["max_steps": 0]])
            try await live.refuse(422, "invalid_value", naming: "message_policy", "POST", path, json: ["message_policy": "drop"])
            try await live.refuse(422, "invalid_value", naming: "budget.hard_tokens", "POST", path,
                                  json: ["budget": ["hard_tokens": -1]])
            try await live.refuse(422, "invalid_value", naming: "id", "POST", path, json: ["id": "has space"])
            try await live.refuse(422, "invalid_value", naming: "message", "POST", path, json: ["message": ""])
            try await live.refuse(409, "already_exists", naming: "live-1", "POST", path, json: ["id": "live-1"])
            try await live.refuseMethod("PUT", path, allow: "POST, GET")
            #expect(live.fake.requestCount == 0, "a refused create with a message must not start a run")
        },
        LiveRouteCase("GET", "/api/v1/sessions") { live in
            let first = try await live.create(["name": "b-first", "tags": ["x"]])
            _ = try await live.create(["name": "a-second"])
            let page = try await live.send("GET", "/api/v1/sessions?tag=x&limit=1")
            #expect(page.status == 200 && page.json["total"] == 1 && page.json["limit"] == 1 && page.json["offset"] == 0)
            #expect(page.json["sessions"]?[0]?["id"] == .string(first))
            let sorted = try await live.send("GET", "/api/v1/sessions?sort=name&order=asc&status=idle")
            #expect(sorted.json["sessions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a-second", "b-first"])
            let path = "/api/v1/sessions"
            try await live.refuse(400, "invalid_request", naming: "limit", "GET", "\(path)?limit=ten")
            try await live.refuse(400, "invalid_request", naming: "created_after", "GET", "\(path)?created_after=yesterday")
            try await live.refuse(400, "invalid_request", naming: "percent-encoded", "GET", "\(path)?tag=%zz")
            try await live.refuse(422, "invalid_value", naming: "limit", "GET", "\(path)?limit=0")
            try await live.refuse(422, "invalid_value", naming: "offset", "GET", "\(path)?offset=-1")
            try await live.refuse(422, "invalid_value", naming: "status", "GET", "\(path)?status=idle,sleeping")
            try await live.refuse(422, "invalid_value", naming: "sort", "GET", "\(path)?sort=colour")
            try await live.refuse(422, "invalid_value", naming: "order", "GET", "\(path)?order=up")
        },
        LiveRouteCase("POST", "/api/v1/sessions/cleanup") { live in
            let id = try await live.create()
            let path = "/api/v1/sessions/cleanup"
            try await live.refuseBadBodies("POST", path)
            try await live.refuse(400, "invalid_request", naming: "days_old", "POST", path)
            try await live.refuse(400, "invalid_request", naming: "days_old", "POST", "\(path)?days_old=week")
            try await live.refuse(400, "invalid_request", naming: "days_old", "POST", path, json: ["days_old": "7"])
            try await live.refuse(422, "invalid_value", naming: "days_old", "POST", "\(path)?days_old=-1")
            // GET is the `{id}` route's (a session named "cleanup"); PUT matches no route of the path.
            try await live.refuse(404, "not_found", naming: "cleanup", "GET", path)
            try await live.refuseMethod("PUT", path, allow: "POST, GET, PATCH, DELETE")
            let kept = try await live.send("POST", path, json: ["days_old": 1])
            #expect(kept.status == 200 && kept.json["count"] == 0 && kept.json["deleted"] == [])
            let cleaned = try await live.send("POST", "\(path)?days_old=0")
            #expect(cleaned.status == 200 && cleaned.json["count"] == 1 && cleaned.json["deleted"] == [.string(id)])
            #expect(try await live.send("GET", "/api/v1/sessions").json["total"] == 0)
        },
        LiveRouteCase("GET", "/api/v1/sessions/{id}") { live in
            let id = try await live.create(["name": "one", "metadata": ["k": 1]])
            let session = try await live.send("GET", "/api/v1/sessions/\(id)")
            #expect(session.status == 200 && session.json["id"] == .string(id) && session.json["name"] == "one")
            #expect(session.json["metadata"] == ["k": 1] && session.json["status"] == "idle" && session.json["last_seq"] != nil)
            try await live.refuse(404, "not_found", naming: "nope", "GET", "/api/v1/sessions/nope")
            try await live.refuse(400, "invalid_request", naming: "percent-encoded", "GET", "/api/v1/sessions/%zz")
            try await live.refuseMethod("PUT", "/api/v1/sessions/\(id)", allow: "GET, PATCH, DELETE")
        },
        LiveRouteCase("PATCH", "/api/v1/sessions/{id}") { live in
            let id = try await live.create(["name": "before"])
            let path = "/api/v1/sessions/\(id)"
            let patched = try await live.send("PATCH", path, json: ["name": "after", "tags": ["t"], "priority": "low"])
            #expect(patched.status == 200 && patched.json["name"] == "after" && patched.json["tags"] == ["t"])
            #expect(try await live.send("GET", path).json["priority"] == "low")
            try await live.refuseBadBodies("PATCH", path)
            try await live.refuse(400, "invalid_request", naming: "status", "PATCH", path, json: ["status": "completed"])
            try await live.refuse(400, "invalid_request", naming: "name", "PATCH", path, json: ["name": 5])
            try await live.refuse(400, "invalid_request", naming: "tags", "PATCH", path, json: ["tags": [1]])
            try await live.refuse(400, "invalid_request", naming: "metadata", "PATCH", path, json: ["metadata": "text"])
            try await live.refuse(422, "invalid_value", naming: "priority", "PATCH", path, json: ["priority": "urgent"])
            try await live.refuse(422, "invalid_value", naming: "tags", "PATCH", path, json: ["tags": [""]])
            try await live.refuse(422, "invalid_value", naming: "name", "PATCH", path,
                                  json: ["name": .string(String(repeating: "n", count: 201))])
            try await live.refuse(404, "not_found", naming: "nope", "PATCH", "/api/v1/sessions/nope", json: ["name": "x"])
        },
        LiveRouteCase("DELETE", "/api/v1/sessions/{id}") { live in
            let id = try await live.create()
            let kept = try await live.create()
            try await live.refuse(404, "not_found", naming: "nope", "DELETE", "/api/v1/sessions/nope")
            let deleted = try await live.send("DELETE", "/api/v1/sessions/\(id)")
            #expect(deleted.status == 204 && deleted.text.isEmpty)
            #expect(try await live.send("GET", "/api/v1/sessions/\(id)").status == 404)
            let list = try await live.send("GET", "/api/v1/sessions")
            #expect(list.json["total"] == 1 && list.json["sessions"]?[0]?["id"] == .string(kept))
            try await live.refuse(404, "not_found", naming: id, "DELETE", "/api/v1/sessions/\(id)")
        },
    ]
}
