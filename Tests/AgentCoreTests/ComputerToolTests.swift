import AgentTesting
import AgentCore
import Foundation
import Testing

/// The computer tool on a real desktop (Xvfb + openbox) with a real xterm, checked the way a user
/// would: files the typed commands write, the pointer position, what the screen shows.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ComputerToolTests {
    /// A desktop with one xterm running bash in a scratch directory.
    struct Terminal {
        let desktop: VirtualDesktop
        let tool: ComputerTool
        let directory: String

        static func start(width: Int = 1280, height: Int = 800) async throws -> Terminal {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("computer-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let desktop = try await VirtualDesktop.start(options: DesktopOptions(width: width, height: height))
            _ = try await desktop.launch("/bin/sh", arguments: [
                "-c", "cd '\(directory)' && LANG=C.UTF-8 exec /usr/bin/xterm -u8 -fa 'DejaVu Sans Mono' -fs 11 -geometry 100x30+0+0 -e bash --norc --noprofile",
            ])
            let tool = try await ComputerTool.make(environment: desktop.x11)
            let terminal = Terminal(desktop: desktop, tool: tool, directory: directory)
            try await terminal.waitForWindow()
            return terminal
        }

        /// Waits until the xterm is visible: its white background covers the top-left area.
        func waitForWindow() async throws {
            try await eventually("the xterm window appears") {
                let frame = try await desktop.x11.captureScreen(x: 100, y: 100, width: 1, height: 1)
                let p = frame.pixel(x: 0, y: 0)
                return p.red > 200 && p.green > 200 && p.blue > 200
            }
        }

        func run(_ input: JSONValue) async throws -> ToolOutput {
            try await tool.run(input, context: ToolContext(sessionID: "t", workingDirectory: directory))
        }

        func file(_ name: String) -> String? {
            try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }

        func stop() async {
            await desktop.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// Runs `body` on a fresh terminal and always stops it, also when the body fails.
        static func with(_ body: (Terminal) async throws -> Void) async throws {
            let terminal = try await start()
            do {
                try await body(terminal)
            } catch {
                await terminal.stop()
                throw error
            }
            await terminal.stop()
        }
    }

    @Test func typingAShellCommandIntoAnXtermWritesTheFile() async throws {
        try await Terminal.with { t in
        _ = try await t.run(["action": "left_click", "coordinate": [300, 200]])
        let typed = "echo 'Hello, World! #1 (a+b)*c=[x]; {y} ~ ^ héllo ж' > typed.txt"
        let output = try await t.run(["action": "type", "text": .string(typed)])
        #expect(output.image != nil)
        _ = try await t.run(["action": "key", "text": "Return"])
        try await eventually("typed.txt is written") { t.file("typed.txt") != nil }
        #expect(t.file("typed.txt") == "Hello, World! #1 (a+b)*c=[x]; {y} ~ ^ héllo ж\n")
        }
    }

    @Test func aKeyChordTakesEffect() async throws {
        try await Terminal.with { t in
        _ = try await t.run(["action": "type", "text": "ls /no-such-directory-at-all"])
        // ctrl+u erases the line: without it the next command would be garbage and write nothing.
        _ = try await t.run(["action": "key", "text": "ctrl+u"])
        _ = try await t.run(["action": "type", "text": "echo chord > chord.txt"])
        _ = try await t.run(["action": "key", "text": "KP_Enter"])
        try await eventually("chord.txt is written") { t.file("chord.txt") != nil }
        #expect(t.file("chord.txt") == "chord\n")
        }
    }

    @Test func dragScrollAndPointerPosition() async throws {
        try await Terminal.with { t in
        _ = try await t.run(["action": "type", "text": "seq 1 300; touch seq-done\n"])
        try await eventually("the output has scrolled past the window") { t.file("seq-done") != nil }
        let before = try await t.run(["action": "screenshot"]).image
        let scrolled = try await t.run(["action": "scroll", "coordinate": [300, 200], "scroll_direction": "up", "scroll_amount": 10])
        #expect(scrolled.image != nil && scrolled.image != before)  // xterm scrolled its history back
        let position = try await t.run(["action": "cursor_position"])
        #expect(position.output == "X=300,Y=200")

        let dragged = try await t.run(["action": "left_click_drag", "start_coordinate": [20, 40], "coordinate": [400, 120]])
        #expect(dragged.image != nil && dragged.image != scrolled.image)  // the drag selected text
        #expect(try await t.run(["action": "cursor_position"]).output == "X=400,Y=120")
        let moved = try await t.run(["action": "mouse_move", "coordinate": [1279, 799]])
        #expect(moved.image != nil)
        #expect(try await t.run(["action": "cursor_position"]).output == "X=1279,Y=799")
        }
    }

    @Test(arguments: [(1280, 800, 1280, 800), (1920, 1080, 1366, 768)])
    func screenshotsAreScaledToTheAdvertisedSize(width: Int, height: Int, apiWidth: Int, apiHeight: Int) async throws {
        let desktop = try await VirtualDesktop.start(options: DesktopOptions(width: width, height: height))
        let tool = try await ComputerTool.make(environment: desktop.x11)
        #expect(tool.definition["display_width_px"] == .int(apiWidth))
        #expect(tool.definition["display_height_px"] == .int(apiHeight))
        #expect(tool.definition["display_number"] == .int(desktop.display))
        let context = ToolContext(sessionID: "t", workingDirectory: "/tmp")
        let shot = try #require(try await tool.run(["action": "screenshot"], context: context).image)
        #expect(pngSize(shot.data) == [apiWidth, apiHeight])

        // zoom: the region in advertised coordinates, returned at the screen's full resolution.
        let zoomed = try #require(try await tool.run(["action": "zoom", "region": [0, 0, .int(apiWidth / 2), .int(apiHeight / 2)]], context: context).image)
        #expect(pngSize(zoomed.data) == [width / 2, height / 2])
        // Clicks past the advertised edge are refused (the demo compared with the screen size).
        await #expect(throws: ToolError("Coordinates \(apiWidth), 10 are out of bounds")) {
            _ = try await tool.run(["action": "left_click", "coordinate": [.int(apiWidth), 10]], context: context)
        }
        // Scaled coordinates land on the right screen pixel.
        _ = try await tool.run(["action": "mouse_move", "coordinate": [.int(apiWidth - 1), .int(apiHeight - 1)]], context: context)
        let pointer = try await desktop.x11.pointerPosition()
        #expect(abs(pointer.x - (width - 1)) <= 2 && abs(pointer.y - (height - 1)) <= 2)
        await desktop.stop()
    }

    @Test func stoppingTheDesktopLeavesNoProcessBehind() async throws {
        let t = try await Terminal.start()
        let pids = t.desktop.processIDs
        #expect(pids.count >= 3)  // Xvfb, openbox, the xterm
        await t.stop()
        for pid in pids { #expect(kill(pid, 0) != 0, "process \(pid) survived") }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/.X\(t.desktop.display)-lock"))
        #expect(!XSocketProbe.isLeftover(display: t.desktop.display))
    }
}

/// `[width, height]` from a PNG's IHDR.
func pngSize(_ png: [UInt8]) -> [Int]? {
    guard png.count > 24, png[12...15].elementsEqual(Array("IHDR".utf8)) else { return nil }
    func be32(_ i: Int) -> Int { png[i...i + 3].reduce(0) { $0 << 8 | Int($1) } }
    return [be32(16), be32(20)]
}

@Suite(.timeLimit(.minutes(2)))
struct ComputerToolMoreActionsTests {
    @Test func mouseButtonsHoldKeyAndWaitWorkOnARealDisplay() async throws {
        let desktop = try await VirtualDesktop.start(options: DesktopOptions(width: 1024, height: 768))
        let tool = try await ComputerTool.make(version: .v20250124, environment: desktop.x11, settle: .immediate)
        let context = ToolContext(sessionID: "t", workingDirectory: "/tmp")
        #expect(tool.definition == [
            "type": "computer_20250124", "name": "computer", "display_width_px": 1024, "display_height_px": 768,
            "display_number": .int(desktop.display),
        ])
        for input: JSONValue in [
            ["action": "left_mouse_down"], ["action": "mouse_move", "coordinate": [50, 60]], ["action": "left_mouse_up"],
            ["action": "right_click", "coordinate": [70, 80]], ["action": "middle_click"], ["action": "double_click"],
            ["action": "triple_click", "coordinate": [10, 10], "text": "shift"], ["action": "hold_key", "text": "shift", "duration": 0.05],
            ["action": "wait", "duration": 0.05], ["action": "key", "text": "ctrl+alt+Left Escape"],
        ] {
            let output = try await tool.run(input, context: context)
            #expect(output.image.map { pngSize($0.data) } == [1024, 768], "\(input)")
        }
        #expect(try await tool.run(["action": "cursor_position"], context: context).output == "X=10,Y=10")
        await #expect(throws: ToolError("Invalid key: NoSuchKey")) {
            _ = try await tool.run(["action": "key", "text": "ctrl+NoSuchKey"], context: context)
        }
        await desktop.stop()
    }

    @Test func screenshotsAreStoredOnceByHashAndEventsReferenceThem() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try DirectoryImageStore(directory: directory)
        let png: [UInt8] = Array("not really a png".utf8)
        let camera = ClosureTool("camera") { _ in ToolOutput(image: ToolImage(data: png)) }
        let model = try ScriptedModelClient(script: JSONValue(parsing: #"""
        [{"tool_use": [{"name": "camera", "input": {"n": 1}}]}, {"tool_use": [{"name": "camera", "input": {"n": 2}}]}, {"text": "ok"}]
        """#))
        let agent = Agent(model: model, tools: ToolSet([camera]), configuration: AgentConfiguration(imageStore: store))
        let events = await collect(await agent.run("take two pictures"))
        let references = events.compactMap { e -> ImageReference? in if case .toolCallFinished(let o) = e { o.image } else { nil } }
        #expect(references.count == 2)
        #expect(Set(references.map(\.sha256)).count == 1)  // the same picture twice: one hash
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files == [references[0].sha256 + ".png"])  // stored once
        #expect(try await store.image(sha256: references[0].sha256)?.data == png)
        // The event JSON carries the reference, never the bytes.
        let json = events.first { $0.type == "tool_call_finished" }!.json
        #expect(json["image"]?["sha256"] == .string(references[0].sha256))
    }
}
