import LibvirtSnapshot
@testable import RelaxNGRuntime
import Testing

@Suite("Runtime")
struct RuntimeTests {
    @Test("the writer declares the namespaces of elements and attributes built in Swift")
    func namespaces() {
        let tree = XMLElement("doc", namespace: "urn:x", children: [
            .element(XMLElement("part", namespace: "urn:x", attributes: [XMLAttribute("y", namespace: "urn:a", value: "1")])),
            .element(XMLElement("plain")),
        ])
        #expect(XMLWriter.string(tree) == """
            <doc xmlns='urn:x'>
              <part xmlns:ns1='urn:a' ns1:y='1'/>
              <plain xmlns=''/>
            </doc>

            """)
    }

    @Test("text and attribute values are escaped; text content is written exactly")
    func escaping() {
        let tree = XMLElement("a", attributes: [XMLAttribute("v", value: "it's <&>\n")], children: [.text(" x < y & z ")])
        #expect(XMLWriter.string(tree) == "<a v='it&apos;s &lt;&amp;&gt;&#10;'> x &lt; y &amp; z </a>\n")
    }

    @Test("a prefix the tree binds is reused; a rebound prefix is not", arguments: [false, true])
    func prefixes(rebound: Bool) {
        let inner = XMLElement("leaf", namespace: "urn:a")
        let middle = XMLElement("mid", namespaceDeclarations: rebound ? [XMLNamespaceDeclaration(prefix: "a", uri: "urn:other")] : [], children: [.element(inner)])
        let tree = XMLElement("doc", namespaceDeclarations: [XMLNamespaceDeclaration(prefix: "a", uri: "urn:a")], children: [.element(middle)])
        let leaf = rebound ? "<leaf xmlns='urn:a'/>" : "<a:leaf/>"
        #expect(XMLWriter.string(tree) == "<doc xmlns:a='urn:a'>\n  <mid\(rebound ? " xmlns:a='urn:other'" : "")>\n    \(leaf)\n  </mid>\n</doc>\n")
    }

    @Test("children are written back in the order they were read, for few and for many children", arguments: [3, 200])
    func childOrder(count: Int) {
        // Read as b0 a0 b1 a1 …; the grammar writes all a's, then all b's, then one the order never saw.
        var keys: [XMLChildOrder.Key] = []
        for _ in 0..<count { keys += [XMLChildOrder.Key(namespace: "", localName: "b"), XMLChildOrder.Key(namespace: "", localName: "a")] }
        let element = { (name: String, index: Int) in XMLContent.element(XMLElement(name, attributes: [XMLAttribute("i", value: "\(index)")])) }
        let grammarOrder = (0..<count).map { element("a", $0) } + (0..<count).map { element("b", $0) } + [element("c", 0)]
        let arranged = XMLChildOrder(keys).arrange(grammarOrder)
        var expected: [XMLContent] = []
        for index in 0..<count { expected += [element("b", index), element("a", index)] }
        #expect(arranged == expected + [element("c", 0)])
        // Already in order: unchanged.
        #expect(XMLChildOrder(keys).arrange(expected) == expected)
    }

    @Test("a failure while reading libxml2's tree keeps the element's position once the document is gone")
    func failureOnTheDocumentTree() throws {
        var cursor = try DomainSnapshot.grammar.validatedCursor(
            bytes: Array("<domainsnapshot>\n  <name>x</name>\n</domainsnapshot>\n".utf8), displayName: "doc.xml")
        var failure: XMLDecodingError?
        do { try cursor.finish() } catch let error as XMLDecodingError { failure = error }
        var error = try #require(failure)
        error.resolve()
        cursor = _XMLCursor(XMLElement("other"))
        #expect(error.description == "doc.xml:1:1: error: <domainsnapshot>: unexpected element <name>")
        // A child's cursor reads the child in place.
        let snapshot = try DomainSnapshot(xmlString: "<domainsnapshot>\n  <name>x</name>\n</domainsnapshot>\n")
        #expect(snapshot.name == "x")
    }

    @Test("XML Schema values parse as XML Schema writes them")
    func values() {
        #expect(Int32(xmlValue: " +007 ") == 7)
        #expect(Int8(xmlValue: "128") == nil)
        #expect(UInt64(xmlValue: "-1") == nil)
        #expect(Bool(xmlValue: "1") == true)
        #expect(Bool(xmlValue: "yes") == nil)
        #expect(Double(xmlValue: "INF") == .infinity)
        #expect(Double(xmlValue: "1e3") == 1000)
        #expect(XMLSchemaType("string", [("pattern", "[a-z]+")]).allows("abc"))
        #expect(!XMLSchemaType("string", [("pattern", "[a-z]+")]).allows("abc1"))
        #expect(XMLSchemaType("unsignedInt", [("maxInclusive", "10")]).allows("10"))
        #expect(!XMLSchemaType("unsignedInt", [("maxInclusive", "10")]).allows("11"))
    }

    @Test("decoding from many threads at once gives the same values")
    func concurrentDecoding() async throws {
        let expected = try DomainSnapshot(xmlString: Fixtures.full)
        try await withThrowingTaskGroup(of: DomainSnapshot.self) { group in
            for _ in 0..<32 { group.addTask { try DomainSnapshot(xmlString: Fixtures.full) } }
            for try await decoded in group { #expect(decoded == expected) }
        }
    }
}
