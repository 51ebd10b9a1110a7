import AgentStore
import Foundation

/// A `SQLiteSessionStore` file in a fresh temporary directory; `remove()` deletes both.
struct TemporaryStore {
    let directory: String
    let store: SQLiteSessionStore

    init(_ label: String) throws {
        directory = NSTemporaryDirectory() + "agentbench-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))"
        store = try SQLiteSessionStore(path: directory + "/agentd.db")
    }

    /// A path inside the directory.
    func path(_ name: String) -> String { directory + "/" + name }

    /// Closes the store and deletes the directory.
    func remove() {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
