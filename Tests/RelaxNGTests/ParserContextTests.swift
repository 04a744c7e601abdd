@testable import RelaxNG
import Testing

/// libxml2's parser contexts are reused from one document to the next; nothing of one document
/// may show in the next, and a context whose name dictionary grew large is dropped.
@Suite("Reused parser contexts")
struct ParserContextTests {
    static func parse(_ text: String, name: String = "t.xml") throws(DiagnosticError) -> XMLDocument {
        try XMLDocument.parse(Array(text.utf8), displayName: name, baseURI: nil)
    }

    @Test("a parse sees nothing of the documents parsed before it")
    func nothingCarriesOver() throws {
        // Run in one thread, so that each parse most likely reuses the context of the one before.
        for _ in 0..<3 {
            let declared = try Self.parse("<!DOCTYPE a [<!ENTITY e 'expanded'>]><a>&e;</a>")
            #expect(declared.root?.textContent == "expanded")
            // The entity was the previous document's: here it is undeclared.
            #expect(throws: DiagnosticError.self) { try Self.parse("<a>&e;</a>") }
            // A broken document, then a sound one: neither its error nor its position remains.
            let broken = #expect(throws: DiagnosticError.self) { try Self.parse("<a>\n\n<b></a>", name: "broken.xml") }
            #expect(broken?.diagnostics.first?.location?.file == "broken.xml")
            #expect(broken?.diagnostics.first?.location?.line == 3)
            let sound = try Self.parse("<c x='1'>\n  <d/>\n</c>", name: "sound.xml")
            #expect(sound.root?.localName == "c")
            let error = #expect(throws: DiagnosticError.self) { try Self.parse("\n<e>\n<f>", name: "later.xml") }
            #expect(error?.diagnostics.first?.location?.file == "later.xml")
            // UTF-16 is converted as libxml2 reads; UTF-8 after it is read in place again.
            let utf16: [UInt8] = [0xFF, 0xFE] + "<g>ü</g>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            // (Each document is kept in a constant: its nodes live as long as it does.)
            let wide = try XMLDocument.parse(utf16, displayName: "u.xml", baseURI: nil)
            #expect(wide.root?.textContent == "ü")
            let narrow = try Self.parse("<h>ü</h>")
            #expect(narrow.root?.textContent == "ü")
            // Start tags keep their recorded positions in every reused parse.
            let positioned = try Self.parse("<i>\n  <j/>\n</i>")
            let child = try #require(positioned.root?.children.first { $0.isElement })
            #expect(positioned.location(of: child).line == 2 && positioned.location(of: child).column == 3)
        }
    }

    @Test("short texts kept inside their nodes read whole, joined with what follows them")
    func compactTexts() throws {
        // Texts under 16 bytes live in their node (XML_PARSE_COMPACT); a CDATA section or an
        // entity after one makes libxml2 join them into one text, moved out of the node.
        let document = try Self.parse(
            "<!DOCTYPE a [<!ENTITY e 'entity text'>]><a k='v' long='a value longer than sixteen bytes'>ab<![CDATA[cd]]>ef&amp;gh&e;<b>x</b>\n  <c>0123456789abcdef0123</c></a>")
        let root = try #require(document.root)
        #expect(root.attribute("k") == "v")
        #expect(root.attribute("long") == "a value longer than sixteen bytes")
        #expect(Array(root.children).first?.content == "abcdef&ghentity text")
        #expect(root.elementChildren.map(\.textContent) == ["x", "0123456789abcdef0123"])
        #expect(root.textContent == "abcdef&ghentity text\n  ")
    }

    @Test("a context whose dictionary grew past its limit is not parsed with again")
    func largeDictionariesAreDropped() throws {
        let names = (0..<25_000).map { "<n\($0)/>" }.joined()
        let large = try Self.parse("<a>\(names)</a>")
        for _ in 0..<20 {
            let next = try Self.parse("<a/>")
            #expect(next.context !== large.context)
        }
    }
}
