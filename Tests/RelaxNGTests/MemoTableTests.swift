@testable import RelaxNG
import Testing
import TestSupport

@Suite("Validator memo tables")
struct MemoTableTests {
    @Test("the integer table answers as a dictionary does, through growth and clearing")
    func integers() {
        var table = IntegerMemo(capacity: 4)
        var reference: [UInt64: Int32] = [:]
        var generator = SeededGenerator()
        for step in 0..<20_000 {
            // Small keys collide often; pointer-like keys share their low bits.
            let key = step % 3 == 0 ? UInt64.random(in: 0..<512, using: &generator) : UInt64.random(in: 0..<1 << 40, using: &generator) << 4
            let value = Int32.random(in: 0..<1000, using: &generator)
            table[key] = value
            reference[key] = value
            let probe = UInt64.random(in: 0..<512, using: &generator)
            #expect(table[probe] == reference[probe], "\(generator)")
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(table[key] == value) }
        // Cleared (a new generation) again and again: old entries are gone, new ones are found.
        for round in 0..<5 {
            table.removeAll()
            #expect(table.count == 0)
            for key in reference.keys.prefix(100) { #expect(table[key] == nil) }
            for key in UInt64(0)..<50 { table[key * 7] = Int32(round) }
            for key in UInt64(0)..<50 { #expect(table[key * 7] == Int32(round)) }
            #expect(table.count == 50)
        }
    }

    @Test("the byte-string table tells keys apart by pattern, name and every byte")
    func byteStrings() {
        struct Key: Hashable {
            var pattern: Int32
            var name: UInt32
            var text: [UInt8]
        }
        var table = ByteStringMemo(capacity: 2)
        var reference: [Key: Int32] = [:]
        // An empty text first, found again while nothing else is stored.
        [UInt8]().withUnsafeBufferPointer { empty in
            table.insert(pattern: 9, name: 9, empty, hash: ByteStringMemo.hash(pattern: 9, name: 9, empty), value: 99)
            #expect(table.value(pattern: 9, name: 9, empty, hash: ByteStringMemo.hash(pattern: 9, name: 9, empty)) == 99)
        }
        reference[Key(pattern: 9, name: 9, text: [])] = 99
        let texts: [[UInt8]] = [[], Array("yes".utf8), Array("no".utf8), Array("ye".utf8), Array("yes ".utf8), Array("é".utf8)]
            + (0..<300).map { Array("value\($0)".utf8) }
        func lookup(_ key: Key) -> Int32? {
            key.text.withUnsafeBufferPointer { bytes in
                table.value(pattern: key.pattern, name: key.name, bytes, hash: ByteStringMemo.hash(pattern: key.pattern, name: key.name, bytes))
            }
        }
        var value: Int32 = 0
        for pattern in Int32(0)..<4 {
            for name in UInt32(0)..<3 {
                for text in texts {
                    let key = Key(pattern: pattern, name: name, text: text)
                    #expect(lookup(key) == nil)
                    value += 1
                    key.text.withUnsafeBufferPointer { bytes in
                        table.insert(pattern: pattern, name: name, bytes, hash: ByteStringMemo.hash(pattern: pattern, name: name, bytes), value: value)
                    }
                    reference[key] = value
                }
            }
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(lookup(key) == value) }
        table.removeAll()
        #expect(lookup(Key(pattern: 0, name: 0, text: Array("yes".utf8))) == nil)
    }
}
