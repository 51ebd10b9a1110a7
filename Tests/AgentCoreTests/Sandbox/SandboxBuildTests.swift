import Foundation
import Testing
@testable import AgentCore

extension SandboxTests {
    /// A build's two sandboxed steps: installing `requirements.txt` and checking the entrypoint.
    @Suite(.serialized, .timeLimit(.minutes(10)))
    struct Builds {
        @Test(arguments: SandboxTests.isolations)
        func checkFindsACallableEntrypoint(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("pkg/__init__.py", "")
            try fixture.write("pkg/agent.py", "print('imported')\ndef handle(payload):\n    return payload\n")
            let check = await fixture.sandbox(isolation).check(fixture.program("pkg.agent:handle"), limits: SandboxLimits())
            #expect(check.status == .callable && check.isCallable)
            #expect(check.stdout == "imported\n" && check.traceback.isEmpty)
            #expect(fixture.leftoverWorkspaces.isEmpty)
        }

        @Test(arguments: SandboxTests.isolations)
        func checkReportsImportErrorsWithTheirTraceback(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("broken.py", "import helper\ndef handle(payload):\n    return 1\n")
            try fixture.write("helper.py", "import numpy_that_is_not_installed\n")
            try fixture.write("syntax.py", "def handle(payload)\n    return 1\n")
            let sandbox = fixture.sandbox(isolation)
            let broken = await sandbox.check(fixture.program("broken:handle"), limits: SandboxLimits())
            #expect(broken.status == .failed("ModuleNotFoundError: No module named 'numpy_that_is_not_installed'"))
            #expect(broken.traceback.contains("broken.py") && broken.traceback.contains("helper.py"))
            let syntax = await sandbox.check(fixture.program("syntax:handle"), limits: SandboxLimits())
            guard case .failed(let reason) = syntax.status else { Issue.record("a syntax error must fail"); return }
            #expect(reason.hasPrefix("SyntaxError"))
            let missing = await sandbox.check(fixture.program("nowhere:handle"), limits: SandboxLimits())
            #expect(missing.status == .failed("ModuleNotFoundError: No module named 'nowhere'"))
        }

        @Test(arguments: SandboxTests.isolations)
        func checkReportsMissingAndUncallableAttributes(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("main.py", "handle = 42\n")
            let sandbox = fixture.sandbox(isolation)
            let uncallable = await sandbox.check(fixture.program("main:handle"), limits: SandboxLimits())
            #expect(uncallable.status == .failed("main:handle is not callable: it is int"))
            let missing = await sandbox.check(fixture.program("main:run"), limits: SandboxLimits())
            #expect(missing.status == .failed("AttributeError: module 'main' has no attribute 'run'"))
            // The same program run directly raises instead of calling anything.
            let run = await sandbox.run(fixture.program("main:handle"), payload: nil, limits: SandboxLimits())
            #expect(run.result == .raised(message: "main:handle is not callable: it is int", traceback: ""))
            #expect(run.handleCalledAfter == nil)
        }

        @Test(arguments: SandboxTests.isolations)
        func checkOfAModuleThatHangsTimesOut(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            try fixture.write("main.py", "while True:\n    pass\n")
            var limits = SandboxLimits()
            limits.timeout = .seconds(1)
            let check = await fixture.sandbox(isolation).check(fixture.program(), limits: limits)
            guard case .failed(let reason) = check.status else { Issue.record("a hanging import must fail"); return }
            #expect(reason.contains("timed out"))
        }

        @Test(arguments: SandboxTests.isolations)
        func requirementsInstallFromLocalWheelsIntoTheVersionsEnvironment(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            let wheels = fixture.root + "/wheels"
            try FileManager.default.createDirectory(atPath: wheels, withIntermediateDirectories: true)
            try TinyWheel.make(name: "tinydep", version: "1.2.3", module: "VALUE = 'from the wheel'\n", in: wheels)
            try fixture.write("requirements.txt", "tinydep==1.2.3\n")
            try fixture.write("main.py", """
                import sys, tinydep
                def handle(payload):
                    return {"value": tinydep.VALUE, "from_venv": tinydep.__file__.startswith(sys.path[-1])}
                """)
            let venv = fixture.root + "/venv"
            let sandbox = fixture.sandbox(isolation)
            let (succeeded, log) = await sandbox.installRequirements(codeDirectory: fixture.code, virtualEnvironment: venv,
                                                                     wheelDirectory: wheels, limits: .build)
            #expect(succeeded, "\(log)")
            #expect(log.contains("-m venv") && log.contains("pip install") && log.contains("Successfully installed tinydep-1.2.3"))
            var status = stat()
            #expect(stat(venv + "/pyvenv.cfg", &status) == 0 && status.st_uid == geteuid(), "the venv belongs to agentd again")
            #expect(fixture.leftoverWorkspaces.isEmpty)

            let program = fixture.program(venv: venv)
            #expect(await sandbox.check(program, limits: SandboxLimits()).isCallable)
            let outcome = await sandbox.run(program, payload: nil, limits: SandboxLimits())
            #expect(outcome.result == .returned(["value": "from the wheel", "from_venv": true]))
            // Without the venv the dependency is not importable: the host's site-packages are not visible.
            let bare = await sandbox.run(fixture.program(), payload: nil, limits: SandboxLimits())
            #expect(bare.result == .raised(message: "ModuleNotFoundError: No module named 'tinydep'",
                                           traceback: bareTraceback(bare.result)))
        }

        @Test(arguments: SandboxTests.isolations)
        func aRequirementThatCannotBeFoundFailsTheInstall(isolation: SandboxIsolation) async throws {
            let fixture = try SandboxFixture()
            let wheels = fixture.root + "/wheels"
            try FileManager.default.createDirectory(atPath: wheels, withIntermediateDirectories: true)
            try fixture.write("requirements.txt", "definitely-not-a-package==9.9\n")
            let (succeeded, log) = await fixture.sandbox(isolation).installRequirements(
                codeDirectory: fixture.code, virtualEnvironment: fixture.root + "/venv", wheelDirectory: wheels, limits: .build)
            #expect(!succeeded)
            #expect(log.contains("No matching distribution found for definitely-not-a-package"), "\(log)")
            #expect(log.contains("installing the requirements failed"))
        }

        @Test func noRequirementsMeansNothingToInstall() async throws {
            let fixture = try SandboxFixture()
            try fixture.write("main.py", "def handle(payload):\n    return 1\n")
            let (succeeded, log) = await fixture.sandbox(SandboxIsolation.detect()).installRequirements(
                codeDirectory: fixture.code, virtualEnvironment: fixture.root + "/venv", wheelDirectory: nil, limits: .build)
            #expect(succeeded && log.contains("nothing to install"))
            #expect(!FileManager.default.fileExists(atPath: fixture.root + "/venv"))
        }

        private func bareTraceback(_ result: SandboxResult) -> String {
            if case .raised(_, let traceback) = result { return traceback }
            return ""
        }
    }
}
