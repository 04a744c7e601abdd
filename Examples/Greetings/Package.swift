// swift-tools-version:6.1
import PackageDescription

// An example consumer: a package of its own that depends on rng2swift by path and has Swift
// generated at build time from the grammar in its target, greetings.rng.
let package = Package(
    name: "Greetings",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rng2swift", path: "../..")
    ],
    targets: [
        .target(
            name: "Greetings",
            dependencies: [.product(name: "RelaxNGRuntime", package: "rng2swift")],
            exclude: ["rng2swift-config.json", "greetings.rng", "common.rng"],
            plugins: [.plugin(name: "RNG2SwiftBuildPlugin", package: "rng2swift")]
        ),
        .executableTarget(
            name: "GreetingsApp",
            dependencies: ["Greetings"]
        ),
    ]
)
