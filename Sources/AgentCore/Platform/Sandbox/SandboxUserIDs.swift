import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Throw-away user ids, one per running sandbox in this process, so that `RLIMIT_NPROC` (counted
/// per user id, and not enforced at all for uid 0) limits each run on its own and one run's fork
/// bomb cannot starve another.
///
/// They come from a range no distribution allocates (16 M ids from 0x5F000000), chosen at random
/// and never two at once in this process. No account exists for them: the code sees a bare number.
enum SandboxUserIDs {
    static let range: ClosedRange<UInt32> = 0x5F00_0000...0x5FFF_FFFF
    /// The id the start-up probe runs `true` under.
    static let probeUser: UInt32 = range.lowerBound

    private static let inUse = Mutex<Set<UInt32>>([])

    /// A fresh id; give it back with `release` once every process of the run is gone.
    static func acquire() -> UInt32 {
        inUse.withLock { used in
            while true {
                let candidate = UInt32.random(in: (range.lowerBound + 1)...range.upperBound)
                if used.insert(candidate).inserted { return candidate }
            }
        }
    }

    static func release(_ uid: UInt32) {
        _ = inUse.withLock { $0.remove(uid) }
    }

    /// Kills every process running as `uid` until none is left (at most `rounds` sweeps of `/proc`).
    /// Used where no PID namespace ends them (`none` isolation): a `setsid` daemon the code started
    /// still has the run's uid. Zombies are left to their parents.
    static func killProcesses(ownedBy uid: UInt32, rounds: Int = 50) {
        for _ in 0..<rounds {
            let owned = processes(ownedBy: uid)
            if owned.isEmpty { return }
            for pid in owned { kill(pid, SIGKILL) }
            usleep(2_000)
        }
    }

    /// Live (not zombie) processes whose real uid is `uid`.
    static func processes(ownedBy uid: UInt32) -> [pid_t] {
        ProcessTree.snapshot().filter { !$0.isDead && realUserID(of: $0.pid) == uid }.map(\.pid)
    }

    private static func realUserID(of pid: pid_t) -> UInt32? {
        var status = stat()
        // /proc/<pid> is owned by the process's effective uid; the sandbox never makes them differ
        // (setpriv sets real, effective and saved ids, and no_new_privs stops setuid binaries).
        guard stat("/proc/\(pid)", &status) == 0 else { return nil }
        return status.st_uid
    }
}
