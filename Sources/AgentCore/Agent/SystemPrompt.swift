import Foundation

/// The default system prompt: what the agent's computer is and how to use it well.
enum SystemPrompt {
    /// Builds the prompt for a run: the default text (or a replacement), then the suffix after a space.
    static func make(configuration: AgentConfiguration, toolNames: [String], now: Date = Date()) -> String {
        var text = configuration.systemPrompt ?? defaultText(
            toolNames: toolNames, workingDirectory: configuration.toolContext.workingDirectory,
            display: configuration.toolContext.environment["DISPLAY"], now: now)
        if let suffix = configuration.systemPromptSuffix, !suffix.isEmpty { text += " " + suffix }
        return text
    }

    static func defaultText(toolNames: [String], workingDirectory: String, display: String?, now: Date) -> String {
        var lines = [
            "<SYSTEM_CAPABILITY>",
            "* You are operating a Linux computer through tools: \(toolNames.joined(separator: ", ")).",
            "* Your working directory is \(workingDirectory); the shell keeps its state between calls.",
            "* When output is long, redirect it to a file and search it with grep, or view parts of it with the editor tool.",
        ]
        if let display {
            lines.append("* GUI programs started from the shell appear on display \(display); start them in the background, e.g. `(xterm &)`, and confirm with a screenshot.")
            lines.append("* Batch several computer actions into one turn when you can.")
        }
        lines.append("* The current date is \(dateText(now)).")
        lines.append("</SYSTEM_CAPABILITY>")
        return lines.joined(separator: "\n")
    }

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

    /// `now` as "Monday, November 23, 2026" in UTC. Computed from the day number (Howard Hinnant's
    /// civil-from-days algorithm) because a `DateFormatter` per run cost 2% of a busy daemon's CPU.
    static func dateText(_ now: Date) -> String {
        let days = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let weekday = weekdays[((days % 7) + 7 + 4) % 7]  // 1970-01-01 was a Thursday
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(weekday), \(months[month - 1]) \(day), \(year)"
    }
}
