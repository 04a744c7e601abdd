import RelaxNG
import Testing

/// One or more tests for each restriction of section 7 of the specification.
@Suite("Restrictions (section 7)")
struct RestrictionTests {
    private func element(_ content: String, datatypes: Bool = false) -> String {
        "<element name=\"d\" \(rng)\(datatypes ? " " + xsd : "")>\(content)</element>"
    }

    @Test("7.1.1 attribute//ref and attribute//attribute")
    func attributeContents() {
        #expect(mentions(errors(element("<attribute name=\"a\"><element name=\"e\"><empty/></element></attribute>")), "attribute//ref"))
        #expect(mentions(errors(element("<attribute name=\"a\"><attribute name=\"b\"/></attribute>")), "attribute//attribute"))
    }

    @Test("7.1.1 the seed's case: an element define used inside an attribute names the use and the definition")
    func elementInsideAttribute() {
        let found = errors("""
            <grammar \(rng)>
              <start><element name="disk"><attribute name="name"><ref name="diskTarget"/></attribute></element></start>
              <define name="diskTarget"><element name="target"><text/></element></define>
            </grammar>
            """)
        #expect(found.count == 1)
        #expect(found.first.map { $0.message.contains("element target (defined at ") } == true)
        #expect(found.first?.location?.line == 2)
    }

    @Test("7.1.2 oneOrMore//group//attribute and oneOrMore//interleave//attribute")
    func repeatedAttributes() throws {
        #expect(mentions(errors(element("<oneOrMore><group><attribute name=\"a\"/><element name=\"e\"><empty/></element></group></oneOrMore>")), "oneOrMore//group//attribute"))
        #expect(mentions(errors(element("<oneOrMore><interleave><attribute name=\"a\"/><element name=\"e\"><empty/></element></interleave></oneOrMore>")), "oneOrMore//group//attribute"))
        _ = try schema(element("<oneOrMore><attribute><anyName/></attribute></oneOrMore>"))
    }

    @Test("7.1.3 list//list, list//ref, list//attribute, list//text, list//interleave")
    func listContents() {
        #expect(mentions(errors(element("<list><list><data type=\"token\"/></list></list>")), "list//list"))
        #expect(mentions(errors(element("<list><element name=\"e\"><empty/></element></list>")), "list//ref"))
        #expect(mentions(errors(element("<list><attribute name=\"a\"/></list>")), "list//attribute"))
        #expect(mentions(errors(element("<list><text/></list>")), "list//text"))
        #expect(mentions(errors(element("<list><interleave><data type=\"token\"/><data type=\"token\"/></interleave></list>")), "list//interleave"))
    }

    @Test("7.1.4 what the except of data may not contain")
    func dataExcept() {
        let cases = [
            ("<attribute name=\"a\"/>", "data/except//attribute"),
            ("<element name=\"e\"><empty/></element>", "data/except//ref"),
            ("<text/>", "data/except//text"),
            ("<list><data type=\"token\"/></list>", "data/except//list"),
            ("<group><value>a</value><value>b</value></group>", "data/except//group"),
            ("<interleave><value>a</value><value>b</value></interleave>", "data/except//interleave"),
            ("<oneOrMore><value>a</value></oneOrMore>", "data/except//oneOrMore"),
            ("<empty/>", "data/except//empty"),
        ]
        for (except, path) in cases {
            #expect(mentions(errors(element("<data type=\"token\"><except>\(except)</except></data>")), path), "\(path)")
        }
    }

    @Test("7.1.5 start may only hold elements")
    func start() {
        for (pattern, path) in [
            ("<attribute name=\"a\"/>", "start//attribute"), ("<data type=\"token\"/>", "start//data"),
            ("<value>a</value>", "start//value"), ("<text/>", "start//text"), ("<list><value>a</value></list>", "start//list"),
            ("<empty/>", "start//empty"),
            ("<group><element name=\"a\"><empty/></element><element name=\"b\"><empty/></element></group>", "start//group"),
            ("<interleave><element name=\"a\"><empty/></element><element name=\"b\"><empty/></element></interleave>", "start//interleave"),
            ("<oneOrMore><element name=\"a\"><empty/></element></oneOrMore>", "start//oneOrMore"),
        ] {
            #expect(mentions(errors("<grammar \(rng)><start>\(pattern)</start></grammar>"), path), "\(path)")
        }
    }

    @Test("7.2 data, value and list cannot be grouped with elements or text")
    func stringSequences() throws {
        #expect(mentions(errors(element("<data type=\"token\"/><element name=\"e\"><empty/></element>")), "cannot be grouped"))
        #expect(mentions(errors(element("<value>a</value><text/>")), "cannot be grouped"))
        #expect(mentions(errors(element("<oneOrMore><data type=\"token\"/></oneOrMore>")), "cannot be repeated"))
        _ = try schema(element("<choice><data type=\"token\"/><element name=\"e\"><empty/></element></choice>"))
        _ = try schema(element("<attribute name=\"a\"/><data type=\"token\"/>"))
    }

    @Test("7.3 duplicate attributes and open attribute names")
    func attributes() throws {
        #expect(mentions(errors(element("<attribute name=\"a\"/><attribute name=\"a\"/>")), "duplicate attribute"))
        #expect(mentions(errors(element("<attribute name=\"a\"/><attribute><anyName/></attribute>")), "duplicate attribute"))
        #expect(mentions(errors(element("<attribute><nsName ns=\"urn:x\"/></attribute>")), "must be inside oneOrMore"))
        _ = try schema(element("<choice><attribute name=\"a\"/><attribute name=\"a\"><value>x</value></attribute></choice>"))
        _ = try schema(element("<attribute name=\"a\"/><oneOrMore><attribute><anyName><except><name>a</name></except></anyName></attribute></oneOrMore>"))
    }

    @Test("7.4 interleave: no element name or text on both sides")
    func interleave() throws {
        #expect(mentions(errors(element("<interleave><element name=\"e\"><empty/></element><element name=\"e\"><text/></element></interleave>")), "same element"))
        #expect(mentions(errors(element("<interleave><text/><mixed><empty/></mixed></interleave>")), "text occurs on both sides"))
        _ = try schema(element("<interleave><element name=\"a\"><empty/></element><element name=\"b\"><empty/></element></interleave>"))
    }
}
