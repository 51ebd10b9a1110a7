#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The host programs and directories the sandboxes are built from, looked up once per process.
struct SandboxTools: Sendable {
    /// One entry of the host's base system as the sandbox sees it.
    struct SystemEntry: Sendable, Equatable {
        let path: String
        /// The link's text when the host entry is a symbolic link (`/lib -> usr/lib` on merged-/usr).
        let symlink: String?
    }

    static let shared = SandboxTools()

    /// `PATH` inside every sandbox (and for the setup programs around it).
    static let sandboxPath = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"

    let bwrap: String?
    let unshare: String?
    let setpriv: String?
    let chroot: String?
    let shell: String
    let truePath: String
    /// Whether agentd runs as root: only then can the sandbox switch to a throw-away user id (and the
    /// `namespaces` isolation work at all).
    let isRoot: Bool
    /// `/usr` and the top-level directories or links into it (`/bin`, `/lib`, `/lib64`, …).
    let system: [SystemEntry]
    /// Files every sandbox gets read-only: the dynamic linker's cache.
    let systemFiles: [String]
    /// What name resolution and TLS need, for the one networked step (`pip install`).
    let networkFiles: [String]

    private init() {
        let searchPath = (getenv("PATH").map { String(cString: $0) } ?? "") + ":" + Self.sandboxPath
        func find(_ name: String) -> String? {
            for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
                let candidate = "\(directory)/\(name)"
                if access(candidate, X_OK) == 0 { return candidate }
            }
            return nil
        }
        bwrap = find("bwrap")
        unshare = find("unshare")
        setpriv = find("setpriv")
        chroot = find("chroot")
        shell = find("sh") ?? "/bin/sh"
        truePath = find("true") ?? "/bin/true"
        isRoot = geteuid() == 0
        var system = [SystemEntry(path: "/usr", symlink: nil)]
        for path in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            if status.st_mode & S_IFMT == S_IFLNK {
                system.append(SystemEntry(path: path, symlink: Self.readLink(path)))
            } else if status.st_mode & S_IFMT == S_IFDIR {
                system.append(SystemEntry(path: path, symlink: nil))
            }
        }
        self.system = system
        systemFiles = ["/etc/ld.so.cache"].filter { access($0, R_OK) == 0 }
        networkFiles = ["/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf",
                        "/etc/ssl/certs", "/etc/ca-certificates"].filter { access($0, R_OK) == 0 }
    }

    /// The sandboxes' environment: exactly this allowlist, nothing inherited from agentd.
    static func environment(home: String, extra: [String] = []) -> [String] {
        [
            "PATH=\(sandboxPath)", "HOME=\(home)", "TMPDIR=\(home)", "LANG=C.UTF-8",
            "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1", "PYTHONUTF8=1",
        ] + extra
    }

    /// Whether `isolation` can be used with the programs this machine has.
    func supports(_ isolation: SandboxIsolation) -> Bool {
        switch isolation {
        case .bubblewrap: bwrap != nil && (!isRoot || setpriv != nil)
        case .namespaces: isRoot && unshare != nil && setpriv != nil && chroot != nil
        case .none: true
        }
    }

    // MARK: - Probes

    /// Starts a real (empty) bubblewrap sandbox, with the same options a run uses.
    func probeBubblewrap() -> Bool {
        guard supports(.bubblewrap) else { return false }
        let command = SandboxCommand(isolation: .bubblewrap, tools: self, interpreterPrefix: nil, mounts: [],
                                     network: false, userID: isRoot ? SandboxUserIDs.probeUser : nil,
                                     workDirectory: "/", workspaceRoot: "/")
        return succeeds(command.arguments(running: [truePath]))
    }

    /// Creates the namespaces the `namespaces` isolation uses (root only).
    func probeNamespaces() -> Bool {
        guard supports(.namespaces), let unshare else { return false }
        return succeeds([unshare, "--mount", "--pid", "--ipc", "--uts", "--net", "--fork", "--kill-child",
                         "--propagation", "private", "--", truePath])
    }

    private func succeeds(_ arguments: [String]) -> Bool {
        let result = SandboxChild.capture(arguments: arguments, environment: Self.environment(home: "/"), timeout: 10)
        return result?.status == 0
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
