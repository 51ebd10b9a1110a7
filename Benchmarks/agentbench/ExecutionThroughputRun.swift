import AgentCore
import Dispatch
import Foundation
import Synchronization

/// Executions end to end over HTTP: `POST /api/v1/runtime/{id}/execute` of a deployed agent,
/// `executions` times, from `concurrency` clients at once (threads, each with its own keep-alive
/// connection, taking the next execution as soon as their last one answered). Every answer must be
/// 201 `completed` with the handler's output. Concurrencies are compared in turns (1, 4, 1, 4) and
/// each one's runs merged.
///
/// ```swift
/// let outcome = try ExecutionThroughputRun(executions: 20).run(client: client, agentID: agent.agentID, concurrency: 4)
/// print(Double(outcome.completed) / outcome.seconds)
/// ```
struct ExecutionThroughputRun {
    /// Executions per run.
    var executions = 20
    /// What the handler returns, checked on every answer.
    var expectedOutput: JSONValue = ["ok": true]

    struct Outcome {
        let concurrency: Int
        let seconds: Double
        /// Milliseconds per execution, request written → answer read.
        let latencies: [Double]
        let completed: Int
        let failures: Int
        let firstFailure: String?
        /// Completed executions per second of each run merged into this one.
        var roundRates: [Double] = []

        /// Runs of one concurrency taken in turns with others, as one: their times and counts added.
        static func merged(_ runs: [Outcome]) -> Outcome {
            Outcome(concurrency: runs.first?.concurrency ?? 0, seconds: runs.reduce(0) { $0 + $1.seconds },
                    latencies: runs.flatMap(\.latencies), completed: runs.reduce(0) { $0 + $1.completed },
                    failures: runs.reduce(0) { $0 + $1.failures }, firstFailure: runs.lazy.compactMap(\.firstFailure).first,
                    roundRates: runs.map { Double($0.completed) / $0.seconds })
        }
    }

    func run(client: PlatformClient, agentID: Int, concurrency: Int) throws -> Outcome {
        let tally = Tally()
        let samples = LatencySamples()
        let total = executions
        let expected = expectedOutput
        let path = "/api/v1/runtime/\(agentID)/execute"
        let start = nowNanoseconds()
        Self.onThreads(concurrency) { _ in
            let socket: BlockingSocket
            do {
                socket = try BlockingSocket(port: client.port)
            } catch {
                tally.fail("connect: \(error)")
                return
            }
            defer { socket.close() }
            while true {
                let (index, _) = tally.next.add(1, ordering: .relaxed)
                guard index < total else { return }
                let begun = nowNanoseconds()
                do {
                    let answer = try client.send("POST", path, json: ["payload": ["i": .int(index)]], on: socket)
                    samples.record(since: begun)
                    guard answer.status == 201, answer.json["status"] == "completed", answer.json["output_data"] == expected else {
                        tally.fail("\(answer.status) \(answer.json.serialized().prefix(300))")
                        continue
                    }
                    tally.completed.add(1, ordering: .relaxed)
                } catch {
                    tally.fail("\(error)")
                    return
                }
            }
        }
        let seconds = secondsSince(start)
        let failed = tally.failures.withLock { $0 }
        return Outcome(concurrency: concurrency, seconds: seconds, latencies: samples.all,
                       completed: tally.completed.load(ordering: .relaxed), failures: failed.count, firstFailure: failed.first)
    }

    /// Runs `body(index)` on `count` new threads and returns when every one has.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
    }
}

/// The clients' shared counters: the next execution to send, those completed, and what failed.
private final class Tally: Sendable {
    let next = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
    let failures = Mutex<[String]>([])

    func fail(_ reason: String) { failures.withLock { $0.append(reason) } }
}
