/// The check both fuzz harnesses make: feeding the input whole, split at a point chosen by its
/// first byte, and byte by byte must give the same outcome (an incremental parser must not care
/// where the network cut its input).
func checkSplitInvariance<Outcome: Equatable>(_ data: UnsafePointer<UInt8>, _ size: Int,
                                              parse: ([ArraySlice<UInt8>]) -> Outcome) {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = parse([bytes[...]])
    if let first = bytes.first {
        let split = Int(first) * bytes.count / 256
        precondition(parse([bytes[..<split], bytes[split...]]) == whole, "split changed the outcome")
    }
    precondition(parse(bytes.indices.map { bytes[$0...$0] }) == whole, "byte-by-byte changed the outcome")
}
