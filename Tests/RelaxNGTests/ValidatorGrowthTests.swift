@testable import RelaxNG
import Testing
import TestSupport

/// A validator serves a long-running process: what it keeps between documents must stop growing
/// once it has seen the grammar's shapes, whatever names and values the documents bring.
@Suite("What a validator keeps between documents")
struct ValidatorGrowthTests {
    /// Any element but `forbidden`, `item` and those in `urn:closed`, interleaved with `item`s that
    /// hold a token and an integer or `a`; an optional integer `size`.
    static let grammar = """
        <element name="root" \(rng) \(xsd)>
          <interleave>
            <zeroOrMore>
              <element>
                <anyName><except><name>forbidden</name><name>item</name><nsName ns="urn:closed"/></except></anyName>
                <text/>
              </element>
            </zeroOrMore>
            <optional><attribute name="size"><data type="int"/></attribute></optional>
            <zeroOrMore>
              <element name="item">
                <attribute name="id"><data type="token"/></attribute>
                <choice><value>a</value><data type="integer"/></choice>
              </element>
            </zeroOrMore>
          </interleave>
        </element>
        """

    static func word(_ generator: inout SeededGenerator) -> String {
        String((0..<Int.random(in: 3...10, using: &generator)).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement(using: &generator)! })
    }

    /// Each document valid or not as it says, naming the seed when not.
    static func expectVerdicts(
        _ documents: [(text: String, valid: Bool)], _ validator: Validator, _ generator: SeededGenerator,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        for document in documents {
            let problems = validator.validate(string: document.text, displayName: "d.xml")
            #expect(problems.isEmpty == document.valid, "\(document.text) \(generator)", sourceLocation: sourceLocation)
        }
    }

    @Test("names no name class mentions share one entry, and keep their verdicts")
    func novelNames() throws {
        let validator = Validator(schema: try schema(Self.grammar))
        var generator = SeededGenerator()
        var countAfterFirstRound = 0
        for round in 0..<400 {
            let name = "n" + Self.word(&generator)
            let documents: [(text: String, valid: Bool)] = [
                ("<root><\(name)>x</\(name)></root>", true),
                ("<root><\(name) xmlns='urn:open:\(Self.word(&generator))'/></root>", true),
                ("<root><\(name) xmlns='urn:closed'/></root>", false),
                ("<root><forbidden/></root>", false),
                ("<root \(name)='1'/>", false),
                ("<root><item id='\(name)' \(name)='2'>a</item></root>", false),
                ("<root><\(name) xmlns='urn:open:\(Self.word(&generator))'><x/></\(name)></root>", false),
            ]
            Self.expectVerdicts(documents, validator, generator)
            if round == 0 { countAfterFirstRound = validator.internedNameCount }
        }
        // root, forbidden, size, item, id; a stand-in in no namespace, one in urn:closed, one in any other.
        #expect(validator.internedNameCount == countAfterFirstRound, "\(generator)")
        #expect(validator.internedNameCount <= 8)
    }

    @Test("documents that differ only in their values add no patterns")
    func novelValues() throws {
        let validator = Validator(schema: try schema(Self.grammar))
        var generator = SeededGenerator()
        // Shapes: how many items and other elements, in which order, with or without `size`.
        let shapes: [String] = ["", "i", "o", "io", "oi", "iio", "oio", "ioi", "iiii", "ooo", "s", "si", "soi", "sioio"]
        func document(_ shape: String) -> String {
            var text = shape.contains("s") ? "<root size='\(Int32.random(in: .min ... .max, using: &generator))'>" : "<root>"
            for part in shape where part != "s" {
                if part == "i" {
                    let content = Bool.random(using: &generator) ? "a" : String(Int.random(in: -99999...99999, using: &generator))
                    text += "<item id=' \(Self.word(&generator)) '>\(content)</item>"
                } else {
                    let name = "o" + Self.word(&generator)
                    text += "<\(name)>\(Self.word(&generator))</\(name)>"
                }
            }
            return text + "</root>"
        }
        for shape in shapes { #expect(validator.validate(string: document(shape), displayName: "d.xml").isEmpty) }
        let patterns = validator.internedPatternCount
        for _ in 0..<100 {
            for shape in shapes {
                let text = document(shape)
                #expect(validator.validate(string: text, displayName: "d.xml").isEmpty, "\(text) \(generator)")
            }
        }
        #expect(validator.internedPatternCount == patterns, "\(generator)")
    }

    /// A validator remembers names by libxml2's pointers into the dictionary of the parser
    /// context that parsed them; a context with too large a dictionary is let go, and a new
    /// one's dictionary may reuse its memory for other names.
    @Test("names remembered by their pointers are forgotten with the parser context that holds them")
    func namesOutliveNoContext() throws {
        let validator = Validator(schema: try schema(Self.grammar))
        var generator = SeededGenerator()
        for round in 0..<12 {
            // Fills the validator's table with this context's pointers, and gets the context dropped.
            let many = (0..<21_000).map { "<n\(round)x\($0)/>" }.joined()
            #expect(validator.validate(string: "<root>\(many)</root>", displayName: "large.xml").isEmpty)
            for _ in 0..<20 {
                let name = Self.word(&generator)
                let documents: [(text: String, valid: Bool)] = [
                    ("<root><\(name)>x</\(name)><item id='a'>1</item></root>", true),
                    ("<root><forbidden/></root>", false),
                    ("<root><item id='a'>b</item></root>", false),
                    ("<root><\(name)><item/></\(name)></root>", false),
                    ("<root size='3'/>", true),
                ]
                Self.expectVerdicts(documents, validator, generator)
            }
        }
    }
}
