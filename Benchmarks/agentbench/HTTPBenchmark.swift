import AgentCore
import Foundation
import Glibc

/// agentd's HTTP stack against its peers (`agentbench http [ROUNDS]`): `wrk` on the health and the
/// session-list routes of agentd (release build, 50 sessions), the Hummingbird 2 peer and the
/// FastAPI peer, alternating servers round by round; then 10,000 idle keep-alive connections and
/// 1,000 WebSocket subscribers on a fresh agentd.
///
/// Where things are: `AGENTD_BIN` (default: `agentd` next to this binary), `HB_PEER_BIN` (default
/// `.build-peer-hb/release/peer`), `PEERS_DIR` (default `/work/shared/peers`, for `fastapi/app.py`).
/// A peer that is missing is skipped with a note in the JSON.
struct HTTPBenchmark {
    /// wrk rounds per route; each round runs every server once.
    var rounds = 3
    var seconds = 5
    var warmUpSeconds = 1
    /// CPUs for the server and for wrk on a machine with at least two (one each), else nil.
    let serverCPUs: String?, wrkCPUs: String?

    /// One route compared across servers: agentd's path and the peers' path.
    struct Route {
        let name: String
        let agentdPath: String
        let peerPath: String
    }

    static let routes = [
        Route(name: "http_health", agentdPath: "/api/v1/health", peerPath: "/health"),
        Route(name: "http_sessions_list", agentdPath: "/api/v1/sessions?limit=50", peerPath: "/sessions"),
    ]

    init(rounds: Int = 3) {
        self.rounds = rounds
        let many = ProcessInfo.processInfo.activeProcessorCount >= 2 && ServerProcess.which("taskset") != nil
        serverCPUs = many ? "0" : nil
        wrkCPUs = many ? "1" : nil
    }

    func run() throws -> [JSONValue] {
        IdleConnectionsRun.raiseDescriptorLimit(to: 16_384)
        let scratch = NSTemporaryDirectory() + "agentbench-http-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // An empty script: every message is answered at once with "The script has no more turns."
        try Data("[]".utf8).write(to: URL(fileURLWithPath: scratch + "/script.json"))

        var results: [JSONValue] = []
        let agentd = try startAgentd(scratch: scratch, name: "wrk", cpus: serverCPUs)
        for index in 0..<50 {
            let answer = try BlockingSocket.request(port: agentd.port, "POST", "/api/v1/sessions",
                                                    body: #"{"name":"bench \#(index)","tags":["bench"]}"#)
            guard answer.status == 201 else { throw BenchError("creating session \(index): \(answer.status) \(answer.body)") }
        }
        var peers: [ServerProcess] = []
        var skipped: [String: String] = [:]
        do { peers.append(try startHummingbird()) } catch { skipped["hummingbird"] = "\(error)" }
        do { peers.append(try startFastAPI()) } catch { skipped["fastapi"] = "\(error)" }
        let servers = [agentd] + peers
        for route in Self.routes {
            results.append(try compare(route, servers: servers, skipped: skipped))
        }
        for server in servers { server.stop() }

        let idleServer = try startAgentd(scratch: scratch, name: "idle", cpus: nil)
        let idle = IdleConnectionsRun().run(idleServer)
        idleServer.stop()
        results.append(report(idle))

        let socketServer = try startAgentd(scratch: scratch, name: "ws", cpus: nil)
        defer { socketServer.stop() }
        results.append(report(try WebSocketSubscribersRun().run(port: socketServer.port)))
        return results
    }

    /// Runs wrk on every server, alternating, `rounds` times after a warm-up.
    private func compare(_ route: Route, servers: [ServerProcess], skipped: [String: String]) throws -> JSONValue {
        func path(_ server: ServerProcess) -> String { server.name == "agentd" ? route.agentdPath : route.peerPath }
        for server in servers {
            _ = try WrkRun.measure(server, path: path(server), seconds: warmUpSeconds, cpus: wrkCPUs)
        }
        var runs: [String: [WrkRun]] = [:]
        for _ in 0..<rounds {
            for server in servers {
                runs[server.name, default: []].append(try WrkRun.measure(server, path: path(server), seconds: seconds, cpus: wrkCPUs))
            }
        }
        return report(route, runs: runs, order: servers.map(\.name), skipped: skipped)
    }

    // MARK: - Servers

    private func startAgentd(scratch: String, name: String, cpus: String?) throws -> ServerProcess {
        let binary = ProcessInfo.processInfo.environment["AGENTD_BIN"]
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("agentd").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no agentd at \(binary): build it with `swift build -c release --product agentd` or set AGENTD_BIN")
        }
        let dataDirectory = scratch + "/data-\(name)"
        // Requests are not access-logged (warning level), as the peers do not log them either.
        return try ServerProcess.start(
            name: "agentd", executable: binary,
            arguments: { ["--port", "\($0)", "--data-dir", dataDirectory, "--script", scratch + "/script.json", "--log-level", "warning"] },
            cpus: cpus, readyPath: "/api/v1/health")
    }

    private func startHummingbird() throws -> ServerProcess {
        let binary = ProcessInfo.processInfo.environment["HB_PEER_BIN"] ?? ".build-peer-hb/release/peer"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("skipped: no Hummingbird peer at \(binary) (`make bench-http` builds it, or set HB_PEER_BIN)")
        }
        return try ServerProcess.start(name: "hummingbird", executable: binary, arguments: { ["\($0)"] },
                                       cpus: serverCPUs, readyPath: "/health")
    }

    private func startFastAPI() throws -> ServerProcess {
        let directory = (ProcessInfo.processInfo.environment["PEERS_DIR"] ?? "/work/shared/peers") + "/fastapi"
        guard FileManager.default.fileExists(atPath: directory + "/app.py") else {
            throw BenchError("skipped: no FastAPI peer at \(directory)/app.py (set PEERS_DIR)")
        }
        guard let python = ServerProcess.which("python3") else { throw BenchError("skipped: python3 is not installed") }
        do {
            return try ServerProcess.start(
                name: "fastapi", executable: python,
                arguments: { ["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "\($0)", "--log-level", "warning", "--no-access-log"] },
                cpus: serverCPUs, directory: directory, readyPath: "/health")
        } catch {
            throw BenchError("skipped: \(error) (python3 -m pip install fastapi uvicorn)")
        }
    }

    /// Which event loop and HTTP parser uvicorn picks: uvloop and httptools when both import, else asyncio and h11.
    static var uvicornStack: String {
        guard let python = ServerProcess.which("python3") else { return "-" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import uvloop, httptools"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "-" }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "uvicorn with uvloop and httptools" : "uvicorn with asyncio and h11 (no uvloop/httptools)"
    }
}
