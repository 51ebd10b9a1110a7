import AgentCore

/// S4's error envelope ("Error Handling"): `{"detail": "…"}`.
enum OpenBrowserError {
    static func response(for error: any Error) -> HTTPResponse {
        var api = APIError(any: error).unprocessableAsBadRequest
        if case .notFound(let id)? = error as? SessionError { api.message = "Conversation \(id) not found" }
        return .json(api.status, ["detail": .string(api.message)])
    }
}
