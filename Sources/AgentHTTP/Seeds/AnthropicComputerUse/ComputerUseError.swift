import AgentCore
import Foundation

/// S0's error envelope ("Error Handling"): `{"detail", "status_code", "timestamp"}`.
enum ComputerUseError {
    /// The response for any error a route threw (unknown errors are a 500 without details).
    static func response(for error: any Error) -> HTTPResponse {
        let api = APIError(any: error).unprocessableAsBadRequest
        return .json(api.status, body(api))
    }

    /// The envelope of `error`.
    static func body(_ error: APIError) -> JSONValue {
        // seed 000 "Error Response Format".
        ["detail": .string(error.message), "status_code": .int(error.status),
         "timestamp": .string(SeedHistory.iso(Date().timeIntervalSince1970))]
    }

    /// `error_code` for the WebSocket's `error` message: the API error type in capitals.
    static func code(_ error: APIError) -> String { error.type.uppercased() }
}
