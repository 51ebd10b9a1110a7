import Foundation

/// Where a session's screenshots are kept: once each, by the SHA-256 of their bytes. Events carry
/// only the hash (`ImageReference`), so a screenshot seen by many events is stored once.
public protocol ImageStore: Sendable {
    /// Stores the image under `sha256` unless it is already there.
    func store(_ image: ToolImage, sha256: String) async throws
    /// The image stored under `sha256`, if any.
    func image(sha256: String) async throws -> ToolImage?
}

/// An image store in a directory: `<sha256>.png` files written once, atomically, mode 0600.
public struct DirectoryImageStore: ImageStore {
    public let directory: String

    /// Creates the directory (0700) when it is missing.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    private func path(_ sha256: String, _ mediaType: String) -> String {
        let ext = mediaType == "image/png" ? "png" : mediaType == "image/jpeg" ? "jpg" : "img"
        return "\(directory)/\(sha256).\(ext)"
    }

    public func store(_ image: ToolImage, sha256: String) async throws {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
            throw ToolError("not a SHA-256 hex digest: \(sha256)")
        }
        let target = path(sha256, image.mediaType)
        if FileManager.default.fileExists(atPath: target) { return }
        let temporary = target + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(image.data), attributes: [.posixPermissions: 0o600]) else {
            throw ToolError("cannot write \(temporary)")
        }
        if rename(temporary, target) != 0 {
            unlink(temporary)
            throw ToolError("cannot store the image \(sha256)")
        }
    }

    public func image(sha256: String) async throws -> ToolImage? {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { return nil }
        for type in ["image/png", "image/jpeg"] {
            if let data = FileManager.default.contents(atPath: path(sha256, type)) {
                return ToolImage(data: [UInt8](data), mediaType: type)
            }
        }
        return nil
    }
}
