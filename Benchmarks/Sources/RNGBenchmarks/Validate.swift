import Foundation
import RelaxNG

// Validation throughput on libvirt's domain documents, next to `xmllint --relaxng` on the same
// documents in the same run.

/// Validates every domain document 3 times, for a profiler, and exits.
func profileValidation() -> Never {
    let documents = corpusDocuments(schema: "domain.rng").map(\.path)
    let contents = documents.map(read)
    let schema: Schema
    do { schema = try Schema(file: libvirtSchemas + "/domain.rng", searchPath: GrammarSearchPath([])) } catch { fail("\(error)") }
    let validator = Validator(schema: schema)
    var invalid = 0
    for _ in 0..<3 {
        for (index, bytes) in contents.enumerated() where !validator.validate(bytes: bytes, displayName: documents[index]).isEmpty { invalid += 1 }
    }
    print(invalid)
    exit(0)
}

func benchmarkValidation() {
    let documents = corpusDocuments(schema: "domain.rng").map(\.path)
    let contents = documents.map(read)
    let megabytes = Double(contents.reduce(0) { $0 + $1.count }) / 1_000_000
    print("validate: \(documents.count) libvirt domain documents, \(format(megabytes)) MB, \(rounds) rounds")

    // rng2swift, in process: the grammar once, then every document each round.
    var clock = ContinuousClock.now
    let schema: Schema
    do { schema = try Schema(file: libvirtSchemas + "/domain.rng", searchPath: GrammarSearchPath([])) } catch { fail("\(error)") }
    let loadTime = seconds(clock)
    let validator = Validator(schema: schema)
    var roundTimes: [Double] = []
    var invalid = 0
    for _ in 0..<rounds {
        clock = ContinuousClock.now
        invalid = 0
        for (index, bytes) in contents.enumerated() where !validator.validate(bytes: bytes, displayName: documents[index]).isEmpty {
            invalid += 1
        }
        roundTimes.append(seconds(clock))
    }
    let oursFirst = Double(documents.count) / roundTimes[0]
    let oursSteady = Double(documents.count) / (roundTimes.dropFirst().min() ?? roundTimes[0])

    // xmllint --relaxng, one process for all documents; the documents listed `rounds` times, and
    // once more with a single round, so that its start-up and grammar compilation cancel out.
    func xmllint(_ arguments: [String]) -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--relaxng", libvirtSchemas + "/domain.rng"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        do { try process.run() } catch { fail("cannot run xmllint (apt-get install libxml2-utils): \(error)") }
        process.waitUntilExit()
        return seconds(start)
    }
    let once = (0..<3).map { _ in xmllint(documents) }.min()!
    let repeated = (0..<3).map { _ in xmllint(Array(repeating: documents, count: rounds).flatMap { $0 }) }.min()!
    let xmllintSteady = Double(documents.count * (rounds - 1)) / max(repeated - once, 1e-9)
    let xmllintFirst = Double(documents.count) / once

    func rate(_ value: Double) -> String { String(format: "%8.0f docs/s", value) }
    print("  rng2swift validate (in process): grammar \(format(loadTime * 1000, 0)) ms; first round \(rate(oursFirst)); steady \(rate(oursSteady)); \(invalid) invalid")
    print("  xmllint --relaxng (one process):  first round incl. start-up \(rate(xmllintFirst)); steady \(rate(xmllintSteady))")
    let ratio = oursSteady / xmllintSteady
    print("  throughput ratio rng2swift/xmllint: steady \(format(ratio))x, first round \(format((Double(documents.count) / (roundTimes[0] + loadTime)) / xmllintFirst))x")
    targets.append(Target(name: "validation-throughput", measured: "\(format(ratio))x xmllint", goal: "2.00x", met: ratio >= 2))
}
