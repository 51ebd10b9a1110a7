/// Lexical checks on entry names and link targets, done before anything touches the file system.
struct ExtractionPath {
    let limits: ExtractionLimits

    /// The components of an entry name, with empty and `.` components dropped.
    ///
    /// Refuses NUL bytes, absolute names and any `..` component (PEP 706's "data" filter, made stricter:
    /// refuse instead of rewrite).
    func components(of name: String, entry: String, rule: ArchiveError.Rule? = nil) throws -> [String] {
        guard !name.utf8.contains(0) else { throw ArchiveError(.invalidPath, entry: entry, "the name contains a NUL byte") }
        guard name.utf8.count <= limits.maxPathBytes else {
            throw ArchiveError(.pathTooLong, entry: entry, "the name is longer than \(limits.maxPathBytes) bytes")
        }
        guard !name.hasPrefix("/") else {
            throw ArchiveError(rule ?? .absolutePath, entry: entry, "absolute path \"\(name)\"")
        }
        var result: [String] = []
        for component in name.split(separator: "/", omittingEmptySubsequences: true) where component != "." {
            guard component != ".." else {
                throw ArchiveError(rule ?? .parentTraversal, entry: entry, "\"..\" component in \"\(name)\"")
            }
            guard component.utf8.count <= limits.maxComponentBytes else {
                throw ArchiveError(.pathTooLong, entry: entry, "a component is longer than \(limits.maxComponentBytes) bytes")
            }
            result.append(String(component))
        }
        return result
    }

    /// Checks a symbolic link target relative to the link's directory.
    ///
    /// The target must be relative and may climb with `..` only as a leading run that stays inside the
    /// tree; `..` after a name is refused, since the name could itself be a link (`t/../..`). Every
    /// link accepted this way resolves inside the tree, because its leading `..` run climbs only
    /// through real directories and the rest only descends.
    func checkSymlinkTarget(_ target: String, linkComponents: [String], entry: String) throws {
        guard !target.isEmpty, !target.utf8.contains(0) else {
            throw ArchiveError(.symlinkEscape, entry: entry, "empty or NUL-containing symlink target")
        }
        guard target.utf8.count <= limits.maxPathBytes else {
            throw ArchiveError(.pathTooLong, entry: entry, "the link target is longer than \(limits.maxPathBytes) bytes")
        }
        guard !target.hasPrefix("/") else {
            throw ArchiveError(.symlinkEscape, entry: entry, "absolute symlink target \"\(target)\"")
        }
        var climbs = 0
        var descended = false
        for component in target.split(separator: "/", omittingEmptySubsequences: true) where component != "." {
            if component == ".." {
                guard !descended else {
                    throw ArchiveError(.symlinkEscape, entry: entry, "symlink target \"\(target)\" has \"..\" after a name")
                }
                climbs += 1
            } else {
                descended = true
            }
        }
        guard climbs <= linkComponents.count - 1 else {
            throw ArchiveError(.symlinkEscape, entry: entry, "symlink target \"\(target)\" leaves the extraction directory")
        }
    }
}
