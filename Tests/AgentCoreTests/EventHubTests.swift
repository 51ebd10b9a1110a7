import AgentCore
import AgentTesting
import Testing

@Suite(.timeLimit(.minutes(1)))
struct EventHubTests {
    // MARK: - Resuming

    @Test("subscribing from 0 while 1,000 more are published yields seq 1...2000 once each",
          arguments: [(bufferLimit: 1024, pageSize: 500), (64, 500), (64, 7)])
    func catchUpWhilePublishing(bufferLimit: Int, pageSize: Int) async throws {
        let log = FakeEventLog(last: 1000)
        let hub = EventHub(sessionID: "s1", lastSeq: 1000, bufferLimit: bufferLimit, historyPageSize: pageSize)
        // The second history read waits until all 1,000 live events are published.
        let (readStarted, release) = (Gate(), Gate())
        await log.holdRead(2, started: readStarted, release: release)
        var iterator = hub.subscribe(after: 0, history: log.history).makeAsyncIterator()

        async let items = iterator.take(2000)
        await readStarted.wait()
        for _ in 0..<1000 { hub.publish(await log.append()) }
        release.open()

        #expect(try await items.seqs == Array(1...2000))
        await expectNothingMore(from: &iterator, hub: hub)
    }

    @Test("catching up and publishing concurrently, without gates, still yields each seq once in order")
    func catchUpRacingPublishes() async throws {
        let log = FakeEventLog(last: 1000)
        let hub = EventHub(sessionID: "s1", lastSeq: 1000)
        let subscription = hub.subscribe(after: 0, history: log.history)
        async let items = subscription.take(2000)
        for _ in 0..<1000 { hub.publish(await log.append()) }
        #expect(try await items.seqs == Array(1...2000))
    }

    @Test("resuming from a middle seq yields the rest of history, then live events")
    func resumeFromMiddle() async throws {
        let log = FakeEventLog(last: 1000)
        let hub = EventHub(sessionID: "s1", lastSeq: 1000)
        let subscription = hub.subscribe(after: 400, history: log.history)
        var iterator = subscription.makeAsyncIterator()
        #expect(try await iterator.take(600).seqs == Array(401...1000))
        hub.publish(await log.append(10))
        #expect(try await iterator.take(10).seqs == Array(1001...1010))
        hub.close(reason: "done")
        #expect(await iterator.next() == .closed(reason: "done", kind: .hubClosed))
    }

    @Test("resuming from the last seq reads no history and yields only live events")
    func resumeFromLastSeq() async throws {
        let log = FakeEventLog(last: 1000)
        let hub = EventHub(sessionID: "s1", lastSeq: 1000)
        let subscription = hub.subscribe(after: 1000, history: log.history)
        hub.publish(await log.append(5))
        #expect(try await subscription.take(5).seqs == Array(1001...1005))
        #expect(await log.reads == 0)
    }

    @Test("resuming from ahead of the hub yields nothing old, only events after the given seq")
    func resumeFromAhead() async throws {
        let log = FakeEventLog(last: 1000)
        let hub = EventHub(sessionID: "s1", lastSeq: 1000)
        var iterator = hub.subscribe(after: 1005, history: log.history).makeAsyncIterator()
        for _ in 0..<10 { hub.publish(await log.append()) }
        #expect(try await iterator.take(5).seqs == Array(1006...1010))
        #expect(await log.reads == 0)
        await expectNothingMore(from: &iterator, hub: hub)
    }

    @Test("200 subscribers resuming from random seqs while publishing each get a contiguous run to the end")
    func manySubscribersResuming() async throws {
        let log = FakeEventLog(last: 500)
        let hub = EventHub(sessionID: "s1", lastSeq: 500, historyPageSize: 50)
        var random = SplitMix64(seed: 42)
        let afters = (0..<200).map { _ in Int(random.next() % 701) }   // 0...700: behind, at and ahead of 500

        let runs = await withTaskGroup(of: (after: Int, seqs: [Int]?).self) { group in
            group.addTask {
                for _ in 0..<500 {
                    hub.publish(await log.append())
                    await Task.yield()
                }
                return (-1, nil)
            }
            for after in afters {
                group.addTask {
                    let subscription = hub.subscribe(after: after, history: log.history)
                    return (after, try? await subscription.take(1000 - after).seqs)
                }
            }
            var runs: [(after: Int, seqs: [Int]?)] = []
            for await run in group where run.after >= 0 { runs.append(run) }
            return runs
        }
        #expect(runs.count == 200)
        for run in runs {
            #expect(run.seqs == Array(run.after + 1...1000), "subscriber after \(run.after)")
        }
        #expect(hub.subscriberCount == 0)
    }

