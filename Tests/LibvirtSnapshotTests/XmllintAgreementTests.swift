import Foundation
import LibvirtSnapshot
import Testing

/// The typed API must accept exactly what `xmllint --relaxng schemas/domainsnapshot.rng`
/// accepts: on libvirt's own snapshot documents, and on documents neither has seen, made by
/// mutating those and the project's fixtures.
@Suite("Agreement with xmllint", .enabled(if: Xmllint.available, "xmllint is missing: apt-get install libxml2-utils"))
struct XmllintAgreementTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let grammar = packageRoot.appendingPathComponent("schemas/domainsnapshot.rng").path
    static let shared = ProcessInfo.processInfo.environment["RNG2SWIFT_SHARED"] ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    static let corpusFolders = ["qemudomainsnapshotxml2xmlin", "qemudomainsnapshotxml2xmlout"].map { shared + "/corpus/libvirt-9.0.0/" + $0 }
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpusFolders[0]) }

    static func corpusDocuments() throws -> [String] {
        try corpusFolders.flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }.sorted().map { folder + "/" + $0 }
        }
    }

    /// Whether the typed API decodes a file, and its re-encoded text.
    static func decode(_ path: String) -> String? {
        (try? DomainSnapshot(contentsOfFile: path))?.xmlString()
    }

    @Test("libvirt's snapshot documents: same verdicts; valid ones re-encode to valid, equal XML", .enabled(if: hasCorpus, "the libvirt corpus is missing; set RNG2SWIFT_SHARED"))
    func corpus() throws {
        let documents = try Self.corpusDocuments()
        #expect(documents.count == 28)
        let verdicts = try Xmllint.validate(documents, against: Self.grammar)
        let scratch = try Xmllint.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var reencoded: [String] = []
        var accepted = 0
        for (index, document) in documents.enumerated() {
            let ours = Self.decode(document)
            #expect((ours != nil) == verdicts[index], "\(document): typed API \(ours != nil ? "accepts" : "rejects"), xmllint \(verdicts[index] ? "accepts" : "rejects")")
            guard let ours else { continue }
            accepted += 1
            let input = try String(contentsOfFile: document, encoding: .utf8)
            #expect(canonical(try parseTree(ours)) == canonical(try parseTree(input)), "\(document) re-encodes differently:\n\(ours)")
            let path = scratch + "/\(index).xml"
            try Data(ours.utf8).write(to: URL(fileURLWithPath: path))
            reencoded.append(path)
        }
        #expect(accepted > 10)
        #expect(try Xmllint.validate(reencoded, against: Self.grammar).allSatisfy { $0 }, "xmllint rejects re-encoded output")
    }

    @Test("documents made by mutating the fixtures and the corpus: same verdicts as xmllint")
    func mutants() throws {
        var sources = Fixtures.all
        if Self.hasCorpus {
            sources += try Self.corpusDocuments().compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        }
        var mutants: [String] = []
        for source in sources {
            guard let tree = try? parseTree(source) else { continue }
            mutants += Mutator.mutants(of: tree).map { XMLWriter.string($0) }
        }
        let scratch = try Xmllint.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var paths: [String] = []
        for (index, mutant) in mutants.enumerated() {
            let path = scratch + "/mutant\(index).xml"
            try Data(mutant.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let verdicts = try Xmllint.validate(paths, against: Self.grammar)
        var disagreements: [String] = []
        var valid = 0
        for (index, path) in paths.enumerated() {
            let ours = Self.decode(path) != nil
            if ours { valid += 1 }
            if ours != verdicts[index] { disagreements.append("typed API \(ours ? "accepts" : "rejects"), xmllint \(verdicts[index] ? "accepts" : "rejects"):\n\(mutants[index])") }
        }
        #expect(mutants.count > 200)
        #expect(valid > 20 && valid < mutants.count, "the mutants should be a mix of valid and invalid documents (\(valid) of \(mutants.count) valid)")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements; first:\n\(disagreements.first ?? "")")
    }
}

/// Small changes to a document: each element dropped or duplicated, each attribute dropped or
/// given another value, an unknown attribute and element added.
enum Mutator {
    static func mutants(of root: XMLElement) -> [XMLElement] {
        var result: [XMLElement] = []
        func visit(_ path: [Int]) {
            let element = root.at(path)
            for (index, child) in element.children.enumerated() {
                guard case .element = child else { continue }
                result.append(root.replacing(path) { $0.children.remove(at: index) })
                result.append(root.replacing(path) { $0.children.insert(child, at: index) })
                visit(path + [index])
            }
            for index in element.attributes.indices {
                result.append(root.replacing(path) { $0.attributes.remove(at: index) })
                for value in ["no", "internal", "external", "/other/path", "vdz", "x y", ""] {
                    result.append(root.replacing(path) { $0.attributes[index].value = value })
                }
            }
            if element.elements.isEmpty, !element.text.isEmpty {
                for text in ["running", "shutoff", "1", "2", " "] {
                    result.append(root.replacing(path) { $0.children = [.text(text)] })
                }
            }
            result.append(root.replacing(path) { $0.attributes.append(XMLAttribute("unknown", value: "1")) })
            result.append(root.replacing(path) { $0.children.append(.element(XMLElement("unknown"))) })
        }
        visit([])
        return result
    }
}

extension XMLElement {
    func at(_ path: [Int]) -> XMLElement {
        var current = self
        for index in path {
            guard case .element(let child) = current.children[index] else { return current }
            current = child
        }
        return current
    }

    func replacing(_ path: [Int], _ change: (inout XMLElement) -> Void) -> XMLElement {
        var copy = self
        guard let first = path.first else {
            change(&copy)
            return copy
        }
        guard case .element(let child) = copy.children[first] else { return copy }
        copy.children[first] = .element(child.replacing(Array(path.dropFirst()), change))
        return copy
    }
}

enum Xmllint {
    static var available: Bool {
        ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xmllint-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// xmllint's verdict on each file, in one process.
    static func validate(_ files: [String], against grammar: String) throws -> [Bool] {
        guard !files.isEmpty else { return [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--nonet", "--relaxng", grammar] + files
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let valid = Set(output.split(separator: "\n").compactMap { line -> String? in
            line.hasSuffix(" validates") ? String(line.dropLast(" validates".count)) : nil
        })
        return files.map { valid.contains($0) }
    }
}
