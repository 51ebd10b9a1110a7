/// Builds the environment the shell starts with: agentd's own, minus secrets, plus the call's extras.
///
/// The reference demo passes `os.environ.copy()`, so the model can print the server's
/// `ANTHROPIC_API_KEY` (reliability-security §2.2.2). Removed here:
/// - `ANTHROPIC_API_KEY` and every name in the tool's scrub list;
/// - any name ending in `_API_KEY`, `_TOKEN`, `_SECRET` or `_PASSWORD`, or equal to `SECRET_KEY`
///   (compared case-insensitively);
/// - `BASH_ENV` and `ENV`, which would make even a `--norc` shell source a file.
///
/// ```swift
/// BashEnvironment.make(inherited: ["PATH": "/bin", "GH_TOKEN": "x"], scrubbing: [], adding: ["DISPLAY": ":1"])
/// // ["PATH": "/bin", "DISPLAY": ":1"]
/// ```
enum BashEnvironment {
    static let secretSuffixes = ["_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD"]
    static let secretNames: Set<String> = ["ANTHROPIC_API_KEY", "SECRET_KEY"]
    static let startupFileVariables: Set<String> = ["BASH_ENV", "ENV"]

    /// Whether `name` is dropped from the shell's environment.
    static func isScrubbed(_ name: String, scrubbing names: Set<String>) -> Bool {
        let upper = name.uppercased()
        if names.contains(name) || names.contains(upper) { return true }
        if secretNames.contains(upper) || startupFileVariables.contains(name) { return true }
        return secretSuffixes.contains { upper.hasSuffix($0) }
    }

    /// The shell's environment.
    ///
    /// - Parameters:
    ///   - inherited: agentd's environment.
    ///   - names: Extra names to remove.
    ///   - extra: Added last, unfiltered (the caller chose them, e.g. `DISPLAY`).
    static func make(
        inherited: [String: String], scrubbing names: Set<String>, adding extra: [String: String]
    ) -> [String: String] {
        var environment = inherited.filter { !isScrubbed($0.key, scrubbing: names) }
        environment.merge(extra) { _, new in new }
        return environment
    }
}
