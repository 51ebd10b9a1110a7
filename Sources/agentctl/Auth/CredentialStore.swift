import AgentCore
import Foundation

/// The login tokens `agentctl login` keeps, one per server, in
/// `$XDG_CONFIG_HOME/agentd/credentials.json` (else `~/.config/agentd/credentials.json`).
///
/// The file is the user's alone (mode 0600 in a 0700 directory) and is replaced atomically: a new
/// file is written and synced beside it, then renamed over it, so a crash leaves the old file or
/// the new one, never half of either.
///
/// ```json
/// {"servers": {"http://127.0.0.1:8000": {"token": "eyJ…", "username": "ada", "saved_at": 1767225600}}}
/// ```
struct CredentialStore: Sendable {
    /// One server's stored login.
    struct Login: Sendable, Equatable {
        var token: String
        var username: String?
        /// Seconds since 1970 when it was stored.
        var savedAt: Double
    }

    /// The credentials file.
    let path: String

    /// The store `environment` points at (`XDG_CONFIG_HOME`, else `HOME`).
    init(environment: [String: String]) {
        // XDG Base Directory Specification: a relative $XDG_CONFIG_HOME is invalid and ignored.
        let base: String
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            base = config
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            base = home + "/.config"
        }
        path = base + "/agentd/credentials.json"
    }

    init(path: String) {
        self.path = path
    }

    /// The directory holding the file.
    var directory: String { (path as NSString).deletingLastPathComponent }

    /// The key a server's login is stored under: its URL without trailing slashes, scheme and host in lowercase.
    static func key(for server: String) -> String {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        guard let schemeEnd = server.range(of: "://") else { return server }
        let authorityEnd = server[schemeEnd.upperBound...].firstIndex(of: "/") ?? server.endIndex
        return server[..<authorityEnd].lowercased() + server[authorityEnd...]
    }

    // MARK: - Reading and writing

    /// The login stored for `server`, if any.
    /// - Throws: `RemoteError` when the file exists but cannot be read or is not the expected JSON.
    func login(for server: String) throws(RemoteError) -> Login? {
        guard let entry = try servers()[Self.key(for: server)], let token = entry["token"]?.stringValue, !token.isEmpty else {
            return nil
        }
        return Login(token: token, username: entry["username"]?.stringValue, savedAt: entry["saved_at"]?.doubleValue ?? 0)
    }

    /// Stores `login` for `server`, keeping the other servers' logins.
    /// - Throws: `RemoteError` when the directory or file cannot be written.
    func save(_ login: Login, for server: String) throws(RemoteError) {
        var all = try servers()
        var entry: [String: JSONValue] = ["token": .string(login.token), "saved_at": .double(login.savedAt)]
        if let username = login.username { entry["username"] = .string(username) }
        all[Self.key(for: server)] = .object(entry)
        try write(all)
    }

    /// Forgets the login for `server`; the file goes when no login is left.
    /// - Returns: whether there was one.
    /// - Throws: `RemoteError` when the file cannot be read or rewritten.
    @discardableResult
    func remove(for server: String) throws(RemoteError) -> Bool {
        var all = try servers()
        guard all.removeValue(forKey: Self.key(for: server)) != nil else { return false }
        if all.isEmpty {
            guard unlink(path) == 0 || errno == ENOENT else { throw failure("cannot remove \(path)") }
            return true
        }
        try write(all)
        return true
    }

    /// Every stored login by server key; empty when there is no file.
    private func servers() throws(RemoteError) -> [String: JSONValue] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return [:] }
            throw .failed("cannot read \(path): \(error.localizedDescription)")
        }
        guard let document = try? JSONValue(parsing: data), let servers = (document["servers"] ?? [:]).objectValue else {
            throw .failed("\(path) is not an agentctl credentials file; remove it and run agentctl login")
        }
        return servers
    }

    /// Replaces the file with `servers`, atomically, readable by the user alone.
    private func write(_ servers: [String: JSONValue]) throws(RemoteError) {
        try makeDirectory()
        let bytes = JSONValue.object(["servers": .object(servers)]).serializedBytes() + [0x0a]
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
        var written = 0
        var failed = fchmod(descriptor, 0o600) != 0  // the umask may have taken bits away; never add any
        while !failed, written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { failed = true } else { written += count }
        }
        if !failed { failed = fsync(descriptor) != 0 }
        let error = failed ? failure("cannot write \(temporary)") : nil
        close(descriptor)
        if let error {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot replace \(path)")
            unlink(temporary)
            throw error
        }
        // The rename is durable once the directory is synced too.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Creates the directory (and missing parents) with mode 0700, and takes group and other
    /// access away from it if it already existed with them.
    private func makeDirectory() throws(RemoteError) {
        var missing: [String] = []
        var current = directory
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            guard mkdir(folder, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create \(folder)") }
        }
        var info = stat()
        guard lstat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .failed("\(directory) is not a directory")
        }
        if info.st_mode & 0o077 != 0, info.st_uid == getuid() {
            guard chmod(directory, 0o700) == 0 else { throw failure("cannot restrict \(directory) to mode 0700") }
        }
    }

    private func failure(_ what: String) -> RemoteError {
        .failed("\(what): \(String(cString: strerror(errno)))")
    }
}
