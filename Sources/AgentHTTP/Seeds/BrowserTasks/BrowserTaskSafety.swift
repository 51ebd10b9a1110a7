import AgentCore
import Foundation

/// S2's safety checks as agentd's approvals (seed 002, "Confirm Safety Checks", and
/// `pending_safety_checks` in "Get Session Status").
///
/// **The default policy.** A task gets one approval rule: every tool call that types, opens or
/// fetches a URL whose host is outside the starting URL's site needs a person's confirmation
/// (``ApprovalRule/allowedHosts``). The site is the starting URL's host without a leading `www.`
/// (so `https://www.google.com` allows `google.com` and its subdomains), plus any hosts the task
/// lists in `allowed_domains`. A starting URL without a host (`about:blank`) allows none, so
/// every URL is checked. The rule looks at every tool (a URL typed into the browser, a `curl` in
/// bash, a path opened in the editor), not only the browser.
///
/// A pending approval is shown as one check, `{id, code, message}`: `id` is the tool call's id,
/// `code` is `irrelevant_domain` for a URL outside the site and `approval_required` for any other
/// rule (budgets, native rules), and `message` is the rule's reason.
enum BrowserTaskSafety {
    /// The approval policy of a task that starts at `startingURL`.
    static func policy(startingURL: String, allowedDomains: [String]) -> JSONValue {
        var hosts: [String] = []
        if let host = site(of: startingURL) { hosts.append(host) }
        for domain in allowedDomains where !hosts.contains(domain.lowercased()) { hosts.append(domain.lowercased()) }
        return [["allowed_hosts": .array(hosts.map(JSONValue.string))]]
    }

    /// The host of `url` without a leading `www.`, or nil when it has none.
    static func site(of url: String) -> String? {
        guard let host = URLComponents(string: url)?.host?.lowercased(), !host.isEmpty else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// `pending_safety_checks`: null while nothing waits, else the pending approval as one check.
    static func checks(_ record: SessionRecord) -> JSONValue {
        guard record.status == .awaitingApproval, let pending = record.pendingApproval else { return .null }
        let code = pending.reason.contains("outside the allowed hosts") ? "irrelevant_domain" : "approval_required"
        return [[
            "id": .string(pending.call.id), "code": .string(code), "message": .string(pending.reason),
            "tool": .string(pending.call.name), "input": pending.call.input,
        ]]
    }
}
