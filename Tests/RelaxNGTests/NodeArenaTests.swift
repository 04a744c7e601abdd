import CLibXML2
@testable import RelaxNG
import Testing
import TestSupport

/// Documents are parsed into a tree the project builds in one block of memory (``NodeArena``);
/// it must be libxml2's own tree for the same bytes, node for node, but for the processing
/// instructions it leaves out.
@Suite("Trees built in an arena")
struct NodeArenaTests {
    /// A description of a tree, node by node, of everything a reader of the tree uses.
    static func describe(_ node: xmlNodePtr?, into lines: inout [String], depth: Int = 0) {
        var next = node
        while let current = next {
            next = current.pointee.next
            let indent = String(repeating: " ", count: depth)
            func string(_ pointer: UnsafePointer<xmlChar>?) -> String { pointer.map { String(cString: $0) } ?? "nil" }
            func namespace(_ ns: xmlNsPtr?) -> String { ns.map { "{\(string($0.pointee.prefix))=\(string($0.pointee.href))}" } ?? "" }
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                var declarations: [String] = []
                var declaration = current.pointee.nsDef
                while let found = declaration {
                    declarations.append(namespace(found))
                    declaration = found.pointee.next
                }
                lines.append("\(indent)element \(string(current.pointee.name)) \(namespace(current.pointee.ns)) line \(xmlGetLineNo(current)) declares \(declarations)")
                var attribute = current.pointee.properties
                while let found = attribute {
                    let value = found.pointee.children.flatMap { $0.pointee.content }.map { String(cString: $0) } ?? "nil"
                    let valueNodes = found.pointee.children.map { $0.pointee.next == nil && $0.pointee.type == XML_TEXT_NODE } ?? false
                    #expect(found.pointee.parent == current)
                    lines.append("\(indent) @\(string(found.pointee.name)) \(namespace(found.pointee.ns)) = \(value.debugDescription) one text node: \(valueNodes)")
                    let searched = xmlGetNsProp(current, found.pointee.name, found.pointee.ns?.pointee.href)
                    lines.append("\(indent)  found again: \(searched.map { String(cString: $0) }?.debugDescription ?? "nil")")
                    if let searched { rng2swift_xmlFree(searched) }
                    attribute = found.pointee.next
                }
                describe(current.pointee.children, into: &lines, depth: depth + 1)
                if let child = current.pointee.children { #expect(child.pointee.parent == current) }
            case XML_TEXT_NODE:
                lines.append("\(indent)text \(string(current.pointee.content).debugDescription) line \(xmlGetLineNo(current))")
            case XML_COMMENT_NODE:
                lines.append("\(indent)comment \(string(current.pointee.content).debugDescription)")
            case XML_PI_NODE:
                // Left out of the arena; text on either side stays two nodes.
                lines.append("\(indent)(split)")
            default:
                lines.append("\(indent)type \(current.pointee.type.rawValue)")
            }
        }
    }

    /// How many elements and attributes of `node`'s tree carry their name's number (see
    /// ``XMLNameNumbers``), and how many carry a wrong one. A name with a prefix no declaration
    /// binds carries none. Once the process has numbered as many names from documents as it
    /// will (other tests may have), a name may also carry none; one that carries a number
    /// carries its own.
    static func nameNumbers(_ node: xmlNodePtr?) -> (carried: Int, wrong: Int) {
        var carried = 0, wrong = 0
        let full = XMLNameNumbers.isFull
        func check(_ name: UnsafePointer<xmlChar>?, _ namespace: xmlNsPtr?, _ psvi: UnsafeMutableRawPointer?) {
            guard let name else { return }
            let number = XMLNameNumbers.number(carriedBy: psvi)
            let unbound = namespace == nil && String(cString: name).contains(":")
            let expected = unbound ? 0 : XMLNameNumbers.number(namespace: namespace?.pointee.href, localName: name)
            if number != 0 { carried += 1 }
            if number != expected, !(number == 0 && full) { wrong += 1 }
        }
        var next = node
        while let current = next {
            next = current.pointee.next
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            check(current.pointee.name, current.pointee.ns, current.pointee.psvi)
            var attribute = current.pointee.properties
            while let found = attribute {
                check(found.pointee.name, found.pointee.ns, found.pointee.psvi)
                attribute = found.pointee.next
            }
            let below = nameNumbers(current.pointee.children)
            (carried, wrong) = (carried + below.carried, wrong + below.wrong)
        }
        return (carried, wrong)
    }

