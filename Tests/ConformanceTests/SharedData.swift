import Foundation

/// Where the read-only test data lives: `$RNG2SWIFT_SHARED`, or `../shared` beside the package.
enum SharedData {
    static let directory: String = {
        if let configured = ProcessInfo.processInfo.environment["RNG2SWIFT_SHARED"], !configured.isEmpty {
            return configured
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    static func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }

    static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    static let specTestSuite = "conformance/relaxng-spectest"
    static let libvirtCorpus = "corpus/libvirt-9.0.0"

    /// The system's libvirt grammars (Debian: `libvirt0`).
    static let libvirtSchemas = ProcessInfo.processInfo.environment["LIBVIRT_SCHEMAS"] ?? "/usr/share/libvirt/schemas"

    static var hasLibvirtSchemas: Bool { FileManager.default.fileExists(atPath: libvirtSchemas + "/domain.rng") }

    static func missing(_ what: String) -> String {
        "\(what) is missing; set RNG2SWIFT_SHARED to the shared data directory (looked in \(directory))"
    }
}
