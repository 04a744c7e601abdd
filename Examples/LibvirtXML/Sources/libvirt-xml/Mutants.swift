import ArgumentParser
import Foundation
import LibvirtXML
import RelaxNG

/// Differential testing: mutants of every valid corpus document, each judged by the generated
/// decoder, by rng2swift's validator and by `xmllint --relaxng`; all three must agree.
struct Mutants: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mutate the valid documents a MANIFEST.tsv lists; the decoder, the validator and xmllint must agree on each mutant.")

    @Argument(help: "A folder with MANIFEST.tsv, such as ../shared/corpus/libvirt-9.0.0.")
    var folder: String

    @Option(help: "Mutants made from each document.")
    var perDocument = 3

    @Option(help: "Where libvirt's grammars are.")
    var schemas: String = ProcessInfo.processInfo.environment["LIBVIRT_SCHEMAS"] ?? "/usr/share/libvirt/schemas"

    @Flag(help: "Print every disagreement.")
    var verbose = false

    func run() throws {
        let manifest = try String(contentsOfFile: folder + "/MANIFEST.tsv", encoding: .utf8)
        var generator = SeededGenerator(seed: 2026)
        var mutantsBySchema: [String: [(name: String, text: String)]] = [:]
        for line in manifest.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, fields[3] == "valid", let data = FileManager.default.contents(atPath: folder + "/" + fields[0]),
                let root = try? XMLElement.parse(bytes: Array(data), displayName: fields[0])
            else { continue }
            for index in 0..<perDocument {
                let (mutant, how) = Mutation.apply(to: root, using: &generator)
                mutantsBySchema[fields[2], default: []].append(("\(fields[0]) #\(index + 1) (\(how))", XMLWriter.string(mutant)))
            }
        }
        var agreed = 0
        var acceptedByAll = 0
        var disagreements: [String] = []
        var xmllintWrong: [String] = []
        var acceptedWithoutValidation: [String] = []
        for (schema, mutants) in mutantsBySchema.sorted(by: { $0.key < $1.key }) {
            let grammar = schemas + "/" + schema
            let validator = Validator(schema: try Schema(file: grammar, searchPath: GrammarSearchPath([schemas])))
            try Oracles.withFiles(mutants.map(\.text)) { paths in
                let xmllintAccepts = try Oracles.xmllintValid(paths, schema: grammar)
                for (mutant, path) in zip(mutants, paths) {
                    let bytes = Array(mutant.text.utf8)
                    let document = try? LibvirtDocument(xmlBytes: bytes, displayName: mutant.name)
                    let decoded = document != nil
                    let validated = validator.validate(bytes: bytes, displayName: mutant.name).isEmpty
                    let xmllint = xmllintAccepts.contains(path)
                    let verdicts = "decoder \(decoded ? "accepts" : "rejects"), validator \(validated ? "accepts" : "rejects"), xmllint \(xmllint ? "accepts" : "rejects")"
                    // The generated decoders alone, on a tree parsed in Swift that no one validated,
                    // must accept what validation accepts and give the same value. They leave
                    // the order of a group's children and numeric facets to validation (README,
                    // "Not supported"), so they may accept more: counted, not a failure.
                    let unvalidated = try? LibvirtDocument(xmlBytes: bytes, displayName: mutant.name, validating: false)
                    if decoded, unvalidated != document {
                        disagreements.append("\(mutant.name): \(verdicts), decoder without validation \(unvalidated == nil ? "rejects" : "gives another value")")
                        continue
                    }
                    if !decoded, unvalidated != nil { acceptedWithoutValidation.append(mutant.name) }
                    if decoded == validated && validated == xmllint {
                        agreed += 1
                        if decoded { acceptedByAll += 1 }
                    } else if decoded == validated, let jing = Oracles.jingValid(path, schema: grammar), jing == validated {
                        // xmllint is the odd one out, and jing sides with rng2swift.
                        xmllintWrong.append("\(mutant.name): \(verdicts), jing \(jing ? "accepts" : "rejects")")
                    } else {
                        disagreements.append("\(mutant.name): \(verdicts)")
                    }
                }
            }
        }
        let total = mutantsBySchema.values.reduce(0) { $0 + $1.count }
        print("mutants: \(total); decoder, validator and xmllint agree on \(agreed) (\(acceptedByAll) accepted by all, \(agreed - acceptedByAll) rejected by all)")
        print("xmllint wrong, jing agreeing with rng2swift: \(xmllintWrong.count)")
        if verbose { xmllintWrong.forEach { print("  \($0)") } }
        print("invalid, yet decoded from a tree parsed in Swift (order and numeric facets are validation's): \(acceptedWithoutValidation.count)")
        if verbose { acceptedWithoutValidation.forEach { print("  \($0)") } }
        print("disagreements: \(disagreements.count)")
        disagreements.forEach { print("  \($0)") }
        if !disagreements.isEmpty { throw ExitCode(1) }
    }
}

