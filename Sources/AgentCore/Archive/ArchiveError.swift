/// Why an archive was refused or could not be read.
///
/// Every refusal names the rule that fired and, when one is known, the archive entry that broke it,
/// so an upload can be answered with a precise 400 instead of a quietly cleaned tree.
public struct ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule an archive broke.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// The bytes do not start with the gzip magic `1f 8b` (RFC 1952 §2.3.1).
        case notGzip = "not_gzip"
        /// zlib rejected the compressed stream, or data follows the last gzip member.
        case corruptGzip = "corrupt_gzip"
        /// The archive ends before its end-of-archive marker or inside an entry.
        case truncated
        /// A tar header's checksum does not match its bytes.
        case badChecksum = "bad_checksum"
        /// A tar header field or pax record cannot be parsed.
        case malformedHeader = "malformed_header"
        /// An entry name starts with `/`.
        case absolutePath = "absolute_path"
        /// An entry name has a `..` component.
        case parentTraversal = "parent_traversal"
        /// An entry name is empty, holds a NUL byte, or is otherwise unusable.
        case invalidPath = "invalid_path"
        /// An entry name, one of its components, or a link target is longer than allowed.
        case pathTooLong = "path_too_long"
        /// A symbolic link is absolute or resolves outside the extraction directory.
        case symlinkEscape = "symlink_escape"
        /// A hard link targets a path outside the tree or an entry not extracted before it.
        case hardlinkEscape = "hardlink_escape"
        /// An entry would be written through a symbolic link.
        case throughSymlink = "through_symlink"
        /// A character device, block device or FIFO.
        case specialFile = "special_file"
        /// A tar entry type this extractor does not handle (sparse files, volume labels, ...).
        case unsupportedEntryType = "unsupported_entry_type"
        /// The setuid, setgid or sticky bit is set.
        case forbiddenModeBits = "forbidden_mode_bits"
        /// More entries than the configured cap.
        case tooManyEntries = "too_many_entries"
        /// More uncompressed bytes than the configured cap.
        case tooManyBytes = "too_many_bytes"
        /// The same path appears twice, or a path needs a non-directory as its parent.
        case duplicatePath = "duplicate_path"
        /// The extraction destination already exists.
        case destinationExists = "destination_exists"
        /// A system call failed while reading the archive or writing the tree.
        case io
    }

    public let rule: Rule
    /// The entry name as stored in the archive, when the refusal concerns one entry.
    public let entry: String?
    /// A human-readable detail, never containing file contents.
    public let detail: String

    public init(_ rule: Rule, entry: String? = nil, _ detail: String) {
        self.rule = rule
        self.entry = entry
        self.detail = detail
    }

    public var description: String {
        if let entry { return "archive refused (\(rule.rawValue)) at entry \"\(entry)\": \(detail)" }
        return "archive refused (\(rule.rawValue)): \(detail)"
    }
}
