// session-writer: a SessionService under continuous load, for the crash-recovery test to kill -9.
//
//   session-writer --database PATH --model-url URL [--sessions N] [--continue K] [--lifetime SECONDS]
//
// It opens the store at PATH (creating it, or reusing what an earlier writer left), reconciles it
// with `start()`, creates N new sessions, takes up the K most recent earlier ones, and keeps them
// all busy against the Messages API at URL: a task each, and another each time one completes. For
// every stored event a subscription delivers it prints `ACK <session-id> <seq>`, so every line is
// an event whose commit has returned. `READY` follows once every session has its first task. It
// runs until killed (or until SECONDS pass, so a writer whose test died does not run forever).
import AgentCore
import AgentStore
import AgentTesting
import Foundation

let options: WriterOptions
do {
    options = try WriterOptions(CommandLine.arguments.dropFirst())
} catch {
    StandardStream.error("session-writer: \(error)\n\(WriterOptions.usage)")
    exit(64)
}

let watchdog = Thread {
    Thread.sleep(forTimeInterval: options.lifetime)
    StandardStream.error("session-writer: still running after \(options.lifetime) s; exiting")
    exit(3)
}
watchdog.start()

do {
    let store = try SQLiteSessionStore(path: options.database)
    let root = URL(fileURLWithPath: options.database).deletingLastPathComponent().appendingPathComponent("work").path
    let service = SessionService(
        store: store, model: AnthropicClient(apiKey: "test-key", baseURL: options.modelURL),
        environments: FixedToolsEnvironment([ToolLoopResponder.noteTool]),
        configuration: SessionServiceConfiguration(inactivityTimeout: nil, workingDirectoryRoot: root))
    let interrupted = try await service.start()
    if !interrupted.isEmpty { StandardStream.error("session-writer: start() interrupted \(interrupted.count) sessions") }

    var ids: [String] = []
    if options.continued > 0 {
        let earlier = try await service.list(SessionQuery(sort: .createdAt, descending: true, limit: options.continued))
        ids = earlier.sessions.map(\.id)
    }
    for _ in 0..<options.sessions {
        // The tools come from the environment (`note`), so the configuration names none.
        ids.append(try await service.create(SessionRequest(configuration: ["tools": []])).id)
    }
    var drivers: [SessionDriver] = []
    for id in ids { drivers.append(try await SessionDriver.start(id, service: service)) }
    StandardStream.output("READY\n")
    await withTaskGroup(of: Void.self) { group in
        for driver in drivers { group.addTask { await driver.run() } }
    }
    StandardStream.error("session-writer: every subscription ended")
    exit(1)
} catch {
    StandardStream.error("session-writer: \(error)")
    exit(1)
}
