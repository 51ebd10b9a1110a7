import Dispatch
import Foundation
import Synchronization

/// Long-lived threads that run blocking libcurl transfers, so the Swift cooperative pool never blocks.
///
/// A job goes to a parked worker when one is idle (a semaphore signal, a few microseconds) and to a
/// new thread otherwise. Workers park for `idleLifetime` seconds after a job, then exit; at most
/// `maxIdle` stay parked.
final class CurlWorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    /// One worker thread's mailbox.
    private final class Worker: Sendable {
        let wakeUp = DispatchSemaphore(value: 0)
        let job = Mutex<Job?>(nil)
    }

    private let idle = Mutex<[Worker]>([])
    private let maxIdle: Int
    private let idleLifetime: Double

    init(maxIdle: Int = 8, idleLifetime: Double = 30) {
        self.maxIdle = max(0, maxIdle)
        self.idleLifetime = idleLifetime
    }

    /// Runs `job` on a worker thread.
    func submit(_ job: @escaping Job) {
        if let worker = idle.withLock({ $0.popLast() }) {
            worker.job.withLock { $0 = job }
            worker.wakeUp.signal()
            return
        }
        let worker = Worker()
        let thread = Thread { [self] in self.run(worker, first: job) }
        thread.name = "curl-transfer"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    private func run(_ worker: Worker, first: @escaping Job) {
        var next: Job? = first
        while let job = next {
            job()
            next = nil
            let parked = idle.withLock { list -> Bool in
                guard list.count < maxIdle else { return false }
                list.append(worker)
                return true
            }
            guard parked else { return }
            if worker.wakeUp.wait(timeout: .now() + idleLifetime) == .timedOut {
                let retired = idle.withLock { list -> Bool in
                    guard let i = list.firstIndex(where: { $0 === worker }) else { return false }
                    list.remove(at: i)
                    return true
                }
                if retired { return }
                // A job was handed over between the timeout and taking the lock: its signal is coming.
                worker.wakeUp.wait()
            }
            next = worker.job.withLock { slot in
                defer { slot = nil }
                return slot
            }
        }
    }
}
