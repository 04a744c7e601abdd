// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so that their dependencies never slow the main build.
let package = Package(
    name: "RNGBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rng2swift", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "RNGBenchmarks",
            dependencies: [.product(name: "RelaxNG", package: "rng2swift")],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        )
    ]
)
