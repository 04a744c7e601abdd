@testable import RelaxNG
import Testing
import TestSupport

@Suite("Source locations")
struct SourceTextTests {
    @Test("locations counted on from the last one agree with the line table, whatever the order of asking")
    func countedOn() {
        var generator = SeededGenerator()
        let pieces = ["a", "<b c='d'>", "\n", "\r\n", "\t", "é", "😀", "  ", "</b>"]
        var texts = ["", "a", "\n", "\n\n", String(repeating: "x", count: 9_000) + "\n" + String(repeating: "é", count: 5_000)]
        for _ in 0..<40 {
            texts.append((0..<Int.random(in: 1...400, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let reference = SourceText(displayName: "t.xml", bytes: bytes)
            // In document order, as open content asks, past the end too.
            let ordered = SourceText(displayName: "t.xml", bytes: bytes)
            for offset in stride(from: 0, through: bytes.count + 2, by: max(1, bytes.count / 200)) {
                #expect(ordered.location(ofOffset: offset) == reference.locationBySearch(ofOffset: offset), "offset \(offset) of \(bytes.count) (\(generator))")
            }
            // Forwards and backwards, as errors may ask.
            let mixed = SourceText(displayName: "t.xml", bytes: bytes)
            for _ in 0..<100 {
                let offset = Int.random(in: 0...bytes.count, using: &generator)
                #expect(mixed.location(ofOffset: offset) == reference.locationBySearch(ofOffset: offset), "offset \(offset) of \(bytes.count) (\(generator))")
            }
        }
    }
}
