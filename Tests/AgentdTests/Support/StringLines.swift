import Foundation

extension String {
    /// The text split into lines, without the empty piece after a final newline.
    var lines: [String] {
        var parts = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
