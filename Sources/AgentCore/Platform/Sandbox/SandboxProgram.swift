/// The agent code a sandbox runs: an extracted version's directory and its `module.path:function`
/// entrypoint, plus the version's own virtual environment when its build installed requirements.
///
/// ```swift
/// let program = SandboxProgram(codeDirectory: "/var/lib/agentd/versions/42/code",
///                              entrypoint: "agent.main:handle",
///                              virtualEnvironment: "/var/lib/agentd/versions/42/venv")
/// ```
public struct SandboxProgram: Sendable, Equatable {
    /// The extracted code; mounted read-only inside the sandbox and first on `sys.path`. Its files must
    /// be readable by other users (the sandbox runs under an unprivileged user id).
    public var codeDirectory: String
    /// `pkg.module:function`: dotted Python identifiers, a colon, one identifier.
    public var entrypoint: String
    /// The version's virtual environment (made by `Sandbox.installRequirements`), mounted read-only;
    /// its `site-packages` is importable. `nil` when the version has no requirements.
    public var virtualEnvironment: String?

    /// A program; nothing is checked until it is run.
    public init(codeDirectory: String, entrypoint: String, virtualEnvironment: String? = nil) {
        self.codeDirectory = codeDirectory
        self.entrypoint = entrypoint
        self.virtualEnvironment = virtualEnvironment
    }

    /// Why the program cannot be run, or `nil`: a malformed entrypoint or a missing directory. Checked
    /// before anything is spawned.
    public var problem: String? {
        if let reason = Self.entrypointProblem(entrypoint) { return reason }
        guard codeDirectory.hasPrefix("/"), SandboxWorkspace.isDirectory(codeDirectory) else {
            return "the code directory \(codeDirectory) does not exist"
        }
        if let venv = virtualEnvironment, !(venv.hasPrefix("/") && SandboxWorkspace.isDirectory(venv)) {
            return "the virtual environment \(venv) does not exist"
        }
        return nil
    }

    /// Why `entrypoint` is not `dotted.module:function`, or `nil` when it is.
    ///
    /// Only ASCII identifiers are accepted (`[A-Za-z_][A-Za-z0-9_]*`), so nothing else can reach the
    /// interpreter's command line.
    public static func entrypointProblem(_ entrypoint: String) -> String? {
        let invalid = "invalid entrypoint \"\(entrypoint.prefix(200))\": expected module.path:function"
        guard entrypoint.utf8.count <= 512 else { return invalid }
        let halves = entrypoint.split(separator: ":", omittingEmptySubsequences: false)
        guard halves.count == 2, isIdentifier(halves[1]) else { return invalid }
        let modules = halves[0].split(separator: ".", omittingEmptySubsequences: false)
        guard modules.allSatisfy(isIdentifier) else { return invalid }
        return nil
    }

    private static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
