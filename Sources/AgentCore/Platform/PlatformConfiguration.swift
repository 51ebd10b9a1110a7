/// Seed 003's settings: where artifacts live, upload size, build workers, execution time.
public struct PlatformConfiguration: Sendable {
    /// `STORAGE_PATH`: artifacts (`agents/{id}/artifacts/…`) and extracted versions.
    public var storageRoot: String
    /// `UPLOAD_MAX_SIZE` in bytes (seed 003: 100 MB).
    public var uploadMaxSize: Int
    /// `WORKER_CONCURRENCY`: builds at once (seed 003: 4).
    public var workerConcurrency: Int
    /// `EXECUTION_TIMEOUT`: seconds a Python execution may run (seed 003: 30).
    public var executionTimeout: Double
    /// Caps on what an artifact may unpack to.
    public var extractionLimits: ExtractionLimits
    /// rlimits and output caps of executions and build checks (the timeout is set per use).
    public var sandboxLimits: SandboxLimits
    /// A local directory of wheels for `requirements.txt` (`pip --no-index --find-links`); `nil`
    /// lets pip use its index (the one build step with network).
    public var wheelDirectory: String?
    /// Seconds a build's requirement installation may take.
    public var installTimeout: Double

    public init(storageRoot: String, uploadMaxSize: Int = 104_857_600, workerConcurrency: Int = 4,
                executionTimeout: Double = 30, extractionLimits: ExtractionLimits = ExtractionLimits(),
                sandboxLimits: SandboxLimits = SandboxLimits(), wheelDirectory: String? = nil, installTimeout: Double = 300) {
        self.storageRoot = storageRoot
        self.uploadMaxSize = uploadMaxSize
        self.workerConcurrency = workerConcurrency
        self.executionTimeout = executionTimeout
        self.extractionLimits = extractionLimits
        self.sandboxLimits = sandboxLimits
        self.wheelDirectory = wheelDirectory
        self.installTimeout = installTimeout
    }
}