    @Test("1,000 live subscribers each receive every publish")
    func thousandSubscribers() async throws {
        let log = FakeEventLog()
        let hub = EventHub(sessionID: "s1", lastSeq: 0)
        let subscriptions = (0..<1000).map { _ in hub.subscribe(after: 0, history: log.history) }
        #expect(hub.subscriberCount == 1000)
        try await withThrowingTaskGroup(of: [Int].self) { group in
            for subscription in subscriptions {
                group.addTask { try await subscription.take(100).seqs }
            }
            for _ in 0..<100 { hub.publish(await log.append()) }
            for try await seqs in group { #expect(seqs == Array(1...100)) }
        }
    }

    @Test("events the store no longer has (cleared history) are skipped, not waited for")
    func clearedHistory() async throws {
        let log = FakeEventLog(first: 51, last: 60)
        let hub = EventHub(sessionID: "s1", lastSeq: 60)
        let subscription = hub.subscribe(after: 0, history: log.history)
        var iterator = subscription.makeAsyncIterator()
        #expect(try await iterator.take(10).seqs == Array(51...60))

        let empty = FakeEventLog(first: 51, last: 50)
        let cleared = hub.subscribe(after: 0, history: empty.history)
        hub.publish([storedEvent(61)])
        #expect(try await iterator.take(1).seqs == [61])
        #expect(try await cleared.take(1).seqs == [61])
    }

    // MARK: - Slow subscribers

    @Test("a subscriber that stops reading is closed after bufferLimit events; a fast one gets everything")
    func slowSubscriberDropped() async throws {
        let log = FakeEventLog()
        let hub = EventHub(sessionID: "s1", lastSeq: 0, bufferLimit: 10)
        let slow = hub.subscribe(after: 0, history: log.history)
        let fast = hub.subscribe(after: 0, history: log.history)
        let (received, receivedSeq) = AsyncStream.makeStream(of: Int.self)
        let fastTask = Task {
            var seqs: [Int] = []
            for await case .event(let event) in fast {
                seqs.append(event.seq)
                receivedSeq.yield(event.seq)
                if event.seq == 50 { break }
            }
            return seqs
        }
        var fastProgress = received.makeAsyncIterator()
        var slowIterator = slow.makeAsyncIterator()

        for _ in 1...3 {
            hub.publish(await log.append())
            _ = await fastProgress.next()
        }
        #expect(try await slowIterator.take(3).seqs == [1, 2, 3])
        // The slow subscriber now reads nothing; publish must still return at once for each event.
        for seq in 4...50 {
            hub.publish(await log.append())
            #expect(await fastProgress.next() == seq)
            if seq == 13 { #expect(hub.subscriberCount == 2) }
            if seq == 14 { #expect(hub.subscriberCount == 1) }
        }
        #expect(await fastTask.value == Array(1...50))
        #expect(await slowIterator.next() == .closed(
            reason: "the subscriber fell behind by more than 10 events; resume with after=3", kind: .fellBehind))
        #expect(await slowIterator.next() == nil)
    }

    // MARK: - Live deltas

    @Test("live deltas reach caught-up subscribers in order and are never replayed")
    func liveDeltas() async throws {
        let log = FakeEventLog(last: 3)
        let hub = EventHub(sessionID: "s1", lastSeq: 3)
        let caughtUp = hub.subscribe(after: 0, history: log.history)
        var iterator = caughtUp.makeAsyncIterator()
        #expect(try await iterator.take(3).seqs == [1, 2, 3])

        hub.publish([deltaEvent(after: 3, text: "a")])
        hub.publish(await log.append())
        hub.publish([deltaEvent(after: 4, text: "b"), deltaEvent(after: 4, text: "c")])
        let items = await iterator.take(4)
        #expect(items == [.event(deltaEvent(after: 3, text: "a")), .event(storedEvent(4)),
                          .event(deltaEvent(after: 4, text: "b")), .event(deltaEvent(after: 4, text: "c"))])

