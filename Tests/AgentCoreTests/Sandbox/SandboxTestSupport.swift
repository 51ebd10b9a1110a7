import Foundation
import Testing
@testable import AgentCore
#if canImport(Glibc)
import Glibc
#endif

extension SandboxTests {
    /// Every isolation this machine can test: the detected one, plus `namespaces` when it works too
    /// (root without bwrap's help), so the fallback is exercised wherever it can be.
    static let isolations: [SandboxIsolation] = {
        var result = [SandboxIsolation.detect()]
        if result[0] != .namespaces, SandboxTools.shared.probeNamespaces() { result.append(.namespaces) }
        return result.filter(\.isContained).isEmpty ? result : result.filter(\.isContained)
    }()
}

/// A throw-away directory with an agent's code in `code/`, a scratch root and anything else a test
/// needs; removed on `deinit`.
final class SandboxFixture {
    let root: String
    var code: String { root + "/code" }
    var scratch: String { root + "/scratch" }

    init() throws {
        root = NSTemporaryDirectory() + "sandbox-test-" + UUID().uuidString.prefix(12).lowercased()
        try FileManager.default.createDirectory(atPath: root + "/code", withIntermediateDirectories: true)
        _ = chmod(root, 0o755)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` to `code/<path>` (creating folders), dedented so tests can indent their Python.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let full = code + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.dedent(text).write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func sandbox(_ isolation: SandboxIsolation) -> Sandbox {
        Sandbox(isolation: isolation, scratchRoot: scratch)
    }

    func program(_ entrypoint: String = "main:handle", venv: String? = nil) -> SandboxProgram {
        SandboxProgram(codeDirectory: code, entrypoint: entrypoint, virtualEnvironment: venv)
    }

    /// The run directories left under the scratch root (none once every run has ended).
    var leftoverWorkspaces: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? []
    }

    static func dedent(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : String($0) }.joined(separator: "\n")
    }
}

/// Host-side views of the process table, to check from outside that a sandbox left nothing behind.
enum HostProcesses {
    /// Pids of live processes whose command line contains `token`; with `sandboxUsersOnly`, only
    /// those running under one of the sandbox's throw-away user ids (the agent's own processes).
    static func matching(_ token: String, sandboxUsersOnly: Bool = false) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name in
            guard let pid = pid_t(name), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
                  String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(token),
                  let entry = ProcessTree.entry(for: pid), !entry.isDead
            else { return nil }
            if sandboxUsersOnly {
                var status = stat()
                guard stat("/proc/\(name)", &status) == 0, SandboxUserIDs.range.contains(status.st_uid) else { return nil }
            }
            return pid
        }
    }

    /// Polls (1 ms steps) until `count` processes whose command line contains `token` exist (agent
    /// processes only, when agentd is root and so the sandbox switches user ids).
    static func waitFor(_ token: String, count: Int = 1, timeout: Double = 60) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if matching(token, sandboxUsersOnly: geteuid() == 0).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return false
    }
}

/// A TCP listener on 127.0.0.1 (an ephemeral port) that the sandbox must not reach.
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    /// Whether anybody connected (a pending connection is accepted and closed).
    var wasReached: Bool {
        let client = accept(descriptor, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }
}

/// A minimal wheel (PEP 427) built with the host's `zipfile`, so the install test needs no network
/// and no setuptools.
enum TinyWheel {
    static func make(name: String, version: String, module: String, in directory: String) throws {
        let script = #"""
import base64, hashlib, sys, zipfile
name, version, module, directory = sys.argv[1:5]
files = {
    name + "/__init__.py": module,
    name + "-" + version + ".dist-info/METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version),
    name + "-" + version + ".dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: agentd-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = name + "-" + version + ".dist-info/RECORD"
lines = []
for path, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
    lines.append("%s,sha256=%s,%d" % (path, digest, len(text.encode())))
lines.append(record + ",,")
with zipfile.ZipFile("%s/%s-%s-py3-none-any.whl" % (directory, name, version), "w") as wheel:
    for path, text in files.items():
        wheel.writestr(path, text)
    wheel.writestr(record, "\n".join(lines) + "\n")
"""#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, name, version, module, directory]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    }
}
