// swift-tools-version:6.1
import PackageDescription

// All of libvirt's XML formats as Swift types: the build-tool plugin generates them from the 16
// top-level grammars of the system's libvirt installation (/usr/share/libvirt/schemas, or the
// directories in RNG2SWIFT_SCHEMA_PATH), with no configuration beyond naming them.
let package = Package(
    name: "LibvirtXML",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LibvirtXML", targets: ["LibvirtXML"]),
        .executable(name: "libvirt-xml", targets: ["libvirt-xml"]),
    ],
    dependencies: [
        .package(name: "rng2swift", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "LibvirtXML",
            dependencies: [.product(name: "RelaxNGRuntime", package: "rng2swift")],
            exclude: ["rng2swift-config.json"],
            plugins: [.plugin(name: "RNG2SwiftBuildPlugin", package: "rng2swift")]
        ),
        .executableTarget(
            name: "libvirt-xml",
            dependencies: [
                "LibvirtXML", .product(name: "RelaxNG", package: "rng2swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
