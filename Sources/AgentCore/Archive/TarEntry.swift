/// One member of a tar archive as described by its header(s), before any safety rule is applied.
public struct TarEntry: Sendable, Hashable {
    /// The entry type, from the ustar `typeflag` field (POSIX pax, "ustar Interchange Format").
    public enum Kind: Sendable, Hashable {
        /// `'0'`, NUL (old tar) or `'7'` (contiguous file, treated as regular).
        case regular
        /// `'1'`.
        case hardLink
        /// `'2'`.
        case symbolicLink
        /// `'3'`.
        case characterDevice
        /// `'4'`.
        case blockDevice
        /// `'5'`.
        case directory
        /// `'6'`.
        case fifo
        /// Any other type flag (GNU sparse `'S'`, volume header `'V'`, ...).
        case other(UInt8)
    }

    /// The name: pax `path`, else a GNU `'L'` long name, else ustar `prefix` + `/` + `name`.
    public var path: String
    public var kind: Kind
    /// Permission and special bits (`mode & 0o7777`).
    public var mode: UInt32
    /// Content length in bytes; zero for everything but regular files.
    public var size: Int
    /// Link target for hard and symbolic links: pax `linkpath`, else GNU `'K'`, else `linkname`.
    public var linkTarget: String

    public init(path: String, kind: Kind, mode: UInt32, size: Int, linkTarget: String = "") {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.size = size
        self.linkTarget = linkTarget
    }
}
