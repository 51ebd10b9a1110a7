import AgentCore

/// `POST /api/v1/tickets`: a single-use, 60-second ticket for opening one WebSocket or SSE stream
/// from a browser (`?ticket=…`), which cannot set an `Authorization` header there. Asking for one
/// needs a credential like any other route; the answer is `{"ticket", "expires_in"}`.
struct TicketsAPI: Sendable {
    let accounts: AccountService

    func register(on router: inout Router) {
        let accounts = self.accounts
        router.add("POST", "/api/v1/tickets") { request in
            guard let principal = request.http.principal else {
                throw APIError(401, "unauthorized", "Not authenticated")
            }
            let ticket = try accounts.issueTicket(for: principal)
            return .json(201, ["ticket": .string(ticket), "expires_in": .int(Int(accounts.tickets.lifetime))])
        }
    }
}
