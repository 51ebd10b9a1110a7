/// What a client gives to create a session.
public struct SessionRequest: Sendable {
    /// A client-chosen id (1–64 of `A-Z a-z 0-9 - _`); a UUID when `nil`.
    public var id: String?
    public var owner: String
    public var name: String
    public var tags: [String]
    public var priority: String
    public var metadata: JSONValue
    /// The session configuration as JSON (`SessionConfiguration(json:)`); absent fields take the defaults.
    public var configuration: JSONValue
    /// A first message to run at once.
    public var message: Message?

    public init(id: String? = nil, owner: String = "", name: String = "", tags: [String] = [], priority: String = "normal",
                metadata: JSONValue = [:], configuration: JSONValue = [:], message: Message? = nil) {
        self.id = id
        self.owner = owner
        self.name = name
        self.tags = tags
        self.priority = priority
        self.metadata = metadata
        self.configuration = configuration
        self.message = message
    }

    func validate() throws(SessionError) {
        if let id {
            guard (1...64).contains(id.utf8.count),
                  id.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 })
            else { throw .invalidValue("id must be 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'") }
        }
        // Checked before anything is stored: a blank first message must not leave a session behind.
        if let message, message.isBlank { throw .invalidValue("message: the first message is empty") }
        try SessionUpdate(name: name, tags: tags, priority: priority, metadata: metadata).validate()
    }
}
