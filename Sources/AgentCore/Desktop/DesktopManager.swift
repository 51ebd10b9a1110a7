/// Owns every virtual desktop of the process, so agentd can stop them all on shutdown.
///
/// ```swift
/// let desktops = DesktopManager()
/// let desktop = try await desktops.start(options: DesktopOptions())
/// // …
/// await desktops.stopAll()
/// ```
public actor DesktopManager {
    /// Where the desktops' session directories are created.
    public nonisolated let workDirectory: String
    private var desktops: [ObjectIdentifier: VirtualDesktop] = [:]
    private var shutDown = false

    /// Creates a manager.
    ///
    /// - Parameter workDirectory: Where session directories go.
    public init(workDirectory: String = VirtualDesktop.defaultWorkDirectory) {
        self.workDirectory = workDirectory
    }

    /// Starts a desktop and keeps it until it is stopped.
    ///
    /// - Throws: What `VirtualDesktop.start` throws, or `DesktopError` `.stopped` after `stopAll()`.
    public func start(options: DesktopOptions = DesktopOptions()) async throws -> VirtualDesktop {
        guard !shutDown else { throw DesktopError(.stopped, "the desktop manager has been shut down") }
        let desktop = try await VirtualDesktop.start(options: options, workDirectory: workDirectory)
        guard !shutDown else {  // stopAll ran while this one was starting
            await desktop.stop()
            throw DesktopError(.stopped, "the desktop manager has been shut down")
        }
        desktops[ObjectIdentifier(desktop)] = desktop
        return desktop
    }

    /// Stops one desktop and forgets it.
    public func stop(_ desktop: VirtualDesktop) async {
        desktops[ObjectIdentifier(desktop)] = nil
        await desktop.stop()
    }

    /// Stops every desktop, concurrently, and refuses new ones from then on.
    public func stopAll() async {
        shutDown = true
        let running = Array(desktops.values)
        desktops.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for desktop in running { group.addTask { await desktop.stop() } }
        }
    }

    /// The desktops that are running (started here and not stopped).
    public var runningDesktops: [VirtualDesktop] {
        desktops = desktops.filter { !$0.value.isStopped }
        return Array(desktops.values)
    }

    /// How many desktops are running.
    public var count: Int { runningDesktops.count }
}
