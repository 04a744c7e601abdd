import CLibXML2
import Foundation

// Decoding and encoding libvirt's domain documents into the generated `Domain` of
// Examples/LibvirtXML. That 102,000-line module takes many minutes to build in release mode, so
// it is not a dependency of this package: its `libvirt-xml bench` times the generated code, in
// a release build made beforehand, and this run measures libxml2's floor on the same files.

func benchmarkDomainCoding() {
    let tool = projectRoot.path + "/Examples/LibvirtXML/.build/release/libvirt-xml"
    guard FileManager.default.isExecutableFile(atPath: tool) else {
        print("decode: libvirt domain documents: not measured; build the generated module first with")
        print("  (cd Examples/LibvirtXML && swift build -c release --product libvirt-xml)")
        return
    }
    // The decoder runs in another process, so it cannot take turns with the floor round by
    // round: the two take turns run by run instead, three times, each keeping its fastest. (Timed
    // once each, a disturbance during the floor's five rounds once made a 1.7× ratio read 1.1×.)
    func bench() -> [String: Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["bench", corpus, "--rounds", "\(rounds)"]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { fail("cannot run \(tool): \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var figures: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Double(fields[1]) { figures[String(fields[0])] = value }
        }
        guard process.terminationStatus == 0, figures["documents"] != nil, figures["bytes"] != nil, figures["decode-seconds"] != nil, figures["encode-seconds"] != nil
        else { fail("libvirt-xml bench failed: \(String(decoding: data, as: UTF8.self))") }
        return figures
    }
    let contents = corpusDocuments(schema: "domain.rng").filter(\.valid).map { read($0.path) }
    var sink = 0
    var figures: [String: Double] = [:]
    var floor = Double.infinity
    for _ in 0..<3 {
        // Times keep their fastest; counts are the same every run.
        for (key, value) in bench() { figures[key] = key.hasSuffix("-seconds") ? min(figures[key] ?? .infinity, value) : value }
        floor = min(floor, fastest { for content in contents { sink &+= LibXML2Floor.parseAndWalk(content) } })
    }
    let count = figures["documents"]!, bytes = figures["bytes"]!, decode = figures["decode-seconds"]!, encode = figures["encode-seconds"]!
    let trees = contents.compactMap(LibXML2Floor.parse)
    defer { trees.forEach { xmlFreeDoc($0) } }
    let serialise = fastest { for tree in trees { sink &+= LibXML2Floor.serialise(tree) } }
    let floorPerDocument = floor / Double(contents.count)
    let oursPerDocument = decode / count
    print("decode: \(Int(count)) libvirt domain documents, \(Int(bytes)) bytes, fastest of 3 runs of \(rounds) rounds each, the floor's and the decoder's taking turns (release build of Examples/LibvirtXML)")
    print("  libxml2 parse and walk (floor)     \(format(floorPerDocument * 1e6)) µs/doc  \(format(Double(contents.reduce(0) { $0 + $1.count }) / floor / 1e6)) MB/s  1.00x floor")
    print("  rng2swift Domain                   \(format(oursPerDocument * 1e6)) µs/doc  \(format(bytes / decode / 1e6)) MB/s  \(format(oursPerDocument / floorPerDocument))x floor")
    if let repeated = figures["decode-repeated-seconds"], let repetitions = figures["decode-repetitions"].map(Int.init) {
        // Each document as many times in a row as `libvirt-xml bench` decodes it, so that the code
        // it needs stays cached: what is left of the ratio is not the cost of fetching it.
        let floorRepeated = fastest {
            for content in contents { for _ in 0..<repetitions { sink &+= LibXML2Floor.parseAndWalk(content) } }
        } / Double(repetitions)
        print("  each document \(repetitions) times in a row: floor \(format(floorRepeated / Double(contents.count) * 1e6)) µs/doc, "
            + "rng2swift \(format(repeated / count * 1e6)) µs/doc, \(format(repeated / count / (floorRepeated / Double(contents.count))))x floor")
    }
    // The floor's own split: libxml2 parsing and freeing the tree, timed alone; its walk making
    // strings is the rest.
    let parseOnly = fastest {
        for content in contents {
            guard let document = LibXML2Floor.parse(content) else { continue }
            xmlFreeDoc(document)
            sink &+= 1
        }
    }
    print("  the floor's stages, each timed alone: libxml2 parse and free \(format(parseOnly / Double(contents.count) * 1e6)) µs/doc; "
        + "its walk making strings (the rest) \(format((floor - parseOnly) / Double(contents.count) * 1e6)) µs/doc")
    if let validate = figures["parse-validate-seconds"] {
        // Times, as for the snapshot documents: parsing, validating and freeing the tree, timed
        // alone; the generated decoders are the rest.
        print("  stages, each timed alone: rng2swift parse and validate \(format(validate / count * 1e6)) µs/doc; "
            + "generated decoders reading libxml2's tree (the rest) \(format((decode - validate) / count * 1e6)) µs/doc")
    }
    print("encode: the same documents' values")
    print("  libxml2 serialising its tree       \(format(serialise / Double(trees.count) * 1e6)) µs/doc  1.00x libxml2")
    print("  rng2swift Domain                   \(format(encode / count * 1e6)) µs/doc  \(format(encode / count / (serialise / Double(trees.count))))x libxml2")
    if contents.count != Int(count) { print("  (the floor ran on \(contents.count) documents, the decoder on \(Int(count)) it decodes)") }
    targets.append(Target(
        name: "decode-domains-vs-floor", measured: "\(format(oursPerDocument / floorPerDocument))x libxml2 floor", goal: "at most 1.25x",
        met: oursPerDocument / floorPerDocument <= 1.25))
    if sink == 42 { print("") }
}

/// libxml2's floor on the valid domain documents, each 4 times: as many parses as the decodes of
/// `libvirt-xml bench --rounds 1`, so that the two callgrind counts compare directly. Exits.
func profileDomainFloor() -> Never {
    let contents = corpusDocuments(schema: "domain.rng").filter(\.valid).map { read($0.path) }
    var count = 0
    for _ in 0..<4 { for content in contents { count &+= LibXML2Floor.parseAndWalk(content) } }
    print("\(contents.count) documents, \(count)")
    exit(0)
}
