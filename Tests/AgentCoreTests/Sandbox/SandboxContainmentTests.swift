import Foundation
import Testing
@testable import AgentCore
#if canImport(Glibc)
import Glibc
#endif

extension SandboxTests {
    /// Hostile agent code: each attempt is contained, and harmless work still succeeds.
    @Suite(.serialized, .timeLimit(.minutes(5)))
    struct Containment {
        @Test(arguments: SandboxTests.isolations)
        func aSetsidGrandchildDoesNotOutliveTheRun(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            let token = "heartbeat-" + UUID().uuidString.prefix(12).lowercased()
            try fixture.write("main.py", """
                import os, sys
                def handle(payload):
                    ready_read, ready_write = os.pipe()
                    if os.fork() == 0:
                        os.setsid()
                        if os.fork() == 0:
                            os.close(ready_read)
                            os.set_inheritable(ready_write, True)
                            # A daemon beating a heartbeat, its token on its command line.
                            os.execv(sys.executable, [sys.executable, "-c",
                                "import os, sys, time\\nos.write(int(sys.argv[2]), b'x')\\n"
                                "while True:\\n    open('/tmp/beat', 'w').write(str(time.time()))\\n    time.sleep(0.01)",
                                payload["token"], str(ready_write)])
                        os._exit(0)
                    os.close(ready_write)
                    started = os.read(ready_read, 1) == b"x"
                    return {"started": started, "beating": os.path.exists("/tmp/beat") or started}
                """)
            let outcome = await fixture.sandbox(isolation).run(fixture.program(), payload: ["token": .string(token)],
                                                               limits: SandboxLimits())
            #expect(outcome.result == .returned(["started": true, "beating": true]), "the daemon was running")
            // Checked at once, no waiting: the run only returns when its namespace is empty.
            #expect(HostProcesses.matching(token).isEmpty, "the heartbeat process is gone")
            #expect(fixture.leftoverWorkspaces.isEmpty, "its working directory (and heartbeat file) is removed")
        }

        @Test(arguments: SandboxTests.isolations)
        func agentdsDataDirectoryIsInvisible(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            let data = fixture.root + "/data"
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            try "SECRET-\(UUID().uuidString)".write(toFile: data + "/secret.key", atomically: true, encoding: .utf8)
            _ = chmod(data, 0o755)
            _ = chmod(data + "/secret.key", 0o644)  // readable by anyone on the host: only the mount hides it
            try fixture.write("main.py", """
                import os
                def handle(payload):
                    found = {}
                    for path in (payload["data"] + "/secret.key", payload["data"], payload["scratch"], "/root", "/etc/passwd"):
                        try:
                            if os.path.isdir(path):
                                found[path] = os.listdir(path)
                            else:
                                found[path] = open(path).read()
                        except OSError as error:
                            found[path] = type(error).__name__
                    return found
                """)
            let outcome = await fixture.sandbox(isolation).run(
                fixture.program(), payload: ["data": .string(data), "scratch": .string(fixture.scratch)], limits: SandboxLimits())
            guard case .returned(let found) = outcome.result else { Issue.record("got \(outcome.result)"); return }
            #expect(found[data + "/secret.key"] == "FileNotFoundError")
            #expect(found[data] == "FileNotFoundError")
            #expect(found[fixture.scratch] == "FileNotFoundError")
            #expect(found["/etc/passwd"] == "FileNotFoundError")
            #expect(!found.description.contains("SECRET-"))
        }

        @Test(arguments: SandboxTests.isolations)
        func agentdsPortCannotBeReached(isolation: SandboxIsolation) async throws {
            let listener = try LoopbackListener()
            let fixture = try SandboxFixture()
            try fixture.write("main.py", """
                import socket
                def handle(payload):
                    try:
                        socket.create_connection(("127.0.0.1", payload["port"]), timeout=2).close()
                        return "connected"
                    except OSError as error:
                        return type(error).__name__
                """)
            let outcome = await fixture.sandbox(isolation).run(fixture.program(), payload: ["port": .int(Int(listener.port))],
                                                               limits: SandboxLimits())
            guard case .returned(.string(let error)) = outcome.result else { Issue.record("got \(outcome.result)"); return }
            #expect(["ConnectionRefusedError", "OSError"].contains(error), "no route to the host's loopback: \(error)")
            #expect(!listener.wasReached)
        }

