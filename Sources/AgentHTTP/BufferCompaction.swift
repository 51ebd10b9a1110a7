/// Keeps a parser's input buffer from growing across a long connection.
enum BufferCompaction {
    /// Drops `buffer[..<consumed]` when it is worth the copy: all of it is consumed, or the
    /// consumed part is at least 4 KiB or half the buffer.
    /// - Returns: how many bytes were dropped (`consumed` or 0).
    static func compact(_ buffer: inout [UInt8], consumed: Int) -> Int {
        guard consumed > 0 else { return 0 }
        if consumed == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if consumed >= 4096 || consumed * 2 >= buffer.count {
            buffer.removeSubrange(0..<consumed)
        } else {
            return 0
        }
        return consumed
    }
}
