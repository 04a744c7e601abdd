import Foundation

/// Directories where `include` and `externalRef` look for a file that is not found next to the
/// grammar that names it: so that `include href="domaincommon.rng"` finds the system's libvirt
/// grammars.
public struct GrammarSearchPath: Hashable, Sendable {
    /// The environment variable with extra directories, separated by `:` (used by the plugins).
    public static let environmentVariable = "RNG2SWIFT_SCHEMA_PATH"

    /// Where Linux distributions and Homebrew install libvirt's grammars.
    public static let libvirtDirectories = [
        "/usr/share/libvirt/schemas",
        "/usr/local/share/libvirt/schemas",
        "/opt/homebrew/share/libvirt/schemas",
    ]

    public var directories: [String]

    public init(_ directories: [String]) {
        self.directories = directories
    }

    /// The directories given, then those of ``environmentVariable``, then libvirt's usual ones.
    public static func standard(adding directories: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) -> GrammarSearchPath {
        var all = directories
        if let fromEnvironment = environment[environmentVariable] {
            all += fromEnvironment.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        all += libvirtDirectories
        return GrammarSearchPath(all)
    }
}
