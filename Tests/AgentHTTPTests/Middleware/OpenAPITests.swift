import AgentCore
import AgentHTTP
import Testing

/// The OpenAPI document (OWASP API9): it parses, says 3.1, documents exactly the router's routes
/// with their path parameters, and every operation has an id and responses.
@Suite(.timeLimit(.minutes(1)))
struct OpenAPITests {
    /// Every route agentd serves natively: the API, the document and the metrics.
    static func fullRouter(_ api: APIHarness) -> Router {
        var router = Router()
        NativeAPI(service: api.service).register(on: &router)
        APIDocumentation.register(on: &router)
        MetricsEndpoint(metrics: HTTPMetrics(), service: api.service).register(on: &router)
        return router
    }

    static func fetchDocument(_ router: Router) async throws -> JSONValue {
        let response = await router.handle(try MiddlewareRequest.make("GET", "/openapi.json"))
        #expect(response.status == 200 && response.headers["Content-Type"] == "application/json")
        guard case .bytes(let bytes) = response.body else { throw CancellationError() }
        return try JSONValue(parsing: bytes)
    }

    @Test func theDocumentParsesAndIsOpenAPI31() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let document = try await Self.fetchDocument(Self.fullRouter(api))
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1.") == true)
        #expect(document["info"]?["title"]?.stringValue != nil && document["info"]?["version"]?.stringValue != nil)
        #expect(document["components"]?["schemas"]?["Error"]?["required"] ==
                ["detail", "error", "message", "request_id", "status_code", "timestamp"])
    }

    @Test func documentedOperationsEqualTheRouteTableBothWays() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let router = Self.fullRouter(api)
        let document = try await Self.fetchDocument(router)
        let paths = try #require(document["paths"]?.objectValue)
        var documented: Set<RouteDescription> = []
        for (path, item) in paths {
            for method in (item.objectValue ?? [:]).keys {
                documented.insert(RouteDescription(method: method.uppercased(), pattern: path))
            }
        }
        let routed = Set(router.routeTable)
        #expect(routed.count == router.routeTable.count, "a route is registered twice")
        #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented))")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed))")
        #expect(routed.contains(RouteDescription(method: "GET", pattern: "/api/v1/sessions/{id}/events")))
    }

    @Test func pathParametersMatchThePatternAndEveryOperationIsComplete() async throws {
        let api = try await APIHarness()
        defer { Task { await api.finish() } }
        let document = try await Self.fetchDocument(Self.fullRouter(api))
        var operationIDs: [String] = []
        var statuses: Set<String> = []
        for (path, item) in try #require(document["paths"]?.objectValue) {
            let inPattern = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            for (method, operation) in try #require(item.objectValue) {
                let id = try #require(operation["operationId"]?.stringValue, "\(method) \(path) has no operationId")
                operationIDs.append(id)
                let responses = try #require(operation["responses"]?.objectValue, "\(id) has no responses")
                #expect(!responses.isEmpty, "\(id) has no responses")
                #expect(responses.keys.contains { $0.hasPrefix("2") || $0 == "101" }, "\(id) documents no success")
                statuses.formUnion(responses.keys)
                let parameters = operation["parameters"]?.arrayValue ?? []
                let pathParameters = parameters.filter { $0["in"] == "path" }
                #expect(pathParameters.compactMap { $0["name"]?.stringValue } == inPattern, "\(id)")
                #expect(pathParameters.allSatisfy { $0["required"] == true }, "\(id)")
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count, "operationIds are not unique")
        statuses.formUnion(document["components"]?["responses"]?.objectValue?.keys.map { String($0.dropFirst(5)) } ?? [])
        for status in [200, 201, 202, 204, 400, 404, 405, 409, 413, 415, 422, 429, 503] {
            #expect(statuses.contains(String(status)), "status \(status) is not documented")
        }
    }

    @Test func everyReferenceResolves() async throws {
        let document = APIDocumentation.document()
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let ref = members["$ref"]?.stringValue { references.append(ref) }
                members.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(document)
        #expect(references.count > 20)
        for ref in references {
            let parts = ref.split(separator: "/").dropFirst()  // drop "#"
            var node: JSONValue? = document
            for part in parts { node = node?[String(part)] }
            #expect(node != nil, "unresolved \(ref)")
        }
    }
}
