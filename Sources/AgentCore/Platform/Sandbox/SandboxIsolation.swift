/// How a `Sandbox` keeps agent code away from agentd: which kernel mechanisms wrap the child.
///
/// Both real isolations give the child new PID, mount, network, IPC and UTS namespaces (a fresh
/// `/proc` that shows only the sandbox's own processes, no route to agentd's port, none of agentd's
/// files), an unprivileged user id with no capabilities, and they end every process of a run by
/// killing the namespace's PID 1, so even a process that called `setsid` is gone when the run is.
///
/// ```swift
/// let isolation = SandboxIsolation.detect()   // .bubblewrap where `bwrap` works
/// print("sandbox: \(isolation)")              // what /health reports
/// ```
public enum SandboxIsolation: String, Sendable, CaseIterable {
    /// Debian's bubblewrap (`bwrap`) builds a minimal root from read-only bind mounts.
    case bubblewrap
    /// util-linux `unshare` plus a setup shell that bind-mounts the same minimal root onto a skeleton
    /// agentd prepares in the run's workspace, then `chroot`s into it. Needs root.
    case namespaces
    /// **No isolation**: the interpreter runs as an ordinary child of agentd (in its own session and,
    /// as root, under a throw-away user id). Agent code can see the host's files and network. Only for
    /// machines that have neither of the above, and only when chosen explicitly or as the last resort.
    case none

    /// The best isolation this machine offers, probed once per process: `.bubblewrap` when `bwrap` is
    /// on `PATH` and actually starts a sandbox, else `.namespaces` when `unshare` can create the
    /// namespaces (root), else `.none`.
    public static func detect() -> SandboxIsolation { detected }

    /// Whether this isolation contains the agent's code (false only for `.none`).
    public var isContained: Bool { self != .none }

    private static let detected: SandboxIsolation = {
        if SandboxTools.shared.probeBubblewrap() { return .bubblewrap }
        if SandboxTools.shared.probeNamespaces() { return .namespaces }
        return .none
    }()
}

extension SandboxIsolation: CustomStringConvertible {
    /// The raw value, with a warning attached to `none`.
    public var description: String {
        self == .none ? "none (NOT ISOLATED: agent code runs with host access)" : rawValue
    }
}
