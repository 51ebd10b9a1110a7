import Glibc

/// Why a `multipart/form-data` body could not be read, with a message written for the client.
///
/// Messages never echo body bytes or server paths. ``status`` is the HTTP status a route should
/// answer with, and ``apiError`` the native envelope for it:
///
/// ```swift
/// do {
///     upload = try reader.extractFile(from: file, to: destination)
/// } catch {
///     throw error.apiError      // 400 "the multipart body ends before its closing delimiter …"
/// }
/// ```
public struct MultipartError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, machine-readable; also the `error` type of ``apiError``.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The Content-Type is not `multipart/form-data` with a valid `boundary` parameter.
        public static let noBoundary = Code(rawValue: "multipart_no_boundary")
        /// A part's header block does not parse, or lacks `Content-Disposition: form-data; name=…`.
        public static let malformedPartHeaders = Code(rawValue: "multipart_malformed_part_headers")
        /// A part's header block is over ``MultipartLimits/maxPartHeaderBytes``.
        public static let partHeadersTooLarge = Code(rawValue: "multipart_part_headers_too_large")
        /// More parts than ``MultipartLimits/maxParts``.
        public static let tooManyParts = Code(rawValue: "multipart_too_many_parts")
        /// A text field is over ``MultipartLimits/maxFieldBytes``.
        public static let fieldTooLarge = Code(rawValue: "multipart_field_too_large")
        /// No part carries the requested field name.
        public static let missingFilePart = Code(rawValue: "multipart_missing_file_part")
        /// Two parts carry the requested field name.
        public static let duplicateFilePart = Code(rawValue: "multipart_duplicate_file_part")
        /// The body ends before the closing delimiter (or before any delimiter at all).
        public static let truncated = Code(rawValue: "multipart_truncated")
        /// Reading the body or writing the extracted file failed on the server's side.
        public static let storage = Code(rawValue: "multipart_storage_failed")
    }

    public let code: Code
    /// A sentence for the client.
    public let message: String
    /// The HTTP status to answer with: 400 for a malformed body, 413 for an over-large field,
    /// 507 when the disk is full, 500 for other storage failures.
    public let status: Int

    init(_ code: Code, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code): \(message)" }

    /// This error in the native API's envelope, to throw from a route.
    public var apiError: APIError { APIError(status, code.rawValue, message) }

    // MARK: - Factories

    static func noBoundary(_ detail: String) -> MultipartError {
        MultipartError(.noBoundary, "the Content-Type must be multipart/form-data with a boundary parameter: \(detail)")
    }

    static func malformedHeaders(part: Int, _ detail: String) -> MultipartError {
        MultipartError(.malformedPartHeaders, "part \(part) of the multipart body: \(detail)")
    }

    static func partHeadersTooLarge(part: Int, limit: Int) -> MultipartError {
        MultipartError(.partHeadersTooLarge, "part \(part) of the multipart body has more than \(limit) bytes of headers")
    }

    static func tooManyParts(limit: Int) -> MultipartError {
        MultipartError(.tooManyParts, "the multipart body has more than \(limit) parts")
    }

    static func fieldTooLarge(_ name: String, limit: Int) -> MultipartError {
        MultipartError(.fieldTooLarge, "the form field '\(name)' is longer than \(limit) bytes", status: 413)
    }

    static func missingFilePart(_ name: String) -> MultipartError {
        MultipartError(.missingFilePart, "the multipart body has no part named '\(name)'")
    }

    static func duplicateFilePart(_ name: String) -> MultipartError {
        MultipartError(.duplicateFilePart, "the multipart body has more than one part named '\(name)'")
    }

    static func truncated(_ detail: String) -> MultipartError {
        MultipartError(.truncated, "the multipart body is incomplete: \(detail)")
    }

    /// A failed system call; the message names the step, not the path.
    static func storage(_ step: String, errno code: Int32) -> MultipartError {
        let full = code == ENOSPC || code == EDQUOT || code == EFBIG
        return MultipartError(.storage, full ? "not enough storage to \(step)" : "the server could not \(step)",
                              status: full ? 507 : 500)
    }
}
