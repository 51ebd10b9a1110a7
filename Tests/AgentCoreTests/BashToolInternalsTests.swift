import Testing
@testable import AgentCore

/// Unit tests of the bash tool's pure parts: marker scanning, bounded buffering, quoting, environment
/// rules, output rendering and `/proc` parsing.
@Suite struct BashToolInternalsTests {
    private static let marker = SentinelMarker(prefix: "\n<<m:exit:", carriesStatus: true, suffix: ">>\n")

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: - SentinelMarker

    @Test func markerScanFindsStatusAndBounds() {
        let input = Self.bytes("abc\n<<m:exit:127>>\nrest")
        #expect(Self.marker.scan(input, from: 0) == .found(start: 3, end: 19, status: 127))
        #expect(Self.marker.scan(input, from: 4) == .notFound)
    }

    @Test func markerScanReportsEveryProperPrefixAsPartial() {
        let whole = Self.bytes("x\n<<m:exit:0>>\n")
        for cut in 2..<whole.count {
            #expect(Self.marker.scan(Array(whole[..<cut]), from: 0) == .partial(start: 1), "cut at \(cut)")
        }
        #expect(Self.marker.scan(whole, from: 0) == .found(start: 1, end: whole.count, status: 0))
    }

    @Test(arguments: ["\n<<m:exit:>>\n", "\n<<m:exit:1234>>\n", "\n<<m:exit:1x>>\n", "\n<<n:exit:1>>\n"])
    func markerScanRejectsLookalikes(text: String) {
        // The final "\n" may still start a real marker, so "partial" is right; "found" is not.
        let scan = Self.marker.scan(Self.bytes(text), from: 0)
        #expect(scan == .notFound || scan == .partial(start: text.utf8.count - 1))
    }

    @Test func fixedMarkerNeedsNoStatus() {
        let done = SentinelMarker(prefix: "\n<<m:done>>\n", carriesStatus: false, suffix: "")
        #expect(done.scan(Self.bytes("err\n<<m:done>>\n"), from: 0) == .found(start: 3, end: 15, status: nil))
    }

    // MARK: - SentinelBuffer

    @Test func bufferFindsTheMarkerWhateverTheChunking() {
        let stream = Self.bytes("hello\n\n<<m:exit:3>>\nnext")
        for split in 0...stream.count {
            var buffer = SentinelBuffer(capacity: 1024)
            buffer.append(stream[..<split])
            var taken = buffer.take(through: Self.marker)
            buffer.append(stream[split...])
            if taken == nil { taken = buffer.take(through: Self.marker) }
            #expect(taken?.output == CapturedBytes(bytes: Self.bytes("hello\n")), "split at \(split)")
            #expect(taken?.status == 3)
            #expect(buffer.takeAll() == CapturedBytes(bytes: Self.bytes("next")), "leftover kept for the next command")
        }
    }

    @Test func bufferKeepsTheHeadOfAnOverflowAndStillFindsTheMarker() {
        let output = [UInt8](repeating: UInt8(ascii: "y"), count: 100_000)
        let stream = output + Self.bytes("\n<<m:exit:0>>\nafter")
        for chunkSize in [1, 7, 64, 4096, 65536] {
            var buffer = SentinelBuffer(capacity: 1000)
            var taken: (output: CapturedBytes, status: Int32?)?
            var offset = 0
            while offset < stream.count, taken == nil {
                let end = min(offset + chunkSize, stream.count)
                buffer.append(stream[offset..<end])
                offset = end
                taken = buffer.take(through: Self.marker)
            }
            #expect(taken?.output.bytes == Array(output.prefix(1000)), "chunk size \(chunkSize)")
            #expect(taken?.output.droppedByteCount == 99_000)
            #expect(taken?.status == 0)
            buffer.append(stream[offset...])
            #expect(buffer.takeAll().bytes == Self.bytes("after"))
        }
    }

