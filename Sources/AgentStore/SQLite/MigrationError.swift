/// Why the store refused to open a database's schema.
public struct MigrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The newest schema version recorded in the database.
    public var databaseVersion: Int
    /// The newest schema version this build of agentd knows.
    public var knownVersion: Int
    /// The database file.
    public var path: String

    public var description: String {
        "The database \(path) has schema version \(databaseVersion), but this agentd only knows versions up to "
            + "\(knownVersion): it was written by a newer agentd. Upgrade agentd (or restore a backup); "
            + "the database was not changed."
    }
}
