import Testing
@testable import AgentCore

@Suite struct ManifestYAMLTests {
    @Test func parsesTheSubset() throws {
        let text = """
        ---
        # agent manifest
        name: demo   # trailing comment
        quoted: "a \\"b\\" \\u00e9\\n"
        single: 'it''s # not a comment'
        url: http://example.com:8080/x
        count: 42
        ratio: 0.5
        flag: true
        nothing: ~
        nested:
          inner:
            deep: value
          list:
            - one
            - "two"
            - key: v
              other: w
            -
              - nested item
        same_column:
        - a
        - b
        """
        let value = try ManifestYAML.parse(text)
        #expect(value["name"] == .string("demo"))
        #expect(value["quoted"] == .string("a \"b\" é\n"))
        #expect(value["single"] == .string("it's # not a comment"))
        #expect(value["url"] == .string("http://example.com:8080/x"))
        #expect(value["count"] == .int(42) && value["ratio"] == .double(0.5) && value["flag"] == .bool(true))
        #expect(value["nothing"] == .null)
        #expect(value["nested"]?["inner"]?["deep"] == .string("value"))
        #expect(value["nested"]?["list"] == .array([.string("one"), .string("two"),
                                                    .object(["key": .string("v"), "other": .string("w")]),
                                                    .array([.string("nested item")])]))
        #expect(value["same_column"] == .array([.string("a"), .string("b")]))
        #expect(try ManifestYAML.parse("# only a comment\n") == .null)
    }

    @Test(arguments: [
        ("name: a\n\tbad: b\n", 2, "tabs"),
        ("a: 1\n   b: 2\n", 2, "indentation"),
        ("a:\n  b: 1\n c: 2\n", 3, "indentation"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key \"a\""),
        ("a: \"open\n", 1, "unterminated double-quoted"),
        ("a: ok\nb: 'open\n", 2, "unterminated single-quoted"),
        ("a: &x 1\n", 1, "anchors"),
        ("a: 1\nb: *x\n", 2, "aliases"),
        ("a: [1, 2]\n", 1, "flow collections"),
        ("a: {b: 1}\n", 1, "flow collections"),
        ("a: |\n  text\n", 1, "block scalars"),
        ("a: 1\n---\nb: 2\n", 2, "multiple documents"),
        ("a: !tag x\n", 1, "tags"),
        ("a: 1\njust text\n", 2, "expected \"key: value\""),
        ("a: \"x\\q\"\n", 1, "unknown escape"),
        ("a: \"x\" y\n", 1, "after a quoted string"),
    ] as [(String, Int, String)])
    func reportsErrorsWithLineNumbers(text: String, line: Int, message: String) {
        let error = #expect(throws: ManifestYAMLError.self) { try ManifestYAML.parse(text) }
        #expect(error?.line == line)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}

@Suite struct AgentManifestTests {
    @Test func readsPythonAndComputerUseManifests() throws {
        let python = try AgentManifest(yaml: "name: support-bot\nentrypoint: bot.main:run\nframework: python\nrequirements: requirements.txt\n")
        #expect(python.name == "support-bot" && python.framework == "python")
        #expect(python.entrypoint == AgentManifest.Entrypoint(module: "bot.main", function: "run"))
        #expect(python.requirements == ["requirements.txt"])

        let computer = try AgentManifest(yaml: """
        name: browser
        framework: computer-use
        system: "You are careful."
        model: claude-sonnet-4-5
        tools:
          - computer
          - bash
        environment:
          WIDTH: 1280
          MODE: fast
        max_steps: 50
        timeout_seconds: 600
        """)
        #expect(computer.entrypoint == nil)
        #expect(computer.tools == ["computer", "bash"])
        #expect(computer.environment == ["WIDTH": "1280", "MODE": "fast"])
        #expect(computer.maxSteps == 50 && computer.timeoutSeconds == 600 && computer.system == "You are careful.")
    }

    @Test(arguments: [
        ("entrypoint: a:b\nframework: python\n", "name"),
        ("name: x\nframework: python\n", "entrypoint"),
        ("name: x\nentrypoint: main\nframework: python\n", "entrypoint"),
        ("name: x\nentrypoint: a.b:c:d\nframework: python\n", "entrypoint"),
        ("name: x\nentrypoint: 1mod:run\nframework: python\n", "entrypoint"),
        ("name: x\nentrypoint: m:f\n", "framework"),
        ("name: bad name!\nentrypoint: m:f\nframework: python\n", "name"),
        ("name: x\nframework: computer-use\nmax_steps: 0\n", "max_steps"),
        ("name: x\nframework: computer-use\ntimeout_seconds: soon\n", "timeout_seconds"),
        ("name: x\nframework: computer-use\ntools: bash\n", "tools"),
        ("name: x\nframework: computer-use\nenvironment:\n  - a\n", "environment"),
        ("name: x\nframework: computer-use\nsytem: typo\n", "sytem"),
    ] as [(String, String)])
    func namesTheInvalidField(text: String, field: String) {
        let error = #expect(throws: ManifestError.self) { try AgentManifest(yaml: text) }
        #expect(error?.field == field, "\(String(describing: error))")
    }
}
