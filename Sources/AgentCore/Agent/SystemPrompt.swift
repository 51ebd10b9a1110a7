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
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEEE, MMMM d, yyyy"
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
        lines.append("* The current date is \(formatter.string(from: now)).")
        lines.append("</SYSTEM_CAPABILITY>")
        return lines.joined(separator: "\n")
    }
}
