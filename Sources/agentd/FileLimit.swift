import Foundation

/// The open-file limit: agentd raises its soft limit to the hard one at start-up, since every
/// connection, desktop and shell holds descriptors, and sizes its connection cap to fit.
enum FileLimit {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit; returns the limit now in force.
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Connections the server may hold: what the file limit allows after a reserve for the
    /// database, desktops and shells, at most 65,536.
    static func connectionCap(forFileLimit files: Int) -> Int {
        max(64, min(65_536, files - 512))
    }
}
