import AgentCore
import AgentTesting
import Testing
@testable import AgentStore

@Suite("Messages and images", .timeLimit(.minutes(1)))
struct MessageImageTests {
    private static let screenshot = Fixtures.imageBytes()
    private static let base64 = Base64.encode(screenshot)

    private static func toolResult(_ id: String, base64: String) -> Message {
        Message(role: .user, content: [
            .toolResult(ToolResultBlock(toolUseID: id, content: [
                .text("took a screenshot"),
                .image(ImageBlock(mediaType: "image/png", base64Data: base64)),
            ], extra: ["cache_control": ["type": "ephemeral"]])),
        ])
    }

    private static var conversation: [Message] {
        [
            Message.user("look at the screen"),
            Message(role: .assistant, content: [
                .thinking(ThinkingBlock(thinking: "hm", signature: "sig")),
                .toolUse(ToolUseBlock(id: "tu1", name: "computer", input: ["action": "screenshot", "scale": 1.5])),
            ]),
            toolResult("tu1", base64: base64),
            Message(role: .assistant, content: [.toolUse(ToolUseBlock(id: "tu2", name: "computer", input: ["action": "screenshot"]))]),
            toolResult("tu2", base64: base64),
            // A top-level image, an error result and an image that is not base64.
            Message(role: .user, content: [
                .image(ImageBlock(mediaType: "image/png", base64Data: base64)),
                .image(ImageBlock(source: ["type": "url", "url": "https://example.com/a.png"])),
                .toolResult(ToolResultBlock(toolUseID: "tu3", content: [.text("failed")], isError: true)),
            ]),
        ]
    }

    @Test("the conversation reads back exactly, screenshots stored once")
    func roundTrip() async throws {
        try await withTemporaryStore { store, directory in
            try await store.insert(Fixtures.session("s"))
            let messages = Self.conversation
            // Two commits, so the second finds the image already stored.
            _ = try await store.commit(SessionWrite(sessionID: "s", messages: messages.prefix(3).enumerated().map { ($0, $1) }))
            _ = try await store.commit(SessionWrite(sessionID: "s", messages: messages.dropFirst(3).enumerated().map { ($0 + 3, $1) }))
            #expect(try await store.messages(sessionID: "s") == messages)

            let raw = try SQLiteConnection(path: directory.file("agentd.db"), mode: .reader)
            #expect(try raw.scalarInt("SELECT COUNT(*) FROM images") == 1)
            let sha256 = SHA256.hex(Self.screenshot)
            #expect(try raw.scalarString("SELECT sha256 FROM images") == sha256)
            let stored = try raw.query("SELECT content FROM messages ORDER BY idx") { $0.string(0) }.joined()
            #expect(!stored.contains(Self.base64))
            #expect(stored.contains(sha256))
            // The same bytes are served by the ImageStore side.
            #expect(try await store.image(sha256: sha256) == ToolImage(data: Self.screenshot, mediaType: "image/png"))
        }
    }

    @Test("a screenshot is deleted with the last session that refers to it, and kept while another does")
    func screenshotsGoWithTheirSessions() async throws {
        try await withTemporaryStore { store, directory in
            let sha256 = SHA256.hex(Self.screenshot)
            let other = Fixtures.imageBytes(seed: 7)
            let otherSHA = SHA256.hex(other)
            for id in ["a", "b", "c"] { try await store.insert(Fixtures.session(id)) }
            _ = try await store.commit(SessionWrite(sessionID: "a", messages: [(0, Self.toolResult("t", base64: Self.base64))]))
            _ = try await store.commit(SessionWrite(sessionID: "b", messages: [(0, Self.toolResult("t", base64: Self.base64))]))
            // Session c only refers to a screenshot through a tool execution (the image store path).
            try await store.store(ToolImage(data: other), sha256: otherSHA)
            let call = ToolCall(id: "t", name: "computer", input: ["action": "screenshot"])
            _ = try await store.commit(SessionWrite(sessionID: "c", toolExecutions: [ToolExecution(
                sessionID: "c", call: call, status: .succeeded,
                image: ImageReference(sha256: otherSHA, mediaType: "image/png", byteCount: other.count), startedAt: 1)]))

            #expect(try await store.delete(sessionID: "a"))
            #expect(try await store.image(sha256: sha256) != nil)  // b still shows it
            #expect(try await store.messages(sessionID: "b") == [Self.toolResult("t", base64: Self.base64)])
            try await store.clearHistory(sessionID: "b")
            #expect(try await store.image(sha256: sha256) == nil)
            #expect(try await store.image(sha256: otherSHA) != nil)
            #expect(try await store.delete(sessionID: "c"))
            #expect(try await store.image(sha256: otherSHA) == nil)
            let raw = try SQLiteConnection(path: directory.file("agentd.db"), mode: .reader)
            #expect(try raw.scalarInt("SELECT COUNT(*) FROM images") == 0)
            #expect(try raw.scalarInt("SELECT COUNT(*) FROM image_refs") == 0)
        }
    }

    @Test("base64 that would not re-encode identically stays inline")
    func nonCanonicalBase64() async throws {
        try await withTemporaryStore { store, directory in
            try await store.insert(Fixtures.session("s"))
            let wrapped = String(Self.base64.prefix(76)) + "\n" + String(Self.base64.dropFirst(76))
            let odd = Message(role: .user, content: [
                .image(ImageBlock(mediaType: "image/png", base64Data: wrapped)),
                .image(ImageBlock(mediaType: "image/png", base64Data: "not base64!")),
                .image(ImageBlock(source: ["type": "base64", "media_type": "image/png", "data": .string(Self.base64), "x": 1])),
            ])
            _ = try await store.commit(SessionWrite(sessionID: "s", messages: [(0, odd)]))
            #expect(try await store.messages(sessionID: "s") == [odd])
            let raw = try SQLiteConnection(path: directory.file("agentd.db"), mode: .reader)
            #expect(try raw.scalarInt("SELECT COUNT(*) FROM images") == 0)
        }
    }

    @Test("a message index replaces; an index past the end appends")
    func indexes() async throws {
        try await withTemporaryStore { store, _ in
            try await store.insert(Fixtures.session("s"))
            _ = try await store.commit(SessionWrite(sessionID: "s", messages: [(0, .user("a")), (1, .user("b"))]))
            _ = try await store.commit(SessionWrite(sessionID: "s", messages: [(1, .user("B")), (7, .user("c"))]))
            #expect(try await store.messages(sessionID: "s") == [.user("a"), .user("B"), .user("c")])
            await #expect(throws: SessionError.self) {
                try await store.commit(SessionWrite(sessionID: "s", messages: [(-1, .user("x"))]))
            }
        }
    }

    @Test("the image store keeps one copy per digest")
    func imageStore() async throws {
        try await withTemporaryStore { store, _ in
            let image = ToolImage(data: [1, 2, 3], mediaType: "image/jpeg")
            let sha256 = SHA256.hex(image.data)
            try await store.store(image, sha256: sha256)
            try await store.store(ToolImage(data: [9], mediaType: "image/png"), sha256: sha256)  // ignored: already there
            #expect(try await store.image(sha256: sha256) == image)
            #expect(try await store.image(sha256: String(repeating: "0", count: 64)) == nil)
            await #expect(throws: SessionError.self) { try await store.store(image, sha256: "abc") }
        }
    }
}
