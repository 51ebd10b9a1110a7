public import AgentCore
import Foundation

/// Screenshots by SHA-256, in the same database as the sessions (stored once each).
extension SQLiteSessionStore {
    public func store(_ image: ToolImage, sha256: String) async throws {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
            throw SessionError.invalidRequest("not a SHA-256 hex digest: \(sha256)")
        }
        let key = sha256.lowercased()
        let now = Date().timeIntervalSince1970
        try await writer.write { db in
            try db.execute("INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (?, ?, ?, ?)",
                           [key, image.mediaType, image.data, now])
        }
    }

    public func image(sha256: String) async throws -> ToolImage? {
        let key = sha256.lowercased()
        return try await reader.read { db in
            try db.queryFirst("SELECT media_type, bytes FROM images WHERE sha256 = ?", [key]) { row in
                ToolImage(data: row.blob(1), mediaType: row.string(0))
            }
        }
    }
}