    /// How many text nodes of `node`'s tree, its attributes' values included, carry their length
    /// (`NodeArena.lengthBeforeContent`), how many do not, and how many give a wrong one.
    static func lengths(_ node: xmlNodePtr?) -> (marked: Int, unmarked: Int, wrong: Int) {
        var marked = 0, unmarked = 0, wrong = 0
        func check(_ text: xmlNodePtr) {
            guard text.pointee.type == XML_TEXT_NODE else { return }
            guard text.pointee.extra & NodeArena.lengthBeforeContent != 0 else {
                unmarked += 1
                return
            }
            marked += 1
            if let content = text.pointee.content, NodeArena.length(of: content) != Int(xmlStrlen(content)) { wrong += 1 }
        }
        var next = node
        while let current = next {
            next = current.pointee.next
            check(current)
            var attribute = current.pointee.type == XML_ELEMENT_NODE ? current.pointee.properties : nil
            while let found = attribute {
                if let value = found.pointee.children { check(value) }
                attribute = found.pointee.next
            }
            if current.pointee.type == XML_ELEMENT_NODE {
                let inner = lengths(current.pointee.children)
                marked += inner.marked
                unmarked += inner.unmarked
                wrong += inner.wrong
            }
        }
        return (marked, unmarked, wrong)
    }

