import Foundation
import LibvirtSnapshot
import RelaxNGRuntime

// One run, every measurement next to its peers on the same documents, then one line per goal.
// Ratios, not absolute times, are the result: the machine is shared.

if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "--memory-child" {
    memoryChild(mode: CommandLine.arguments[2], path: CommandLine.arguments[3])
}
if CommandLine.arguments.count == 2, ["--profile-decode", "--profile-encode", "--profile-tree", "--profile-floor", "--profile-validate", "--profile-floor-domains"].contains(CommandLine.arguments[1]) {
    // Only the generated decoder (or encoder, the XMLElement tree it reads, the floor, or the
    // validator on the domain documents), for a profiler.
    if CommandLine.arguments[1] == "--profile-validate" { profileValidation() }
    if CommandLine.arguments[1] == "--profile-floor-domains" { profileDomainFloor() }
    let contents = corpusDocuments(schema: "domainsnapshot.rng").map { read($0.path) }.filter { (try? DomainSnapshot(xmlBytes: $0)) != nil }
    var count = 0
    if CommandLine.arguments[1] == "--profile-tree" {
        for _ in 0..<4000 { for content in contents { count &+= (try? XMLElement.parse(bytes: content, displayName: "d"))?.children.count ?? 0 } }
    } else if CommandLine.arguments[1] == "--profile-floor" {
        for _ in 0..<2000 { for content in contents { count &+= LibXML2Floor.parseAndWalk(content) } }
    } else if CommandLine.arguments[1] == "--profile-decode" {
        for _ in 0..<2000 { for content in contents where (try? DomainSnapshot(xmlBytes: content)) != nil { count += 1 } }
    } else {
        let values = contents.compactMap { try? DomainSnapshot(xmlBytes: $0) }
        for _ in 0..<5000 { for value in values { count &+= value.xmlString().utf8.count } }
    }
    print(count)
    exit(0)
}
let only = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { only.isEmpty || only.contains(name) }

if wanted("decode") || wanted("encode") { benchmarkSnapshotCoding() }
if wanted("decode") { benchmarkDomainCoding() }
if wanted("validate") { benchmarkValidation() }
if wanted("generate") { benchmarkGeneration() }
if wanted("memory") { benchmarkMemory() }
for target in targets {
    print("target \(target.name): \(target.measured) (goal \(target.goal)) \(target.met ? "met" : "not met")")
}
