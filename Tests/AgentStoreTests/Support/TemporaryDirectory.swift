import AgentTesting
import Foundation
@testable import AgentStore

/// Runs `body` with a new store in a fresh temporary directory, then closes it and deletes the directory.
func withTemporaryStore<T>(_ body: (SQLiteSessionStore, TemporaryDirectory) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try SQLiteSessionStore(path: directory.file("agentd.db"))
    defer { store.close() }
    return try await body(store, directory)
}
