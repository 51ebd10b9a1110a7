import Foundation

/// The Claude Messages API client: streaming and non-streaming calls over libcurl, with the
/// official SDKs' retry policy (reference §4.2) and typed errors.
///
/// Every retry is reported as `.retrying` before the wait, so users see attempt, reason and the time
/// of the next try. A stream whose bytes were consumed is never retried here; the error reaches the
/// caller (`ModelError.duringStream` or `.streamInterrupted`) and the agent loop decides.
///
/// ```swift
/// let client = try AnthropicClient.fromEnvironment()
/// for try await event in client.send(request) {
///     if case .completed(let reply) = event { print(reply.content) }
/// }
/// ```
public final class AnthropicClient: ModelClient {
    /// reference §1.1: the default base URL; `ANTHROPIC_BASE_URL` overrides it.
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// reference §1.1: the only current API version, required on every call.
    public static let apiVersion = "2023-06-01"
    /// Bodies of error responses are read up to this size.
    static let maximumErrorBodySize = 1 << 20

    private let apiKey: String
    public let baseURL: String
    private let transport: any HTTPTransport
    public let retryPolicy: RetryPolicy
    /// Seconds without a byte before a call fails as stalled.
    public let idleTimeout: Double

    /// Creates a client.
    /// - Parameters:
    ///   - apiKey: sent as `x-api-key`; never logged or echoed.
    ///   - baseURL: the API's origin, without `/v1`.
    ///   - transport: performs the HTTP requests (libcurl by default).
    ///   - retryPolicy: when and how long to wait between attempts (4 retries, as the computer-use demo).
    ///   - idleTimeout: seconds without any byte (pings included) before the call fails.
    public init(
        apiKey: String, baseURL: String = AnthropicClient.defaultBaseURL,
        transport: any HTTPTransport = CurlHTTPTransport.shared, retryPolicy: RetryPolicy = RetryPolicy(maxRetries: 4),
        idleTimeout: Double = 300
    ) {
        self.apiKey = apiKey
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.idleTimeout = idleTimeout
    }

