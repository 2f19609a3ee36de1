// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Exhume",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "exhume", targets: ["exhume"]),
        .executable(name: "exhume-bench", targets: ["exhume-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, found with pkg-config; one shim header each.
        .systemLibrary(name: "CSleuthKit", pkgConfig: "tsk",
                       providers: [.apt(["libtsk-dev"])]),
        .systemLibrary(name: "CEWF", pkgConfig: "libewf",
                       providers: [.apt(["libewf-dev"])]),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic",
                       providers: [.apt(["libmagic-dev"])]),

        // The floor: system-call helpers (EINTR, errno), no dependencies.
        .target(name: "SystemCalls"),
        .target(name: "Evidence", dependencies: ["CEWF", "CInflate", "SystemCalls"]),
        .target(name: "SleuthKit", dependencies: ["Evidence", "CSleuthKit"]),
        .target(name: "Carving", dependencies: ["CMagic", "CInflate", .product(name: "Yams", package: "Yams")]),
        .target(name: "Timeline", dependencies: ["SleuthKit"]),
        .target(name: "ExhumeKit", dependencies: ["Evidence", "SleuthKit", "Carving", "Hashing", "Timeline", "Export", "CaseStore",
                                                 "SystemCalls",
                                                 .product(name: "Crypto", package: "swift-crypto")]),
        // The CLI parses options and hands them to ExhumeKit, the one module it depends on.
        .executableTarget(name: "exhume", dependencies: [
            "ExhumeKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "exhume-bench", dependencies: ["Hashing", "SystemCalls"]),
        // Test-only: runs a scan with an observer that stops the process at a kill point (crash tests).
        .executableTarget(name: "exhume-killpoint", dependencies: ["ExhumeKit", "ExhumeTestSupport"]),
        .target(name: "Export", dependencies: ["SystemCalls"]),
        .target(name: "Hashing", dependencies: ["CDigest", "SystemCalls", .product(name: "Crypto", package: "swift-crypto"),
                                               .product(name: "GRDB", package: "GRDB.swift")]),
        // Optimised even in debug builds: the test suite hashes real images through it.
        .target(name: "CDigest", cSettings: [.unsafeFlags(["-O2"])]),
        // zlib's `uncompress` and `adler32` for libewf, served by libdeflate (see CInflate.h); CRC-32.
        .target(name: "CInflate", cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("deflate")]),
        .target(name: "ExhumeTestSupport", dependencies: ["Evidence"]),
        .target(name: "CaseStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),

        .testTarget(name: "EvidenceTests", dependencies: ["Evidence", "ExhumeTestSupport"]),
        .testTarget(name: "SleuthKitTests", dependencies: ["SleuthKit", "ExhumeTestSupport"]),
        .testTarget(name: "TimelineTests", dependencies: ["Timeline", "ExhumeTestSupport"]),
        .testTarget(name: "CarvingTests", dependencies: ["Carving", "ExhumeTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ExhumeKit", "ExhumeTestSupport"]),
        .testTarget(name: "ExhumeKitTests", dependencies: ["ExhumeKit", "Carving", "Hashing", "SleuthKit", "Timeline",
                                                         "CaseStore", "Evidence", "Export", "ExhumeTestSupport"]),
        .testTarget(name: "OracleTests", dependencies: ["ExhumeKit", "Carving", "Hashing", "SleuthKit", "ExhumeTestSupport"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "CDigest", "ExhumeTestSupport",
                                                        .product(name: "Crypto", package: "swift-crypto"),
                                                        .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "ExhumeTestSupport"]),
        .testTarget(name: "CaseStoreTests", dependencies: ["CaseStore", "ExhumeTestSupport"]),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls"]),
    ],
    swiftLanguageModes: [.v6]
)
