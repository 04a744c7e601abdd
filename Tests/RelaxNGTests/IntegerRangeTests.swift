@testable import RelaxNG
import Testing
import TestSupport

/// The integer types' own range check answers as libxml2's value parsing does.
@Suite("Integer ranges")
struct IntegerRangeTests {
    static let types = [
        "byte", "short", "int", "long", "unsignedByte", "unsignedShort", "unsignedInt", "unsignedLong",
        "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    ]
    static let facetSets: [[(String, String)]] = [
        [],
        [("minInclusive", "1")],
        [("maxInclusive", "4095")],
        [("minExclusive", "-5"), ("maxExclusive", "5")],
        [("minInclusive", "0"), ("maxInclusive", "18446744073709551615")],
        [("maxExclusive", "-9223372036854775808")],
        [("minExclusive", "9223372036854775807")],
        [("minInclusive", "+3")],
        [("totalDigits", "3")],
    ]
    /// Near every boundary, and the forms the check leaves to libxml2.
    static let fixedTexts = [
        "", "0", "-0", "+0", "00", "007", "1", "-1", "+1", "5", "-5", "4", "-4", "4095", "4096",
        "127", "128", "-128", "-129", "255", "256", "32767", "32768", "-32768", "-32769", "65535", "65536",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "-18446744073709551615", "-18446744073709551616",
        "000000000000000000001", "00000000000000000000000000000000001", "99999999999999999999999",
        "1.0", "1e3", "- 1", "--1", "-", "+", "1-", "0x10", "١",
    ]

    @Test("the integer types with range facets allow exactly what libxml2 allows")
    func agreesWithLibXML2() throws {
        var random = SeededGenerator()
        let alphabet = Array("0123456789-+.")
        var texts = Self.fixedTexts
        for _ in 0..<300 {
            texts.append(String((0..<Int.random(in: 0...22, using: &random)).map { _ in
                Int.random(in: 0..<10, using: &random) < 8 ? alphabet[Int.random(in: 0..<10, using: &random)] : alphabet.randomElement(using: &random)!
            }))
        }
        let location = SourceLocation(file: "test.rng", line: 1, column: 1)
        for type in Self.types {
            for facets in Self.facetSets {
                let parameters = facets.map { ParameterSyntax(name: $0.0, value: $0.1, location: location) }
                // A facet libxml2 finds out of the type's range is a grammar error: nothing to compare.
                guard let datatype = try? XMLSchemaDatatype.make(named: type, parameters: parameters, at: location) else { continue }
                for text in texts {
                    let expected = datatype.value(of: text, in: .none) != nil
                    #expect(datatype.allows(text, in: .none) == expected, "xsd:\(type) \(facets) on \"\(text)\" (\(random))")
                }
            }
        }
    }

    @Test("the check reads plain digits and leaves other forms to libxml2")
    func formsItReads() throws {
        let unsigned = try #require(IntegerRange(type: "unsignedInt", parameters: [("minInclusive", "1")]))
        #expect(unsigned.allows("1") == true)
        #expect(unsigned.allows("0") == false)
        #expect(unsigned.allows("4294967296") == false)
        #expect(unsigned.allows("-0") == nil)
        #expect(unsigned.allows("+1") == nil)
        #expect(unsigned.allows("1.0") == nil)
        let signed = try #require(IntegerRange(type: "integer", parameters: [("maxExclusive", "0")]))
        #expect(signed.allows("-0") == false)
        #expect(signed.allows("-18446744073709551615") == true)
        #expect(signed.allows("-18446744073709551616") == nil)
        #expect(IntegerRange(type: "int", parameters: [("totalDigits", "3")]) == nil)
        #expect(IntegerRange(type: "decimal", parameters: []) == nil)
    }
}