    /// A client configured from `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`.
    /// - Throws: `ModelError` of kind `.missingAPIKey` when no key is set.
    public static func fromEnvironment(
        _ environment: [String: String]? = nil, retryPolicy: RetryPolicy = RetryPolicy(maxRetries: 4)
    ) throws -> AnthropicClient {
        let environment = environment ?? ProcessInfo.processInfo.environment
        guard let key = environment["ANTHROPIC_API_KEY"], !key.isEmpty else {
            throw ModelError(kind: .missingAPIKey, message: "ANTHROPIC_API_KEY is not set")
        }
        let base = environment["ANTHROPIC_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBaseURL
        return AnthropicClient(apiKey: key, baseURL: base, retryPolicy: retryPolicy)
    }

    public func send(_ request: MessageRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ModelStreamEvent.self)
        let task = Task {
            do {
                try await self.perform(request, emit: { continuation.yield($0) })
                continuation.finish()
            } catch {
                continuation.finish(throwing: Task.isCancelled ? CancellationError() : error)
            }
        }
        // Ending iteration early cancels the call, which aborts the transfer at once.
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The HTTP request for one attempt.
    func httpRequest(for request: MessageRequest, body: [UInt8], attempt: Int) -> HTTPClientRequest {
        var headers = [
            HTTPField("x-api-key", apiKey),
            HTTPField("anthropic-version", Self.apiVersion),
            HTTPField("content-type", "application/json"),
            HTTPField("accept", request.stream ? "text/event-stream" : "application/json"),
            HTTPField("user-agent", "agentd/\(AgentCoreVersion.string)"),
            HTTPField("x-stainless-retry-count", String(attempt)),  // reference §4.2
        ]
        // reference §1.1: betas comma-joined with no spaces, and only when there are any.
        if !request.betas.isEmpty { headers.append(HTTPField("anthropic-beta", request.betas.joined(separator: ","))) }
        return HTTPClientRequest(
            method: "POST", url: baseURL + "/v1/messages", headers: headers, body: body, connectTimeout: 10,
            idleTimeout: idleTimeout)
    }

    private func perform(_ request: MessageRequest, emit: (ModelStreamEvent) -> Void) async throws {
        // reference §1.1: the SDKs refuse to send a request with no credential.
        guard !apiKey.isEmpty else { throw ModelError(kind: .missingAPIKey, message: "no API key is set (ANTHROPIC_API_KEY)") }
        let body = request.encodedBody()
        var retries = 0
        while true {
            try Task.checkCancellation()
            let attempt = try await attemptOnce(request, body: body, retries: retries, emit: emit)
            switch attempt {
            case .done:
                return
            case .retry(let delay, let reason, let status):
                retries += 1
                emit(.retrying(RetryNotice(
                    attempt: retries, reason: reason, status: status, delay: delay,
                    nextAttemptAt: Date().timeIntervalSince1970 + delay)))
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }

    private enum AttemptResult {
        case done
        case retry(delay: Double, reason: String, status: Int?)
    }

    private func attemptOnce(_ request: MessageRequest, body: [UInt8], retries: Int, emit: (ModelStreamEvent) -> Void)
        async throws -> AttemptResult
    {
        var head: HTTPClientResponseHead?
        var collected: [UInt8] = []
        var decoder = SSEDecoder()
        var accumulator = MessageStreamAccumulator()
        var streaming = false
        do {
            for try await part in transport.stream(httpRequest(for: request, body: body, attempt: retries)) {
                switch part {
                case .head(let h):
                    head = h
                    streaming = request.stream && h.status == 200
                    if streaming {
                        let type = h.header("content-type") ?? ""
                        guard type.lowercased().hasPrefix("text/event-stream") else {
                            throw ModelError(
                                kind: .invalidResponse, message: "expected an event stream, got content-type '\(type)'",
                                status: h.status, requestID: h.header("request-id"))
                        }
                        accumulator = MessageStreamAccumulator(requestID: h.header("request-id"))
                    }
                case .body(let bytes):
                    if streaming {
                        for event in try decoder.feed(bytes) {
                            for progress in try accumulator.consume(event) { emit(progress) }
                        }
                    } else if collected.count < Self.maximumErrorBodySize || head?.status == 200 {
                        collected += bytes
                    }
                }
            }
        } catch let error as HTTPTransportError {
            if Task.isCancelled { throw CancellationError() }
            if streaming && accumulator.hasStarted {
                // reference §4.2: never retry a stream whose bytes were consumed.
                throw ModelError(
                    kind: .streamInterrupted, message: "the stream broke after it started: \(error.message)",
                    status: head?.status, requestID: head?.header("request-id"), duringStream: true)
            }
            if case .retry(let delay) = retryPolicy.decision(forTransportError: error, retriesSoFar: retries) {
                return .retry(delay: delay, reason: error.message, status: nil)
            }
            throw ModelError(kind: error.kind == .timeout ? .timeout : .connection, message: error.message)
        } catch let error as SSEDecoderError {
            throw ModelError(kind: .invalidResponse, message: "unreadable event stream: \(error)", status: 200,
                             requestID: head?.header("request-id"), duringStream: true)
        }
        if Task.isCancelled { throw CancellationError() }
        guard let head else {
            throw ModelError(kind: .connection, message: "the connection closed before a response arrived")
        }
        let requestID = head.header("request-id")
        guard head.status == 200 else {
            if case .retry(let delay) = retryPolicy.decision(for: head, retriesSoFar: retries) {
                let error = ModelError(status: head.status, body: collected, requestID: requestID)
                return .retry(delay: delay, reason: "\(error.kind.rawValue): \(error.message)", status: head.status)
            }
            throw ModelError(status: head.status, body: collected, requestID: requestID)
        }
        if streaming {
            for event in try decoder.finish() {
                for progress in try accumulator.consume(event) { emit(progress) }
            }
            emit(.completed(try accumulator.finish()))
        } else {
            do {
                emit(.completed(try MessageResponse(json: JSONValue(parsing: collected), requestID: requestID)))
            } catch {
                throw ModelError(kind: .invalidResponse, message: "unreadable response body: \(error)", status: 200, requestID: requestID)
            }
        }
        return .done
    }
}

/// The library's version, reported in `user-agent` and health endpoints.
public enum AgentCoreVersion {
    public static let string = "0.1.0"
}

extension CurlHTTPTransport {
    /// One process-wide transport, so connections to the API are reused across clients.
    public static let shared = CurlHTTPTransport()
}
