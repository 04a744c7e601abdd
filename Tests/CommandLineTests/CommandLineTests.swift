import Foundation
import Testing

/// `rng2swift check` and `validate`: their output and exit codes, exactly as documented.
@Suite("rng2swift command line")
struct CommandLineTests {
    /// A built executable, next to the test bundle in the build products directory.
    static func built(_ name: String) -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static let executable = built("rng2swift")

    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    func run(_ arguments: [String], in directory: URL, executable: String = "rng2swift") throws -> Result {
        let process = Process()
        // Bound first: assigned straight to the optional property, #require would check nothing.
        let executableURL: URL = try #require(Self.built(executable), "\(executable) was not built next to the tests")
        process.executableURL = executableURL
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["RNG2SWIFT_SCHEMA_PATH"] = nil
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self), errors: String(decoding: errorData, as: UTF8.self))
    }

    func fixture(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rng2swift-cli-\(UUID().uuidString)")
        for (name, content) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return directory
    }

    static let grammar = """
        <element name="doc" xmlns="http://relaxng.org/ns/structure/1.0">
          <attribute name="kind"><choice><value>a</value><value>b</value></choice></attribute>
        </element>
        """

    @Test("check: exit 0 for a correct grammar, 1 with file:line:col errors for an incorrect one")
    func check() throws {
        let directory = try fixture([
            "good.rng": Self.grammar,
            "bad.rng": "<element name=\"doc\" xmlns=\"http://relaxng.org/ns/structure/1.0\">\n  <attribute name=\"a\"><element name=\"e\"><empty/></element></attribute>\n</element>",
            "lib/part.rng": "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><start><element name=\"p\"><empty/></element></start></grammar>",
            "uses.rng": "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"><include href=\"part.rng\"/></grammar>",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try run(["check", "good.rng"], in: directory)
        #expect(good.status == 0)
        #expect(good.errors.isEmpty)
        let bad = try run(["check", "bad.rng"], in: directory)
        #expect(bad.status == 1)
        #expect(bad.errors.hasPrefix("bad.rng:2:23: error: "))
        #expect(try run(["check", "uses.rng"], in: directory).status == 1)
        #expect(try run(["check", "uses.rng", "-I", "lib"], in: directory).status == 0)
    }

    @Test("validate: one line per document, diagnostics on stderr, exit 0, 1 or 2")
    func validate() throws {
        let directory = try fixture([
            "g.rng": Self.grammar,
            "ok.xml": "<doc kind='a'/>",
            "wrong.xml": "<doc\n  kind='c'/>",
            "broken.rng": "<element",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let valid = try run(["validate", "g.rng", "ok.xml"], in: directory)
        #expect(valid.status == 0)
        #expect(valid.output == "ok.xml: valid\n")
        let mixed = try run(["validate", "g.rng", "ok.xml", "wrong.xml"], in: directory)
        #expect(mixed.status == 1)
        #expect(mixed.output == "ok.xml: valid\nwrong.xml: invalid\n")
        #expect(mixed.errors.hasPrefix("wrong.xml:2:3: error: /doc/@kind: \"c\" is not a valid value of attribute \"kind\""))
        let badGrammar = try run(["validate", "broken.rng", "ok.xml"], in: directory)
        #expect(badGrammar.status == 2)
        #expect(badGrammar.errors.hasPrefix("broken.rng:"))
        #expect(try run(["validate", "missing.rng", "ok.xml"], in: directory).status == 2)
    }

    @Test("generate writes Swift, rewrites only changed files, and honours --access and --config")
    func generate() throws {
        let directory = try fixture([
            "doc.rng": "<element name=\"doc\" xmlns=\"http://relaxng.org/ns/structure/1.0\"><attribute name=\"id\"/></element>",
            "config.json": "{\"typeNames\": {}, \"fileName\": \"Doc\"}",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try run(["generate", "doc.rng", "--output", "out", "--config", "config.json", "--access", "internal"], in: directory)
        #expect(first.status == 0, "\(first.errors)")
        let file = directory.appendingPathComponent("out/Doc.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("internal struct Doc: Hashable, Sendable, Codable"))
        let stamp = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 1.1)
        _ = try run(["generate", "doc.rng", "--output", "out", "--config", "config.json", "--access", "internal"], in: directory)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == stamp)
        #expect(try run(["generate", "missing.rng", "--output", "out"], in: directory).status == 1)
    }

    @Test("generate writes the same bytes in every process (Swift seeds its hashing per process)")
    func deterministic() throws {
        // libvirt's grammars exercise every naming and merging pass; they come from the system.
        let schemas = "/usr/share/libvirt/schemas"
        guard FileManager.default.fileExists(atPath: schemas + "/domain.rng") else {
            print("skipped: libvirt's grammars are not in \(schemas) (apt-get install libvirt0)")
            return
        }
        let directory = try fixture(["config.json": "{\"fileName\": \"Libvirt\", \"files\": 3}"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let grammars = ["domain.rng", "domainsnapshot.rng", "domaincheckpoint.rng", "network.rng", "nwfilter.rng", "domaincaps.rng"].map { schemas + "/" + $0 }
        var outputs: [[String]] = []
        for run in 1...3 {
            let result = try self.run(["generate"] + grammars + ["--config", "config.json", "--output", "out\(run)"], in: directory)
            try #require(result.status == 0, "\(result.errors)")
            outputs.append(try (1...3).map { try String(contentsOf: directory.appendingPathComponent("out\(run)/Libvirt+\($0).swift"), encoding: .utf8) })
        }
        #expect(outputs[0] == outputs[1] && outputs[0] == outputs[2])
    }

    @Test("snapshot-xml format: re-encoded XML and exit 0, or FILE:line:col: error: … and exit 1")
    func snapshotFormat() throws {
        let directory = try fixture([
            "good.xml": "<domainsnapshot><name>a</name><memory snapshot='internal'/></domainsnapshot>",
            "bad.xml": "<domainsnapshot>\n  <memory snapshot='sometimes'/>\n</domainsnapshot>",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try run(["format", "good.xml"], in: directory, executable: "snapshot-xml")
        #expect(good.status == 0)
        #expect(good.output == "<domainsnapshot>\n  <name>a</name>\n  <memory snapshot='internal'/>\n</domainsnapshot>\n")
        let bad = try run(["format", "bad.xml"], in: directory, executable: "snapshot-xml")
        #expect(bad.status == 1)
        #expect(bad.output.isEmpty)
        #expect(bad.errors.hasPrefix("bad.xml:2:11: error: /domainsnapshot/memory/@snapshot: "))
        #expect(try run(["format", "missing.xml"], in: directory, executable: "snapshot-xml").status == 1)
    }
}
