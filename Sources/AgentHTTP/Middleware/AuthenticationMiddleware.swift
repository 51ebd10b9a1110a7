public import AgentCore
import Foundation

/// Who may use agentd: checks each request's credential and hands the wrapped handler the request
/// with its ``HTTPRequest/principal`` set.
///
/// Credentials, in order (seed 003 "Authentication Priority"): `X-API-Key`, then
/// `Authorization: Bearer` (a login token or an API key), then — for `GET` only, where browsers
/// cannot set headers on WebSocket and EventSource — a single-use `?ticket=` from `POST /v1/tickets`.
///
/// - `required`: every route needs a credential, WebSocket and SSE included, except the public
///   ones (health and readiness, `/metrics` unless configured otherwise, seed 003's register and
///   login, and CORS preflights). A missing or bad credential is 401 with a `detail`
///   and `WWW-Authenticate: Bearer` (RFC 6750 §3).
/// - `none`: requests act as the local user (``Principal/local``), except seed 003's routes
///   (`/api/v1/auth`, `api-keys`, `agents`, `uploads`, `runtime`, `logs`), which need a
///   credential always, as that document says.
///
/// A credential that can be checked from memory (a signed token of a known user, a recently used
/// key) is checked on the event loop, so cached answers stay immediate; others wait for one
/// indexed store lookup.
public struct AuthenticationMiddleware: HTTPHandler {
    /// Whether requests must carry a credential.
    public enum Mode: String, Sendable, CaseIterable {
        case none, required
    }

    private let next: any HTTPHandler
    private let accounts: AccountService
    public let mode: Mode
    /// Paths answered without a credential in `required` mode.
    public let publicPaths: Set<String>

    /// Seed 003's route groups (beside the native API's under the same `/api/v1`): a credential
    /// always, whatever the mode.
    static let platformPrefixes = ["/api/v1/auth/", "/api/v1/api-keys", "/api/v1/agents", "/api/v1/uploads/",
                                   "/api/v1/runtime/", "/api/v1/logs/"]
    /// Seed 003's routes that need none (they are how one gets a credential).
    static let platformPublicPaths: Set<String> = ["/api/v1/auth/register", "/api/v1/auth/login"]
    /// The paths public by default in `required` mode.
    public static let defaultPublicPaths: Set<String> = ["/health", "/ready", "/api/health", "/api/v1/health",
                                                         "/api/v1/ready", "/metrics"]

    public init(wrapping next: any HTTPHandler, accounts: AccountService, mode: Mode,
                publicPaths: Set<String> = AuthenticationMiddleware.defaultPublicPaths) {
        self.next = next
        self.accounts = accounts
        self.mode = mode
        self.publicPaths = publicPaths
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }
    public func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
    public func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }

    public func reply(to request: HTTPRequest) -> HTTPReply {
        let path = request.path     // without the query, which the head keeps apart
        let isPlatform = Self.isPlatformPath(path)
        if Self.platformPublicPaths.contains(path) || request.method == "OPTIONS" {
            return next.reply(to: request)
        }
        if !isPlatform {
            if mode == .none { return next.reply(to: request.acting(as: .local)) }
            if publicPaths.contains(path) { return next.reply(to: request) }
        }
        let apiKey = request.headers["X-API-Key"].flatMap { $0.isEmpty ? nil : $0 }
        let bearer = Self.bearerToken(request.headers["Authorization"])
        if apiKey == nil, bearer == nil, request.method == "GET", let ticket = Self.ticket(inQuery: request.head.query) {
            do {
                return next.reply(to: request.acting(as: try accounts.authenticate(ticket: ticket)))
            } catch {
                return .ready(Self.refusal(error, platform: isPlatform))
            }
        }
        switch accounts.authenticateFromCache(bearer: bearer, apiKey: apiKey) {
        case .success(let principal)?:
            return next.reply(to: request.acting(as: principal))
        case .failure(let error)?:
            return .ready(Self.refusal(error, platform: isPlatform))
        case nil:
            let accounts = self.accounts
            let next = self.next
            return .pending {
                let principal: Principal
                do {
                    principal = if let apiKey { try await accounts.authenticate(apiKey: apiKey) }
                                else { try await accounts.authenticate(bearer: bearer ?? "") }
                } catch {
                    return Self.refusal(error, platform: isPlatform)
                }
                return await next.reply(to: request.acting(as: principal)).response()
            }
        }
    }

    /// Whether `path` belongs to seed 003's routes.
    static func isPlatformPath(_ path: String) -> Bool {
        platformPrefixes.contains { prefix in
            path.hasPrefix(prefix) && (prefix.hasSuffix("/") || path.count == prefix.count || path.dropFirst(prefix.count).first == "/")
        }
    }

    /// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive).
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The `ticket` query parameter, if the query has one.
    static func ticket(inQuery query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("ticket=") {
            let value = pair.dropFirst("ticket=".count)
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// 401 (or 429/500 as the error says) in the envelope every dialect reads (`detail`); seed
    /// 003's routes get exactly its `{"detail": …}`.
    static func refusal(_ error: any Error, platform: Bool) -> HTTPResponse {
        let account = error as? AccountError ?? .unauthorized("Could not validate credentials")
        var response = platform
            ? HTTPResponse.json(account.httpStatus, ["detail": .string(account.detail)])
            : APIError(account.httpStatus, account.httpStatus == 401 ? "unauthorized" : "error", account.detail).response(requestID: "")
        if account.httpStatus == 401 { response.headers.append(name: "WWW-Authenticate", value: "Bearer") }
        return response
    }
}

extension HTTPRequest {
    /// This request acting for `principal`.
    func acting(as principal: Principal) -> HTTPRequest {
        var copy = self
        copy.principal = principal
        return copy
    }
}
