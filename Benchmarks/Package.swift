// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so that their dependencies (XMLCoder, the peer) never
// slow the main build.
let package = Package(
    name: "RNGBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rng2swift", path: ".."),
        .package(url: "https://github.com/CoreOffice/XMLCoder", exact: "0.18.2"),
    ],
    targets: [
        .executableTarget(
            name: "RNGBenchmarks",
            dependencies: [
                .product(name: "RelaxNG", package: "rng2swift"),
                .product(name: "RelaxNGRuntime", package: "rng2swift"),
                .product(name: "SwiftGenerator", package: "rng2swift"),
                .product(name: "LibvirtSnapshot", package: "rng2swift"),
                .product(name: "CLibXML2", package: "rng2swift"),
                .product(name: "XMLCoder", package: "XMLCoder"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        )
    ]
)
