import Testing
@testable import AgentCore

@Suite struct JSONValueTests {
    @Test func roundTripsNestedValues() throws {
        let text = #"{"a":[1,2.5,"x\n\u00e9",true,null],"b":{"c":-3}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["a"]?[0] == .int(1))
        #expect(value["a"]?[1] == .double(2.5))
        #expect(value["a"]?[2] == .string("x\né"))
        #expect(value["b"]?["c"]?.intValue == -3)
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }
}
