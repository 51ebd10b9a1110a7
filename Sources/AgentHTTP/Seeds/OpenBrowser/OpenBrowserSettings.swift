import AgentCore
import Foundation
import Synchronization

/// What `/api/config` sets: the LLM of new conversations and their default working directory.
///
/// Kept in `file` when one is given (agentd: `openbrowser-settings.json` in the data directory),
/// so a configured key outlives a restart: the file is written whole and renamed into place, with
/// mode 0600 in a 0700 directory, like the database. Nothing here logs, and reading the settings
/// back through the API gives the key only masked (`masked`).
final class OpenBrowserSettings: Sendable {
    struct Snapshot: Sendable {
        var model: String
        var baseURL: String?
        var apiKey: String?
        var defaultDirectory: String?
    }

    private let state: Mutex<Snapshot>
    /// Where the settings are kept; nil keeps them in memory only.
    let file: String?

    /// The settings in `file` when it exists, else `model` and nothing else.
    /// - Throws: when `file` exists and cannot be read as settings.
    init(model: String, file: String? = nil) throws {
        self.file = file
        var snapshot = Snapshot(model: model)
        if let file, FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file), let json = try? JSONValue(parsing: Array(data)),
                  json.objectValue != nil else {
                throw SessionError.storage("the S4 settings in \(file) are unreadable")
            }
            snapshot.model = json["model"]?.stringValue ?? model
            snapshot.baseURL = json["base_url"]?.stringValue
            snapshot.apiKey = json["api_key"]?.stringValue
            snapshot.defaultDirectory = json["cwd"]?.stringValue
        }
        state = Mutex(snapshot)
    }

    var current: Snapshot { state.withLock { $0 } }

    /// Changes the fields given (nil leaves a field as it is); an empty key removes the key.
    /// - Throws: 500 when the settings cannot be saved (nothing changes then).
    func update(model: String?, baseURL: String?, apiKey: String?) throws(APIError) {
        try change {
            if let model { $0.model = model }
            if let baseURL { $0.baseURL = baseURL.isEmpty ? nil : baseURL }
            if let apiKey { $0.apiKey = apiKey.isEmpty ? nil : apiKey }
        }
    }

    /// Sets the default working directory of new conversations.
    /// - Throws: 500 when the settings cannot be saved (nothing changes then).
    func setDefaultDirectory(_ path: String) throws(APIError) {
        try change { $0.defaultDirectory = path }
    }

    /// Applies `edit`, saving the result first when there is a file.
    private func change(_ edit: (inout Snapshot) -> Void) throws(APIError) {
        let saved: Bool = state.withLock { snapshot in
            var next = snapshot
            edit(&next)
            guard let file else {
                snapshot = next
                return true
            }
            guard Self.save(next, to: file) else { return false }
            snapshot = next
            return true
        }
        if !saved { throw APIError(500, "internal_error", "the settings could not be saved") }
    }

    /// Writes `snapshot` to a temporary 0600 file beside `file` and renames it into place.
    private static func save(_ snapshot: Snapshot, to file: String) -> Bool {
        var json: [String: JSONValue] = ["model": .string(snapshot.model)]
        if let baseURL = snapshot.baseURL { json["base_url"] = .string(baseURL) }
        if let apiKey = snapshot.apiKey { json["api_key"] = .string(apiKey) }
        if let directory = snapshot.defaultDirectory { json["cwd"] = .string(directory) }
        let temporary = file + ".tmp"
        let manager = FileManager.default
        try? manager.removeItem(atPath: temporary)
        guard manager.createFile(atPath: temporary, contents: Data(JSONValue.object(json).serializedBytes()),
                                 attributes: [.posixPermissions: 0o600]) else { return false }
        return rename(temporary, file) == 0
    }

    /// seed 004 "GET /api/config/llm": the key shown as `********`, with `has_api_key`.
    var masked: JSONValue {
        let snapshot = current
        return [
            "model": .string(snapshot.model), "base_url": snapshot.baseURL.map(JSONValue.string) ?? .null,
            "api_key": snapshot.apiKey == nil ? "" : .string(Self.mask), "has_api_key": .bool(snapshot.apiKey != nil),
        ]
    }

    /// What a masked key reads as; sent back in an update, it keeps the key.
    static let mask = "********"

    /// `path` as an absolute, standardized directory path (relative to `base`).
    /// - Parameter current: a directory that is accepted without checking (the conversation's own,
    ///   which exists only once it has run).
    /// - Throws: 400 when it is empty or is not an existing directory.
    static func directory(_ path: String, relativeTo base: String, current: String? = nil) throws(APIError) -> String {
        guard !path.isEmpty else { throw .badRequest("'cwd' must not be empty") }
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true))
        let resolved = url.standardizedFileURL.path
        if resolved == current { return resolved }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .badRequest("'cwd' is not an existing directory: \(resolved)")
        }
        return resolved
    }
}
