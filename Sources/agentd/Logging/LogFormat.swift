/// How log lines are written: readable text or one JSON object per line.
enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-11-23T06:40:00Z info listening on http://127.0.0.1:8000 address=127.0.0.1:8000`
    case text
    /// `{"time":"2026-11-23T06:40:00Z","level":"info","message":"listening on …","address":"127.0.0.1:8000"}`
    case json
}
