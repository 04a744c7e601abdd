import Foundation
@testable import RelaxNG
import Testing
import TestSupport

/// libvirt's grammars from the system's installation, and libvirt 9.0.0's own test documents.
@Suite("libvirt grammars and documents", .enabled(if: SharedData.hasLibvirtSchemas, "libvirt's grammars are missing: install libvirt0 (Debian), libvirt-libs (Fedora) or libvirt (Homebrew), or set LIBVIRT_SCHEMAS"))
struct LibvirtTests {
    static let topLevelGrammars = [
        "domain", "domainsnapshot", "domainbackup", "domaincheckpoint", "network", "networkport", "storagepool",
        "storagevol", "storagepoolcaps", "secret", "nwfilter", "nwfilterbinding", "nodedev", "interface",
        "capability", "domaincaps",
    ]

    @Test("every top-level libvirt grammar is correct", arguments: topLevelGrammars)
    func grammarIsCorrect(_ name: String) throws {
        let schema = try Schema(file: SharedData.libvirtSchemas + "/\(name).rng", searchPath: GrammarSearchPath([]))
        #expect(schema.files.count >= 1)
    }

    /// Each pattern libvirt writes is matched by the project's automaton, not left to
    /// libxml2's backtracking engine (which is slower and miscounts some repetitions).
    @Test("every pattern in libvirt's grammars is compiled by the project's matcher")
    func patternsAreCompiled() throws {
        var patterns: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: SharedData.libvirtSchemas) where file.hasSuffix(".rng") {
            let bytes = try #require(FileManager.default.contents(atPath: SharedData.libvirtSchemas + "/" + file))
            let document = try XMLDocument.parse(Array(bytes), displayName: file, baseURI: nil)
            var stack = document.root.map { [$0] } ?? []
            while let node = stack.popLast() {
                if node.localName == "param", node.attribute("name") == "pattern" { patterns.insert(node.textContent) }
                stack += node.children.filter(\.isElement)
            }
        }
        #expect(patterns.count > 100)
        for pattern in patterns { #expect(SchemaRegularExpression(pattern) != nil, "\(pattern)") }
    }

    @Test("the seed grammar beside libvirt 9.0's domaincommon.rng is rejected: diskTarget is an element used in an attribute", .enabled(if: SharedData.exists("seed/domainsnapshot.rng"), Comment(rawValue: SharedData.missing("the seed grammar"))))
    func seedGrammarIsRejectedWithModernDomainCommon() throws {
        do {
            _ = try Schema(file: SharedData.path("seed/domainsnapshot.rng"), searchPath: GrammarSearchPath([SharedData.libvirtSchemas]))
            Issue.record("the seed grammar was accepted with libvirt 9.0's domaincommon.rng")
        } catch {
            let problem = try #require(error.diagnostics.first)
            #expect(problem.message.contains("attribute//ref"))
            #expect(problem.message.contains("element target"))
            #expect(problem.location?.file.hasSuffix("seed/domainsnapshot.rng") == true)
        }
    }

    @Test("every corpus document gets the verdict MANIFEST.tsv records", .enabled(if: SharedData.exists(SharedData.libvirtCorpus + "/MANIFEST.tsv"), Comment(rawValue: SharedData.missing("the libvirt corpus"))))
    func corpusVerdicts() throws {
        let corpus = SharedData.path(SharedData.libvirtCorpus)
        let manifest = try String(contentsOfFile: corpus + "/MANIFEST.tsv", encoding: .utf8)
        var rows: [(path: String, schema: String, valid: Bool)] = []
        for line in manifest.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4 else { continue }
            rows.append((fields[0], fields[2], fields[3] == "valid"))
        }
        #expect(rows.count == 1468)
        var validators: [String: Validator] = [:]
        var disagreements: [String] = []
        var counts = (valid: 0, invalid: 0)
        for row in rows {
            let validator = try validators[row.schema] ?? {
                let made = Validator(schema: try Schema(file: SharedData.libvirtSchemas + "/" + row.schema, searchPath: GrammarSearchPath([])))
                validators[row.schema] = made
                return made
            }()
            let problems = validator.validate(file: corpus + "/" + row.path, displayName: row.path)
            if problems.isEmpty { counts.valid += 1 } else { counts.invalid += 1 }
            if problems.isEmpty != row.valid {
                disagreements.append("\(row.path): MANIFEST says \(row.valid ? "valid" : "invalid")\(problems.first.map { "; \($0)" } ?? "")")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.joined(separator: "\n"))")
        #expect(counts.valid == 1416 && counts.invalid == 52)
    }

