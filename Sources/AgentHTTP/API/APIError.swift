public import AgentCore
import Foundation

/// An error answer of the native API, in the one envelope every client can read: `detail` (what
/// seeds 000, 003 and 004 read), `error` (a machine-readable type), `message`, `status_code`,
/// `timestamp` and `request_id`.
///
/// Bad input is answered by what is wrong with it, and every message names the field:
/// - 400 `invalid_request`: the request's shape is wrong. The body is not JSON or not an object, a
///   field has the wrong type, a required field is missing or a field may not be given, a query
///   parameter does not parse (`limit=ten`), the target is not validly percent-encoded.
/// - 422 `invalid_value`: the shape is right but a value is not acceptable. An unknown tool,
///   environment kind, priority, status or sort field, a number out of range (`limit=0`), an
///   empty message, an approval decision other than approve or deny.
/// - 409: the value is fine but the session's state refuses it (busy with `message_policy`
///   `reject`, an illegal transition, no pending approval, an id already taken).
/// - 404 an unknown session, approval or screenshot; 413 a body over the limit; 415 a body not
///   declared as JSON.
public struct APIError: Error, Sendable {
    public var status: Int
    /// A stable, machine-readable type: `not_found`, `invalid_request`, `conflict`, …
    public var type: String
    public var message: String

    public init(_ status: Int, _ type: String, _ message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(400, "invalid_request", message) }
    public static func invalidValue(_ message: String) -> APIError { APIError(422, "invalid_value", message) }
    public static func notFound(_ message: String) -> APIError { APIError(404, "not_found", message) }

    /// This error for a dialect whose documents know only 400 for bad input (seeds 000 and 004):
    /// a 422 becomes a 400, anything else is unchanged.
    public var unprocessableAsBadRequest: APIError {
        status == 422 ? APIError(400, type, message) : self
    }

    /// The API's answer for a session service error.
    public init(_ error: SessionError) {
        switch error {
        case .notFound: self.init(404, "not_found", error.description)
        case .invalidTransition: self.init(409, "invalid_state", error.description)
        case .busy: self.init(409, "busy", error.description)
        case .queueFull: self.init(429, "queue_full", error.description)
        case .invalidRequest: self.init(400, "invalid_request", error.description)
        case .invalidValue: self.init(422, "invalid_value", error.description)
        case .alreadyExists: self.init(409, "already_exists", error.description)
        case .noPendingApproval: self.init(409, "no_pending_approval", error.description)
        case .unknownApproval: self.init(404, "not_found", error.description)
        case .storage: self.init(503, "storage_unavailable", error.description)
        case .environment: self.init(503, "environment_unavailable", error.description)
        case .forbidden: self.init(403, "forbidden", error.description)
        }
    }

    /// Any error a route threw, as the API answers it (unknown errors are 500 without details).
    public init(any error: any Error) {
        if let error = error as? APIError {
            self = error
        } else if let error = error as? SessionError {
            self.init(error)
        } else {
            self.init(500, "internal_error", "the server failed to answer this request")
        }
    }

    /// The response carrying this error.
    public func response(requestID: String) -> HTTPResponse {
        let body: JSONValue = [
            "detail": .string(message), "error": .string(type), "message": .string(message), "status_code": .int(status),
            "timestamp": .string(ISO8601DateFormatter().string(from: Date())), "request_id": .string(requestID),
        ]
        return HTTPResponse.json(status, body)
    }
}
