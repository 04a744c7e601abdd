import LibvirtSnapshot
@testable import RelaxNGRuntime
import Testing
import TestSupport

/// Values read from libxml2's bytes in place must be the values their text gives as a string.
@Suite("Values read as bytes")
struct ValueBytesTests {
    static func fromBytes<Value: XMLValue>(_ text: String, as type: Value.Type) -> Value? {
        Array(text.utf8).withUnsafeBufferPointer { Value._xmlValue(utf8: $0) }
    }

    static let integerTexts = [
        "", "+", "-", "0", "-0", "+0", "00", "007", "+5", "-5", "1", "127", "128", "-128", "-129", "255", "256",
        "32767", "32768", "-32768", "-32769", "65535", "65536", "2147483647", "2147483648", "-2147483648",
        "-2147483649", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999", " 5", "5 ", " 5 ", "\t12\n", "1 2", "1e3", "0x10", "5a", "--5", "+-5", "١٢",
    ]

    /// `count` random texts of digits, with a sign sometimes and now and then a character that
    /// is not a digit.
    static func randomIntegerTexts(_ count: Int, _ random: inout SeededGenerator) -> [String] {
        let others: [Character] = [" ", "a", "+", "-", ".", "\t"]
        return (0..<count).map { _ in
            var text = ""
            switch Int.random(in: 0..<4, using: &random) {
            case 0: text = "-"
            case 1: text = "+"
            default: break
            }
            for _ in 0..<Int.random(in: 0...21, using: &random) {
                if Int.random(in: 0..<40, using: &random) == 0 {
                    text.append(others.randomElement(using: &random)!)
                } else {
                    text.append(Character(String(Int.random(in: 0...9, using: &random))))
                }
            }
            return text
        }
    }

    func checkIntegers<Value: XMLValue & FixedWidthInteger>(_ type: Value.Type, _ texts: [String], _ seed: SeededGenerator) {
        for text in texts {
            #expect(Self.fromBytes(text, as: type) == Value(xmlValue: text), "\(Value.self) from \"\(text)\" (\(seed))")
        }
    }

    @Test("integers read from bytes are those read from strings, edges and random texts")
    func integers() {
        var random = SeededGenerator()
        let seed = random
        let texts = Self.integerTexts + Self.randomIntegerTexts(3_000, &random)
        checkIntegers(Int8.self, texts, seed)
        checkIntegers(UInt8.self, texts, seed)
        checkIntegers(Int16.self, texts, seed)
        checkIntegers(UInt16.self, texts, seed)
        checkIntegers(Int32.self, texts, seed)
        checkIntegers(UInt32.self, texts, seed)
        checkIntegers(Int64.self, texts, seed)
        checkIntegers(UInt64.self, texts, seed)
        #expect(Self.fromBytes("-128", as: Int8.self) == -128)
        #expect(Self.fromBytes("-0", as: UInt8.self) == 0)
        #expect(Self.fromBytes("18446744073709551615", as: UInt64.self) == .max)
    }

    @Test("an enumeration finds each case by its bytes, and only its cases; whitespace is collapsed")
    func enumerations() {
        for value in State.allCases {
            #expect(Self.fromBytes(value.rawValue, as: State.self) == value)
            #expect(Self.fromBytes(" \(value.rawValue)\n", as: State.self) == value)
        }
        #expect(Self.fromBytes("disk-snapshot", as: State.self) == .diskSnapshot)
        for text in ["", "runnin", "runningg", "RUNNING", "disk snapshot", "diskSnapshot", "run ning", " "] {
            #expect(Self.fromBytes(text, as: State.self) == nil, "\"\(text)\"")
            #expect(State(xmlValue: text) == nil, "\"\(text)\"")
        }
        // Random edits of the raw values: the table answers as the string conversion does.
        var random = SeededGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz- \t")
        for _ in 0..<2_000 {
            var text = Array(State.allCases.randomElement(using: &random)!.rawValue)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: text.remove(at: Int.random(in: text.indices, using: &random))
            case 1: text.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...text.count, using: &random))
            case 2: text[Int.random(in: text.indices, using: &random)] = alphabet.randomElement(using: &random)!
            default: break
            }
            let string = String(text)
            #expect(Self.fromBytes(string, as: State.self) == State(xmlValue: string), "\"\(string)\" (\(random))")
        }
    }

    @Test("strings and booleans read from bytes are those read from strings")
    func stringsAndBooleans() {
        for text in ["", " a b ", "é\u{1F600}", "line\nbreak"] {
            #expect(Self.fromBytes(text, as: String.self) == text)
        }
        for text in ["true", "false", "1", "0", " true ", "yes", ""] {
            #expect(Self.fromBytes(text, as: Bool.self) == Bool(xmlValue: text))
        }
    }

    @Test("a document's values are read in place, with whitespace around an enumeration's value")
    func decodedInPlace() throws {
        let snapshot = try DomainSnapshot(xmlString: """
            <domainsnapshot>
              <name>snap &amp; one</name>
              <state>
                running
              </state>
              <disks><disk name='vda' snapshot='external'><driver type=' qcow2 '/></disk></disks>
            </domainsnapshot>
            """)
        #expect(snapshot.name == "snap & one")
        #expect(snapshot.state == .running)
        guard case .external(_, let driver, _)? = snapshot.disks?.first?.snapshot else {
            Issue.record("the disk's snapshot is not external")
            return
        }
        #expect(driver?.type == .qcow2)
    }
}
