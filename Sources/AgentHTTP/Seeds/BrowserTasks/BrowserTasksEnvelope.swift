import AgentCore

/// S2's one answer shape, `{success, message, data}`, for successes and errors alike (seed 002,
/// every "Response" and "Error Responses": an error's `data` is `{"error": detail}`).
///
/// ```swift
/// return BrowserTasksEnvelope.ok("Session paused", ["session_id": .string(id), "status": "paused"])
/// ```
enum BrowserTasksEnvelope {
    /// 200 with `success: true`.
    static func ok(_ message: String, _ data: JSONValue) -> HTTPResponse {
        .json(200, ["success": true, "message": .string(message), "data": data])
    }

    /// An error answer: `success: false`, a short `message`, and the detail in `data.error`.
    static func failure(_ status: Int, _ message: String, detail: String) -> HTTPResponse {
        .json(status, ["success": false, "message": .string(message), "data": ["error": .string(detail)]])
    }

    /// The answer for any error a route threw. The short message names the kind (seed 002's
    /// example: "Session not found"); the detail says what exactly.
    static func response(for error: any Error) -> HTTPResponse {
        if let error = error as? BrowserTasksError { return failure(error.status, error.message, detail: error.detail) }
        // Seed 002 documents 400 for every invalid parameter, so the native 422 answers as 400 here.
        let api = APIError(any: error).unprocessableAsBadRequest
        let message: String
        switch api.status {
        case 400: message = "Invalid request parameters"
        case 403: message = "Forbidden"
        case 404: message = (error as? SessionError).map { _ in "Session not found" } ?? "Not found"
        case 405: message = "Method not allowed"
        case 409: message = "The session's state does not allow this"
        case 415: message = "Unsupported media type"
        case 429: message = "Too many requests"
        case 503: message = "Service unavailable"
        default: message = "Server error"
        }
        var detail = api.message
        if case .notFound(let id)? = error as? SessionError { detail = "Session with ID \(id) does not exist" }
        return failure(api.status, message, detail: detail)
    }

    /// Rewrites answers that did not come from an S2 route (the router's 404, 405 and bad-target
    /// 400, in the native envelope) into S2's envelope, keeping their status and headers (`Allow`).
    struct Middleware: HTTPHandler {
        let next: any HTTPHandler

        func handle(_ request: HTTPRequest) async -> HTTPResponse { await reply(to: request).response() }

        func reply(to request: HTTPRequest) -> HTTPReply {
            next.reply(to: request).map(Self.rewrite)
        }

        func bodyLimit(for head: HTTPRequestHead) -> Int? { next.bodyLimit(for: head) }
        func bodyDestination(for head: HTTPRequestHead) -> HTTPBodyDestination { next.bodyDestination(for: head) }

        /// `response` in S2's envelope when it is an error in another envelope.
        static func rewrite(_ response: HTTPResponse) -> HTTPResponse {
            guard response.status >= 400, case .bytes(let bytes) = response.body,
                  let json = try? JSONValue(parsing: bytes), json["success"] == nil else { return response }
            let detail = json["message"]?.stringValue ?? json["detail"]?.stringValue ?? "the request failed"
            let short = response.status == 404 ? "Not found" : response.status == 405 ? "Method not allowed" : "Invalid request"
            var rewritten = failure(response.status, short, detail: detail)
            rewritten.routePattern = response.routePattern
            for field in response.headers where field.name.lowercased() != "content-type" {
                rewritten.headers.append(name: field.name, value: field.value)
            }
            return rewritten
        }
    }
}

/// An error of the S2 dialect with its status, short message and detail.
struct BrowserTasksError: Error, Sendable {
    var status: Int
    var message: String
    var detail: String

    /// 400: a field or parameter that does not validate.
    static func invalid(_ detail: String) -> BrowserTasksError {
        BrowserTasksError(status: 400, message: "Invalid request parameters", detail: detail)
    }

    /// 403: the `task_id` does not match the session's task.
    static func wrongTask(_ sessionID: String) -> BrowserTasksError {
        BrowserTasksError(status: 403, message: "Invalid task ID",
                          detail: "task_id does not match the task of session \(sessionID)")
    }
}