/// One random change to a document: a node dropped, duplicated or moved, a value changed, an
/// unknown element or attribute inserted.
enum Mutation {
    static func apply(to root: XMLElement, using generator: inout SeededGenerator) -> (XMLElement, String) {
        var paths: [[Int]] = [[]]
        func collect(_ element: XMLElement, _ path: [Int]) {
            for (index, child) in element.children.enumerated() {
                if case .element(let inner) = child {
                    paths.append(path + [index])
                    collect(inner, path + [index])
                }
            }
        }
        collect(root, [])
        let path = paths[Int(generator.next() % UInt64(paths.count))]
        var result = root
        var how = ""
        let operation = generator.next() % 8
        if let index = path.last, operation < 3 {
            // Changes to the element's place among its siblings, made on its parent.
            update(&result, at: path.dropLast()) { parent in
                guard case .element(let element) = parent.children[index] else { return }
                switch operation {
                case 0:
                    parent.children.remove(at: index)
                    how = "dropped <\(element.localName)>"
                case 1:
                    parent.children.insert(.element(element), at: index + 1)
                    how = "duplicated <\(element.localName)>"
                default:
                    let siblings = parent.children.indices.filter { if case .element = parent.children[$0] { return true } else { return false } }
                    let other = siblings[Int(generator.next() % UInt64(siblings.count))]
                    parent.children.swapAt(index, other)
                    how = "swapped <\(element.localName)> with a sibling"
                }
            }
            return (result, how)
        }
        update(&result, at: path[...]) { element in
            switch operation {
            case 3 where !element.attributes.isEmpty:
                let index = Int(generator.next() % UInt64(element.attributes.count))
                how = "dropped @\(element.attributes[index].localName)"
                element.attributes.remove(at: index)
            case 4 where !element.attributes.isEmpty:
                let index = Int(generator.next() % UInt64(element.attributes.count))
                let values = ["bogus", "0", "-1", "yes", "99999999999999999999", "", "/abs/path"]
                element.attributes[index].value = values[Int(generator.next() % UInt64(values.count))]
                how = "@\(element.attributes[index].localName)='\(element.attributes[index].value)'"
            case 5:
                element.attributes.append(XMLAttribute("unknownAttribute", value: "1"))
                how = "added @unknownAttribute to <\(element.localName)>"
            case 6 where !element.text.isEmpty && element.elements.isEmpty:
                element.children = [.text("bogus text")]
                how = "text of <\(element.localName)> changed"
            default:
                element.children.append(.element(XMLElement("unknownElement")))
                how = "added <unknownElement> to <\(element.localName)>"
            }
        }
        return (result, how)
    }

    /// Runs `change` on the element at `path` (child indexes from the root).
    private static func update(_ element: inout XMLElement, at path: ArraySlice<Int>, _ change: (inout XMLElement) -> Void) {
        guard let first = path.first else {
            change(&element)
            return
        }
        guard case .element(var child) = element.children[first] else { return }
        update(&child, at: path.dropFirst(), change)
        element.children[first] = .element(child)
    }
}

/// A small deterministic generator (SplitMix64), so that a run's mutants are the same every time.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
