import AgentCore

/// Keeps one session busy and acknowledges its stored events on stdout.
///
/// It sends a task, and another each time the session completes one; every stored event its
/// subscription delivers is printed as `ACK <session-id> <seq>`. The subscription starts at seq 0,
/// so events stored by earlier writers are acknowledged again (they are stored too).
struct SessionDriver: Sendable {
    let id: String
    let service: SessionService
    /// The session's last seq before this writer's first task: completions after it are ours.
    let firstSeq: Int

    /// Sends the session its first task and returns its driver.
    static func start(_ id: String, service: SessionService) async throws -> SessionDriver {
        let firstSeq = try await service.session(id).lastSeq
        let driver = SessionDriver(id: id, service: service, firstSeq: firstSeq)
        try await driver.sendTask()
        return driver
    }

    /// Acknowledges events and sends tasks until the subscription closes for good.
    func run() async {
        var after = 0
        while true {
            let subscription: EventSubscription
            do {
                subscription = try await service.subscribe(id, after: after)
            } catch {
                StandardStream.error("session-writer: subscribe \(id): \(error)")
                return
            }
            for await item in subscription {
                switch item {
                case .event(let event) where !event.isLive:
                    StandardStream.output("ACK \(id) \(event.seq)\n")
                    after = event.seq
                    await react(to: event)
                case .event:
                    continue
                case .closed(let reason, let kind):
                    StandardStream.error("session-writer: subscription of \(id) closed (\(kind.rawValue)): \(reason)")
                    if kind != .fellBehind { return }
                }
            }
        }
    }

    // MARK: - Internals

    private func react(to event: SessionEvent) async {
        guard event.seq > firstSeq, event.type == "status", let status = event.data["status"]?.stringValue else { return }
        switch status {
        case SessionStatus.completed.rawValue:
            do { try await sendTask() } catch { StandardStream.error("session-writer: send \(id): \(error)") }
        case SessionStatus.error.rawValue:
            StandardStream.error("session-writer: \(id) ended in error: \(event.data["reason"]?.stringValue ?? "?")")
        default:
            break
        }
    }

    private func sendTask() async throws {
        _ = try await service.send(id, Message.user("Take a few notes, then say you are done."))
    }
}

