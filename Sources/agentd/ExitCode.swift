/// agentd's exit codes (sysexits): 0 after a clean shutdown, 1 when it cannot start or go on,
/// 64 for a bad command line.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case usage = 64
}
