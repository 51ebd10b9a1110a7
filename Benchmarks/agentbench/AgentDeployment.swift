import AgentCore
import Foundation

/// A Python agent deployed to agentd the way a client does it: `POST /api/v1/agents`, a `.tar.gz`
/// of `anymind.yaml` and `main.py` (packed by `/bin/tar`) uploaded as multipart to
/// `POST /api/v1/uploads/agent/{id}`, then `GET /api/v1/agents/{id}/versions/{vid}` until the build
/// is `ready`.
///
/// ```swift
/// let agent = try AgentDeployment.deploy(name: "ok", handler: "def handle(payload):\n    return {}\n",
///                                        client: client, scratch: scratch)
/// try client.call("POST", "/api/v1/runtime/\(agent.agentID)/execute", json: ["payload": [:]], expect: 201)
/// ```
struct AgentDeployment {
    let agentID: Int
    let versionID: Int
    /// Upload answered → version `ready`, seconds (the build: unpack, import check in the sandbox).
    let buildSeconds: Double

    /// Deploys `handler` (the text of `main.py`, whose `handle` is the entrypoint) as agent `name`.
    /// - Throws: `BenchError` when a request fails or the build does not become ready in `timeout` seconds.
    static func deploy(name: String, handler: String, client: PlatformClient, scratch: String, timeout: Double = 120) throws
        -> AgentDeployment {
        let agent = try client.call("POST", "/api/v1/agents", json: ["name": .string(name)], expect: 201)
        guard let agentID = agent["id"]?.intValue else { throw BenchError("POST /api/v1/agents gave no id: \(agent.serialized())") }
        let archive = try pack(["anymind.yaml": "name: \(name)\nentrypoint: main:handle\nframework: python\n", "main.py": handler],
                               in: scratch + "/agent-\(name)")
        let boundary = "agentbench-boundary-5c1e"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name).tar.gz\"\r\n".utf8)
        body += Array("Content-Type: application/gzip\r\n\r\n".utf8) + archive + Array("\r\n--\(boundary)--\r\n".utf8)
        let socket = try BlockingSocket(port: client.port)
        defer { socket.close() }
        let uploaded = try socket.request("POST", "/api/v1/uploads/agent/\(agentID)", headers: client.headers, body: body,
                                          contentType: "multipart/form-data; boundary=\(boundary)")
        guard uploaded.status == 201, let version = try? JSONValue(parsing: uploaded.body), let versionID = version["id"]?.intValue else {
            throw BenchError("uploading agent \(name): \(uploaded.status) \(uploaded.body.prefix(300))")
        }
        let start = nowNanoseconds()
        while secondsSince(start) < timeout {
            let state = try client.call("GET", "/api/v1/agents/\(agentID)/versions/\(versionID)", on: socket)
            switch state["status"]?.stringValue {
            case "ready":
                return AgentDeployment(agentID: agentID, versionID: versionID, buildSeconds: secondsSince(start))
            case "failed":
                throw BenchError("agent \(name)'s build failed: \(state["build_log"]?.stringValue ?? "")")
            default:
                usleep(50_000)
            }
        }
        throw BenchError("agent \(name)'s build was not ready within \(Int(timeout)) s")
    }

    /// A `.tar.gz` of `files` (name → text) made with `/bin/tar` in `directory`; its bytes.
    static func pack(_ files: [String: String], in directory: String) throws -> [UInt8] {
        let source = directory + "/src"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: source + "/" + name)) }
        let output = directory + "/agent.tar.gz"
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-czf", output, "-C", source] + files.keys.sorted()
        tar.standardError = FileHandle.nullDevice
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw BenchError("/bin/tar failed with status \(tar.terminationStatus)") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }
}
