// swift-tools-version: 6.1
import PackageDescription

/// Release builds drop Swift's dynamic exclusivity checks: the per-packet state lives in class
/// properties and the checks cost ~20 % of a packet list (perf). Debug builds keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "DissectKit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dissect", targets: ["dissect"]),
        .library(name: "DissectKit", targets: ["DissectKit"]),
        .library(name: "DissectPluginABI", targets: ["DissectPluginABI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Hashes and, with the TLS decryption issue, ciphers and key derivation.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // PCRE2 for the display filter's `matches` (Wireshark 4.0 uses PCRE2 syntax).
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        // The versioned, append-only C function table that run-time plugins receive.
        .target(name: "DissectPluginABI"),
        .target(
            name: "DissectKit",
            dependencies: ["CZlib", "CPcap", "CPCRE2", "DissectPluginABI"],
            swiftSettings: hotPath
        ),
        .target(name: "Plugins", dependencies: ["DissectKit", "CZlib", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: hotPath),
        .executableTarget(
            name: "dissect",
            dependencies: [
                "DissectKit", "Plugins",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: fixture paths and in-process runs of the engine.
        .target(name: "TestSupport", dependencies: ["DissectKit", "Plugins"], path: "Tests/TestSupport"),
        .testTarget(name: "DissectKitTests", dependencies: ["DissectKit", "Plugins", "TestSupport"]),
        .testTarget(name: "PluginsTests", dependencies: ["DissectKit", "Plugins", "TestSupport"]),
        .testTarget(name: "DissectCLITests", dependencies: ["DissectKit"]),
    ]
)
