import AgentCore

/// Seed 003's error envelope ("Error Handling"): `{"detail": "…"}` with the documented codes.
/// A body of the wrong shape is 422 with FastAPI's list of `{loc, msg, type}`, as the document's
/// FastAPI server answers it, so its clients read both.
enum AnymindError {
    static func response(for error: any Error) -> HTTPResponse {
        switch error {
        case let account as AccountError:
            var response = HTTPResponse.json(account.httpStatus, ["detail": .string(account.detail)])
            if account.httpStatus == 401 { response.headers.append(name: "WWW-Authenticate", value: "Bearer") }
            if case .tooManyAttempts(_, let wait) = account { response.headers.append(name: "Retry-After", value: String(wait)) }
            return response
        case let multipart as MultipartError:
            // A body that is not the documented multipart upload: FastAPI answers 422 for a missing
            // `file` field, 400 for a body it cannot parse.
            return .json(multipart.code == .missingFilePart ? 422 : multipart.status, ["detail": .string(multipart.message)])
        case let invalid as AnymindValidationError:
            return .json(422, ["detail": [["loc": .array(invalid.location.map(JSONValue.string)), "msg": .string(invalid.message),
                                           "type": .string(invalid.type)]]])
        default:
            let api = APIError(any: error)
            return .json(api.status, ["detail": .string(api.message)])
        }
    }
}

/// A request body field that is missing or of the wrong type (FastAPI's 422).
struct AnymindValidationError: Error, Sendable {
    /// Where: `["body", "username"]`.
    var location: [String]
    var message: String
    /// FastAPI's error type: `missing`, `string_type`, `int_parsing`, …
    var type: String

    static func missing(_ field: String) -> AnymindValidationError {
        AnymindValidationError(location: ["body", field], message: "Field required", type: "missing")
    }

    static func wrongType(_ field: String, _ expected: String) -> AnymindValidationError {
        AnymindValidationError(location: ["body", field], message: "Input should be a valid \(expected)", type: "\(expected)_type")
    }
}
