import Foundation

/// Where a command writes: data to standard output, diagnostics to standard error.
public protocol OutputSink: Sendable {
    func out(_ text: String)
    func err(_ text: String)
}

/// The process's standard output and error, unbuffered so steps appear as they happen.
public struct StandardOutput: OutputSink {
    public init() {}
    public func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    public func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
