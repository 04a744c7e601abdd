import Foundation
import LibvirtSnapshot
import Testing

/// XML compared as libvirt's documents mean it: attribute order, whitespace-only text and
/// namespace prefixes do not matter; everything else does, the order of elements included.
func canonical(_ element: XMLElement) -> XMLElement {
    var copy = element
    copy.location = nil
    copy.prefix = nil
    copy.namespaceDeclarations = []
    copy.attributes = copy.attributes.map { attribute in
        var attribute = attribute
        attribute.prefix = nil
        return attribute
    }
    copy.attributes.sort { ($0.namespace, $0.localName) < ($1.namespace, $1.localName) }
    copy.children = element.children.compactMap { child in
        switch child {
        case .element(let inner): return .element(canonical(inner))
        case .text(let text): return XMLWhitespace.isWhitespace(text) ? nil : .text(text)
        }
    }
    return copy
}

func parseTree(_ text: String) throws -> XMLElement {
    try DomainSnapshot.grammar.validatedRoot(bytes: Array(text.utf8), displayName: "tree.xml")
}

@Suite("Round trips")
struct RoundTripTests {
    @Test("decode → encode → decode gives an equal value, and the same XML", arguments: Fixtures.all.indices)
    func roundTrip(_ index: Int) throws {
        let input = Fixtures.all[index]
        let decoded = try DomainSnapshot(xmlString: input)
        let encoded = decoded.xmlString()
        let again = try DomainSnapshot(xmlString: encoded)
        #expect(again == decoded)
        #expect(canonical(try parseTree(encoded)) == canonical(try parseTree(input)), "\(encoded)")
    }

    @Test("the order of interleaved children is kept, and does not affect equality")
    func childOrder() throws {
        let parentFirst = "<domainsnapshot><parent><name>p</name></parent><name>n</name></domainsnapshot>"
        let nameFirst = "<domainsnapshot><name>n</name><parent><name>p</name></parent></domainsnapshot>"
        let one = try DomainSnapshot(xmlString: parentFirst)
        let other = try DomainSnapshot(xmlString: nameFirst)
        #expect(one == other)
        #expect(one.xmlString().range(of: "<parent>")!.lowerBound < one.xmlString().range(of: "<name>n")!.lowerBound)
        #expect(other.xmlString().range(of: "<parent>")!.lowerBound > other.xmlString().range(of: "<name>n")!.lowerBound)
    }

    @Test("values go to JSON and back")
    func json() throws {
        for input in Fixtures.all {
            let snapshot = try DomainSnapshot(xmlString: input)
            let data = try JSONEncoder().encode(snapshot)
            #expect(try JSONDecoder().decode(DomainSnapshot.self, from: data) == snapshot)
        }
    }

    @Test("output is indented two spaces, as libvirt writes it")
    func indentation() throws {
        let text = try DomainSnapshot(xmlString: Fixtures.full).xmlString()
        #expect(text.hasPrefix("<domainsnapshot>\n  <name>before-upgrade</name>\n"))
        #expect(text.contains("\n    <disk name='vda' snapshot='external'>\n      <driver type='qcow2'/>\n"))
    }
}
