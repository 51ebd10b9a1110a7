import Foundation
import Testing
@testable import AgentCore

/// Confinement to a root directory: `..`, symlinks (also dangling ones) and prefixes.
@Suite struct EditToolRootTests {
    func outside(_ path: String, _ root: String) -> String {
        "The path \(path) is outside the allowed root \(root)."
    }

    @Test func pathsInsideTheRootWork() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        let tool = EditTool(root: root)
        let file = root + "/a.txt"
        #expect(try await tool.output(["command": "create", "path": .string(file), "file_text": "x"], in: box)
            == "File created successfully at: \(file)")
        #expect(try await tool.output(["command": "view", "path": .string(root)], in: box)
            == EditFixtures.listingHeader(root) + "\(root)\n\(file)\n\n")
        // `..` that stays inside is fine.
        try box.mkdir("root/sub")
        #expect(try await tool.output(["command": "view", "path": .string(root + "/sub/../a.txt")], in: box)
            == EditFixtures.catHeader(root + "/sub/../a.txt") + "     1\tx\n")
    }

    @Test func absolutePathsOutsideAreRefused() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        let secret = try box.write("secret.txt", "s")
        let tool = EditTool(root: root)
        #expect(await tool.failure(["command": "view", "path": .string(secret)], in: box) == outside(secret, root))
        #expect(await tool.failure(["command": "view", "path": "/etc/passwd"], in: box)
            == outside("/etc/passwd", root))
        // Refused before existence is checked, so nothing outside is revealed.
        #expect(await tool.failure(["command": "view", "path": "/no/such/file"], in: box)
            == outside("/no/such/file", root))
        // The relative-path check still comes first.
        #expect(await tool.failure(["command": "view", "path": "a.txt"], in: box)
            == "The path a.txt is not an absolute path, it should start with `/`. Maybe you meant /a.txt?")
    }

    @Test func dotDotEscapesAreRefused() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        try box.write("secret.txt", "s")
        let tool = EditTool(root: root)
        let escape = root + "/../secret.txt"
        #expect(await tool.failure(["command": "view", "path": .string(escape)], in: box) == outside(escape, root))
        let created = root + "/../new.txt"
        #expect(await tool.failure(["command": "create", "path": .string(created), "file_text": "x"], in: box)
            == outside(created, root))
        #expect(!box.exists(box.at("new.txt")))
        let viaMissing = root + "/missing/../../secret.txt"
        #expect(await tool.failure(["command": "view", "path": .string(viaMissing)], in: box)
            == outside(viaMissing, root))
    }

    @Test func symlinkEscapesAreRefused() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        let outsideDir = try box.mkdir("outside")
        try box.write("outside/secret.txt", "s")
        try box.symlink("root/out", to: outsideDir)
        try box.symlink("root/secret-link.txt", to: box.at("outside/secret.txt"))
        try box.symlink("root/relative", to: "../outside")
        let tool = EditTool(version: .v20241022, root: root)

        for path in [root + "/out/secret.txt", root + "/secret-link.txt", root + "/relative/secret.txt", root + "/out"]
        {
            #expect(await tool.failure(["command": "view", "path": .string(path)], in: box) == outside(path, root))
        }
        let planted = root + "/out/new.txt"
        #expect(await tool.failure(["command": "create", "path": .string(planted), "file_text": "x"], in: box)
            == outside(planted, root))
        #expect(!box.exists(box.at("outside/new.txt")))
        let link = root + "/secret-link.txt"
        #expect(await tool.failure(["command": "str_replace", "path": .string(link), "old_str": "s"], in: box)
            == outside(link, root))
        #expect(await tool.failure(["command": "undo_edit", "path": .string(link)], in: box) == outside(link, root))
        #expect(try box.read(box.at("outside/secret.txt")) == "s")
    }

    @Test func danglingSymlinkEscapesAreRefused() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        try box.symlink("root/dangling.txt", to: box.at("planted.txt"))
        let path = root + "/dangling.txt"
        #expect(await EditTool(root: root).failure(["command": "create", "path": .string(path), "file_text": "x"],
            in: box) == outside(path, root))
        #expect(!box.exists(box.at("planted.txt")))
        // Without a root, create follows the dangling link as Python's write_text does.
        #expect(try await EditTool().output(["command": "create", "path": .string(path), "file_text": "x"], in: box)
            == "File created successfully at: \(path)")
        #expect(try box.read(box.at("planted.txt")) == "x")
    }

    @Test func symlinksThatStayInsideAreFine() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        try box.write("root/real/a.txt", "inside")
        try box.symlink("root/alias", to: "real")
        let path = root + "/alias/a.txt"
        #expect(try await EditTool(root: root).output(["command": "view", "path": .string(path)], in: box)
            == EditFixtures.catHeader(path) + "     1\tinside\n")
    }

    @Test func aSymlinkedRootIsResolvedToo() async throws {
        let box = try EditSandbox()
        let real = try box.mkdir("real-root")
        try box.write("real-root/a.txt", "x")
        let link = try box.symlink("root-link", to: real)
        let tool = EditTool(root: link)
        #expect(try await tool.output(["command": "view", "path": .string(link + "/a.txt")], in: box)
            == EditFixtures.catHeader(link + "/a.txt") + "     1\tx\n")
        #expect(try await tool.output(["command": "view", "path": .string(real + "/a.txt")], in: box)
            == EditFixtures.catHeader(real + "/a.txt") + "     1\tx\n")
    }

    @Test func aSiblingWithTheSamePrefixIsOutside() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        let sibling = try box.write("root2/a.txt", "x")
        #expect(await EditTool(root: root).failure(["command": "view", "path": .string(sibling)], in: box)
            == outside(sibling, root))
        // The root itself is inside.
        #expect(try await EditTool(root: root + "/").output(["command": "view", "path": .string(root)], in: box)
            == EditFixtures.listingHeader(root) + "\(root)\n\n")
    }

    @Test func symlinkLoopsDoNotHang() async throws {
        let box = try EditSandbox()
        let root = try box.mkdir("root")
        try box.symlink("root/loop", to: "loop")
        let path = root + "/loop/a.txt"
        #expect(await EditTool(root: root).failure(["command": "view", "path": .string(path)], in: box)
            == "The path \(path) does not exist. Please provide a valid path.")
    }

    @Test func resolutionFollowsTheKernel() throws {
        let box = try EditSandbox()
        try box.mkdir("a/b")
        try box.symlink("link", to: box.at("a/b"))
        // `..` after a symlink steps out of the link's target, as the kernel does.
        #expect(EditPath.resolve(box.path + "/link/../x") == box.path + "/a/x")
        #expect(EditPath.resolve(box.path + "/a/./b/") == box.path + "/a/b")
        // From the first missing component on, the rest is kept verbatim.
        #expect(EditPath.resolve(box.path + "/missing/../a") == box.path + "/missing/../a")
        #expect(EditPath.lexical("/r/missing/../../etc") == "/etc")
        #expect(EditPath.isInside("/r/x", root: "/r"))
        #expect(EditPath.isInside("/r", root: "/r"))
        #expect(!EditPath.isInside("/r2", root: "/r"))
        #expect(EditPath.isInside("/anything", root: "/"))
    }
}
