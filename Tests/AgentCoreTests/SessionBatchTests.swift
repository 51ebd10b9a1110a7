@testable import AgentCore
import Testing

/// How a session's commit publishes live deltas among the stored events of one batch.
@Suite struct SessionBatchTests {
    static func event(_ seq: Int, live: Bool = false) -> SessionEvent {
        SessionEvent(sessionID: "s", seq: seq, type: live ? "text_delta" : "stored", time: 0, data: [:], isLive: live)
    }

    @Test func deltasKeepTheirPlaceAndCarryTheSeqOfTheStoredEventBeforeThem() {
        let stored = [Self.event(11), Self.event(12), Self.event(13)]
        let live = [(0, Self.event(0, live: true)), (2, Self.event(0, live: true)), (3, Self.event(0, live: true))]
        let all = SessionRuntime.interleave(stored, live, after: 10)
        #expect(all.map(\.isLive) == [true, false, false, true, false, true])
        #expect(all.map(\.seq) == [10, 11, 12, 12, 13, 13])
    }

    @Test func aBatchHoldsOneTurnsUsageAndEndsWithTheFinish() {
        var batch = SessionBatch()
        #expect(!batch.mustCloseBefore(.usage(turn: Usage(), total: Usage())))
        batch.usage = TurnUsage(model: "m", usage: Usage(), costUSD: 0, time: 0)
        #expect(batch.mustCloseBefore(.usage(turn: Usage(), total: Usage())))
        #expect(!batch.mustCloseBefore(.turnStarted(turn: 2)))
        batch.finish = (.completed, "done")
        #expect(batch.mustCloseBefore(.turnStarted(turn: 1)))
    }
}
