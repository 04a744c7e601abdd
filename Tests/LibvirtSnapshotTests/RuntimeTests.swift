import LibvirtSnapshot
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
