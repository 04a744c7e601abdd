// swift-tools-version:6.1
import PackageDescription

// libFuzzer harnesses, in a package of their own because they are built with
// `-sanitize=fuzzer,address` (see README.md, "Fuzzing").
// The whole build is instrumented from the command line (`-sanitize=address
// -sanitize-coverage=edge,trace-cmp`) and linked with libFuzzer's runtime without its `main`:
// each harness's own `main` starts the fuzzer. `Fuzzing/run` passes all of it.
let package = Package(
    name: "RNGFuzzing",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rng2swift", path: "..")
    ],
    targets: [
        // The generated snapshot decoder: any bytes either decode or throw, never crash.
        .executableTarget(
            name: "SnapshotFuzzer",
            dependencies: [.product(name: "LibvirtSnapshot", package: "rng2swift")]
        ),
        // The validator on the snapshot grammar, and the encoder on whatever decodes.
        .executableTarget(
            name: "ValidatorFuzzer",
            dependencies: [.product(name: "RelaxNG", package: "rng2swift")]
        ),
    ]
)
