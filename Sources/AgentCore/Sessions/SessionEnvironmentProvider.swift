/// A session's tools and the computer behind them, ready to run.
public struct PreparedEnvironment: Sendable {
    public var tools: ToolSet
    /// Variables child processes need (`DISPLAY`, `XAUTHORITY`).
    public var processEnvironment: [String: String]
    /// Frees what `prepare` set up (shell, desktop). Called once.
    public var release: @Sendable () async -> Void
    /// The desktop's live view (x11vnc, started on first use), when the environment has a desktop.
    public var liveView: DesktopLiveView?

    public init(tools: ToolSet, processEnvironment: [String: String] = [:], liveView: DesktopLiveView? = nil,
                release: @escaping @Sendable () async -> Void) {
        self.tools = tools
        self.processEnvironment = processEnvironment
        self.liveView = liveView
        self.release = release
    }
}

/// Sets up the tools of a session: its shell, its editor, its desktop or browser.
public protocol SessionEnvironmentProvider: Sendable {
    /// Prepares the tools `configuration` asks for, at the model's tool versions.
    func prepare(sessionID: String, configuration: SessionConfiguration, versions: ToolVersions) async throws
        -> PreparedEnvironment
}

/// The standard environment: `BashTool`, `EditTool`, and a `ComputerTool` on a private
/// `VirtualDesktop` (with Chromium for the `browser` environment).
public struct StandardEnvironmentProvider: SessionEnvironmentProvider {
    public init() {}

    public func prepare(sessionID: String, configuration: SessionConfiguration, versions: ToolVersions) async throws
        -> PreparedEnvironment
    {
        var desktop: VirtualDesktop?
        switch configuration.environment {
        case .none: break
        case .desktop(let width, let height):
            desktop = try await VirtualDesktop.start(options: DesktopOptions(width: width, height: height))
        case .browser(let width, let height, let url):
            var options = DesktopOptions(width: width, height: height)
            options.browser = BrowserOptions(startingURL: url)
            desktop = try await VirtualDesktop.start(options: options)
        }
        let tools: ToolSet
        do {
            tools = try await Self.makeTools(configuration.tools, versions: versions, screen: desktop?.x11)
        } catch {
            await desktop?.stop()
            throw error
        }
        let started = desktop
        return PreparedEnvironment(
            tools: tools, processEnvironment: desktop?.environment ?? [:], liveView: desktop.map { DesktopLiveView(desktop: $0) }
        ) {
            for tool in tools.tools {
                if let bash = tool as? BashTool { await bash.shutdown() }
            }
            await started?.stop()
        }
    }

    /// The tools named in `names` (`bash`, `edit`, `computer`) at `versions`; `computer` only when
    /// there is a screen.
    public static func makeTools(_ names: [String], versions: ToolVersions, screen: (any ComputerEnvironment)?)
        async throws -> ToolSet
    {
        var set = ToolSet()
        for name in names {
            switch name {
            case "bash": set.add(BashTool(version: BashVersion(rawValue: versions.bash) ?? .v20250124))
            case "edit": set.add(EditTool(version: EditorVersion(rawValue: versions.textEditor) ?? .v20250728))
            case "computer":
                if let screen {
                    set.add(try await ComputerTool.make(
                        version: ComputerVersion(rawValue: versions.computer) ?? .v20251124, environment: screen))
                }
            default: break
            }
        }
        return set
    }
}
