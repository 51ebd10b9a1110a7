import Foundation

/// The private directory of one virtual desktop (0700), removed when the desktop stops.
///
/// ```
/// desktop-XXXXXX/
///   Xauthority          the FamilyWild cookie (0600), written before Xvfb starts
///   home/               HOME of the desktop's programs
///   config/openbox/     rc.xml and menu.xml; XDG_CONFIG_HOME and XDG_CONFIG_DIRS of openbox
///   chromium-profile/   the browser's --user-data-dir
///   logs/               xvfb.log, openbox.log, one log per launched program
/// ```
struct DesktopSessionDirectory: Sendable, Hashable {
    let path: String

    var authorityFile: String { path + "/Xauthority" }
    var home: String { path + "/home" }
    var configDirectory: String { path + "/config" }
    var browserProfile: String { path + "/chromium-profile" }
    var logs: String { path + "/logs" }

    /// The log file of a program called `name`.
    func log(_ name: String) -> String { "\(logs)/\(name).log" }

    /// Creates a fresh directory under `workDirectory`, with the layout above (minus the cookie).
    ///
    /// - Throws: `DesktopError` with code `.sessionDirectory`.
    static func create(in workDirectory: String) throws(DesktopError) -> DesktopSessionDirectory {
        var template = Array("\(workDirectory)/desktop-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }  // 0700
        guard created != nil else {
            let reason = String(cString: strerror(errno))
            throw DesktopError(.sessionDirectory, "cannot create a desktop directory in \(workDirectory): \(reason)")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let directory = DesktopSessionDirectory(path: path)
        do {
            let files = FileManager.default
            let privateOnly: [FileAttributeKey: Any] = [.posixPermissions: 0o700]
            for sub in [directory.home, directory.configDirectory + "/openbox", directory.browserProfile, directory.logs] {
                try files.createDirectory(atPath: sub, withIntermediateDirectories: true, attributes: privateOnly)
            }
            try Data(OpenboxConfiguration.rcXML.utf8).write(
                to: URL(fileURLWithPath: directory.configDirectory + "/openbox/rc.xml"))
            try Data(OpenboxConfiguration.menuXML.utf8).write(
                to: URL(fileURLWithPath: directory.configDirectory + "/openbox/menu.xml"))
        } catch {
            directory.remove()
            throw DesktopError(.sessionDirectory, "cannot set up \(directory.path): \(error)")
        }
        return directory
    }

    /// Removes the directory and everything in it (best effort).
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The last lines of `file` (at most `maxBytes` of it), for error messages; "" when unreadable.
    static func tail(of file: String, maxBytes: Int = 2_048, maxLines: Int = 12) -> String {
        guard let handle = FileHandle(forReadingAtPath: file) else { return "" }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: end > UInt64(maxBytes) ? end - UInt64(maxBytes) : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(maxLines).joined(separator: "\n")
    }
}
