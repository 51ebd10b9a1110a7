/// How the session service behaves: defaults for new sessions and its own limits.
public struct SessionServiceConfiguration: Sendable {
    /// The configuration of a session whose create request leaves fields out.
    public var defaults: SessionConfiguration
    /// A session that is idle, paused or waiting for approval this long ends with status `timeout`
    /// and its desktop is freed (seed 002: 5 minutes). `nil` turns the timeout off.
    public var inactivityTimeout: Double?
    /// Most messages waiting in one session's queue.
    public var maxQueuedMessages: Int
    /// Most stored events a subscriber may fall behind before it is dropped.
    public var subscriberBufferLimit: Int
    /// Each session's working directory is `<root>/<session id>` (created 0700, removed with the session).
    public var workingDirectoryRoot: String
    /// The model table.
    public var catalog: ModelCatalog
    /// The screen size of a desktop or browser environment whose create request gives none
    /// (seed 000's `WIDTH` and `HEIGHT`).
    public var desktopWidth: Int
    public var desktopHeight: Int

    public init(
        defaults: SessionConfiguration = SessionConfiguration(), inactivityTimeout: Double? = 300,
        maxQueuedMessages: Int = 100, subscriberBufferLimit: Int = 1024,
        workingDirectoryRoot: String = "/tmp/agentd-sessions", catalog: ModelCatalog = .standard,
        desktopWidth: Int = 1280, desktopHeight: Int = 800
    ) {
        self.defaults = defaults
        self.inactivityTimeout = inactivityTimeout
        self.maxQueuedMessages = maxQueuedMessages
        self.subscriberBufferLimit = subscriberBufferLimit
        self.workingDirectoryRoot = workingDirectoryRoot
        self.catalog = catalog
        self.desktopWidth = desktopWidth
        self.desktopHeight = desktopHeight
    }
}
