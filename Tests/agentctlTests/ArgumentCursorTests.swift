import CommandLineSupport
import Testing
@testable import agentctl

// `#expect(cursor.takeFlag(…))` cannot call a mutating method (the macro passes the receiver as an
// immutable argument); comparing with `== true` keeps the call an ordinary expression.
@Suite(.timeLimit(.minutes(1)))
struct ArgumentCursorTests {
    @Test func optionValueAsSeparateToken() throws {
        var cursor = ArgumentCursor(["--model", "claude-x", "task"])
        #expect(try cursor.takeValue("--model") == "claude-x")
        #expect(try cursor.remainingPositionals() == ["task"])
    }

    @Test func optionValueAfterEquals() throws {
        var cursor = ArgumentCursor(["--model=claude-x", "task"])
        #expect(try cursor.takeValue("--model") == "claude-x")
        #expect(try cursor.remainingPositionals() == ["task"])
    }

    @Test func onlyTheFirstEqualsSplitsTheValue() throws {
        var cursor = ArgumentCursor(["--system=a=b", "task"])
        #expect(try cursor.takeValue("--system") == "a=b")
    }

    @Test func optionsMayFollowThePositional() throws {
        var cursor = ArgumentCursor(["task", "--model", "m"])
        #expect(try cursor.takeValue("--model") == "m")
        #expect(try cursor.remainingPositionals() == ["task"])
    }

    @Test func repeatedOptionsCollectInOrderAndTheLastWins() throws {
        var all = ArgumentCursor(["--tools", "bash", "x", "--tools=edit"])
        #expect(try all.takeValues("--tools") == ["bash", "edit"])
        var last = ArgumentCursor(["--tools", "bash", "x", "--tools=edit"])
        #expect(try last.takeValue("--tools") == "edit")
        #expect(try last.remainingPositionals() == ["x"])
    }

    @Test func absentOptionIsNil() throws {
        var cursor = ArgumentCursor(["task"])
        #expect(try cursor.takeValue("--model") == nil)
        #expect(try cursor.takeInt("--max-steps") == nil)
        #expect(try cursor.takeDouble("--timeout") == nil)
    }

    @Test func optionNameIsMatchedExactly() throws {
        var cursor = ArgumentCursor(["--models", "m", "task"])
        #expect(try cursor.takeValue("--model") == nil)
        #expect(throws: UsageError("Unknown option '--models'")) { try cursor.remainingPositionals() }
    }

    @Test func flags() throws {
        var cursor = ArgumentCursor(["--json", "task", "--json"])
        #expect(cursor.takeFlag("--json") == true)
        #expect(cursor.takeFlag("--json") == false)
        #expect(cursor.takeFlag("--verbose") == false)
        #expect(try cursor.remainingPositionals() == ["task"])
    }

    @Test func doubleDashEndsOptions() throws {
        var cursor = ArgumentCursor(["--model", "m", "--", "--json", "-rf"])
        #expect(cursor.takeFlag("--json") == false)
        #expect(try cursor.takeValue("--model") == "m")
        #expect(try cursor.remainingPositionals() == ["--json", "-rf"])
    }

    @Test func doubleDashAfterAPositionalStillProtectsLaterTokens() throws {
        var cursor = ArgumentCursor(["run", "--json", "--", "-h"])
        #expect(cursor.takePositional() == "run")
        #expect(cursor.takeHelp() == false)
        #expect(cursor.takeFlag("--json") == true)
        #expect(try cursor.remainingPositionals() == ["-h"])
    }

    @Test func onlyTheFirstDoubleDashIsConsumed() throws {
        var cursor = ArgumentCursor(["--", "a", "--"])
        #expect(try cursor.remainingPositionals() == ["a", "--"])
    }

    @Test func unknownOptionIsNamed() {
        var long = ArgumentCursor(["task", "--verbose"])
        #expect(throws: UsageError("Unknown option '--verbose'")) { try long.remainingPositionals() }
        var withValue = ArgumentCursor(["--colour=always", "task"])
        #expect(throws: UsageError("Unknown option '--colour'")) { try withValue.remainingPositionals() }
        var short = ArgumentCursor(["-v", "task"])
        #expect(throws: UsageError("Unknown option '-v'")) { try short.remainingPositionals() }
    }

    @Test func singleDashIsPositional() throws {
        var cursor = ArgumentCursor(["-"])
        #expect(try cursor.remainingPositionals() == ["-"])
    }

    @Test func missingValueAtTheEnd() {
        var cursor = ArgumentCursor(["task", "--model"])
        #expect(throws: UsageError("Missing value for '--model'")) { try cursor.takeValue("--model") }
    }

    @Test func doubleDashIsNotAValue() {
        var cursor = ArgumentCursor(["--model", "--", "task"])
        #expect(throws: UsageError("Missing value for '--model'")) { try cursor.takeValue("--model") }
    }

    @Test func emptyValueAfterEquals() throws {
        var cursor = ArgumentCursor(["--system="])
        #expect(try cursor.takeValue("--system") == "")
    }

    @Test func integers() throws {
        var cursor = ArgumentCursor(["--max-steps", "12", "--max-tokens=4096"])
        #expect(try cursor.takeInt("--max-steps", in: 1...100) == 12)
        #expect(try cursor.takeInt("--max-tokens") == 4096)
    }

    @Test(arguments: ["abc", "1.5", "", "0", "101", "-3", "12abc", " 5"])
    func badIntegers(text: String) {
        var cursor = ArgumentCursor(["--max-steps", text])
        #expect(throws: UsageError("The value '\(text)' for '--max-steps' must be a whole number from 1 to 100")) {
            try cursor.takeInt("--max-steps", in: 1...100)
        }
    }

    @Test func positiveNumbers() throws {
        var cursor = ArgumentCursor(["--timeout", "2.5"])
        #expect(try cursor.takeDouble("--timeout") == 2.5)
        var whole = ArgumentCursor(["--timeout=30"])
        #expect(try whole.takeDouble("--timeout") == 30)
    }

    @Test(arguments: ["0", "-1", "nan", "inf", "soon", ""])
    func badPositiveNumbers(text: String) {
        var cursor = ArgumentCursor(["--timeout=\(text)"])
        #expect(throws: UsageError("The value '\(text)' for '--timeout' must be a positive number")) {
            try cursor.takeDouble("--timeout")
        }
    }

    @Test func takePositionalSkipsLeadingOptions() throws {
        var cursor = ArgumentCursor(["--json", "run", "task"])
        #expect(cursor.takePositional() == "run")
        #expect(cursor.takeFlag("--json") == true)
        #expect(cursor.takePositional() == "task")
        #expect(cursor.takePositional() == nil)
    }

    @Test func help() {
        var long = ArgumentCursor(["task", "--help"])
        #expect(long.takeHelp() == true)
        var short = ArgumentCursor(["-h"])
        #expect(short.takeHelp() == true)
        var none = ArgumentCursor(["task"])
        #expect(none.takeHelp() == false)
        var quoted = ArgumentCursor(["--", "-h"])
        #expect(quoted.takeHelp() == false)
    }

    @Test func remainingPositionalsEmptiesTheCursor() throws {
        var cursor = ArgumentCursor(["a", "b"])
        #expect(try cursor.remainingPositionals() == ["a", "b"])
        #expect(try cursor.remainingPositionals() == [])
    }
}
