import AgentCore
import Synchronization

/// Session list pages remembered with the writer generation they were read under, so repeating a
/// list while nothing was written answers from memory instead of running the query again.
///
/// Any write moves the generation on (see `GroupCommitWriter.generation`), so a remembered page is
/// used only while it is exactly what the query would read now. Past `capacity` distinct queries
/// the cache starts over.
final class SessionPageCache: Sendable {
    private let pages = Mutex<[SessionQuery: (generation: UInt64, page: SessionPage)]>([:])
    let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// The page read for `query` under `generation`, if there is one.
    func page(for query: SessionQuery, generation: UInt64) -> SessionPage? {
        pages.withLock { pages in
            guard let entry = pages[query], entry.generation == generation else { return nil }
            return entry.page
        }
    }

    /// Remembers `page` as read for `query` under `generation` (a newer entry is kept).
    func remember(_ page: SessionPage, for query: SessionQuery, generation: UInt64) {
        pages.withLock { pages in
            if let entry = pages[query], entry.generation > generation { return }
            if pages.count >= capacity, pages[query] == nil { pages.removeAll(keepingCapacity: true) }
            pages[query] = (generation, page)
        }
    }
}
