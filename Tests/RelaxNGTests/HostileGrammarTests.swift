import Foundation
import RelaxNG
import Testing

/// Grammar files are input too: loading one never expands entities without bound, never reads a
/// file or URL it declares as an entity, and never recurses past the parser's depth limit.
@Suite("Hostile grammar files")
struct HostileGrammarTests {
    @Test("entity attacks, depth and malformed bytes in a grammar are rejected at file:line:column", arguments: [
        ("billion laughs", Self.laughs, "entities expand beyond libxml2's limits"),
        ("external entity", "<!DOCTYPE element [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><element name=\"d\" \(rng)><value>&e;</value></element>", "external entit"),
        ("parameter entity", "<!DOCTYPE element [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/\"> %p;]><element name=\"d\" \(rng)><text/></element>", "external entit"),
        ("100,000 levels deep", "<element name=\"d\" \(rng)>" + String(repeating: "<optional>", count: 100_000) + "<text/>" + String(repeating: "</optional>", count: 100_000) + "</element>", "Excessive depth"),
        ("NUL byte", "<element name=\"d\" \(rng)><text/>\u{0}</element>", "NUL character"),
        ("empty file", "", "empty"),
    ])
    func rejected(_ name: String, _ grammar: String, _ message: String) {
        let found = errors(grammar)
        #expect(mentions(found, message), "\(name): \(found.map(\.description).joined(separator: "; ").prefix(300))")
        #expect(found.allSatisfy { $0.location.map { $0.file.hasSuffix("main.rng") && $0.line >= 1 && $0.column >= 1 } ?? false }, "\(name): \(found)")
    }

    static let laughs: String = {
        var text = "<!DOCTYPE element [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            text += "<!ENTITY lol\(level) \"\(String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10))\">\n"
        }
        return text + "]>\n<element name=\"d\" \(rng)><value>&lol9;</value></element>\n"
    }()

    @Test("a long chain of references in a grammar loads without overflowing the stack")
    func longReferenceChain() throws {
        // 20,000 defines, each a reference to the next, all inside one element.
        let count = 20_000
        var defines = ""
        for index in 0..<count { defines += "<define name=\"d\(index)\"><ref name=\"d\(index + 1)\"/></define>" }
        defines += "<define name=\"d\(count)\"><text/></define>"
        let loaded = try schema("<grammar \(rng)><start><element name=\"doc\"><ref name=\"d0\"/></element></start>\(defines)</grammar>")
        #expect(loaded.accepts("<doc>text</doc>"))
    }
}