    /// A long-running process validates documents with ever new values and, when they are
    /// invalid, ever new names: after the first pass over the corpus, neither adds to the
    /// validator's patterns or names.
    @Test("the validator stops growing on domain documents with new values and new names", .enabled(if: SharedData.exists(SharedData.libvirtCorpus + "/MANIFEST.tsv"), Comment(rawValue: SharedData.missing("the libvirt corpus"))))
    func validatorStopsGrowing() throws {
        let corpus = SharedData.path(SharedData.libvirtCorpus)
        let manifest = try String(contentsOfFile: corpus + "/MANIFEST.tsv", encoding: .utf8)
        var documents: [String] = []
        for line in manifest.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, fields[2] == "domain.rng", fields[3] == "valid" else { continue }
            documents.append(try String(contentsOfFile: corpus + "/" + fields[0], encoding: .utf8))
        }
        let validator = Validator(schema: try Schema(file: SharedData.libvirtSchemas + "/domain.rng", searchPath: GrammarSearchPath([])))
        let valid = documents.filter { validator.validate(string: $0, displayName: "d.xml").isEmpty }.count
        let (patterns, names) = (validator.internedPatternCount, validator.internedNameCount)

        var generator = SeededGenerator()
        func draw(_ count: Int, from characters: String) -> String {
            String((0..<count).map { _ in characters.randomElement(using: &generator)! })
        }
        let hex = "0123456789abcdef", letters = "abcdefghijklmnopqrstuvwxyz"
        /// Every match of `pattern` replaced by a new text of `make`'s.
        func replacing(_ pattern: String, in text: String, with make: () -> String) throws -> String {
            var result = text
            let matches = try NSRegularExpression(pattern: pattern).matches(in: text, range: NSRange(text.startIndex..., in: text))
            for match in matches.reversed() { result.replaceSubrange(Range(match.range, in: result)!, with: make()) }
            return result
        }
        var revalidated = 0
        var renamedRejected = 0
        for document in documents {
            // New values that keep the document valid: a name, a UUID, image paths and MAC addresses.
            var changed = try replacing("<name>[a-zA-Z0-9_-]*</name>", in: document) { "<name>\(draw(12, from: letters))</name>" }
            changed = try replacing("<uuid>[^<]*</uuid>", in: changed) {
                "<uuid>\(draw(8, from: hex))-\(draw(4, from: hex))-\(draw(4, from: hex))-\(draw(4, from: hex))-\(draw(12, from: hex))</uuid>"
            }
            changed = try replacing("file='/[^']*[.]img'", in: changed) { "file='/var/lib/\(draw(10, from: letters))/\(draw(6, from: letters)).img'" }
            changed = try replacing("address='52:54:00:[^']*'", in: changed) { "address='52:54:00:\(draw(2, from: hex)):\(draw(2, from: hex)):\(draw(2, from: hex))'" }
            if validator.validate(string: changed, displayName: "d.xml").isEmpty { revalidated += 1 }
            // New names, which make it invalid.
            let renamed = changed.replacingOccurrences(of: "<devices>", with: "<devices><\(draw(9, from: letters)) \(draw(7, from: letters))='1'/>")
            if renamed != changed, !validator.validate(string: renamed, displayName: "d.xml").isEmpty { renamedRejected += 1 }
        }
        #expect(revalidated == valid, "\(generator)")
        #expect(renamedRejected > 1000)
        #expect(validator.internedPatternCount == patterns, "\(generator)")
        #expect(validator.internedNameCount == names, "\(generator)")
    }
}
