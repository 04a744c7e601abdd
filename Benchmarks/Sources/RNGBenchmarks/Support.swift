import Foundation

// Where the documents and grammars are, how time is taken, how results are printed.

let environment = ProcessInfo.processInfo.environment
let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shared = environment["RNG2SWIFT_SHARED"] ?? projectRoot.deletingLastPathComponent().appendingPathComponent("shared").path
let libvirtSchemas = environment["LIBVIRT_SCHEMAS"] ?? "/usr/share/libvirt/schemas"
let corpus = shared + "/corpus/libvirt-9.0.0"
let rounds = Int(environment["BENCHMARK_ROUNDS"] ?? "") ?? 5

func seconds(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The fastest of `rounds` runs of `body` (after one warm-up run): the least disturbed by the
/// machine's other work.
func fastest(_ body: () -> Void) -> Double {
    body()
    return (0..<rounds).map { _ in
        let start = ContinuousClock.now
        body()
        return seconds(start)
    }.min()!
}

/// The fastest run of each body, the bodies taking turns round after round (after one warm-up
/// run each): contenders compared with each other meet the same disturbances of a shared machine.
func fastestInTurns(_ bodies: [() -> Void]) -> [Double] {
    for body in bodies { body() }
    var best = Array(repeating: Double.infinity, count: bodies.count)
    for _ in 0..<rounds {
        for (index, body) in bodies.enumerated() {
            let start = ContinuousClock.now
            body()
            best[index] = min(best[index], seconds(start))
        }
    }
    return best
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("benchmark: \(message)\n".utf8))
    exit(2)
}

/// The corpus documents MANIFEST.tsv lists for a grammar, with their verdicts.
func corpusDocuments(schema: String) -> [(path: String, valid: Bool)] {
    guard let manifest = try? String(contentsOfFile: corpus + "/MANIFEST.tsv", encoding: .utf8) else {
        fail("\(corpus)/MANIFEST.tsv is missing; set RNG2SWIFT_SHARED")
    }
    return manifest.split(separator: "\n").dropFirst().compactMap { line in
        let fields = line.split(separator: "\t")
        guard fields.count == 4, fields[2] == schema else { return nil }
        return (corpus + "/" + fields[0], fields[3] == "valid")
    }
}

func read(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return Array(data)
}

/// One line per goal, collected and printed at the end of the run.
struct Target {
    var name: String
    var measured: String
    var goal: String
    var met: Bool
}
nonisolated(unsafe) var targets: [Target] = []

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

func perDocument(_ time: Double, _ count: Int) -> String { "\(format(time / Double(count) * 1e6, 1)) µs/doc" }

func megabytesPerSecond(_ time: Double, bytes: Int) -> String { "\(format(Double(bytes) / 1e6 / time, 1)) MB/s" }
