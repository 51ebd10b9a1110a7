import Synchronization

/// Seed 004's `/api/config` settings per owner: with accounts, each user configures their own LLM
/// key, model and default directory, so one user's key is never spent on another's conversations.
///
/// The local user of `--auth none` (owner `""`) keeps the settings in `file`, as before accounts
/// existed; a user's settings live beside it (`…-user-ID.json`) and start from the model default.
final class OpenBrowserSettingsBook: Sendable {
    private let model: String
    private let file: String?
    private let local: OpenBrowserSettings
    private let users = Mutex<[String: OpenBrowserSettings]>([:])

    /// - Throws: when the local settings file exists and is unreadable.
    init(model: String, file: String?) throws {
        self.model = model
        self.file = file
        local = try OpenBrowserSettings(model: model, file: file)
    }

    /// The settings of `owner` (a principal's ``Principal/owner``), read from its file the first time.
    /// - Throws: 500 when that file exists and is unreadable.
    func settings(for owner: String) throws(APIError) -> OpenBrowserSettings {
        guard !owner.isEmpty else { return local }
        // Owners are user ids (digits), so the file name cannot leave the directory.
        guard owner.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw APIError(500, "internal_error", "the settings of this user cannot be kept")
        }
        return try users.withLock { users throws(APIError) -> OpenBrowserSettings in
            if let settings = users[owner] { return settings }
            let path = file.map { Self.userFile(beside: $0, owner: owner) }
            guard let settings = try? OpenBrowserSettings(model: model, file: path) else {
                throw APIError(500, "internal_error", "the settings of this user are unreadable")
            }
            users[owner] = settings
            return settings
        }
    }

    /// `openbrowser-settings.json` → `openbrowser-settings-user-7.json`.
    static func userFile(beside file: String, owner: String) -> String {
        let stem = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
        return "\(stem)-user-\(owner).json"
    }
}
