import AgentCore

@main
struct AgentCtl {
    static func main() async {
        print("agentctl")
    }
}
