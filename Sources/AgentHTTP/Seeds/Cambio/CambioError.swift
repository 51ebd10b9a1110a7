public import AgentCore
import Foundation

/// An error answer of the seed-001 dialect, in its envelope (seed 001, "Error Response Format"):
/// `{"error", "message", "details", "timestamp", "request_id"}`.
///
/// `error` is a stable machine-readable type (`not_found`, `validation_error`, `conflict`,
/// `rate_limited`, …); `details` is an object (`{"field": "config.timeout"}` for a field that
/// failed validation, else `{}`).
public struct CambioError: Error, Sendable {
    public var status: Int
    public var type: String
    public var message: String
    public var details: JSONValue

    public init(_ status: Int, _ type: String, _ message: String, details: JSONValue = [:]) {
        self.status = status
        self.type = type
        self.message = message
        self.details = details
    }

    /// 422: a field or query parameter that does not validate (seed 001, "422 Validation Error").
    static func validation(_ field: String, _ message: String) -> CambioError {
        CambioError(422, "validation_error", message, details: ["field": .string(field)])
    }

    /// 404 for a session that does not exist.
    static func sessionNotFound(_ id: String) -> CambioError {
        CambioError(404, "not_found", "Session \(id) not found", details: ["session_id": .string(id)])
    }

    /// Any error a route threw, as the dialect answers it: the session service's errors by kind,
    /// the shared request errors (400 JSON, 415) with their status, anything else a 500 without
    /// internals.
    init(any error: any Error) {
        switch error {
        case let error as CambioError: self = error
        case let error as SessionError: self.init(error)
        case let error as APIError: self.init(error.status, error.type, error.message)
        default: self.init(500, "internal_error", "the server failed to answer this request")
        }
    }

    /// The dialect's answer for a session service error.
    init(_ error: SessionError) {
        switch error {
        case .notFound(let id): self = .sessionNotFound(id)
        case .invalidTransition, .busy, .noPendingApproval, .alreadyExists: self.init(409, "conflict", error.description)
        case .unknownApproval: self.init(404, "not_found", error.description)
        case .queueFull: self.init(429, "queue_full", error.description)
        case .invalidRequest(let message), .invalidValue(let message): self.init(422, "validation_error", message)
        case .storage: self.init(503, "service_unavailable", error.description)
        case .environment: self.init(503, "environment_unavailable", error.description)
        case .forbidden: self.init(403, "forbidden", error.description)
        }
    }

    /// The JSON envelope.
    public func body(requestID: String) -> JSONValue {
        ["error": .string(type), "message": .string(message), "details": details,
         "timestamp": .string(CambioTime.now()), "request_id": .string(requestID)]
    }

    /// The response carrying this error.
    public func response(requestID: String) -> HTTPResponse {
        HTTPResponse.json(status, body(requestID: requestID))
    }
}
