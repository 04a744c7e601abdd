import CLibXML2
import Foundation
import LibvirtSnapshot
import RelaxNG
import RelaxNGRuntime
import XMLCoder

// Decoding and encoding libvirt's domain snapshot documents: the generated `DomainSnapshot`,
// next to libxml2's parse-and-walk floor and XMLCoder with hand-written structs.

func benchmarkSnapshotCoding() {
    // The documents the seed grammar accepts (it is the 2011 format; some newer ones it rejects).
    let documents = corpusDocuments(schema: "domainsnapshot.rng").map { ($0.path, read($0.path)) }
        .filter { (try? DomainSnapshot(xmlBytes: $0.1, displayName: $0.0)) != nil }
    let contents = documents.map(\.1)
    let bytes = contents.reduce(0) { $0 + $1.count }
    let xmlDecoder = XMLDecoder()
    xmlDecoder.shouldProcessNamespaces = false
    for (path, content) in documents {
        do { _ = try xmlDecoder.decode(CoderSnapshot.self, from: Data(content)) } catch { fail("XMLCoder cannot read \(path): \(error)") }
    }
    print("decode: \(documents.count) libvirt snapshot documents, \(bytes) bytes, fastest of \(rounds) rounds (×200 each)")
    let repeats = 200

    var sink = 0
    let validator = Validator(schema: try! DomainSnapshot.grammar.schema())
    // The contenders, and each stage of rng2swift's decoding alone, take turns.
    let decodeTimes = fastestInTurns([
        { for _ in 0..<repeats { for content in contents { sink &+= LibXML2Floor.parseAndWalk(content) } } },
        {
            for _ in 0..<repeats {
                for content in contents { if let snapshot = try? DomainSnapshot(xmlBytes: content) { sink &+= snapshot.disks?.count ?? 1 } }
            }
        },
        {
            for _ in 0..<repeats {
                for content in contents { if let snapshot = try? xmlDecoder.decode(CoderSnapshot.self, from: Data(content)) { sink &+= snapshot.disks?.disk.count ?? 1 } }
            }
        },
        { for _ in 0..<repeats { for content in contents { if let document = LibXML2Floor.parse(content) { xmlFreeDoc(document); sink &+= 1 } } } },
        { for _ in 0..<repeats { for content in contents { sink &+= validator.validate(bytes: content, displayName: "d").count } } },
        {
            for _ in 0..<repeats {
                for content in contents {
                    guard let snapshot = try? DomainSnapshot(xmlBytes: content) else { continue }
                    if case .domain(let domain) = snapshot.domain { sink &+= domain.children.count } else { sink &+= 1 }
                }
            }
        },
    ])
    let (floor, ours, coder) = (decodeTimes[0], decodeTimes[1], decodeTimes[2])
    let (parseOnly, parseAndValidate, oursReadingDomain) = (decodeTimes[3], decodeTimes[4], decodeTimes[5])
    let count = documents.count * repeats
    func line(_ name: String, _ time: Double) {
        print("  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(perDocument(time, count))  \(megabytesPerSecond(time, bytes: bytes * repeats))  \(format(time / floor))x floor")
    }
    line("libxml2 parse and walk (floor)", floor)
    line("rng2swift DomainSnapshot", ours)
    line("XMLCoder hand-written structs", coder)
    // Open content is read out of libxml2's tree on first use; this is the cost when it is used.
    line("rng2swift, then reading <domain>", oursReadingDomain)
    // Times, not shares: parsing and validating together can cost less than the floor's parse
    // alone (validation skips open content), which a share would show as a negative part.
    print("  stages, each timed alone: libxml2 parse (as the floor parses) \(perDocument(parseOnly, count)); rng2swift parse and validate \(perDocument(parseAndValidate, count)); "
        + "generated decoders reading libxml2's tree (the rest) \(perDocument(ours - parseAndValidate, count))")
    targets.append(Target(name: "decode-vs-floor", measured: "\(format(ours / floor))x libxml2 floor", goal: "at most 1.25x", met: ours / floor <= 1.25))
    targets.append(Target(name: "decode-vs-xmlcoder", measured: "\(format(coder / ours))x faster than XMLCoder", goal: "at least 6.00x", met: coder / ours >= 6))

    // Encoding the decoded values; libxml2 writing the trees it parsed.
    let values = contents.map { try! DomainSnapshot(xmlBytes: $0) }
    let coderValues = contents.map { try! xmlDecoder.decode(CoderSnapshot.self, from: Data($0)) }
    let trees = contents.map { LibXML2Floor.parse($0)! }
    defer { trees.forEach { xmlFreeDoc($0) } }
    let xmlEncoder = XMLEncoder()
    let encodeTimes = fastestInTurns([
        { for _ in 0..<repeats { for tree in trees { sink &+= LibXML2Floor.serialise(tree) } } },
        { for _ in 0..<repeats { for value in values { sink &+= value.xmlString().utf8.count } } },
        { for _ in 0..<repeats { for value in coderValues { sink &+= (try? xmlEncoder.encode(value, withRootKey: "domainsnapshot"))?.count ?? 0 } } },
    ])
    let (libxml2Writes, ourWrites, coderWrites) = (encodeTimes[0], encodeTimes[1], encodeTimes[2])
    print("encode: the same documents' values")
    func encodeLine(_ name: String, _ time: Double) {
        print("  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(perDocument(time, count))  \(format(time / libxml2Writes))x libxml2")
    }
    encodeLine("libxml2 serialising its tree", libxml2Writes)
    encodeLine("rng2swift DomainSnapshot", ourWrites)
    encodeLine("XMLCoder hand-written structs", coderWrites)
    targets.append(Target(name: "encode-vs-xmlcoder", measured: "\(format(coderWrites / ourWrites))x faster than XMLCoder", goal: "at least 10.00x", met: coderWrites / ourWrites >= 10))
    if sink == 42 { print("") }
}