    /// Each line of the arena's tree for `text` next to libxml2's; the first that differs.
    static func compare(_ text: String, note: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let bytes = Array(text.utf8)
        let ours = try XMLDocument.parse(bytes, displayName: "t.xml", baseURI: nil)
        let theirs = try #require(
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), nil, nil, XMLDocument.parseOptions) }
            }, sourceLocation: sourceLocation)
        defer { xmlFreeDoc(theirs) }
        #expect((ours.arena != nil) == !XMLDocument.hasDoctype(bytes), sourceLocation: sourceLocation)
        var expected: [String] = [], found: [String] = []
        // The arena's text nodes know their lengths; libxml2's never claim to.
        let ourLengths = lengths(ours.pointer.pointee.children)
        #expect(ourLengths.wrong == 0, sourceLocation: sourceLocation)
        #expect(lengths(theirs.pointee.children).marked == 0, sourceLocation: sourceLocation)
        if ours.arena != nil { #expect(ourLengths.unmarked == 0, sourceLocation: sourceLocation) }
        // Each name carries its number in the arena's tree; libxml2's own trees carry none.
        let numbers = nameNumbers(ours.pointer.pointee.children)
        if ours.arena != nil {
            #expect(numbers.wrong == 0, "\(numbers.wrong) names carry a wrong number in \(text.prefix(300).debugDescription)", sourceLocation: sourceLocation)
        } else {
            #expect(numbers.carried == 0, sourceLocation: sourceLocation)
        }
        #expect(nameNumbers(theirs.pointee.children).carried == 0, sourceLocation: sourceLocation)
        describe(theirs.pointee.children, into: &expected)
        describe(ours.pointer.pointee.children, into: &found)
        expected = expected.filter { !$0.hasSuffix("(split)") }
        found = found.filter { !$0.hasSuffix("(split)") }
        if let difference = zip(expected, found).first(where: { $0 != $1 }) {
            Issue.record("libxml2's tree has \(difference.0.debugDescription), the arena's \(difference.1.debugDescription), in \(text.prefix(300).debugDescription) \(note)", sourceLocation: sourceLocation)
        } else {
            #expect(expected.count == found.count, "libxml2's tree has \(expected.count) lines, the arena's \(found.count) \(note)", sourceLocation: sourceLocation)
        }
    }

    @Test("namespaces, prefixes, attributes, text, comments, CDATA and references, as libxml2 builds them")
    func handWritten() throws {
        try Self.compare("<a/>")
        try Self.compare("<?xml version='1.0'?>\n<!-- before -->\n<?pi data?>\n<a x='1' y=\"two &amp; three\">text<b/>tail</a>\n<!-- after -->")
        try Self.compare("<a xmlns='urn:d' xmlns:p='urn:p'><p:b p:c='1' d='2'><c xmlns=''>x</c></p:b><d xml:lang='en'/></a>")
        try Self.compare("<p:a xmlns:p='urn:p'><p:b xmlns:p='urn:q' p:x='y'/><p:c/></p:a>")
        try Self.compare("<a>one<![CDATA[ <two> ]]>three&#x20AC;&lt;&gt;&apos;&quot;<?pi?>four<!--c-->five</a>")
        try Self.compare("<a>\n  <b>\n    <c/>\n  </b>\n\n\n  <d e='\n\t x  '/>\n</a>")
        try Self.compare("<a x=''>   </a>")
        try Self.compare("<a>\(String(repeating: "long text with ü and 日本 ", count: 400))<b/>\(String(repeating: "x", count: 5000))</a>")
        try Self.compare("<a>" + (0..<70_000).map { _ in "\n" }.joined() + "<b>late</b>text on a late line</a>")
        // A prefix no declaration binds: a namespace error libxml2 lets through, naming the
        // element and the attribute by their qualified names.
        try Self.compare("<a><q:b q:c='1'/></a>")
    }

    @Test("random documents, as libxml2 builds them")
    func randomDocuments() throws {
        var random = SeededGenerator()
        let names = ["a", "b", "cd", "efg", "domain", "disk"]
        let texts = ["", " ", "\n  ", "x", "a &amp; b", "&#233;t&#xE9;", "<![CDATA[<x>]]>", "<!-- note -->", "<?pi some?>", String(repeating: "ab ", count: 150)]
        func element(_ depth: Int, _ prefixes: [String]) -> String {
            let name = names.randomElement(using: &random)!
            var prefixes = prefixes
            var start = name
            if Int.random(in: 0..<4, using: &random) == 0 {
                let prefix = "p\(Int.random(in: 0..<3, using: &random))"
                start += " xmlns:\(prefix)='urn:\(prefix):\(depth)'"
                prefixes.append(prefix)
            }
            if Int.random(in: 0..<6, using: &random) == 0 { start += " xmlns='urn:default:\(depth)'" }
            var used: Set<String> = []
            for _ in 0..<Int.random(in: 0..<4, using: &random) {
                var attribute = names.randomElement(using: &random)!
                if let prefix = prefixes.randomElement(using: &random), Bool.random(using: &random) { attribute = "\(prefix):\(attribute)" }
                guard used.insert(attribute).inserted else { continue }
                start += " \(attribute)='\(texts.prefix(6).randomElement(using: &random)!)'"
            }
            if let prefix = prefixes.randomElement(using: &random), Int.random(in: 0..<3, using: &random) == 0 {
                start = "\(prefix):" + start
            }
            let tag = String(start.prefix { $0 != " " })
            guard depth < 5, Int.random(in: 0..<5, using: &random) > 0 else { return "<\(start)/>" }
            var content = ""
            for _ in 0..<Int.random(in: 0..<5, using: &random) {
                content += Bool.random(using: &random) ? texts.randomElement(using: &random)! : element(depth + 1, prefixes)
            }
            return "<\(start)>\(content)</\(tag)>"
        }
        let seed = random.description
        for _ in 0..<300 {
            let document = element(0, [])
            try Self.compare(document, note: seed)
        }
    }

    @Test("strings are copied whole and nothing past them, at every length and alignment")
    func copyingBytes() {
        let source = (0..<64).map { UInt8($0 + 1) }
        for offset in 0..<8 {
            for count in 0...40 {
                var destination = [UInt8](repeating: 0, count: 64)
                source.withUnsafeBufferPointer { from in
                    destination.withUnsafeMutableBufferPointer { to in
                        NodeArena.copyBytes(from: from.baseAddress! + offset, to: to.baseAddress! + 3, count: count)
                    }
                }
                #expect(Array(destination[3..<(3 + count)]) == Array(source[offset..<(offset + count)]), "\(count) bytes from \(offset)")
                #expect(destination[..<3].allSatisfy { $0 == 0 } && destination[(3 + count)...].allSatisfy { $0 == 0 }, "\(count) bytes from \(offset)")
            }
        }
    }

    @Test("names carry their numbers, the same in every document and parser context")
    func nameNumbersAcrossDocuments() throws {
        // Names from code are numbered past the limit too; a document's then carry them.
        let numbers = ["domain", "disk", "source"].map { XMLNameNumbers.number(namespace: "", localName: $0) }
        #expect(numbers.allSatisfy { $0 > 0 } && Set(numbers).count == 3)
        for round in 0..<3 {
            let document = try XMLDocument.parse(Array("<domain><disk source='x'/><disk/></domain>".utf8), displayName: "round \(round)", baseURI: nil)
            let root = try #require(document.pointer.pointee.children)
            let disk = try #require(root.pointee.children)
            let source = try #require(disk.pointee.properties)
            let carried = [root.pointee.psvi, disk.pointee.psvi, source.pointee.psvi, disk.pointee.next?.pointee.psvi].map(XMLNameNumbers.number(carriedBy:))
            // (A context that met a name after the process stopped numbering names from
            // documents keeps it unnumbered: other tests may have brought that about.)
            #expect(zip(carried, numbers + [numbers[1]]).allSatisfy { $0 == $1 || ($0 == 0 && XMLNameNumbers.isFull) }, "\(carried) against \(numbers)")
        }
    }

    @Test("a document with a DOCTYPE gets libxml2's own tree, its entities expanded")
    func doctype() throws {
        #expect(XMLDocument.hasDoctype(Array("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>".utf8)))
        #expect(XMLDocument.hasDoctype(Array("<?xml version='1.0'?><!-- <a> --><?pi <b>?>\n<!DOCTYPE a><a/>".utf8)))
        #expect(!XMLDocument.hasDoctype(Array("<?xml version='1.0'?><!-- <!DOCTYPE --><a><!DOCTYPE/></a>".utf8)))
        #expect(!XMLDocument.hasDoctype(Array("<a/>".utf8)))
        try Self.compare("<!DOCTYPE a [<!ENTITY e '<b>expanded</b>'>]><a>&e;&e;</a>")
    }
}
