import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds and kills everything a shell started, leaves first, so each process is reaped by its parent.
///
/// A single `killpg(SIGKILL)` kills the shell and its children at once; the children are then
/// re-parented to PID 1 and, where PID 1 does not reap orphans (containers, this VM), stay zombies
/// forever. Killing the leaves of the process tree first lets the still-running shell (bash reaps its
/// jobs on `SIGCHLD`) or intermediate process collect them. The tree is read from Linux `/proc`; where
/// there is none, only the final process-group kill happens.
enum ProcessTree {
    /// One line of `/proc/<pid>/stat`, reduced to what the teardown needs.
    struct Entry: Sendable, Equatable {
        let pid: pid_t
        let parent: pid_t
        let group: pid_t
        /// `R`, `S`, `D`, `T`, `Z`, …
        let state: UInt8

        var isDead: Bool { state == UInt8(ascii: "Z") || state == UInt8(ascii: "X") }
    }

    /// The processes descended from `leader` (by parent links) or in its process group, leader excluded.
    static func members(of leader: pid_t) -> [Entry] {
        members(of: leader, in: snapshot())
    }

    static func members(of leader: pid_t, in table: [Entry]) -> [Entry] {
        var children: [pid_t: [Entry]] = [:]
        for entry in table { children[entry.parent, default: []].append(entry) }
        var found: [pid_t: Entry] = [:]
        var queue = [leader]
        while let pid = queue.popLast() {
            for child in children[pid] ?? [] where found[child.pid] == nil && child.pid != leader {
                found[child.pid] = child
                queue.append(child.pid)
            }
        }
        for entry in table where entry.group == leader && entry.pid != leader { found[entry.pid] = entry }
        return Array(found.values)
    }

    /// Kills `leader`'s descendants and group members bottom-up, waiting after each round for the
    /// killed processes to be reaped. Blocks: call it on a dedicated thread.
    ///
    /// Gives up after `rounds` rounds (a loop that keeps forking); the caller's `killpg` handles the rest.
    static func killDescendants(of leader: pid_t, rounds: Int = 32, reapTimeout: Double = 0.25) {
        for _ in 0..<rounds {
            let table = snapshot()
            let alive = members(of: leader, in: table).filter { !$0.isDead }
            if alive.isEmpty { return }
            let leaderAlive = table.first { $0.pid == leader }.map { !$0.isDead } ?? false
            let alivePIDs = Set(alive.map(\.pid))
            let parents = Set(alive.map(\.parent))
            let leaves = alive.filter { !parents.contains($0.pid) }
            for leaf in leaves { kill(leaf.pid, SIGKILL) }
            // Wait only for leaves whose parent will reap them; orphans belong to PID 1.
            let reapable = leaves.filter { alivePIDs.contains($0.parent) || ($0.parent == leader && leaderAlive) }
            waitUntilGone(reapable.map(\.pid), timeout: reapTimeout)
        }
    }

    /// Kills the process group led by `leader` and everything under it: wakes stopped members (a
    /// stopped process cannot reap its children), kills the tree leaves first so each process is
    /// reaped by its parent, then the whole group, then any straggler still in the tree. The leader
    /// itself is left for the caller to reap. Blocks: call it on a dedicated thread.
    static func killGroup(ledBy leader: pid_t) {
        kill(-leader, SIGCONT)
        killDescendants(of: leader)
        kill(-leader, SIGKILL)
        for straggler in members(of: leader) where !straggler.isDead {
            kill(straggler.pid, SIGKILL)
        }
    }

    /// Whether `pid` no longer appears in the process table (reaped; a zombie still appears).
    static func isGone(_ pid: pid_t) -> Bool {
        entry(for: pid) == nil
    }

    // MARK: - /proc

    static func snapshot() -> [Entry] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var table: [Entry] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), let entry = entry(for: pid) else { continue }
            table.append(entry)
        }
        return table
    }

    static func entry(for pid: pid_t) -> Entry? {
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return parseStat(Array(buffer[..<count]), pid: pid)
    }

    /// Parses `pid (comm) state ppid pgrp …`; `comm` may hold spaces and parentheses, so fields are
    /// counted from the last `)` (proc(5)).
    static func parseStat(_ bytes: [UInt8], pid: pid_t) -> Entry? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 4)
        guard fields.count >= 3, let state = fields[0].first,
              let parent = pid_t(String(decoding: fields[1], as: UTF8.self)),
              let group = pid_t(String(decoding: fields[2], as: UTF8.self))
        else { return nil }
        return Entry(pid: pid, parent: parent, group: group, state: state)
    }

    private static func waitUntilGone(_ pids: [pid_t], timeout: Double) {
        guard !pids.isEmpty else { return }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        var pause: UInt32 = 100  // microseconds, doubling to 5 ms
        while pids.contains(where: { !isGone($0) }) && DispatchTime.now().uptimeNanoseconds < deadline {
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
    }
}
