#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One thing the sandbox's minimal root contains.
struct SandboxMount: Sendable, Equatable {
    enum Kind: String, Sendable {
        /// A read-only bind of a host file or directory.
        case readOnly = "ro"
        /// A writable bind (the private working directory; the venv while it is built).
        case writable = "rw"
        /// A symbolic link whose text is `source` (`/lib -> usr/lib`).
        case symlink = "link"
        /// A fresh `proc` for the new PID namespace.
        case proc
        /// A minimal `/dev` (null, zero, full, random, urandom).
        case dev
        /// One device node bound from the host (`namespaces` only; part of `dev`).
        case node
    }

    let kind: Kind
    let source: String
    let target: String
}

/// Builds the command line that starts one sandbox: `bwrap …` or `unshare … sh -c SETUP …` around
/// `setpriv` (the drop to the throw-away user id) around the interpreter.
struct SandboxCommand {
    let isolation: SandboxIsolation
    let tools: SandboxTools
    /// The interpreter's installation prefix, bound read-only at the same path (when not under `/usr`).
    let interpreterPrefix: String?
    /// The run's own mounts (code, venv, wheels, working directory), after the base system.
    let mounts: [SandboxMount]
    /// Whether the sandbox keeps the host's network (only `pip install` from an index).
    let network: Bool
    /// The user id the code runs as (root only); `nil` keeps agentd's.
    let userID: UInt32?
    /// The working directory inside the sandbox.
    let workDirectory: String
    /// A host directory that becomes the mount point of the new root (`namespaces` only).
    let workspaceRoot: String

    /// Everything mounted, in order: the base system, the interpreter, system files, the run's own.
    var allMounts: [SandboxMount] {
        var result: [SandboxMount] = tools.system.map { entry in
            entry.symlink.map { SandboxMount(kind: .symlink, source: $0, target: entry.path) }
                ?? SandboxMount(kind: .readOnly, source: entry.path, target: entry.path)
        }
        if let prefix = interpreterPrefix, !tools.system.contains(where: { Self.path(prefix, isInside: $0.path) }) {
            result.append(SandboxMount(kind: .readOnly, source: prefix, target: prefix))
        }
        for file in tools.systemFiles + (network ? tools.networkFiles : []) {
            result.append(SandboxMount(kind: .readOnly, source: file, target: file))
        }
        result.append(SandboxMount(kind: .proc, source: "proc", target: "/proc"))
        result.append(SandboxMount(kind: .dev, source: "dev", target: "/dev"))
        return result + mounts
    }

    /// The full command line that runs `command` (absolute path first) in this sandbox.
    func arguments(running command: [String]) -> [String] {
        var inner = command
        if let userID, let setpriv = tools.setpriv {
            // No capabilities (bounding set emptied too) and no way to regain any (no_new_privs): the
            // uid is unique to this run, so RLIMIT_NPROC counts this run's processes alone.
            inner = [setpriv, "--reuid=\(userID)", "--regid=\(userID)", "--clear-groups", "--inh-caps=-all",
                     "--bounding-set=-all", "--no-new-privs", "--"] + command
        }
        switch isolation {
        case .bubblewrap: return bubblewrap(inner)
        case .namespaces: return namespaces(inner)
        case .none: return inner
        }
    }

    // MARK: - bubblewrap

    private func bubblewrap(_ inner: [String]) -> [String] {
        var arguments = [tools.bwrap ?? "bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try"]
        if !network { arguments.append("--unshare-net") }
        // As root, bwrap keeps every capability unless it makes a user namespace, and setpriv could not
        // switch to an unmapped uid inside one: no user namespace; setpriv drops everything instead.
        // Not root, bwrap needs a user namespace to do anything.
        if !tools.isRoot { arguments.append("--unshare-user") }
        arguments += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
        var made: Set<String> = ["/"]
        for mount in allMounts {
            // bwrap creates missing parents 0700, which the unprivileged uid could not cross.
            for parent in Self.parents(of: mount.target) where !made.contains(parent) {
                made.insert(parent)
                arguments += ["--perms", "0755", "--dir", parent]
            }
            made.insert(mount.target)
            switch mount.kind {
            case .readOnly: arguments += ["--ro-bind", mount.source, mount.target]
            case .writable: arguments += ["--bind", mount.source, mount.target]
            case .symlink: arguments += ["--symlink", mount.source, mount.target]
            case .proc: arguments += ["--proc", mount.target]
            case .dev: arguments += ["--dev", mount.target]
            case .node: arguments += ["--dev-bind", mount.source, mount.target]
            }
        }
        return arguments + ["--chdir", workDirectory, "--"] + inner
    }

