@testable import AgentCore
import Foundation
import Testing

struct SystemPromptTests {
    /// The prompt's date agrees with Foundation's formatter on every day from 1900 to 2200 (and at
    /// the edges of a day), in UTC.
    @Test func theDateMatchesFoundationsFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEEE, MMMM d, yyyy"
        var mismatches: [String] = []
        for day in stride(from: -25_567, through: 84_000, by: 1) {
            for second in [0.0, 86_399.5] {
                let date = Date(timeIntervalSince1970: Double(day) * 86_400 + second)
                let ours = SystemPrompt.dateText(date), theirs = formatter.string(from: date)
                if ours != theirs && mismatches.count < 5 { mismatches.append("\(ours) != \(theirs)") }
            }
        }
        #expect(mismatches.isEmpty)
        #expect(SystemPrompt.dateText(Date(timeIntervalSince1970: 1_795_392_000)) == "Monday, November 23, 2026")
    }

    @Test func theDefaultPromptNamesTheToolsTheDirectoryAndTheDisplay() {
        let text = SystemPrompt.defaultText(toolNames: ["bash", "computer"], workingDirectory: "/w", display: ":3",
                                            now: Date(timeIntervalSince1970: 0))
        #expect(text.contains("through tools: bash, computer."))
        #expect(text.contains("Your working directory is /w;"))
        #expect(text.contains("display :3"))
        #expect(text.contains("The current date is Thursday, January 1, 1970."))
    }
}
