import ArgumentParser
import Foundation
import LibvirtXML

/// Times decoding and encoding libvirt's domain documents into the generated `Domain`, for
/// `Benchmarks/` (which measures libxml2's floor on the same files and prints the ratios). Build
/// it in release mode first: `swift build -c release --product libvirt-xml`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time decoding and encoding the valid domain documents a MANIFEST.tsv lists; prints key-value lines.")

    @Argument(help: "A folder with MANIFEST.tsv, such as ../shared/corpus/libvirt-9.0.0.")
    var folder: String

    @Option(help: "Rounds; the fastest is reported.")
    var rounds = 5

    /// How many times in a row `decode-repeated-seconds` decodes each document.
    static let repetitions = 8

    func run() throws {
        let manifest = try String(contentsOfFile: folder + "/MANIFEST.tsv", encoding: .utf8)
        var documents: [[UInt8]] = []
        for line in manifest.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4, fields[2] == "domain.rng", fields[3] == "valid",
                let data = FileManager.default.contents(atPath: folder + "/" + fields[0]),
                (try? Domain(xmlBytes: Array(data))) != nil
            else { continue }
            documents.append(Array(data))
        }
        let values = documents.map { try! Domain(xmlBytes: $0) }
        var sink = 0
        func fastest(_ body: () -> Void) -> Double {
            body()
            var best = Double.infinity
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                body()
                let elapsed = ContinuousClock.now - start
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            return best
        }
        let decode = fastest { for bytes in documents { if (try? Domain(xmlBytes: bytes)) != nil { sink &+= 1 } } }
        let encode = fastest { for value in values { sink &+= value.xmlString().utf8.count } }
        // Each document decoded `Self.repetitions` times in a row, the time divided by that: the
        // code and data its decode needs stay cached from one decode to the next, so that what a
        // document costs by differing from the one before shows.
        let repeated = fastest {
            for bytes in documents {
                for _ in 0..<Self.repetitions { if (try? Domain(xmlBytes: bytes)) != nil { sink &+= 1 } }
            }
        } / Double(Self.repetitions)
        // Parsing and validating alone, as decoding does them first: the rest of a decode is the
        // generated decoders'.
        let validate = fastest {
            for bytes in documents { if (try? Domain.grammar.validatedCursor(bytes: bytes, displayName: "<bytes>")) != nil { sink &+= 1 } }
        }
        print("documents \(documents.count)")
        print("bytes \(documents.reduce(0) { $0 + $1.count })")
        print("decode-seconds \(decode)")
        print("encode-seconds \(encode)")
        print("parse-validate-seconds \(validate)")
        print("decode-repeated-seconds \(repeated)")
        print("decode-repetitions \(Self.repetitions)")
        if sink == 42 { print("") }
    }
}
