import AgentCore
import Dispatch
import Foundation
import Synchronization

/// How long a cancel takes to end a spinning execution: `POST /api/v1/runtime/{id}/execute` of a
/// handler that loops forever, on a thread of its own; once `GET /api/v1/runtime/executions` lists
/// it `running` (plus `settle`, so the interpreter is spinning in `handle` rather than starting),
/// `POST /api/v1/runtime/executions/{id}/cancel`; measured from that request's first byte until the
/// execute call returns, which it must with `cancelled`.
///
/// ```swift
/// let rounds = try CancelLatencyRun().run(client: client, agent: spinner)
/// print(rounds.map(\.cancelToReturn))
/// ```
struct CancelLatencyRun {
    var rounds = 5
    /// Wait after the execution is listed `running` before cancelling, seconds.
    var settle = 0.5
    /// Longest wait for the execute call to return after the cancel, seconds.
    var timeout = 90.0

    struct Round {
        /// Cancel request written → execute call returned, milliseconds (nil: it never returned).
        let cancelToReturn: Double?
        /// The cancel request's own round trip, milliseconds.
        let cancelCall: Double
        /// Execute request written → listed `running`, milliseconds.
        let listedAfter: Double
        /// The execute call's answer: `cancelled` when all went well.
        let status: String
    }

    func run(client: PlatformClient, agent: AgentDeployment) throws -> [Round] {
        var results: [Round] = []
        var seen = Set<Int>()
        let socket = try BlockingSocket(port: client.port)
        defer { socket.close() }
        for index in 0..<rounds {
            let finished = Ending()
            let started = nowNanoseconds()
            let path = "/api/v1/runtime/\(agent.agentID)/execute"
            let thread = Thread {
                let status: String
                do {
                    let answer = try client.send("POST", path, json: ["payload": ["round": .int(index)]])
                    status = answer.status == 201 ? answer.json["status"]?.stringValue ?? "?" : "HTTP \(answer.status)"
                } catch {
                    status = "\(error)"
                }
                finished.record(status: status)
            }
            thread.start()

            let executionID = try waitUntilRunning(client: client, socket: socket, versionID: agent.versionID, excluding: seen)
            seen.insert(executionID)
            let listedAfter = Double(nowNanoseconds() - started) / 1e6
            usleep(UInt32(settle * 1e6))
            let cancelStart = nowNanoseconds()
            try client.call("POST", "/api/v1/runtime/executions/\(executionID)/cancel", on: socket)
            let cancelCall = Double(nowNanoseconds() - cancelStart) / 1e6
            let returned = finished.done.wait(timeout: .now() + timeout) == .success
            let ending = finished.value.withLock { $0 }
            results.append(Round(
                cancelToReturn: returned ? ending.map { Double($0.at - cancelStart) / 1e6 } : nil, cancelCall: cancelCall,
                listedAfter: listedAfter, status: ending?.status ?? "did not return within \(Int(timeout)) s"))
            guard returned else { break }  // the daemon is stuck: later rounds would say nothing new
        }
        return results
    }

    /// Polls the execution list (every 5 ms, up to 30 s) for a `running` execution of the version
    /// that is not in `excluding`; its id.
    private func waitUntilRunning(client: PlatformClient, socket: BlockingSocket, versionID: Int, excluding: Set<Int>) throws -> Int {
        let start = nowNanoseconds()
        while secondsSince(start) < 30 {
            let list = try client.call("GET", "/api/v1/runtime/executions?agent_version_id=\(versionID)&limit=10", on: socket)
            for execution in list.arrayValue ?? [] {
                if execution["status"] == "running", let id = execution["id"]?.intValue, !excluding.contains(id) { return id }
            }
            usleep(5_000)
        }
        throw BenchError("no execution of version \(versionID) was listed running within 30 s")
    }
}

/// When and how the execute call of one round returned, and a semaphore signalled then.
private final class Ending: Sendable {
    let value = Mutex<(at: UInt64, status: String)?>(nil)
    let done = DispatchSemaphore(value: 0)

    func record(status: String) {
        value.withLock { $0 = (nowNanoseconds(), status) }
        done.signal()
    }
}
