/// The model → tool-version → beta table, as data (reference §1.5 and §6.1).
///
/// Lookup is by exact id, then by the longest known prefix followed only by a date or version
/// suffix (`-20250929`, `-v1:0`, `@20250929`), after dropping Bedrock's `anthropic.` and region
/// prefixes. A model the table does not know gets the newest tool set, never the oldest: a new model
/// is far more likely to speak the newest tools.
///
/// ```swift
/// ModelCatalog.standard.profile(for: "claude-sonnet-4-5-20250929").toolVersions.computer // "computer_20250124"
/// ModelCatalog.standard.profile(for: "claude-opus-5").toolVersions.computer               // "computer_20251124"
/// ```
public struct ModelCatalog: Sendable {
    /// The model agentd uses when none is configured (`claude-sonnet-4-5` reaches end of life on 2026-11-30).
    public static let defaultModel = "claude-sonnet-4-6"

    public var profiles: [ModelProfile]
    /// The profile for models the table does not know.
    public var fallback: ModelProfile

    public init(profiles: [ModelProfile], fallback: ModelProfile) {
        self.profiles = profiles
        self.fallback = fallback
    }

    /// The table as of November 2026.
    public static let standard = ModelCatalog(
        profiles: [
            .init(prefix: "claude-3-5-sonnet", toolVersions: .v20241022, defaultMaxTokens: 4096, maxOutputTokens: 8192, thinking: .none),
            .init(prefix: "claude-3-7-sonnet", toolVersions: .v20250124, defaultMaxTokens: 8192, maxOutputTokens: 64000, thinking: .extended),
            .init(prefix: "claude-sonnet-4", toolVersions: .v20250429, defaultMaxTokens: 16384, maxOutputTokens: 64000, thinking: .extended),
            .init(prefix: "claude-sonnet-4-0", toolVersions: .v20250429, defaultMaxTokens: 16384, maxOutputTokens: 64000, thinking: .extended),
            .init(prefix: "claude-opus-4", toolVersions: .v20250429, defaultMaxTokens: 16384, maxOutputTokens: 32000, thinking: .extended),
            .init(prefix: "claude-opus-4-0", toolVersions: .v20250429, defaultMaxTokens: 16384, maxOutputTokens: 32000, thinking: .extended),
            .init(prefix: "claude-opus-4-1", toolVersions: .v20250429, defaultMaxTokens: 16384, maxOutputTokens: 32000, thinking: .extended),
            .init(prefix: "claude-sonnet-4-5", toolVersions: .v20250429, defaultMaxTokens: 16384, maxOutputTokens: 64000, thinking: .extended),
            .init(prefix: "claude-haiku-4-5", toolVersions: .v20250429, defaultMaxTokens: 4096, maxOutputTokens: 8192, thinking: .none),
            .init(prefix: "claude-opus-4-5", toolVersions: .v20251124, defaultMaxTokens: 16384, maxOutputTokens: 64000, thinking: .extended),
            .init(prefix: "claude-opus-4-6", toolVersions: .v20251124, defaultMaxTokens: 16384, maxOutputTokens: 128000, thinking: .extendedAndAdaptive),
            .init(prefix: "claude-sonnet-4-6", toolVersions: .v20251124, defaultMaxTokens: 16384, maxOutputTokens: 128000, thinking: .extendedAndAdaptive),
            .init(prefix: "claude-opus-4-7", toolVersions: .v20251124, defaultMaxTokens: 16384, maxOutputTokens: 128000, thinking: .adaptive),
            .init(prefix: "claude-opus-4-8", toolVersions: .v20251124, defaultMaxTokens: 16384, maxOutputTokens: 128000, thinking: .adaptive),
        ],
        fallback: .init(prefix: "", toolVersions: .newest, defaultMaxTokens: 16384, maxOutputTokens: 64000, thinking: .extended))

    /// The profile for a model id (Anthropic, Bedrock or Vertex form).
    public func profile(for model: String) -> ModelProfile {
        let id = Self.normalize(model)
        var best: ModelProfile?
        for profile in profiles where Self.matches(id, prefix: profile.prefix) {
            if profile.prefix.count > (best?.prefix.count ?? -1) { best = profile }
        }
        return best ?? fallback
    }

    /// Drops provider decorations: `us.anthropic.claude-…-v1:0` → `claude-…-v1:0`, `@` → `-`.
    static func normalize(_ model: String) -> String {
        var id = model.lowercased().replacingAll("@", with: "-")
        for region in ["us.", "eu.", "apac.", "global."] where id.hasPrefix(region) { id.removeFirst(region.count) }
        if id.hasPrefix("anthropic.") { id.removeFirst("anthropic.".count) }
        return id
    }

    /// True when `id` is `prefix` followed only by date, version or `latest` parts.
    static func matches(_ id: String, prefix: String) -> Bool {
        guard id.hasPrefix(prefix) else { return false }
        let rest = id.dropFirst(prefix.count)
        if rest.isEmpty { return true }
        guard rest.first == "-" else { return false }
        return rest.dropFirst().split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
            if part == "latest" { return true }
            if part.count == 8, part.allSatisfy(\.isASCIIDigit) { return true }  // a date: 20250929
            if part.first == "v" {  // a version: v2, v1:0
                let version = part.dropFirst()
                return !version.isEmpty && version.allSatisfy { $0.isASCIIDigit || $0 == ":" }
            }
            return false
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
