import CommandLineSupport

/// `agentctl executions <verb>`: runs of the caller's agents (seed 003 "Runtime Execution" and "Logs").
enum ExecutionsCommand {
    static let group = CommandGroup(
        name: "executions", overview: "List, inspect and cancel agent executions.",
        specs: [ExecutionListCommand.spec, ExecutionCommand.spec(.show), ExecutionCommand.spec(.logs), ExecutionCommand.spec(.cancel)])
}
