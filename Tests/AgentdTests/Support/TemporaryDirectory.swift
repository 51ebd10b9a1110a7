import Foundation

/// A directory removed when the last copy of the test that made it goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("agentd-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.standardizedFileURL.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension String {
    /// The text split into lines, without the empty piece after a final newline.
    var lines: [String] {
        var parts = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
