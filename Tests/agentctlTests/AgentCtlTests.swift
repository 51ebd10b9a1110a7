import Testing
@testable import agentctl

@Suite struct AgentCtlTests {
    @Test func placeholder() { #expect(Bool(true)) }
}
