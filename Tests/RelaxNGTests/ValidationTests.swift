import Foundation
import RelaxNG
import Testing

@Suite("Validation and diagnostics")
struct ValidationTests {
    static let snapshotGrammar = """
        <grammar \(rng) \(xsd)>
          <start><ref name="snapshot"/></start>
          <define name="snapshot">
            <element name="domainsnapshot">
              <interleave>
                <optional><element name="name"><text/></element></optional>
                <optional>
                  <element name="disks">
                    <zeroOrMore>
                      <element name="disk">
                        <attribute name="name"><data type="string"><param name="pattern">[a-z]+</param></data></attribute>
                        <choice>
                          <attribute name="snapshot"><value>no</value></attribute>
                          <attribute name="snapshot"><value>internal</value></attribute>
                          <group>
                            <optional><attribute name="snapshot"><value>external</value></attribute></optional>
                            <optional><element name="source"><attribute name="file"/></element></optional>
                          </group>
                        </choice>
                      </element>
                    </zeroOrMore>
                  </element>
                </optional>
              </interleave>
            </element>
          </define>
        </grammar>
        """

    @Test("the ambiguous snapshot attribute accepts each alternative")
    func ambiguousChoice() throws {
        let loaded = try schema(Self.snapshotGrammar)
        #expect(loaded.accepts("<domainsnapshot><disks><disk name='vda' snapshot='no'/><disk name='vdb'/></disks></domainsnapshot>"))
        #expect(loaded.accepts("<domainsnapshot><disks><disk name='vda' snapshot='external'><source file='/a'/></disk></disks><name>x</name></domainsnapshot>"))
        #expect(!loaded.accepts("<domainsnapshot><disks><disk name='vda' snapshot='no'><source file='/a'/></disk></disks></domainsnapshot>"))
    }

    @Test("errors give line, column, element path and what was expected")
    func errorDetails() throws {
        let loaded = try schema(Self.snapshotGrammar)
        let document = """
            <domainsnapshot>
              <disks>
                <disk name='vda' snapshot='no'/>
                <disk name='vdb'  snapshot='sometimes'/>
              </disks>
            </domainsnapshot>
            """
        let found = loaded.problems(document)
        #expect(found.count == 1)
        let problem = try #require(found.first)
        #expect(problem.location == RelaxNG.SourceLocation(file: "doc.xml", line: 4, column: 23))
        #expect(problem.path == "/domainsnapshot/disks/disk[2]/@snapshot")
        #expect(problem.message.contains("\"sometimes\""))
        #expect(problem.message.contains("\"external\""))
        #expect(problem.description.hasPrefix("doc.xml:4:23: error: /domainsnapshot/disks/disk[2]/@snapshot: "))

        let unknown = try #require(loaded.problems("<domainsnapshot>\n  <memory/>\n</domainsnapshot>").first)
        #expect(unknown.location?.line == 2)
        #expect(unknown.location?.column == 3)
        #expect(unknown.message.contains("<memory> is not allowed here"))
        #expect(unknown.message.contains("<name>"))

        let pattern = try #require(loaded.problems("<domainsnapshot><disks><disk name='VDA'/></disks></domainsnapshot>").first)
        #expect(pattern.message.contains("pattern \"[a-z]+\""))

        let missing = try #require(loaded.problems("<domainsnapshot><disks><disk/></disks></domainsnapshot>").first)
        #expect(missing.message.contains("missing a required attribute: \"name\""))
    }

    @Test("grammar errors are file:line:column: error: message")
    func grammarDiagnosticFormat() throws {
        let fixture = try GrammarFixture(["bad.rng": "<element name=\"d\" \(rng)>\n  <bogus/>\n</element>"])
        do {
            _ = try fixture.schema("bad.rng")
            Issue.record("accepted")
        } catch let error as DiagnosticError {
            let text = try #require(error.diagnostics.first).description
            #expect(text == "\(fixture.path("bad.rng")):2:3: error: <bogus> is not a RELAX NG pattern")
        }
    }

    @Test("XML Schema datatypes compare in the value space and check facets")
    func datatypes() throws {
        let loaded = try schema("""
            <element name="d" \(rng) \(xsd)>
              <attribute name="i"><value type="int">7</value></attribute>
              <optional><attribute name="n"><data type="unsignedInt"><param name="maxInclusive">10</param></data></attribute></optional>
              <optional><attribute name="s"><data type="string"><param name="minLength">2</param><param name="maxLength">3</param></data></attribute></optional>
              <optional><attribute name="q"><value type="QName" xmlns:p="urn:p">p:x</value></attribute></optional>
              <optional><attribute name="l"><list><oneOrMore><data type="byte"/></oneOrMore></list></attribute></optional>
              <optional><attribute name="e"><data type="token"><except><value>bad</value></except></data></attribute></optional>
            </element>
            """)
        #expect(loaded.accepts("<d i=' 007 '/>"))
        #expect(!loaded.accepts("<d i='8'/>"))
        #expect(loaded.accepts("<d i='7' n='10'/>"))
        #expect(!loaded.accepts("<d i='7' n='11'/>"))
        #expect(!loaded.accepts("<d i='7' n='-1'/>"))
        #expect(loaded.accepts("<d i='7' s='abc'/>"))
        #expect(!loaded.accepts("<d i='7' s='abcd'/>"))
        #expect(loaded.accepts("<d i='7' q='z:x' xmlns:z='urn:p'/>"))
        #expect(!loaded.accepts("<d i='7' q='p:x' xmlns:p='urn:other'/>"))
        #expect(loaded.accepts("<d i='7' l=' 1 -2  127'/>"))
        #expect(!loaded.accepts("<d i='7' l='1 128'/>"))
        #expect(loaded.accepts("<d i='7' e='good'/>"))
        #expect(!loaded.accepts("<d i='7' e=' bad '/>"))
    }

