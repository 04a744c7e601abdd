// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "rng2swift",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RelaxNG", targets: ["RelaxNG"]),
        .library(name: "RelaxNGRuntime", targets: ["RelaxNGRuntime"]),
        .library(name: "SwiftGenerator", targets: ["SwiftGenerator"]),
        .library(name: "LibvirtSnapshot", targets: ["LibvirtSnapshot"]),
        // libxml2 itself, for the benchmarks' parse-and-walk floor.
        .library(name: "CLibXML2", targets: ["CLibXML2"]),
        .executable(name: "snapshot-xml", targets: ["snapshot-xml"]),
        .plugin(name: "RNG2SwiftBuildPlugin", targets: ["RNG2SwiftBuildPlugin"]),
        .plugin(name: "RNG2SwiftCommandPlugin", targets: ["RNG2SwiftCommandPlugin"]),
        .executable(name: "rng2swift", targets: ["rng2swift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Only a plugin: `swift package generate-documentation` builds the DocC catalogs.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // libxml2, found with pkg-config; the only XML parser the project uses.
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // The RELAX NG front end: load, simplify, check and validate.
        .target(
            name: "RelaxNG",
            dependencies: ["CLibXML2"]
        ),
        // What generated code uses: XML trees, the embedded grammar's validator, value conversions.
        .target(
            name: "RelaxNGRuntime",
            dependencies: ["RelaxNG", "CLibXML2"]
        ),
        // The code generator: grammar → type model → Swift declarations → text.
        .target(
            name: "SwiftGenerator",
            dependencies: ["RelaxNG"],
            exclude: ["GeneratorConfiguration.schema.json"]
        ),
        .executableTarget(
            name: "rng2swift",
            dependencies: [
                "RelaxNG",
                "SwiftGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Generates Swift at build time for a target that carries rng2swift-config.json.
        .plugin(
            name: "RNG2SwiftBuildPlugin",
            capability: .buildTool(),
            dependencies: ["rng2swift"]
        ),
        // `swift package generate-rng-swift`: the same sources, written into Generated/.
        .plugin(
            name: "RNG2SwiftCommandPlugin",
            capability: .command(
                intent: .custom(verb: "generate-rng-swift", description: "Write the Swift generated from each target's grammar into Generated/<target>/"),
                permissions: [.writeToPackageDirectory(reason: "to write the generated Swift sources into Generated/")]
            ),
            dependencies: ["rng2swift"]
        ),
        // The typed snapshot API: types generated from schemas/domainsnapshot.rng at build time,
        // and the semantics of libvirt's snapshot format.
        .target(
            name: "LibvirtSnapshot",
            dependencies: ["RelaxNGRuntime"],
            exclude: ["rng2swift-config.json"],
            plugins: ["RNG2SwiftBuildPlugin"]
        ),
        .executableTarget(
            name: "snapshot-xml",
            dependencies: [
                "LibvirtSnapshot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What several test targets share: a seeded random number generator.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "RelaxNGTests",
            dependencies: ["RelaxNG", "TestSupport"]
        ),
        .testTarget(
            name: "GeneratorTests",
            dependencies: ["SwiftGenerator", "RelaxNG"]
        ),
        // The consumer of the generated code: compiles it and exercises it.
        .testTarget(
            name: "LibvirtSnapshotTests",
            dependencies: ["LibvirtSnapshot", "TestSupport"]
        ),
        .testTarget(
            name: "PluginTests"
        ),
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["rng2swift", "snapshot-xml"]
        ),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["RelaxNG", "TestSupport"]
        ),
    ]
)
