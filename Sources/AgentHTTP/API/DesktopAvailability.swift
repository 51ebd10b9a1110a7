import Foundation

/// Whether this machine can start desktops (Xvfb is installed).
enum DesktopAvailability {
    static let isInstalled = ["/usr/bin/Xvfb", "/usr/local/bin/Xvfb"].contains { FileManager.default.isExecutableFile(atPath: $0) }
}
