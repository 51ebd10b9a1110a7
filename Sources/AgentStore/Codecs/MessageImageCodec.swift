import AgentCore
import Foundation

/// Moves the base64 image data of messages into the `images` table and back.
///
/// A stored message keeps, in place of each base64 image source, a reference
/// `{"type":"agentd.image_ref","media_type":…,"sha256":…}`; the bytes are stored once per SHA-256, so
/// a screenshot repeated across messages costs one row. Reading puts the exact base64 text back.
/// An image whose base64 does not re-encode to the very same text (line breaks, odd padding) or whose
/// source has other keys stays inline, so every message reads back equal to what was written.
enum MessageImageCodec {
    static let referenceType = "agentd.image_ref"

    /// The message's JSON with images replaced by references, and the images taken out.
    static func extractImages(from message: Message) -> (json: JSONValue, images: [StoredImage]) {
        var images: [StoredImage] = []
        let content = message.content.map { extract($0, into: &images) }
        return (Message(role: message.role, content: content).json, images)
    }

    /// The SHA-256 digests referenced by a stored message's JSON.
    static func references(in json: JSONValue) -> [String] {
        var found: [String] = []
        collectReferences(json, into: &found)
        return found
    }

    /// The message from its stored JSON, with `base64(sha256)` supplying each referenced image's base64 text.
    static func restoreImages(in json: JSONValue, base64: (String) throws -> String) throws -> Message {
        let stored = try Message(json: json)
        return Message(role: stored.role, content: try stored.content.map { try restore($0, base64: base64) })
    }

    // MARK: - Private

    private static func extract(_ block: ContentBlock, into images: inout [StoredImage]) -> ContentBlock {
        switch block {
        case .image(var image):
            guard let source = image.source.objectValue, source.count == 3, source["type"] == "base64",
                  let mediaType = source["media_type"]?.stringValue, let text = source["data"]?.stringValue,
                  let data = Data(base64Encoded: text)
            else { return block }
            let bytes = [UInt8](data)
            guard Base64.encode(bytes) == text else { return block }
            let sha256 = SHA256.hex(bytes)
            images.append(StoredImage(sha256: sha256, mediaType: mediaType, bytes: bytes))
            image.source = ["type": .string(referenceType), "media_type": .string(mediaType), "sha256": .string(sha256)]
            return .image(image)
        case .toolResult(var result):
            result.content = result.content.map { extract($0, into: &images) }
            return .toolResult(result)
        default:
            return block
        }
    }

    private static func restore(_ block: ContentBlock, base64: (String) throws -> String) throws -> ContentBlock {
        switch block {
        case .image(var image):
            guard image.source["type"]?.stringValue == referenceType, let sha256 = image.source["sha256"]?.stringValue,
                  let mediaType = image.source["media_type"]?.stringValue
            else { return block }
            image.source = ["type": "base64", "media_type": .string(mediaType), "data": .string(try base64(sha256))]
            return .image(image)
        case .toolResult(var result):
            result.content = try result.content.map { try restore($0, base64: base64) }
            return .toolResult(result)
        default:
            return block
        }
    }

    private static func collectReferences(_ json: JSONValue, into found: inout [String]) {
        switch json {
        case .object(let members):
            if members["type"]?.stringValue == referenceType, let sha256 = members["sha256"]?.stringValue {
                found.append(sha256)
            }
            for value in members.values { collectReferences(value, into: &found) }
        case .array(let items):
            for item in items { collectReferences(item, into: &found) }
        default:
            break
        }
    }
}
