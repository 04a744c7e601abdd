import ArgumentParser
import Foundation
import LibvirtXML

@main
struct LibvirtXMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "libvirt-xml",
        abstract: "Read any libvirt XML document with the types generated from libvirt's grammars.",
        subcommands: [Format.self, Corpus.self, Mutants.self, Bench.self]
    )
}

struct Format: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a document by its root element and print it re-encoded; on error print FILE:line:col: error: … and exit 1.")

    @Argument(help: "A libvirt document: domain, snapshot, network, pool, volume, …")
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("\(file):1:1: error: cannot read the file\n".utf8))
            throw ExitCode(1)
        }
        do {
            print(try LibvirtDocument(xmlBytes: Array(data), displayName: file).xmlString(), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Runs every document of a corpus folder with a MANIFEST.tsv (path, root, grammar, verdict)
/// and prints how many were decoded, round-tripped and correctly rejected. A valid document
/// counts as round-tripped only when decoding it without validation gives the same value too.
struct Corpus: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decode, re-encode and compare every document a MANIFEST.tsv lists.")

    @Argument(help: "A folder with MANIFEST.tsv, such as ../shared/corpus/libvirt-9.0.0.")
    var folder: String

    @Flag(help: "Print each document that does not behave.")
    var verbose = false

    @Option(help: "Where libvirt's grammars are, for xmllint to validate the re-encoded documents; `none` skips that check.")
    var schemas: String = ProcessInfo.processInfo.environment["LIBVIRT_SCHEMAS"] ?? "/usr/share/libvirt/schemas"

    func run() throws {
        let manifest = try String(contentsOfFile: folder + "/MANIFEST.tsv", encoding: .utf8)
        var counts: [String: Int] = [:]
        var failures = 0
        var reencodedBySchema: [String: [(name: String, text: String)]] = [:]
        for line in manifest.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, let data = FileManager.default.contents(atPath: folder + "/" + fields[0]) else { continue }
            let expectValid = fields[3] == "valid"
            let outcome = Self.check(Array(data), name: fields[0])
            if expectValid, let document = try? LibvirtDocument(xmlBytes: Array(data), displayName: fields[0]) {
                reencodedBySchema[fields[2], default: []].append((fields[0], document.xmlString()))
            }
            let key: String
            switch (outcome, expectValid) {
            case (.rejected, false): key = "invalid documents rejected"
            case (.rejected(let why), true): key = "VALID DOCUMENTS REJECTED"; if verbose { print("rejected \(fields[0]): \(why)") }
            case (_, false): key = "INVALID DOCUMENTS ACCEPTED"; if verbose { print("accepted \(fields[0])") }
            case (.roundTrip, true): key = "valid documents round-tripped"
            case (.lexicalDifference, true): key = "valid documents round-tripped up to the lexical form of typed values"; if verbose { print("lexical \(fields[0])") }
            case (.differs(let why), true): key = "VALID DOCUMENTS CHANGED"; if verbose { print("changed \(fields[0]): \(why)") }
            }
            if key.uppercased() == key { failures += 1 }
            counts[key, default: 0] += 1
        }
        if schemas != "none", FileManager.default.fileExists(atPath: schemas) {
            let (validated, total, rejected) = try Self.xmllint(reencodedBySchema, schemas: schemas)
            counts["re-encoded documents xmllint validates (of \(total))"] = validated
            if validated != total {
                failures += total - validated
                if verbose { for name in rejected { print("xmllint rejects the re-encoded \(name)") } }
            }
        }
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) { print("\(key): \(count)") }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Has `xmllint --relaxng` validate the re-encoded documents against their grammars, one
    /// process a grammar.
    static func xmllint(_ documents: [String: [(name: String, text: String)]], schemas: String) throws -> (Int, Int, [String]) {
        var validated = 0
        var total = 0
        var rejected: [String] = []
        for (schema, items) in documents.sorted(by: { $0.key < $1.key }) {
            let valid = try Oracles.withFiles(items.map(\.text)) { paths in
                let accepted = try Oracles.xmllintValid(paths, schema: schemas + "/" + schema)
                return paths.map(accepted.contains)
            }
            total += items.count
            validated += valid.filter { $0 }.count
            rejected += zip(items, valid).filter { !$0.1 }.map(\.0.name)
        }
        return (validated, total, rejected.sorted())
    }

    enum Outcome {
        case rejected(String)
        case roundTrip
        case lexicalDifference
        case differs(String)
    }

    static func check(_ bytes: [UInt8], name: String) -> Outcome {
        let document: LibvirtDocument
        do {
            document = try LibvirtDocument(xmlBytes: bytes, displayName: name)
        } catch {
            return .rejected("\(error)")
        }
        // Decoding a validated document, reads of values that validation checked are not checked
        // again; a tree parsed in Swift was never validated, and every read of it checks.
        guard (try? LibvirtDocument(xmlBytes: bytes, displayName: name, validating: false)) == document else {
            return .differs("decoding without validation gives another value")
        }
        let text = document.xmlString()
        guard let again = try? LibvirtDocument(xmlBytes: Array(text.utf8), displayName: "re-encoded " + name) else {
            return .differs("the re-encoded document does not decode")
        }
        guard again == document else { return .differs("decoding the re-encoded document gives another value") }
        guard let original = try? XMLElement.parse(bytes: bytes, displayName: name),
            let reencoded = try? XMLElement.parse(bytes: Array(text.utf8), displayName: name)
        else { return .differs("cannot parse") }
        if canonical(original) == canonical(reencoded) { return .roundTrip }
        // Equal values and the same elements and attributes in the same order: only the lexical
        // form of typed values changed (bus='00' written back as bus='0').
        if skeleton(canonical(original)) == skeleton(canonical(reencoded)) { return .lexicalDifference }
        return .differs("the XML differs in its elements or attributes")
    }

    /// The element without attribute values or text: its names and their order.
    static func skeleton(_ element: XMLElement) -> XMLElement {
        var copy = element
        copy.attributes = copy.attributes.map { XMLAttribute($0.localName, namespace: $0.namespace, value: "") }
        copy.children = element.elements.map { .element(skeleton($0)) }
        return copy
    }

    /// XML as libvirt's documents mean it: attribute order, whitespace-only text and prefixes
    /// do not matter.
    static func canonical(_ element: XMLElement) -> XMLElement {
        var copy = element
        copy.location = nil
        copy.attributes.sort { ($0.namespace, $0.localName) < ($1.namespace, $1.localName) }
        copy.children = element.children.compactMap { child in
            switch child {
            case .element(let inner): return .element(canonical(inner))
            case .text(let text): return XMLWhitespace.isWhitespace(text) ? nil : .text(text)
            }
        }
        return copy
    }
}