    // MARK: - unshare

    /// The setup shell, PID 1 of the new namespaces. Arguments: the new root (a skeleton agentd made
    /// with `prepareRoot()`), the path of `chroot`, `kind source target` mount triples, `--`, the
    /// command. It mounts (in its private mount namespace, so nothing shows on the host), then runs
    /// the command chrooted into the root. It stays PID 1 (the command is its child, so the code gets
    /// ordinary signal semantics), and when it exits the kernel kills everything left in the
    /// namespace.
    static let setupScript = #"""
set -eu
root=$1 chroot=$2
shift 2
while [ "$1" != "--" ]; do
  kind=$1 source=$2 target=$root$3
  shift 3
  case $kind in
    proc) mount -t proc -o nosuid,nodev,noexec proc "$target" ;;
    ro) mount -o bind,ro,nosuid,nodev "$source" "$target" ;;
    rw) mount -o bind,nosuid,nodev "$source" "$target" ;;
    node) mount -o bind "$source" "$target" ;;
  esac
done
shift
"$chroot" "$root" "$@" || exit $?
exit 0
"""#

    /// The device nodes of the sandbox's `/dev` (bound from the host's).
    static let deviceNodes = ["null", "zero", "full", "random", "urandom"]

    private func namespaces(_ inner: [String]) -> [String] {
        var arguments = [tools.unshare ?? "unshare", "--mount", "--pid", "--ipc", "--uts"]
        if !network { arguments.append("--net") }
        arguments += ["--fork", "--kill-child", "--propagation", "private", "--",
                      tools.shell, "-c", Self.setupScript, "sandbox-setup", workspaceRoot, tools.chroot ?? "chroot"]
        for mount in allMounts {
            switch mount.kind {
            case .symlink: break  // made by prepareRoot()
            case .readOnly, .writable, .proc, .node: arguments += [mount.kind.rawValue, mount.source, mount.target]
            case .dev:
                for node in Self.deviceNodes { arguments += ["node", "/dev/" + node, mount.target + "/" + node] }
            }
        }
        // chroot(8) leaves the working directory at the new root; the harness changes to its own.
        return arguments + ["--"] + inner
    }

    /// Builds the `namespaces` root's skeleton under `workspaceRoot`: a directory or empty file for
    /// every mount point, the symbolic links, `/dev`'s nodes and links. All owned by agentd (root)
    /// and 0755/0644, so the code can write nothing outside its own mounts. Done here with plain
    /// system calls rather than by the setup shell, which would spawn a program for each.
    func prepareRoot() throws(SandboxFailure) {
        func directory(_ path: String) throws(SandboxFailure) {
            guard SandboxWorkspace.makeDirectories(workspaceRoot + path, mode: 0o755) else {
                throw SandboxFailure("cannot prepare the sandbox root at \(workspaceRoot + path)")
            }
        }
        func file(_ path: String) throws(SandboxFailure) {
            let descriptor = open(workspaceRoot + path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard descriptor >= 0 else { throw SandboxFailure("cannot prepare the mount point \(workspaceRoot + path)") }
            close(descriptor)
        }
        func link(_ text: String, at path: String) throws(SandboxFailure) {
            guard symlink(text, workspaceRoot + path) == 0 else {
                throw SandboxFailure("cannot prepare the link \(workspaceRoot + path)")
            }
        }
        for mount in allMounts {
            let parent = Self.parents(of: mount.target).last ?? "/"
            switch mount.kind {
            case .symlink:
                try directory(parent)
                try link(mount.source, at: mount.target)
            case .readOnly, .writable:
                if SandboxWorkspace.isDirectory(mount.source) {
                    try directory(mount.target)
                } else {
                    try directory(parent)
                    try file(mount.target)
                }
            case .proc:
                try directory(mount.target)
            case .node:
                try directory(parent)
                try file(mount.target)
            case .dev:
                try directory(mount.target)
                for node in Self.deviceNodes { try file(mount.target + "/" + node) }
                try link("/proc/self/fd", at: mount.target + "/fd")
                try link("/proc/self/fd/0", at: mount.target + "/stdin")
                try link("/proc/self/fd/1", at: mount.target + "/stdout")
                try link("/proc/self/fd/2", at: mount.target + "/stderr")
            }
        }
    }

    // MARK: - Paths

    /// `/a`, `/a/b` for `/a/b/c`.
    static func parents(of path: String) -> [String] {
        let components = path.split(separator: "/")
        guard components.count > 1 else { return [] }
        return (1..<components.count).map { "/" + components[..<$0].joined(separator: "/") }
    }

    static func path(_ path: String, isInside directory: String) -> Bool {
        path == directory || path.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }
}
