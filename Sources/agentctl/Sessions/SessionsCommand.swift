import AgentCore
import CommandLineSupport

/// `agentctl sessions <verb>`: create, inspect, drive and follow sessions on agentd.
enum SessionsCommand {
    static let group = CommandGroup(
        name: "sessions", overview: "Create, drive and follow sessions on agentd.",
        specs: [
            CreateCommand.spec, ListCommand.spec, ControlCommand.spec(.show), SendCommand.spec, EventsCommand.spec,
            ControlCommand.spec(.approve), ControlCommand.spec(.deny), ControlCommand.spec(.stop), ControlCommand.spec(.pause),
            ControlCommand.spec(.resume), ScreenshotCommand.spec, ControlCommand.spec(.delete),
        ])
}
