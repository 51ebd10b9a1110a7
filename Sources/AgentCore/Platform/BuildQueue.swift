/// Runs version builds, `concurrency` at a time, in the order they were queued. The queue itself is
/// durable in the store (versions stay `queued`/`building` until finished), so a restart re-queues
/// what was in flight; this actor only schedules.
actor BuildQueue {
    private let concurrency: Int
    private let build: @Sendable (Int) async -> Void
    private var waiting: [Int] = []
    private var queued: Set<Int> = []
    private var running = 0
    private var workers: [Int: Task<Void, Never>] = [:]
    private var stopped = false

    init(concurrency: Int, build: @escaping @Sendable (Int) async -> Void) {
        self.concurrency = max(1, concurrency)
        self.build = build
    }

    /// Queues a version's build (once: a version already waiting or building is not queued again).
    func enqueue(_ versionID: Int) {
        guard !stopped, queued.insert(versionID).inserted else { return }
        waiting.append(versionID)
        startWorkers()
    }

    /// Stops taking builds and waits for the running ones (which a restart would re-queue anyway).
    func stop() async {
        stopped = true
        waiting.removeAll()
        let current = Array(workers.values)
        workers.removeAll()
        for worker in current { worker.cancel() }
        for worker in current { await worker.value }
    }

    private func startWorkers() {
        while running < concurrency, !waiting.isEmpty {
            let id = waiting.removeFirst()
            running += 1
            let build = self.build
            workers[id] = Task {
                await build(id)
                self.finished(id)
            }
        }
    }

    private func finished(_ versionID: Int) {
        running -= 1
        queued.remove(versionID)
        workers.removeValue(forKey: versionID)
        startWorkers()
    }
}
