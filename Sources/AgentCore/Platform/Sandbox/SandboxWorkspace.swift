import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The private directory of one sandboxed run under the sandbox's scratch root (0700, agentd's):
/// `work/` is the code's working directory and `/tmp` (owned by the run's user id), `root/` the
/// skeleton of the `namespaces` isolation's new root. Removed with everything in it when the run ends.
struct SandboxWorkspace: Sendable {
    let path: String

    var work: String { path + "/work" }
    var root: String { path + "/root" }

    /// Makes a fresh workspace under `scratchRoot` (created 0700 when missing); `work/` is given to
    /// `owner` when there is one.
    static func make(under scratchRoot: String, owner: UInt32?) throws(SandboxFailure) -> SandboxWorkspace {
        guard makeDirectories(scratchRoot, mode: 0o700) else {
            throw SandboxFailure("cannot create the sandbox scratch directory \(scratchRoot)")
        }
        var template = Array((scratchRoot + "/run-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SandboxFailure("cannot create a working directory under \(scratchRoot)")
        }
        let workspace = SandboxWorkspace(path: String(cString: made))
        guard mkdir(workspace.work, 0o700) == 0, mkdir(workspace.root, 0o755) == 0,
              owner.map({ chown(workspace.work, $0, $0) == 0 }) ?? true
        else {
            workspace.remove()
            throw SandboxFailure("cannot prepare the working directory \(workspace.path)")
        }
        return workspace
    }

    /// Removes the workspace and everything the run left in it (agentd is root, so folders the code
    /// made unwritable are no obstacle; symbolic links are removed, never followed).
    ///
    /// The `namespaces` root's bind mounts live in the run's private mount namespace and are gone
    /// with it; should one ever be visible here (a kernel or configuration that propagated it), the
    /// workspace is left in place rather than deleting through the mount into `/usr`.
    func remove() {
        guard !Self.hasMounts(under: path) else { return }
        Self.remove(path)
    }

    /// Whether anything is mounted at or below `path` in agentd's mount namespace.
    static func hasMounts(under path: String) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        // mountinfo(5): the fifth field is the mount point, with spaces and the like octal-escaped.
        let escaped = path.replacingOccurrences(of: "\\", with: "\\134").replacingOccurrences(of: " ", with: "\\040")
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ", maxSplits: 5)
            guard fields.count > 4 else { return false }
            return fields[4] == escaped || fields[4].hasPrefix(escaped + "/")
        }
    }

    /// Removes `path` and everything under it, if it exists.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    // MARK: - Helpers

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// `mkdir -p` with `mode` for the directories it creates.
    static func makeDirectories(_ path: String, mode: mode_t) -> Bool {
        if isDirectory(path) { return true }
        for parent in SandboxCommand.parents(of: path) + [path] where !isDirectory(parent) {
            guard mkdir(parent, mode) == 0 || errno == EEXIST else { return false }
        }
        return isDirectory(path)
    }

    /// `chown -hR`: gives `path` and everything under it to `uid`/`gid` without following links.
    /// Iterative, since the tree was shaped by build-time code and may be arbitrarily deep.
    static func changeOwner(of path: String, to uid: uid_t, _ gid: gid_t) {
        var pending = [path]
        while let current = pending.popLast() {
            _ = lchown(current, uid, gid)
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, let directory = opendir(current) else {
                continue
            }
            while let item = readdir(directory) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { pending.append(current + "/" + name) }
            }
            closedir(directory)
        }
    }
}
