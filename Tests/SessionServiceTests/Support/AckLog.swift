/// The `ACK <session-id> <seq>` lines a `session-writer` printed: the events it saw committed.
struct AckLog {
    /// Acknowledged seqs by session.
    private(set) var seqs: [String: Set<Int>] = [:]
    /// Lines that were neither `READY` nor a well-formed `ACK`.
    private(set) var strayLines: [String] = []

    /// How many (session, seq) pairs were acknowledged.
    var count: Int { seqs.values.reduce(0) { $0 + $1.count } }

    /// Parses the writer's stdout; a last line without its newline is ignored (each line is one
    /// atomic `write`, so there should be none).
    init(_ stdout: String) {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // the empty piece after the final newline, or an unfinished line
        for line in lines where line != "READY" {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[0] == "ACK", let seq = Int(fields[2]) {
                seqs[String(fields[1]), default: []].insert(seq)
            } else {
                strayLines.append(String(line))
            }
        }
    }
}