    @Test func markerAcrossTheCapacityBoundaryIsNotAnOverflow() {
        let stream = Self.bytes("abcdefgh\n<<m:exit:1>>\n")
        for capacity in 1...stream.count {
            var buffer = SentinelBuffer(capacity: capacity)
            buffer.append(stream[...])
            let taken = buffer.take(through: Self.marker)
            let keptCount = min(capacity, 8)
            #expect(taken?.output == CapturedBytes(bytes: Self.bytes(String("abcdefgh".prefix(keptCount))),
                                                   droppedByteCount: 8 - keptCount), "capacity \(capacity)")
        }
    }

    @Test func takeAllReportsDroppedBytes() {
        var buffer = SentinelBuffer(capacity: 4)
        buffer.append(Self.bytes("0123456789")[...])
        #expect(buffer.takeAll() == CapturedBytes(bytes: Self.bytes("0123"), droppedByteCount: 6))
        #expect(buffer.isEmpty)
    }

    // MARK: - BashSentinel

    @Test func singleQuotingSurvivesAnyText() {
        #expect(BashSentinel.singleQuoted("it's") == #"'it'\''s'"#)
        #expect(BashSentinel.singleQuoted("a\0b") == "'ab'")
        #expect(BashSentinel.singleQuoted("") == "''")
        #expect(BashSentinel.singleQuoted("$HOME `x` \"q\"\n") == "'$HOME `x` \"q\"\n'")
    }

    @Test func scriptRunsTheCommandThenPrintsBothMarkers() {
        let sentinel = BashSentinel(nonce: "abc123")
        let script = String(decoding: sentinel.script(for: "echo 'hi'"), as: UTF8.self)
        #expect(script == """
            builtin eval -- 'echo '\\''hi'\\''' < /dev/null
            builtin printf '\\n<<agentd:abc123:exit:%d>>\\n' "$?"; builtin printf '\\n<<agentd:abc123:done>>\\n' >&2

            """)
        #expect(sentinel.stdoutMarker.prefix == Self.bytes("\n<<agentd:abc123:exit:"))
        #expect(sentinel.stderrMarker.prefix == Self.bytes("\n<<agentd:abc123:done>>\n"))
    }

    @Test func noncesAreRandomHex() {
        let nonces = (0..<50).map { _ in BashSentinel.randomNonce() }
        #expect(Set(nonces).count == 50)
        #expect(nonces.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    // MARK: - BashEnvironment

    @Test func environmentScrubsSecretsAndAddsExtras() {
        let inherited = [
            "PATH": "/usr/bin", "HOME": "/root", "LANG": "C.UTF-8",
            "ANTHROPIC_API_KEY": "k", "OPENAI_API_KEY": "k", "GH_TOKEN": "t", "github_token": "t",
            "JWT_SECRET": "s", "ADMIN_PASSWORD": "p", "SECRET_KEY": "s", "CUSTOM": "c",
            "BASH_ENV": "/etc/evil", "ENV": "/etc/evil", "TOKENIZER": "kept", "DISPLAY": ":0",
        ]
        let environment = BashEnvironment.make(inherited: inherited, scrubbing: ["CUSTOM"], adding: ["DISPLAY": ":1"])
        #expect(environment == ["PATH": "/usr/bin", "HOME": "/root", "LANG": "C.UTF-8", "TOKENIZER": "kept", "DISPLAY": ":1"])
    }

    @Test func defaultSecretNamesCoverCommonCredentials() {
        for name in ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "ANTHROPIC_AUTH_TOKEN"] {
            #expect(BashEnvironment.isScrubbed(name, scrubbing: BashTool.defaultSecretNames))
        }
        #expect(!BashEnvironment.isScrubbed("AWS_REGION", scrubbing: BashTool.defaultSecretNames))
    }

    // MARK: - BashOutputText

    @Test func renderingStripsOneNewlineAndClips() {
        #expect(BashOutputText.render(CapturedBytes(bytes: Self.bytes("a\n\n")), limit: 10) == "a\n")
        #expect(BashOutputText.render(CapturedBytes(bytes: Self.bytes("é\n")), limit: 1) == "é")
        #expect(BashOutputText.render(CapturedBytes(bytes: Self.bytes("abc")), limit: 2) == "ab" + BashMessages.clipped)
        #expect(BashOutputText.render(CapturedBytes(bytes: Self.bytes("ab"), droppedByteCount: 5), limit: 2)
            == "ab" + BashMessages.clipped, "bytes dropped while reading always show the notice")
        // Python counts code points: a flag emoji is two.
        #expect(BashOutputText.clip("🇫🇷x", to: 1) == "\u{1F1EB}" + BashMessages.clipped)
    }

    @Test func clipNoticeIsTheReferenceText() {
        #expect(BashMessages.clipped == "<response clipped><NOTE>To save on context only part of this file has been "
            + "shown to you. You should retry this tool after you have searched inside the file with `grep -n` in "
            + "order to find the line numbers of what you are looking for.</NOTE>")
    }

    // MARK: - ProcessTree

    @Test func statParsingCopesWithOddCommandNames() {
        let line = Self.bytes("4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 0 0")
        #expect(ProcessTree.parseStat(line, pid: 4242) == .init(pid: 4242, parent: 17, group: 4242, state: UInt8(ascii: "S")))
        #expect(ProcessTree.parseStat(Self.bytes("garbage"), pid: 1) == nil)
    }

    @Test func membersFollowParentsAndTheProcessGroup() {
        let s = UInt8(ascii: "S")
        let table: [ProcessTree.Entry] = [
            .init(pid: 10, parent: 1, group: 10, state: s),   // the shell
            .init(pid: 11, parent: 10, group: 10, state: s),  // a job
            .init(pid: 12, parent: 11, group: 12, state: s),  // its child, in a new group
            .init(pid: 13, parent: 1, group: 10, state: s),   // an orphan still in the group
            .init(pid: 20, parent: 1, group: 20, state: s),   // unrelated
        ]
        #expect(Set(ProcessTree.members(of: 10, in: table).map(\.pid)) == [11, 12, 13])
    }
}