    @Test("a document never makes the parser read a file it names")
    func externalEntitiesRefused() throws {
        let fixture = try GrammarFixture(["secret.txt": "TOP-SECRET-CONTENT", "main.rng": "<element name=\"d\" \(rng)><text/></element>"])
        let loaded = try fixture.schema()
        let document = """
            <?xml version="1.0"?>
            <!DOCTYPE d [<!ENTITY leak SYSTEM "file://\(fixture.path("secret.txt"))">]>
            <d>&leak;</d>
            """
        let found = loaded.problems(document)
        #expect(!found.isEmpty)
        #expect(!found.contains { $0.description.contains("TOP-SECRET-CONTENT") })
    }

    @Test("internal entities are expanded; malformed XML is reported with its position")
    func wellFormedness() throws {
        let loaded = try schema("<element name=\"d\" \(rng)><value>a b</value></element>")
        #expect(loaded.accepts("<!DOCTYPE d [<!ENTITY x \"a b\">]><d>&x;</d>"))
        let broken = try #require(loaded.problems("<d>\n<unclosed>\n</d>").first)
        #expect(broken.message.contains("not well-formed"))
        #expect(broken.location?.line == 3)
        #expect(!loaded.problems("").isEmpty)
    }

    /// A document element holding an optional `<box>` (with only an `<id>`, or with the content
    /// `any` defines), then `<end/>`.
    static func openContentGrammar(any: String) -> String {
        """
        <grammar \(rng) \(xsd)>
          <start>
            <element name="doc">
              <optional>
                <choice>
                  <element name="box"><element name="id"><text/></element></element>
                  <element name="box"><ref name="any"/></element>
                </choice>
              </optional>
              <element name="end"><empty/></element>
            </element>
          </start>
          <define name="any">\(any)</define>
        </grammar>
        """
    }

    @Test("open content is accepted whole, and what follows it is still checked")
    func openContent() throws {
        let open = try schema(Self.openContentGrammar(any: """
            <zeroOrMore><choice><attribute><anyName/></attribute><text/><element><anyName/><ref name="any"/></element></choice></zeroOrMore>
            """))
        #expect(open.accepts("<doc><box a='1' xmlns:p='urn:p' p:b='2'>t<x y='2'><p:z>deep<w/></p:z></x>u</box><end/></doc>"))
        #expect(open.accepts("<doc><box/><end/></doc>"))
        #expect(open.accepts("<doc><box><id>7</id></box><end/></doc>"))
        #expect(open.accepts("<doc><end/></doc>"))
        #expect(!open.accepts("<doc><box><q/></box></doc>"))
        #expect(!open.accepts("<doc><box/><box/><end/></doc>"))
        #expect(!open.accepts("<doc><end/><box/></doc>"))
        let problems = open.problems("<doc><box><q/></box><box/></doc>")
        #expect(problems.first?.message.contains("<box> is not allowed here") == true, "\(problems)")
    }

    @Test("content that is open but for one thing is checked all the way down", arguments: [
        // Elements named "bad" excluded.
        ("<zeroOrMore><choice><attribute><anyName/></attribute><text/><element><anyName><except><name>bad</name></except></anyName><ref name=\"any\"/></element></choice></zeroOrMore>",
         "<doc><box><x><bad/></x></box><end/></doc>"),
        // No attributes.
        ("<zeroOrMore><choice><text/><element><anyName/><ref name=\"any\"/></element></choice></zeroOrMore>",
         "<doc><box><x a='1'/></box><end/></doc>"),
        // Attributes hold integers only.
        ("<zeroOrMore><choice><attribute><anyName/><data type=\"int\"/></attribute><text/><element><anyName/><ref name=\"any\"/></element></choice></zeroOrMore>",
         "<doc><box><x a='x'/></box><end/></doc>"),
        // No text.
        ("<zeroOrMore><choice><attribute><anyName/></attribute><element><anyName/><ref name=\"any\"/></element></choice></zeroOrMore>",
         "<doc><box><x>t</x></box><end/></doc>"),
        // Nested elements must be empty.
        ("<zeroOrMore><choice><attribute><anyName/></attribute><text/><element><anyName/><empty/></element></choice></zeroOrMore>",
         "<doc><box><x><y/></x></box><end/></doc>"),
    ])
    func almostOpenContent(any: String, invalid: String) throws {
        let loaded = try schema(Self.openContentGrammar(any: any))
        #expect(loaded.accepts("<doc><box><x/></box><end/></doc>"))
        #expect(!loaded.accepts(invalid))
    }
}
