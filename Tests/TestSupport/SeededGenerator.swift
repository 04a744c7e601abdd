import Foundation

/// A random number generator whose sequence a seed fixes (SplitMix64), so that a randomized test
/// that fails can be run again on the same inputs: each one names its seed in its failures, and
/// `RNG2SWIFT_TEST_SEED` sets it.
public struct SeededGenerator: RandomNumberGenerator, CustomStringConvertible {
    public let seed: UInt64
    private var state: UInt64

    public init() {
        let given = ProcessInfo.processInfo.environment["RNG2SWIFT_TEST_SEED"].flatMap { UInt64($0) }
        self.init(seed: given ?? UInt64.random(in: .min ... .max))
    }

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    public var description: String { "RNG2SWIFT_TEST_SEED=\(seed)" }
}
