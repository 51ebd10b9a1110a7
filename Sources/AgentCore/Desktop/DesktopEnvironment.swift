/// Builds the environment of the programs a virtual desktop starts.
///
/// It starts from agentd's own environment scrubbed the way the bash tool scrubs it (no API keys,
/// tokens or `BASH_ENV`), drops what would tie a program to another desktop or to the host's session
/// (`WAYLAND_DISPLAY`, the D-Bus session bus, the session manager, `XDG_*_HOME`, `XDG_RUNTIME_DIR`), and
/// sets `DISPLAY`, `XAUTHORITY` and `HOME` to the desktop's own.
enum DesktopEnvironment {
    /// Names removed on top of the bash tool's secret scrubbing.
    static let sessionNames: Set<String> = [
        "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "SESSION_MANAGER", "XDG_SESSION_ID",
        "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
        "XDG_CONFIG_DIRS", "XAUTHLOCALHOSTNAME", "DESKTOP_STARTUP_ID", "WINDOWID",
    ]

    /// The variable that marks the programs a desktop launched (and, by inheritance, whatever they
    /// start), so `stop()` finds the ones that left its process trees. Its value is the session
    /// directory. The session's bash gets `VirtualDesktop.environment` without it, so the desktop
    /// never kills processes it does not own.
    static let markName = "AGENTD_DESKTOP"

    /// `AGENTD_DESKTOP=<session directory>`, as it appears in `/proc/<pid>/environ`.
    static func mark(session: String) -> String { "\(markName)=\(session)" }

    /// The variables that point a program at one desktop.
    static func desktopVariables(displayName: String, authorityFile: String, home: String) -> [String: String] {
        ["DISPLAY": displayName, "XAUTHORITY": authorityFile, "HOME": home]
    }

    /// `inherited` minus secrets and session variables, plus `desktop` (which wins).
    static func make(inherited: [String: String], desktop: [String: String]) -> [String: String] {
        BashEnvironment.make(
            inherited: inherited.filter { !sessionNames.contains($0.key) },
            scrubbing: BashTool.defaultSecretNames, adding: desktop
        )
    }

    /// `NAME=value` strings, sorted, for `posix_spawn`.
    static func strings(_ environment: [String: String]) -> [String] {
        environment.map { "\($0.key)=\($0.value)" }.sorted()
    }
}