        @Test(arguments: SandboxTests.isolations)
        func agentdsEnvironmentIsNotInherited(isolation: SandboxIsolation) async throws {
            let canary = "sk-ant-CANARY-\(UUID().uuidString)"
            setenv("AGENTD_SANDBOX_TEST_CANARY", canary, 1)
            defer { unsetenv("AGENTD_SANDBOX_TEST_CANARY") }
            let fixture = try SandboxFixture()
            try fixture.write("main.py", """
                import os
                def handle(payload):
                    parents = {}
                    for pid in ("1", str(os.getppid())):
                        try:
                            parents[pid] = open("/proc/%s/environ" % pid, "rb").read().decode(errors="replace")
                        except OSError as error:
                            parents[pid] = type(error).__name__
                    return {"environ": dict(os.environ), "parents": parents}
                """)
            let outcome = await fixture.sandbox(isolation).run(fixture.program(), payload: nil, limits: SandboxLimits())
            guard case .returned(let value) = outcome.result else { Issue.record("got \(outcome.result)"); return }
            #expect(!value.description.contains("CANARY") && !outcome.stdout.contains("CANARY"))
            let names = Set(value["environ"]?.objectValue?.keys.map { $0 } ?? [])
            #expect(names.isSubset(of: ["PATH", "HOME", "TMPDIR", "LANG", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED",
                                        "PYTHONUTF8", "LC_CTYPE"]), "only the allowlist: \(names)")
            #expect(value["environ"]?["HOME"] == "/tmp")
        }

        @Test(arguments: SandboxTests.isolations)
        func procShowsOnlyTheSandboxsOwnProcesses(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("main.py", """
                import os
                def handle(payload):
                    pids = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
                    return {"pids": pids, "me": os.getpid(), "uid": os.getuid()}
                """)
            let outcome = await fixture.sandbox(isolation).run(fixture.program(), payload: nil, limits: SandboxLimits())
            guard case .returned(let value) = outcome.result else { Issue.record("got \(outcome.result)"); return }
            let pids = value["pids"]?.arrayValue?.compactMap(\.intValue) ?? []
            // The namespace's PID 1 (bwrap's init or the setup shell) and the interpreter; the numbers
            // are the namespace's own, small even after the setup shell's mount and mkdir children.
            #expect(!pids.isEmpty && pids.count <= 3, "\(pids)")
            #expect(pids.contains(1) && pids.contains(value["me"]?.intValue ?? -1))
            #expect(!pids.contains(Int(getpid())) && !pids.contains(Int(getppid())), "the test process is not visible")
            #expect(pids.allSatisfy { $0 < 200 })
            if geteuid() == 0 {
                let uid = try #require(value["uid"]?.intValue)
                #expect(SandboxUserIDs.range.contains(UInt32(uid)), "runs as a throw-away uid, not root")
            }
        }

        @Test(arguments: SandboxTests.isolations)
        func theWorkingDirectoryIsWritableAndTheCodeIsNot(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("main.py", """
                import os
                def handle(payload):
                    with open("notes.txt", "w") as f:
                        f.write("scratch work")
                    os.makedirs("/tmp/sub/dir")
                    result = {"cwd": os.getcwd(), "read": open("/tmp/notes.txt").read()}
                    here = os.path.dirname(os.path.abspath(__file__))
                    for path in (here + "/main.py", here + "/new.py"):
                        try:
                            open(path, "a").write("# tampered")
                            result[os.path.basename(path)] = "written"
                        except OSError as error:
                            result[os.path.basename(path)] = type(error).__name__
                    return result
                """)
            let before = try String(contentsOfFile: fixture.code + "/main.py", encoding: .utf8)
            let outcome = await fixture.sandbox(isolation).run(fixture.program(), payload: nil, limits: SandboxLimits())
            guard case .returned(let value) = outcome.result else { Issue.record("got \(outcome.result)"); return }
            #expect(value["cwd"] == "/tmp" && value["read"] == "scratch work")
            #expect(value["main.py"] == "OSError" || value["main.py"] == "PermissionError", "\(value)")
            #expect(value["new.py"] == "OSError" || value["new.py"] == "PermissionError", "\(value)")
            #expect(try String(contentsOfFile: fixture.code + "/main.py", encoding: .utf8) == before)
            #expect(!FileManager.default.fileExists(atPath: fixture.code + "/new.py"))
            #expect(fixture.leftoverWorkspaces.isEmpty, "the working directory is removed")
        }

        @Test(arguments: SandboxTests.isolations)
        func aMemoryBombHitsTheLimitNotTheHost(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("main.py", """
                def handle(payload):
                    hoard = []
                    while True:
                        hoard.append(bytearray(16 * 1024 * 1024))
                """)
            var limits = SandboxLimits()
            limits.memoryBytes = 256 << 20
            let outcome = await fixture.sandbox(isolation).run(fixture.program(), payload: nil, limits: limits)
            switch outcome.result {
            case .raised(let message, _): #expect(message.hasPrefix("MemoryError"))
            case .crashed: break
            default: Issue.record("got \(outcome.result)")
            }
        }

        @Test(arguments: SandboxTests.isolations)
        func aForkBombIsLimited(isolation: SandboxIsolation) async throws {
            try #require(geteuid() == 0, "RLIMIT_NPROC needs the throw-away uid, which needs root")
            let fixture = try SandboxFixture()
            let module = "forkbomb_" + UUID().uuidString.prefix(8).lowercased()
            try fixture.write(module + ".py", """
                import os, time
                def handle(payload):
                    children = 0
                    try:
                        while children < 1000:
                            if os.fork() == 0:
                                time.sleep(600)
                                os._exit(0)
                            children += 1
                    except OSError as error:
                        return {"children": children, "error": type(error).__name__}
                    return {"children": children}
                """)
            var limits = SandboxLimits()
            limits.processes = 16
            let outcome = await fixture.sandbox(isolation).run(fixture.program(module + ":handle"), payload: nil, limits: limits)
            guard case .returned(let value) = outcome.result else { Issue.record("got \(outcome.result)"); return }
            #expect((value["children"]?.intValue ?? 1000) < 16)
            #expect(value["error"] == "BlockingIOError")
            // The children are forks of the interpreter: its command line names the module.
            #expect(HostProcesses.matching(module + ":handle").isEmpty, "the sleeping children are gone")
        }
    }
}
