import Foundation
import RelaxNG
import SwiftGenerator
import Testing

/// The committed sources in `Generated/` must be what the generator makes now.
/// Re-record them with `RECORD_GOLDENS=1 swift test --filter GoldenTests` (or
/// `swift run rng2swift generate schemas/domainsnapshot.rng --config Sources/LibvirtSnapshot/rng2swift-config.json --output Generated/LibvirtSnapshot`).
@Suite("Golden files")
struct GoldenTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    static func generateSnapshotAPI() throws -> [GeneratedFile] {
        let configuration = try JSONDecoder().decode(
            GeneratorConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: path("Sources/LibvirtSnapshot/rng2swift-config.json"))))
        let schema = try Schema(file: path("schemas/domainsnapshot.rng"), searchPath: GrammarSearchPath([]))
        return try SwiftCodeGenerator(configuration: configuration).generate(from: schema)
    }

    @Test("Generated/LibvirtSnapshot matches fresh generator output")
    func snapshotAPI() throws {
        let files = try Self.generateSnapshotAPI()
        #expect(files.map(\.name) == ["DomainSnapshot+1.swift", "DomainSnapshot+2.swift"])
        let record = ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1"
        for file in files {
            let path = Self.path("Generated/LibvirtSnapshot/" + file.name)
            if record {
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
                continue
            }
            let committed = try String(contentsOfFile: path, encoding: .utf8)
            #expect(committed == file.contents, "\(file.name) differs from the generator's output; re-record with RECORD_GOLDENS=1 swift test --filter GoldenTests and review the diff")
        }
    }

    @Test("the same grammar gives byte-identical output")
    func deterministic() throws {
        let first = try Self.generateSnapshotAPI()
        let second = try Self.generateSnapshotAPI()
        #expect(first == second)
    }
}
