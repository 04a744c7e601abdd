@testable import RelaxNG
import Testing

/// The parser reads UTF-8 from the caller's buffer without libxml2's read callback; other
/// encodings, which libxml2 converts as it reads, must still arrive whole.
@Suite("Document encodings")
struct DocumentEncodingTests {
    /// A document long enough that libxml2 must convert past its first line and first chunk.
    static let text = String(repeating: "Grüße, čaj, 日本語 — ", count: 200)

    static func parsedText(_ bytes: [UInt8]) throws -> String {
        let document = try XMLDocument.parse(bytes, displayName: "t.xml", baseURI: nil)
        return try #require(document.root).textContent
    }

    @Test("UTF-8, with and without a declaration or a byte order mark")
    func utf8() throws {
        #expect(try Self.parsedText(Array("<a>\(Self.text)</a>".utf8)) == Self.text)
        #expect(try Self.parsedText(Array("<?xml version='1.0' encoding='UTF-8'?>\n<a>\(Self.text)</a>".utf8)) == Self.text)
        #expect(try Self.parsedText([0xEF, 0xBB, 0xBF] + Array("<a>\(Self.text)</a>".utf8)) == Self.text)
    }

    @Test("UTF-16 in either byte order, by its byte order mark")
    func utf16() throws {
        let units = Array("<?xml version='1.0' encoding='UTF-16'?>\n<a>\(Self.text)</a>".utf16)
        let little: [UInt8] = [0xFF, 0xFE] + units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try Self.parsedText(little) == Self.text)
        #expect(try Self.parsedText(big) == Self.text)
        // Zero bytes are part of UTF-16's characters; a NUL character is still refused.
        let withNul = Array("<a>x\u{0}y</a>".utf16)
        #expect(throws: DiagnosticError.self) { try Self.parsedText([0xFF, 0xFE] + withNul.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) }
    }

    @Test("ISO-8859-1, by its declaration")
    func latin1() throws {
        let text = String(repeating: "Grüße, café, naïve; ", count: 200)
        let bytes = Array("<?xml version='1.0' encoding='ISO-8859-1'?>\n<a>".utf8)
            + text.unicodeScalars.map { UInt8($0.value) } + Array("</a>".utf8)
        #expect(try Self.parsedText(bytes) == text)
    }

    @Test("errors in a long UTF-8 document are found where they are")
    func errorLocation() throws {
        let lines = (0..<2_000).map { "  <b n='\($0)'>\(Self.text.prefix(40))</b>" }.joined(separator: "\n")
        let bytes = Array("<a>\n\(lines)\n  <c></b>\n</a>".utf8)
        do {
            _ = try XMLDocument.parse(bytes, displayName: "t.xml", baseURI: nil)
            Issue.record("a mismatched end tag was accepted")
        } catch {
            #expect(error.diagnostics.first?.location?.line == 2_002)
        }
    }
}

/// Which documents the parser reads in place as UTF-8, and which it hands to libxml2's own
/// input, which converts other encodings.
@Suite("UTF-8 read in place")
struct InPlaceUTF8Tests {
    @Test("documents that are UTF-8 by their first bytes and their declaration, and those that are not")
    func detection() {
        func check(_ text: String, _ expected: Bool, prefix: [UInt8] = []) {
            #expect(XMLDocument.isUTF8Declaring(prefix + Array(text.utf8)) == expected, "\(text)")
        }
        check("<a/>", true)
        check("<a/>", true, prefix: [0xEF, 0xBB, 0xBF])
        check("<?xml version='1.0'?><a/>", true)
        check("<?xml version='1.0' encoding='UTF-8'?><a/>", true)
        check("<?xml version=\"1.0\" encoding = \"utf8\" ?><a/>", true)
        check("<?xml version='1.0' encoding='ISO-8859-1'?><a/>", false)
        check("<?xml version='1.0' encoding='US-ASCII'?><a/>", false)
        check("<?xml version='1.0' encoding='UTF-16'?><a/>", false)
        // A declaration without its end in the first bytes goes the long way too.
        check("<?xml version='1.0'" + String(repeating: " ", count: 600) + "?><a/>", false)
        #expect(!XMLDocument.isUTF8Declaring([0xFF, 0xFE, 0x3C, 0x00]))
        #expect(!XMLDocument.isUTF8Declaring([0x3C, 0x00, 0x3F, 0x00]))
    }

    @Test("a document read in place ends at its last byte, and reports errors there")
    func endsWhereItEnds() throws {
        // The copy the parser reads is reused: a short document after a long one must not see
        // the long one's bytes after its end.
        let long = try XMLDocument.parse(Array(("<a>" + String(repeating: "<b/>", count: 500) + "</a>").utf8), displayName: "l.xml", baseURI: nil)
        #expect(long.root.map { Array($0.children).count } == 500)
        #expect(throws: DiagnosticError.self) { try XMLDocument.parse(Array("<a><b/>".utf8), displayName: "s.xml", baseURI: nil) }
        let error = #expect(throws: DiagnosticError.self) { try XMLDocument.parse(Array("<a>\n<b>\n</a>".utf8), displayName: "e.xml", baseURI: nil) }
        #expect(error?.diagnostics.first?.location?.line == 3)
        // Bytes that are not UTF-8, in a document that declares none, are an error, not Latin-1.
        #expect(throws: DiagnosticError.self) { try XMLDocument.parse([0x3C, 0x61, 0x3E, 0xE9, 0x3C, 0x2F, 0x61, 0x3E], displayName: "x.xml", baseURI: nil) }
    }
}
