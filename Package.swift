// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every Swift target: explicit `any`, no transitive-import surprises,
/// and C modules kept out of public API.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "agentd",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AgentCore", targets: ["AgentCore"]),
        .library(name: "AgentStore", targets: ["AgentStore"]),
        .library(name: "AgentTesting", targets: ["AgentTesting"]),
        .library(name: "AgentHTTP", targets: ["AgentHTTP"]),
        .executable(name: "agentctl", targets: ["agentctl"]),
        .executable(name: "agentd", targets: ["agentd"]),
    ],
    targets: [
        // System C libraries (design card): libcurl, libcrypto, zlib for PNG, libsqlite3.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        /// Header-only shim: epoll, eventfd and accept4, which the Glibc module does not import.
        .systemLibrary(name: "CEpoll"),

        .target(name: "AgentCore", dependencies: ["CCurl", "CCrypto", "CZlib", "CEpoll"], swiftSettings: swiftSettings,
                linkerSettings: [.linkedLibrary("m")]),
        /// Session storage on SQLite (WAL, group commit): implements AgentCore's `SessionStore` and `ImageStore`.
        .target(name: "AgentStore", dependencies: ["AgentCore", "CSQLite"], swiftSettings: swiftSettings),
        /// agentd's own HTTP/1.1 server (parser, epoll server, WebSocket, SSE) and the API routes onto AgentCore.
        .target(name: "AgentHTTP", dependencies: ["AgentCore", "CEpoll", "CCrypto"], swiftSettings: swiftSettings),
        /// Test support shipped as a library: the fake Messages API server used by tests, benches and demos.
        .target(name: "AgentTesting", dependencies: ["AgentCore", "AgentStore"], swiftSettings: swiftSettings),
        /// What agentd and agentctl share on the command line: option parsing, help, output, Ctrl-C.
        .target(name: "CommandLineSupport", swiftSettings: swiftSettings),
        .executableTarget(name: "agentctl", dependencies: ["AgentCore", "CommandLineSupport"], swiftSettings: swiftSettings),
        /// The daemon: configuration, logging and signals around AgentStore + AgentCore + AgentHTTP.
        .executableTarget(name: "agentd", dependencies: ["AgentCore", "AgentStore", "AgentHTTP", "CommandLineSupport"],
                          swiftSettings: swiftSettings),
        .systemLibrary(name: "CMalloc", path: "Benchmarks/CMalloc"),
        .executableTarget(name: "agentbench", dependencies: ["AgentCore", "AgentStore", "AgentTesting", "CMalloc", "CSQLite"],
                          path: "Benchmarks/agentbench", swiftSettings: swiftSettings),
        .executableTarget(name: "CustomToolExample", dependencies: ["AgentCore"],
                          path: "Examples/CustomTool", swiftSettings: swiftSettings),

        /// A SessionService under load that prints every acknowledged event: the crash-recovery test kills it.
        .executableTarget(name: "session-writer", dependencies: ["AgentCore", "AgentStore", "AgentTesting"],
                          path: "Tests/SessionWriter", swiftSettings: swiftSettings),

        .testTarget(name: "AgentCoreTests", dependencies: ["AgentCore", "AgentTesting"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AgentStoreTests", dependencies: ["AgentStore", "AgentCore", "AgentTesting"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "SessionServiceTests", dependencies: ["AgentCore", "AgentStore", "AgentTesting"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AgentHTTPTests", dependencies: ["AgentHTTP", "AgentCore", "AgentStore", "AgentTesting"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "agentctlTests", dependencies: ["agentctl", "AgentCore", "AgentHTTP", "AgentStore", "AgentTesting", "CommandLineSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "AgentdTests", dependencies: ["agentd", "AgentCore", "AgentTesting", "CommandLineSupport"],
                    swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