        // A later subscriber gets the stored events only.
        var later = hub.subscribe(after: 0, history: log.history).makeAsyncIterator()
        #expect(try await later.take(4).seqs == [1, 2, 3, 4])
        await expectNothingMore(from: &later, hub: hub)
    }

    @Test("a delta published while a subscriber is catching up is dropped, not delivered out of order")
    func deltaDuringCatchUp() async throws {
        let log = FakeEventLog(last: 4)
        let hub = EventHub(sessionID: "s1", lastSeq: 4)
        let (readStarted, release) = (Gate(), Gate())
        await log.holdRead(1, started: readStarted, release: release)
        let subscription = hub.subscribe(after: 0, history: log.history)
        var iterator = subscription.makeAsyncIterator()
        async let first = iterator.take(4)
        await readStarted.wait()
        hub.publish([deltaEvent(after: 4)])
        release.open()
        #expect(try await first.seqs == [1, 2, 3, 4])
        hub.publish(await log.append())
        #expect(await iterator.next() == .event(storedEvent(5)))
    }

    // MARK: - Ending

    @Test("cancelling the consuming task removes the subscriber")
    func cancelTask() async {
        let log = FakeEventLog(last: 1)
        let hub = EventHub(sessionID: "s1", lastSeq: 1)
        let subscription = hub.subscribe(after: 0, history: log.history)
        let gotFirst = Gate()
        let task = Task {
            var count = 0
            for await _ in subscription {
                count += 1
                gotFirst.open()
            }
            return count
        }
        await gotFirst.wait()
        #expect(hub.subscriberCount == 1)
        task.cancel()
        #expect(await task.value == 1)
        #expect(hub.subscriberCount == 0)
    }

    @Test("cancel() ends the iteration and removes the subscriber")
    func cancelMethod() async {
        let hub = EventHub(sessionID: "s1", lastSeq: 0)
        let subscription = hub.subscribe(after: 0, history: FakeEventLog().history)
        let task = Task { await subscription.take(10) }
        subscription.cancel()
        #expect(await task.value == [])
        #expect(hub.subscriberCount == 0)
    }

    @Test("dropping the iterator, or the subscription unread, removes the subscriber")
    func droppingRemoves() async throws {
        let log = FakeEventLog(last: 5)
        let hub = EventHub(sessionID: "s1", lastSeq: 5)
        let subscription = hub.subscribe(after: 0, history: log.history)
        do {
            var iterator = subscription.makeAsyncIterator()
            #expect(await iterator.next() == .event(storedEvent(1)))
        }
        #expect(hub.subscriberCount == 0)
        withExtendedLifetime(subscription) {}   // the subscription itself is still held
        _ = hub.subscribe(after: 0, history: log.history)
        #expect(hub.subscriberCount == 0)
    }

    @Test("close(reason:) ends every subscriber with that reason, and later ones at once")
    func closeEndsAll() async {
        let log = FakeEventLog(last: 2)
        let hub = EventHub(sessionID: "s1", lastSeq: 2)
        let subscriptions = (0..<3).map { hub.subscribe(after: $0, history: log.history) }
        let waiting = Task { await subscriptions[0].take(100) }
        hub.close(reason: "the session was deleted", kind: .sessionDeleted)
        let closed = SubscriptionItem.closed(reason: "the session was deleted", kind: .sessionDeleted)
        #expect(await waiting.value.last == closed)
        for subscription in subscriptions.dropFirst() {
            #expect(await subscription.take(100) == [closed])
        }
        #expect(hub.subscriberCount == 0)
        hub.publish(await log.append())
        #expect(await hub.subscribe(after: 0, history: log.history).take(100) == [closed])
    }

    @Test("a history failure closes the subscription with the error's message")
    func historyFailure() async {
        let log = FakeEventLog(last: 5)
        await log.fail(with: StoreFailure(description: "disk I/O error"))
        let hub = EventHub(sessionID: "s1", lastSeq: 5)
        let items = await hub.subscribe(after: 2, history: log.history).take(100)
        #expect(items == [.closed(
            reason: "reading the session's stored events after seq 2 failed: disk I/O error", kind: .historyFailed)])
        #expect(hub.subscriberCount == 0)
    }

    // MARK: - Helpers

    /// Closes the hub and checks that the subscription's next item is that close: nothing else was pending.
    private func expectNothingMore(
        from iterator: inout EventSubscription.Iterator, hub: EventHub,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        hub.close(reason: "end of test")
        #expect(await iterator.next() == .closed(reason: "end of test", kind: .hubClosed), sourceLocation: sourceLocation)
    }
}

private struct StoreFailure: Error, CustomStringConvertible {
    var description: String
}

private struct UnexpectedItem: Error, CustomStringConvertible {
    var description: String
}

extension EventSubscription {
    /// The first `count` items, fewer if the subscription ends first. Dropping the iterator afterwards
    /// cancels the subscription.
    func take(_ count: Int) async -> [SubscriptionItem] {
        var iterator = makeAsyncIterator()
        return await iterator.take(count)
    }
}

extension EventSubscription.Iterator {
    /// The next `count` items, fewer if the subscription ends first.
    mutating func take(_ count: Int) async -> [SubscriptionItem] {
        var items: [SubscriptionItem] = []
        while items.count < count, let item = await next() { items.append(item) }
        return items
    }
}

extension Array where Element == SubscriptionItem {
    /// The stored events' seqs; throws (recording what arrived) if anything else came.
    var seqs: [Int] {
        get throws {
            try map { item in
                guard case .event(let event) = item, !event.isLive else {
                    throw UnexpectedItem(description: "expected a stored event, got \(item)")
                }
                return event.seq
            }
        }
    }
}
