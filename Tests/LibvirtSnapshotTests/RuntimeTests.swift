import Foundation
import LibvirtSnapshot
@testable import RelaxNGRuntime
import Testing
import TestSupport

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

    @Test("a cursor's taken flags past the 64th, and its table of decoded children, are values: a copy's changes leave the original as it was")
    func takenFlagsAreValues() {
        var original = _XMLCursor(XMLElement("e"))
        original.markChildTaken(3)
        original.markChildTaken(70)
        var copy = original
        copy.markChildTaken(200)
        #expect(original.isChildTaken(70) && !original.isChildTaken(200) && original.isChildTaken(3))
        #expect(copy.isChildTaken(200) && copy.isChildTaken(70) && copy.isChildTaken(3) && !copy.isChildTaken(71))
        #expect(original.takenCount == 2 && copy.takenCount == 3)
        #expect(copy.hasAdvanced(since: original) && !original.hasAdvanced(since: original))
        #expect(copy.firstChildTaken(since: original) == 200 && original.firstChildTaken(since: copy) == nil)
        var attributes = original
        attributes.markAttributeTaken(65)
        #expect(attributes.isAttributeTaken(65) && !original.isAttributeTaken(65) && attributes.hasAdvanced(since: original))
        // A copy made before a table is set does not see it; one made after shares it.
        var start = original
        start.decoded = _XMLDecodedChildren()
        let later = start
        #expect(original.decoded == nil && later.decoded != nil && later.decoded === start.decoded)
        start.decoded = nil
        #expect(later.decoded != nil && start.decoded == nil && start.isChildTaken(70))
        // The tree stays readable through copies made after the first is gone.
        var reading: _XMLCursor? = _XMLCursor(XMLElement("e", attributes: [XMLAttribute("a", value: "1")]))
        let kept = reading!
        reading = nil
        #expect(kept.untakenAttribute("a", "") == 0)
    }

    @Test("inside an element that holds text, nothing is indented at any depth")
    func mixedContentIsWrittenExactly() {
        let inner = XMLElement("b", children: [.element(XMLElement("c", children: [.text("1")]))])
        let tree = XMLElement("doc", children: [.element(XMLElement("a", children: [.text("x"), .element(inner), .text("y")])), .element(inner)])
        #expect(XMLWriter.string(tree) == "<doc>\n  <a>x<b><c>1</c></b>y</a>\n  <b>\n    <c>1</c>\n  </b>\n</doc>\n")
    }

    @Test("equality is RELAX NG's: whitespace beside an element child and the split of a text do not count")
    func equalityAsAGrammarSeesIt() {
        let leaf = XMLContent.element(XMLElement("leaf"))
        func element(_ children: XMLContent...) -> XMLElement { XMLElement("e", children: children) }
        let equalPairs: [(XMLElement, XMLElement)] = [
            (element(leaf), element(.text("\n  "), leaf, .text("\n"))),
            (element(.text("x"), leaf), element(.text("x"), leaf, .text(" \t"))),
            (element(.text("ab")), element(.text("a"), .text("b"))),
            (element(.text(" "), leaf), element(.text(""), .text(" "), leaf)),
            (element(), element(.text(""))),
        ]
        for (one, other) in equalPairs {
            #expect(one == other, "\(one.children) and \(other.children)")
            #expect(one.hashValue == other.hashValue, "\(one.children) and \(other.children)")
        }
        // A grammar tells these apart: text alone is text, even whitespace, and text that is not
        // only whitespace counts wherever it is.
        let differentPairs: [(XMLElement, XMLElement)] = [
            (element(), element(.text(" "))),
            (element(leaf), element(.text(" x"), leaf)),
            (element(.text("a"), leaf, .text("b")), element(.text("ab"), leaf)),
            (element(leaf, leaf), element(leaf)),
        ]
        for (one, other) in differentPairs { #expect(one != other, "\(one.children) and \(other.children)") }
    }

    @Test("open content read from a document survives encoding, with or without its indentation")
    func openContentRoundTrip() throws {
        for text in [
            "<domainsnapshot><domain><uuid>x</uuid></domain></domainsnapshot>",
            "<domainsnapshot><domain>a<b><c>1</c></b></domain></domainsnapshot>",
            // The shape the snapshot fuzzer found: mixed text around nested element-only elements.
            "<domainsnapshot><name>n</name><domain>\n  Text%%<x ><name>2</name></x>\n%%<x>\n <name>m</name><disks> ' y&gt;</disks></x>%%y <uuid>9d<z/>\nd2</uuid></domain></domainsnapshot>",
        ] {
            let snapshot = try DomainSnapshot(xmlString: text)
            let encoded = snapshot.xmlString()
            let again = try DomainSnapshot(xmlString: encoded)
            #expect(again == snapshot, "\(encoded)")
            #expect(again.xmlString() == encoded)
        }
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

    @Test("the order read from libxml2's tree keeps namespaces, and arranges namespaced children")
    func childOrderWithNamespaces() throws {
        let snapshot = try DomainSnapshot(xmlString: """
            <domainsnapshot>
              <domain><name>vm</name><q:commandline xmlns:q='urn:q'><q:arg/></q:commandline><commandline/><devices/></domain>
            </domainsnapshot>
            """)
        guard case .domain(let domain)? = snapshot.domain else {
            Issue.record("the snapshot's domain is not open content")
            return
        }
        // Not read yet: the cursor reads libxml2's tree. Children taken in document order need
        // no record: encoding writes them in the order they were read.
        var inOrder = _XMLCursor(domain)
        for index in 0..<4 { inOrder.takeChild(at: index) }
        #expect(inOrder.childOrder.keys.isEmpty)
        // Taken out of order, as a grammar that writes `<devices>` first reads them.
        var cursor = _XMLCursor(domain)
        for index in [3, 0, 1, 2] { cursor.takeChild(at: index) }
        let order = cursor.childOrder
        let keys = [("", "name"), ("urn:q", "commandline"), ("", "commandline"), ("", "devices")].map { XMLChildOrder.Key(namespace: $0.0, localName: $0.1) }
        #expect(order.keys == keys)
        // Names a generated decoder knows come from its table; others, such as `<devices>` here,
        // from libxml2's tree.
        let table = _XMLNameTable(["commandline", "name", "commandline"], namespaces: ["", "", "urn:q"])
        #expect(cursor.childOrder(table).keys == keys)
        #expect(inOrder.childOrder(table).keys.isEmpty)
        #expect(XMLChildOrder(keys).keys == keys)
        let inGrammarOrder: [XMLContent] = [
            .element(XMLElement("devices")), .element(XMLElement("commandline")), .element(XMLElement("name")),
            .element(XMLElement("commandline", namespace: "urn:q")),
        ]
        let arranged = order.arrange(inGrammarOrder).map { content -> String in
            guard case .element(let element) = content else { return "text" }
            return element.namespace.isEmpty ? element.localName : "{\(element.namespace)}\(element.localName)"
        }
        #expect(arranged == ["name", "{urn:q}commandline", "commandline", "devices"])
        #expect(_XMLCursor(XMLElement("empty")).childOrder.keys.isEmpty)
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

    @Test("open content is read out of libxml2's tree on first use, and then lets the document go")
    func openContentReadOnFirstUse() throws {
        let text = """
            <domainsnapshot>
              <name>lazy</name>
              <domain type='kvm' xmlns:q='urn:q'>
                <name>guest</name>
                <q:commandline q:on='1'>text &amp; more</q:commandline>
              </domain>
            </domainsnapshot>
            """
        let snapshot = try DomainSnapshot(xmlString: text, displayName: "doc.xml")
        guard case .domain(let domain) = snapshot.domain else { Issue.record("not the open domain"); return }
        #expect(domain.unread?.unreadNode() != nil)
        // A decoder given the unread element reads libxml2's tree in place.
        guard case .node = _XMLCursor(domain).source else { Issue.record("the cursor made a tree"); return }

        let parsed = try XMLElement.parse(bytes: Array(text.utf8), displayName: "doc.xml").elements[1]
        #expect(domain.outline == parsed.outline)
        #expect(domain == parsed && domain.hashValue == parsed.hashValue)
        #expect(domain.unread?.unreadNode() == nil)
        guard case .tree = _XMLCursor(domain).source else { Issue.record("the read element was not read as a tree"); return }

        // A change reads the element first, and leaves other copies as they were.
        var changed = try DomainSnapshot(xmlString: text, displayName: "doc.xml").unreadDomain
        changed.attributes.append(XMLAttribute("extra", value: "1"))
        #expect(changed.unread == nil)
        #expect(changed.attributes.map(\.localName) == ["type", "extra"])
        #expect(changed.elements.map(\.localName) == ["name", "commandline"])
        #expect(domain.attributes.map(\.localName) == ["type"])

        let coded = try JSONDecoder().decode(XMLElement.self, from: JSONEncoder().encode(DomainSnapshot(xmlString: text).unreadDomain))
        #expect(coded.outline == parsed.outline)
        #expect(coded == parsed && coded.location == XMLLocation(file: "<string>", line: 3, column: 3))
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
        // Without facets, libxml2 checks the lexical form alone: ranges and calendars still hold.
        #expect(XMLSchemaType("unsignedLong").allows(" 18446744073709551615 "))
        #expect(!XMLSchemaType("unsignedLong").allows("18446744073709551616"))
        #expect(!XMLSchemaType("unsignedByte").allows("256") && XMLSchemaType("unsignedByte").allows("255"))
        #expect(!XMLSchemaType("byte", [("pattern", "-?[0-9]+")]).allows("-129"))
        #expect(XMLSchemaType("byte", [("pattern", "-?[0-9]+")]).allows("-128"))
        #expect(!XMLSchemaType("unsignedLong", [("pattern", "[0-9]{1,3}")]).allows("1000"))
        #expect(!XMLSchemaType("date").allows("2023-02-29") && XMLSchemaType("date").allows("2024-02-29"))
        #expect(!XMLSchemaType("hexBinary", [("length", "2")]).allows("0A0") && XMLSchemaType("hexBinary", [("length", "2")]).allows("0A0B"))
    }

    @Test("decoding from many threads at once gives the same values")
    func concurrentDecoding() async throws {
        let expected = try DomainSnapshot(xmlString: Fixtures.full)
        try await withThrowingTaskGroup(of: DomainSnapshot.self) { group in
            for _ in 0..<32 { group.addTask { try DomainSnapshot(xmlString: Fixtures.full) } }
            for try await decoded in group { #expect(decoded == expected) }
        }
    }

    // MARK: Values validation already checked

    /// A value that counts the checks made on it: even numbers of ASCII digits pass.
    struct Even: XMLValue, Hashable, Codable {
        nonisolated(unsafe) static var checks = 0
        let text: String
        init?(xmlValue: String) {
            Self.checks += 1
            guard let number = Int(xmlValue), number % 2 == 0 else { return nil }
            text = xmlValue
        }
        var xmlValue: String { text }
        static func _xmlValue(validatedUTF8 text: UnsafeBufferPointer<UInt8>) -> Self? {
            // Validation checked it; a check here would count.
            Self(unchecked: String(decoding: text, as: UTF8.self))
        }
        private init(unchecked text: String) { self.text = text }
    }

    /// `<pair a='…'><b>…</b></pair>`, with both values `Even`, validated by a grammar that
    /// says so; `trusts` says which reads trust validation.
    struct Pair: XMLDocumentRoot {
        nonisolated(unsafe) static var trusts = true
        nonisolated(unsafe) static var root: (name: _XMLLiteral, namespace: _XMLLiteral)? = ("pair", "")
        static let grammar = XMLGrammar(files: ["pair.rng": """
            <grammar xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
              <start><choice>
                <element name="pair"><attribute name="a"><data type="integer"/></attribute><element name="b"><data type="integer"/></element></element>
                <element name="other"><attribute name="a"><data type="integer"/></attribute><element name="b"><data type="integer"/></element></element>
              </choice></start>
            </grammar>
            """], main: "pair.rng")
        static var _xmlValidatedRoot: (name: _XMLLiteral, namespace: _XMLLiteral)? { root }
        var a: Even?
        var b: Even?
        init(xml element: XMLElement) throws { try self.init(xmlElementCursor: _XMLCursor(element)) }
        init(xmlElementCursor cursor: consuming _XMLCursor) throws {
            a = try cursor.optionalAttribute("a", as: Even.self, trustsValidation: Self.trusts)
            b = try cursor.optionalValueElement("b", as: Even.self, trustsValidation: Self.trusts)
            try cursor.finish()
        }
        func xmlElement() -> XMLElement { XMLElement("pair") }
    }

    @Test("values that validation checked are not checked again, and only those")
    func validatedValues() throws {
        // (One test changes the types' statics: the cases run in turn.)
        func checks(_ body: () throws -> Void) rethrows -> Int {
            Even.checks = 0
            try body()
            return Even.checks
        }
        defer { (Pair.trusts, Pair.root) = (true, ("pair", "")) }
        // Validated, with reads that trust it: no check. (The grammar's integers let odd
        // numbers through, so a check that was skipped shows.)
        var decoded: Pair?
        #expect(try checks { decoded = try Pair(xmlString: "<pair a='3'><b>5</b></pair>") } == 0)
        #expect(decoded?.a?.text == "3" && decoded?.b?.text == "5")
        // Reads that do not trust validation check.
        Pair.trusts = false
        #expect(throws: XMLDecodingError.self) { try Pair(xmlString: "<pair a='3'><b>5</b></pair>") }
        #expect(try checks { _ = try Pair(xmlString: "<pair a='2'><b>4</b></pair>") } == 2)
        Pair.trusts = true
        // A root of another name matched another pattern: checked.
        #expect(throws: XMLDecodingError.self) { try Pair(xmlString: "<other a='3'><b>5</b></other>") }
        #expect(try checks { _ = try Pair(xmlString: "<other a='2'><b>4</b></other>") } == 2)
        // A type that does not say its root is the start's only one with its name: checked.
        Pair.root = nil
        #expect(throws: XMLDecodingError.self) { try Pair(xmlString: "<pair a='3'><b>5</b></pair>") }
        Pair.root = ("pair", "")
        // An element built or parsed in Swift was never validated: checked.
        let parsed = try XMLElement.parse(bytes: Array("<pair a='3'><b>5</b></pair>".utf8), displayName: "p.xml")
        #expect(throws: XMLDecodingError.self) { try Pair(xml: parsed) }
        #expect(try checks { _ = try Pair(xml: XMLElement("pair", attributes: [XMLAttribute("a", value: "2")])) } == 1)
        // An invalid document is refused by validation before any read.
        #expect(throws: XMLDecodingError.self) { try Pair(xmlString: "<pair a='x'><b>5</b></pair>") }
    }

    // MARK: Choices decided in passes

    /// An element that decodes only when it says `ok='1'`, so that a name can match and still fail.
    struct Picky: XMLElementCodable {
        var tag: String
        init(xml element: XMLElement) throws { tag = try Self.tag(of: element, ok: "1") }
        func xmlElement() -> XMLElement { XMLElement("picky") }

        /// The `i` of an element with `ok` and `i` and nothing else.
        static func tag(of element: XMLElement, ok: _XMLLiteral) throws -> String {
            var cursor = _XMLCursor(element)
            try cursor.fixedAttribute("ok", value: ok, required: true)
            let tag = try cursor.attribute("i", as: String.self)
            try cursor.finish()
            return tag
        }
    }

    /// Decodes only with `ok='0'`, and says so in its screen, so that a choice can skip it.
    struct Screened: XMLElementCodable {
        var tag: String
        init(xml element: XMLElement) throws { tag = try Picky.tag(of: element, ok: "0") }
        func xmlElement() -> XMLElement { XMLElement("screened") }
        static func _xmlScreen(_ cursor: _XMLCursor) -> Bool { cursor.hasAttribute("ok", value: "0") }
    }

    enum Letter: String, XMLValue { case x, z }

    typealias Alternative = (requirement: _XMLChoice<String>.Requirement?, decode: (inout _XMLCursor) throws -> String)
    typealias Dispatch = (name: _XMLLiteral, decode: (inout _XMLCursor, _XMLNextElement) -> String?)

    /// Decodes the choice again and again, as a repeated choice does, in passes or (`exhaustive`)
    /// by trying every alternative each time: the definition the passes must agree with.
    ///
    /// Unless `exhaustive`, the alternatives in `dispatch` (those no other alternative names) are
    /// first tried on the next child by its name, as generated decoders try them.
    static func decodeRepeatedly(
        _ element: XMLElement, taken: [Int], _ alternatives: [Alternative], dispatch: [Dispatch] = [], takingAnyOf: [Int: [_XMLChoice<String>.Requirement]] = [:],
        dispatches: Bool, exhaustive: Bool, reasons: Bool
    ) -> [String] {
        var cursor = _XMLCursor(element)
        for index in taken { cursor.markChildTaken(index) }
        cursor.reasonsWanted = reasons
        var results: [String] = []
        repetitions: while results.count < 10 {
            if !exhaustive, let next = cursor.nextElement() {
                for candidate in dispatch where next.isNamed(candidate.name) {
                    if let value = candidate.decode(&cursor, next) {
                        results.append(value + " taking \(cursor.firstChildTaken(since: _XMLCursor(element)) ?? -1)/\(cursor.takenCount)")
                        continue repetitions
                    }
                }
            }
            var choice = _XMLChoice<String>(cursor, dispatchesOnNextChild: dispatches)
            if exhaustive {
                for alternative in alternatives { choice.consider(alternative.decode) }
            } else {
                while choice.nextPass() {
                    for (position, alternative) in alternatives.enumerated() {
                        if let requirement = alternative.requirement {
                            choice.consider(requiring: requirement, alternative.decode)
                        } else if let parts = takingAnyOf[position] {
                            choice.consider(takingAnyOf: { choice in parts.contains { choice.has($0) } }, alternative.decode)
                        } else {
                            choice.consider(alternative.decode)
                        }
                    }
                }
            }
            do {
                let value = try choice.result(into: &cursor, typeName: "Choice")
                results.append(value + " taking \(cursor.firstChildTaken(since: _XMLCursor(element)) ?? -1)/\(cursor.takenCount)")
                if value.hasPrefix("empty") { break }
            } catch {
                if reasons { results.append("\(error)") }
                break
            }
        }
        return results
    }

    /// `body` on 400 elements made of random children, some of them taken already, each with
    /// reasons wanted and without.
    static func forRandomElements(_ body: (_ round: Int, _ element: XMLElement, _ taken: [Int], _ reasons: Bool) -> Void) {
        var generator = SeededGenerator()
        for round in 0..<400 {
            let children = randomChildren(using: &generator)
            let element = XMLElement("e", children: children)
            let taken = children.indices.filter { _ in Int.random(in: 0..<4, using: &generator) == 0 }
            for reasons in [true, false] { body(round, element, taken, reasons) }
        }
    }

    /// Up to six children for the choices below: `<a>` and `<b>` that `Picky` or `Screened`
    /// decode (`ok`) or not, `<c>` with a number or not, `<d>` that no alternative takes, and
    /// indentation.
    static func randomChildren(using generator: inout SeededGenerator) -> [XMLContent] {
        var children: [XMLContent] = []
        for index in 0..<Int.random(in: 0...6, using: &generator) {
            switch Int.random(in: 0..<5, using: &generator) {
            case 0, 1:
                let name = Bool.random(using: &generator) ? "a" : "b"
                children.append(.element(XMLElement(name, attributes: [XMLAttribute("ok", value: Bool.random(using: &generator) ? "1" : "0"), XMLAttribute("i", value: "\(index)")])))
            case 2: children.append(.element(XMLElement("c", children: [.text(Bool.random(using: &generator) ? "5" : "x")])))
            case 3: children.append(.element(XMLElement("d")))
            default: children.append(.text("\n  "))
            }
        }
        return children
    }

    @Test("a choice of single children decided from the next child agrees with trying every alternative")
    func choiceOfChildren() {
        let alternatives: [Alternative] = [
            (.child("a"), { cursor in "a " + (try cursor.element("a", as: Picky.self)).tag }),
            (.child("b"), { cursor in "b " + (try cursor.element("b", as: Picky.self)).tag }),
            (.child("b"), { cursor in "raw b " + (try cursor.rawElement("b")).attributes.map(\.value).joined(separator: ",") }),
            (.child("c"), { cursor in "c \(try cursor.valueElement("c", as: Int32.self))" }),
            (.child("a", screenedBy: Screened.self), { cursor in "screened a " + (try cursor.element("a", as: Screened.self)).tag }),
        ]
        // Only `c` is named by one alternative alone; in the second set every name is.
        let cByName: [Dispatch] = [("c", { cursor, next in cursor.valueElement(next, as: Int32.self).map { "c \($0)" } })]
        let uniquelyNamed: [Alternative] = [alternatives[0], alternatives[1], alternatives[3]]
        let byName: [Dispatch] = [
            ("a", { cursor, next in cursor.element(next, as: Picky.self).map { "a " + $0.tag } }),
            ("b", { cursor, next in cursor.element(next, as: Picky.self).map { "b " + $0.tag } }),
        ] + cByName
        Self.forRandomElements { round, element, taken, reasons in
            let expected = Self.decodeRepeatedly(element, taken: taken, alternatives, dispatches: true, exhaustive: true, reasons: reasons)
            let actual = Self.decodeRepeatedly(element, taken: taken, alternatives, dispatch: cByName, dispatches: true, exhaustive: false, reasons: reasons)
            #expect(actual == expected, "round \(round): \(XMLWriter.string(element)) taken \(taken)")
            let expectedUnique = Self.decodeRepeatedly(element, taken: taken, uniquelyNamed, dispatches: true, exhaustive: true, reasons: reasons)
            let actualUnique = Self.decodeRepeatedly(element, taken: taken, uniquelyNamed, dispatch: byName, dispatches: true, exhaustive: false, reasons: reasons)
            #expect(actualUnique == expectedUnique, "round \(round), names told apart: \(XMLWriter.string(element)) taken \(taken)")
        }
    }

    /// An alternative without a requirement: an optional `<a>`, then an optional `<b>`.
    static var optionalAOrB: Alternative {
        (nil, { cursor in
            let a = try cursor.optionalElement("a", as: Picky.self), b = try cursor.optionalElement("b", as: Picky.self)
            return "optional \(a?.tag ?? "-") \(b?.tag ?? "-")"
        })
    }

    @Test("the passes of a choice of alternatives with and without requirements agree with trying every alternative")
    func choiceWithUnrequiredAlternatives() {
        let alternatives: [Alternative] = [
            Self.optionalAOrB,
            (.child("a"), { cursor in "a " + (try cursor.element("a", as: Picky.self)).tag }),
            (.child("b", screenedBy: Screened.self), { cursor in "screened b " + (try cursor.element("b", as: Screened.self)).tag }),
            (nil, { _ in "empty" }),
            (.child("c"), { cursor in "c \(try cursor.valueElement("c", as: Int32.self))" }),
        ]
        Self.forRandomElements { round, element, taken, reasons in
            let expected = Self.decodeRepeatedly(element, taken: taken, alternatives, dispatches: false, exhaustive: true, reasons: reasons)
            let actual = Self.decodeRepeatedly(element, taken: taken, alternatives, dispatches: false, exhaustive: false, reasons: reasons)
            #expect(actual == expected, "round \(round): \(XMLWriter.string(element)) taken \(taken)")
        }
        // Both the first alternative, which has no requirement, and the second take `<a>`: the
        // first in the grammar wins.
        let element = XMLElement("e", children: [.element(XMLElement("a", attributes: [XMLAttribute("ok", value: "1"), XMLAttribute("i", value: "7")]))])
        #expect(Self.decodeRepeatedly(element, taken: [], alternatives, dispatches: false, exhaustive: false, reasons: true).first == "optional 7 - taking 0/1")
    }

    @Test("alternatives skipped for taking nothing of what is there agree with trying every alternative, ties included")
    func choiceSkippingAlternativesThatTakeNothing() {
        let alternatives: [Alternative] = [
            Self.optionalAOrB,
            // Takes nothing and cannot be skipped: it ties with the first when that takes nothing.
            (nil, { _ in "nothing" }),
            (.child("a"), { cursor in "a " + (try cursor.element("a", as: Picky.self)).tag }),
            (.child("b", screenedBy: Screened.self), { cursor in "screened b " + (try cursor.element("b", as: Screened.self)).tag }),
            (nil, { _ in "empty" }),
            (.child("c"), { cursor in "c \(try cursor.valueElement("c", as: Int32.self))" }),
            (nil, { cursor in "optional screened b " + ((try cursor.optionalElement("b", as: Screened.self))?.tag ?? "-") }),
        ]
        let takingAnyOf: [Int: [_XMLChoice<String>.Requirement]] = [0: [.child("a"), .child("b")], 4: [], 6: [.child("b", screenedBy: Screened.self)]]
        let withoutTies = Array(alternatives.enumerated().filter { $0.offset != 1 }.map(\.element))
        let takingAnyOfWithoutTies = Dictionary(uniqueKeysWithValues: takingAnyOf.map { ($0.key == 0 ? 0 : $0.key - 1, $0.value) })
        var skipped = 0
        Self.forRandomElements { round, element, taken, reasons in
            for (set, parts) in [(alternatives, takingAnyOf), (withoutTies, takingAnyOfWithoutTies)] {
                let expected = Self.decodeRepeatedly(element, taken: taken, set, dispatches: false, exhaustive: true, reasons: reasons)
                let actual = Self.decodeRepeatedly(element, taken: taken, set, takingAnyOf: parts, dispatches: false, exhaustive: false, reasons: reasons)
                #expect(actual == expected, "round \(round): \(XMLWriter.string(element)) taken \(taken)")
                if expected.first?.hasPrefix("optional - -") == false { skipped += 1 }
            }
        }
        #expect(skipped > 100)
        // Nothing there for the first alternative to take: it still wins over the second.
        let onlyD = XMLElement("e", children: [.element(XMLElement("d"))])
        #expect(Self.decodeRepeatedly(onlyD, taken: [], alternatives, takingAnyOf: takingAnyOf, dispatches: false, exhaustive: false, reasons: false).first == "optional - - taking -1/0")
        // A `<b>` that passes the screen: the last alternative takes it, though the first ones are skipped or fail.
        let screenedB = XMLElement("e", children: [.element(XMLElement("b", attributes: [XMLAttribute("ok", value: "0"), XMLAttribute("i", value: "3")]))])
        #expect(Self.decodeRepeatedly(screenedB, taken: [], Array(alternatives.suffix(3)), takingAnyOf: [2: [.child("b", screenedBy: Screened.self)]], dispatches: false, exhaustive: false, reasons: false).first
            == "optional screened b 3 taking 0/1")
    }

    @Test("an alternative whose required child's first namesake fails its screen is tried on a later one that passes")
    func screenedRequirementOnLaterChild() {
        // Alternatives that look up the same child in turn share the lookup; only this one can
        // take a `<b>` with `ok='0'`, which need not be the first `<b>`.
        let alternatives: [Alternative] = [
            (.child("b", screenedBy: Screened.self), { cursor in "screened b " + (try cursor.element("b", as: Screened.self)).tag }),
            (.child("b", screenedBy: Screened.self), { cursor in "screened b again " + (try cursor.element("b", as: Screened.self)).tag }),
            (.child("c"), { cursor in "c \(try cursor.valueElement("c", as: Int32.self))" }),
        ]
        Self.forRandomElements { round, element, taken, reasons in
            for dispatches in [false, true] {
                let expected = Self.decodeRepeatedly(element, taken: taken, alternatives, dispatches: dispatches, exhaustive: true, reasons: reasons)
                let actual = Self.decodeRepeatedly(element, taken: taken, alternatives, dispatches: dispatches, exhaustive: false, reasons: reasons)
                #expect(actual == expected, "round \(round): \(XMLWriter.string(element)) taken \(taken)")
            }
        }
        let b = { (ok: String, i: Int) in XMLContent.element(XMLElement("b", attributes: [XMLAttribute("ok", value: ok), XMLAttribute("i", value: "\(i)")])) }
        let element = XMLElement("e", children: [b("1", 0), b("0", 1)])
        #expect(Self.decodeRepeatedly(element, taken: [], alternatives, dispatches: false, exhaustive: false, reasons: false).first == "screened b 1 taking 1/1")
    }

    /// Content whose choice tries both its alternatives, so that it makes a table of decoded
    /// children for them to share; the second, which wins, starts with the table.
    struct TwoWays: _XMLContentCodable {
        var tag: String
        init(xmlContent cursor: inout _XMLCursor) throws {
            var choice = _XMLChoice<String>(cursor)
            while choice.nextPass() {
                choice.consider { cursor in "b " + (try cursor.element("b", as: Picky.self)).tag }
                choice.consider { cursor in "a " + (try cursor.element("a", as: Picky.self)).tag }
            }
            tag = try choice.result(into: &cursor, typeName: "TwoWays")
        }
        func writeXMLContent(into element: inout XMLElement) {}
    }

    @Test("a table of decoded children lasts as long as the content that made it, repetitions included")
    func decodedChildrenTable() throws {
        let children = (0..<3).map { XMLContent.element(XMLElement("a", attributes: [XMLAttribute("ok", value: "1"), XMLAttribute("i", value: "\($0)")])) }
        let element = XMLElement("e", children: children)
        // The choice makes a table, which stays on the cursor it decides.
        var bare = _XMLCursor(element)
        #expect(try TwoWays(xmlContent: &bare).tag == "a 0" && bare.decoded != nil)
        // Read as content, the table goes with the content; later children are decoded directly.
        var cursor = _XMLCursor(element)
        #expect(try cursor.content(as: TwoWays.self).tag == "a 0" && cursor.decoded == nil)
        #expect(cursor.optionalContent(as: TwoWays.self)?.tag == "a 1" && cursor.decoded == nil)
        var repeated = _XMLCursor(element)
        #expect(repeated.repeatedContent(as: TwoWays.self).map(\.tag) == ["a 0", "a 1", "a 2"])
        #expect(repeated.decoded == nil)
        // A table made outside, by an enclosing choice, stays for that choice's alternatives.
        var enclosed = _XMLCursor(element)
        let table = _XMLDecodedChildren()
        enclosed.decoded = table
        _ = try enclosed.content(as: TwoWays.self)
        _ = enclosed.repeatedContent(as: TwoWays.self)
        #expect(enclosed.decoded === table && !table.outcomes.isEmpty)
    }

    /// `element` as a child of a snapshot's open `<domain>` in libxml2's tree, unread.
    static func inLibXML2(_ element: XMLElement) -> XMLElement {
        let domain = XMLElement("domain", attributes: element.attributes, children: element.children)
        let text = "<domainsnapshot>" + XMLWriter.string(domain) + "</domainsnapshot>"
        return try! DomainSnapshot(xmlString: text).unreadDomain
    }

    @Test("a walk over the children takes what searching for each field in turn takes")
    func gatheredChildren() {
        let table = _XMLNameTable(["a", "b", "c"])
        Self.forRandomElements { round, tree, taken, reasons in
            // Built in Swift and in libxml2's tree; outside a choice, and inside one, where
            // decoded children go into a shared table.
            for (element, shared) in [(tree, false), (tree, true), (Self.inLibXML2(tree), false), (Self.inLibXML2(tree), true)] {
                func start() -> _XMLCursor {
                    var cursor = _XMLCursor(element)
                    for index in taken { cursor.markChildTaken(index) }
                    cursor.reasonsWanted = reasons
                    if shared { cursor.decoded = _XMLDecodedChildren() }
                    return cursor
                }
                var searched = start()
                let a = (try? searched.optionalElement("a", as: Picky.self)) ?? nil
                let b = try? searched.elements("b", as: Picky.self)
                let c = (try? searched.optionalValueElement("c", as: Int32.self)) ?? nil
                let expected = "a \(a?.tag ?? "-") b \(b?.map(\.tag) ?? []) c \(c?.description ?? "-")"

                var walked = start()
                var walkedA: Picky?, walkedB: [Picky] = [], walkedC: Int32?, error: (any Error)?
                var walk = _XMLChildWalk(walked)
                while let found = walk.next(in: &walked, table) {
                    switch found.position {
                    case 0 where walkedA == nil: walkedA = walked.element(found, as: Picky.self, firstError: &error)
                    case 1: if let item = walked.element(found, as: Picky.self, firstError: &error) { walkedB.append(item) }
                    case 2 where walkedC == nil: walkedC = walked.valueElement(found, as: Int32.self, firstError: &error)
                    default: break
                    }
                }
                let actual = "a \(walkedA?.tag ?? "-") b \(walkedB.map(\.tag)) c \(walkedC?.description ?? "-")"
                let context = "round \(round), shared \(shared): \(XMLWriter.string(element)) taken \(taken)"
                #expect(actual == expected, "\(context)")
                #expect(walked.takenCount == searched.takenCount, "\(context)")
                #expect(walked.firstChildTaken(since: start()) == searched.firstChildTaken(since: start()), "\(context)")
                // Children the search took out of the fields' order, the walk says are.
                #expect(searched.childrenTakenInOrder || !walked.childrenTakenInOrder, "\(context)")
                #expect(walked.childOrder.keys.isEmpty || !walked.childrenTakenInOrder)
            }
        }
    }

    @Test("a name table finds every name it holds, in its namespace, and no other")
    func nameTableLookups() throws {
        // Names that share lengths and first and last bytes, so that their hashes collide, some
        // of them twice, in two namespaces.
        var names: [_XMLLiteral] = ["a", "ab", "aab", "abb", "axb", "ayb", "azb", "b", "bb", "abab", "acab", "adab", "aeab", "domain", "device", "devices", "disk"]
        names += ["disk", "ab", "longer-than-eight-bytes", "longer-than-eight-bytez"]
        let namespaces: [_XMLLiteral] = Array(repeating: "", count: 17) + ["urn:x", "urn:x", "", ""]
        let table = _XMLNameTable(names, namespaces: namespaces)
        let absent = ["c", "ac", "abc", "dis", "diskk", "longer-than-eight-bytesx", "Disk"]
        var children: [XMLContent] = []
        for (name, namespace) in zip(names, namespaces) { children.append(.element(XMLElement(name.description, namespace: namespace.description))) }
        for name in absent { children.append(.element(XMLElement(name))) }
        children.append(.element(XMLElement("a", namespace: "urn:x")))
        let element = Self.inLibXML2(XMLElement("e", children: children))
        var cursor = _XMLCursor(element)
        var walk = _XMLChildWalk(cursor)
        var found: [Int] = []
        while let next = walk.next(in: &cursor, table) { found.append(next.position) }
        // Every held name at its own position (the namespaced `disk` and `ab` at theirs), none
        // of the absent ones, nor `a` in a namespace the table does not give it.
        #expect(found == Array(names.indices))
    }

    @Test("a walk over the attributes converts and takes what searching for each does, and fails where it fails")
    func gatheredAttributes() throws {
        let table = _XMLNameTable(["x", "y", "z"], namespaces: ["", "", "urn:z"])
        func walk(_ element: XMLElement) throws -> String {
            var cursor = _XMLCursor(element)
            var x: Int32?, y: Letter?, z: String?
            var walk = _XMLAttributeWalk(cursor)
            while let found = walk.next(in: cursor, table) {
                switch found.position {
                case 0: x = try cursor.attribute(found, as: Int32.self)
                case 1: y = try cursor.attribute(found, as: Letter.self)
                case 2: z = try cursor.attribute(found, as: String.self)
                default: break
                }
            }
            let required = try cursor.required(x, attribute: "x")
            return "\(required) \(y?.rawValue ?? "-") \(z ?? "-") \(cursor.attributesTakenCount)"
        }
        func search(_ element: XMLElement) throws -> String {
            var cursor = _XMLCursor(element)
            let x = try cursor.attribute("x", as: Int32.self)
            let y = try cursor.optionalAttribute("y", as: Letter.self)
            let z = try cursor.optionalAttribute("z", namespace: "urn:z", as: String.self)
            return "\(x) \(y?.rawValue ?? "-") \(z ?? "-") \(cursor.attributesTakenCount)"
        }
        let documents = [
            "x='1'", "y='z' x=' 7 ' other='q'", "xmlns:n='urn:z' n:z='zz' z='plain' x='2'", "y='z'", "x='one'", "x='3' y='w'",
        ]
        for attributes in documents {
            // Read from libxml2's tree and from one built in Swift.
            let text = "<domainsnapshot><domain \(attributes)/></domainsnapshot>"
            let inLibXML2 = try DomainSnapshot(xmlString: text).unreadDomain
            for element in [inLibXML2, try XMLElement.parse(bytes: Array(text.utf8), displayName: "test").elements[0]] {
                let expected = Result { try search(element) }
                let actual = Result { try walk(element) }
                switch (expected, actual) {
                case (.success(let left), .success(let right)): #expect(left == right, "\(text)")
                case (.failure, .failure): break
                default: Issue.record("\(text): searched \(expected), walked \(actual)")
                }
            }
        }
    }

    @Test("alternatives screened by their requirements agree with trying every alternative")
    func choiceByRequirements() {
        let alternatives: [Alternative] = [
            (.attribute("kind", value: "x"), { cursor in
                try cursor.fixedAttribute("kind", value: "x", required: true)
                return "x \(try cursor.optionalAttribute("n", as: Int32.self).map { "\($0)" } ?? "-")"
            }),
            (.attribute("kind", value: "y"), { cursor in
                try cursor.fixedAttribute("kind", value: "y", required: true)
                return "y " + (try cursor.element("d", as: Picky.self)).tag
            }),
            (.child("d"), { cursor in "d " + (try cursor.element("d", as: Picky.self)).tag }),
            (.child("d", screenedBy: Screened.self), { cursor in "screened d " + (try cursor.element("d", as: Screened.self)).tag }),
            (.attribute("n", as: Int32.self), { cursor in "n \(try cursor.attribute("n", as: Int32.self))" }),
            // Any value of an enumeration that other alternatives' fixed values overlap.
            (.attribute("kind", as: Letter.self), { cursor in "letter \(try cursor.attribute("kind", as: Letter.self))" }),
            (nil, { cursor in "empty \(try cursor.optionalAttribute("kind", as: String.self) ?? "-")" }),
        ]
        var generator = SeededGenerator()
        for round in 0..<400 {
            var attributes: [XMLAttribute] = []
            if Bool.random(using: &generator) { attributes.append(XMLAttribute("kind", value: ["x", " x ", "y", "z"].randomElement(using: &generator)!)) }
            if Bool.random(using: &generator) { attributes.append(XMLAttribute("n", value: ["1", "q"].randomElement(using: &generator)!)) }
            var children: [XMLContent] = []
            for index in 0..<Int.random(in: 0...3, using: &generator) {
                children.append(.element(XMLElement("d", attributes: [XMLAttribute("ok", value: Bool.random(using: &generator) ? "1" : "0"), XMLAttribute("i", value: "\(index)")])))
            }
            let element = XMLElement("e", attributes: attributes, children: children)
            for reasons in [true, false] {
                let expected = Self.decodeRepeatedly(element, taken: [], alternatives, dispatches: false, exhaustive: true, reasons: reasons)
                let actual = Self.decodeRepeatedly(element, taken: [], alternatives, dispatches: false, exhaustive: false, reasons: reasons)
                #expect(actual == expected, "round \(round): \(XMLWriter.string(element)) (\(generator))")
            }
        }
    }

    @Test("fixed text is compared as written or collapsed, in libxml2's tree and in a tree built in Swift")
    func fixedText() throws {
        var tree = _XMLCursor(XMLElement("type", children: [.text(" hvm\n")]))
        #expect(tree.hasText("hvm") && !tree.hasText("xen") && !tree.hasText(""))
        #expect(throws: XMLDecodingError.self) { try tree.fixedText("xen") }
        try tree.fixedText("hvm")
        try tree.finish()
        // A child holding only its one allowed value: the first that does is taken.
        var parent = _XMLCursor(XMLElement("e", children: [
            .element(XMLElement("x", children: [.text("b")])), .element(XMLElement("x", children: [.text(" a ")])),
            .element(XMLElement("x", attributes: [XMLAttribute("n", value: "1")], children: [.text("a")])),
        ]))
        #expect(parent.hasElement("x", withText: "a") && !parent.hasElement("x", withText: "c") && !parent.hasElement("y", withText: "a"))
        #expect(try parent.fixedValueElement("x", value: "a", required: true))
        #expect(parent.isChildTaken(1) && !parent.isChildTaken(0) && !parent.isChildTaken(2))
        #expect(try !parent.fixedValueElement("x", value: "a", required: false))
        #expect(throws: XMLDecodingError.self) { try parent.fixedValueElement("x", value: "a", required: true) }
        #expect(throws: XMLDecodingError.self) { try parent.fixedValueElement("y", value: "a", required: true) }
        #expect(_XMLCursor(XMLElement("type")).hasText(""))
        #expect(!_XMLCursor(XMLElement("type")).hasText("hvm"))
        #expect(_XMLCursor(XMLElement("type", children: [.text("x")])).hasText(as: Letter.self))
        #expect(!_XMLCursor(XMLElement("type", children: [.text("y")])).hasText(as: Letter.self))

        let document = Array("<domainsnapshot><name> hvm </name><description>a<!-- c -->b</description></domainsnapshot>".utf8)
        let root = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        var name = root.childCursor(at: try #require(root.untakenChild("name", "", from: 0)))
        guard case .node = name.source else { Issue.record("not libxml2's tree"); return }
        #expect(name.hasText("hvm") && !name.hasText(" hvm") && !name.hasText("hv"))
        do {
            try name.fixedText("xen")
            Issue.record("xen accepted")
        } catch {
            #expect("\(error)".contains("the text is \" hvm \", not \"xen\""))
        }
        try name.fixedText("hvm")
        try name.finish()
        // Two text nodes around a comment: compared as one text.
        let description = root.childCursor(at: try #require(root.untakenChild("description", "", from: 0)))
        #expect(description.hasText("ab") && !description.hasText("a"))
    }

    @Test("a fixed value that differs is spelled out only where the failure's reasons are wanted")
    func fixedValueFailures() throws {
        var cursor = _XMLCursor(XMLElement("memory", attributes: [XMLAttribute("snapshot", value: "bogus")], children: [.text("x")]))
        func message(_ body: (inout _XMLCursor) throws -> Void) -> String {
            do {
                try body(&cursor)
                return "no failure"
            } catch {
                return "\(error)"
            }
        }
        #expect(message { try $0.fixedAttribute("snapshot", value: "no", required: true) }.contains("attribute \"snapshot\" is \"bogus\", not \"no\""))
        #expect(message { try $0.fixedText("y") }.contains("the text is \"x\", not \"y\""))
        cursor.reasonsWanted = false
        let unread = "\(XMLDecodingError.unread)"
        #expect(message { try $0.fixedAttribute("snapshot", value: "no", required: false) } == unread)
        #expect(message { try $0.fixedText("y") } == unread)
        // Nothing was taken by the failures.
        cursor.reasonsWanted = true
        #expect(message { try $0.fixedAttribute("snapshot", value: "bogus", required: true) } == "no failure")
        #expect(message { try $0.fixedText("x") } == "no failure")
    }

    @Test("an attribute's value picks an alternative, compared as fixed values are; a failed attempt leaves the cursor as it was")
    func attributeDispatch() throws {
        let dispatch = _XMLAttributeDispatch("type", values: ["pci", "usb", "virtio-serial"])
        func alternative(_ value: String) -> Int {
            _XMLCursor(XMLElement("address", attributes: [XMLAttribute("type", value: value)])).alternative(dispatch)
        }
        #expect(alternative("pci") == 0)
        #expect(alternative("virtio-serial") == 2)
        #expect(alternative(" usb ") == 1)
        #expect(alternative("ide") == -1)
        #expect(alternative("pc") == -1)
        #expect(_XMLCursor(XMLElement("address")).alternative(dispatch) == -1)
        // Without the attribute: the alternative for that, when there is one.
        let optional = _XMLAttributeDispatch("type", values: ["pci", "usb"], whenAbsent: true)
        #expect(_XMLCursor(XMLElement("address")).alternative(optional) == 2)
        #expect(_XMLCursor(XMLElement("address", attributes: [XMLAttribute("type", value: "ide")])).alternative(optional) == -1)

        // The same on libxml2's tree, and not once the attribute is taken.
        let document = Array("<domainsnapshot><memory snapshot='internal'/></domainsnapshot>".utf8)
        let root = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        var memory = root.childCursor(at: try #require(root.untakenChild("memory", "", from: 0)))
        let snapshot = _XMLAttributeDispatch("snapshot", values: ["no", "internal", "external"])
        #expect(memory.alternative(snapshot) == 1)
        let failed: Bool? = memory.attemptWithoutReasons { cursor in
            _ = try cursor.fixedAttribute("snapshot", value: "internal", required: true)
            throw cursor.failure("fails after taking the attribute")
        }
        #expect(failed == nil)
        #expect(memory.alternative(snapshot) == 1)
        let taken: Bool? = memory.attemptWithoutReasons { try $0.fixedAttribute("snapshot", value: "internal", required: true) }
        #expect(taken == true)
        #expect(memory.alternative(snapshot) == -1)
        #expect(memory.reasonsWanted)
    }

    @Test("a cursor on libxml2's tree rules out names its element's children lack, and finds every one they have")
    func childNameBits() throws {
        let document = Array("""
            <domainsnapshot><name>n</name><description>d</description><state>running</state><creationTime>1</creationTime>\
            <memory snapshot='no'/></domainsnapshot>
            """.utf8)
        let root = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        #expect(root.childNames != .max && root.childNames.nonzeroBitCount <= 5)
        for (index, name) in (["name", "description", "state", "creationTime", "memory"] as [_XMLLiteral]).enumerated() {
            #expect(root.untakenChild(name, "", from: 0) == index, "\(name)")
        }
        // Absent names, with the first letter or the length of a present one.
        for name in ["disks", "nam", "names", "domain", "parent", "inactive", "cookie", "n", ""] as [_XMLLiteral] {
            #expect(root.untakenChild(name, "", from: 0) == nil, "\(name)")
        }
        // A name the bits cannot rule out is still looked for among the children.
        let collision = try #require((["mxmory", "nbme", "statf"] as [_XMLLiteral]).first {
            root.childNames & _XMLCursor.nameBit(Array($0.description.utf8)[0], count: $0.description.utf8.count) != 0
        })
        #expect(root.untakenChild(collision, "", from: 0) == nil)
        #expect(_XMLCursor(XMLElement("e")).childNames == .max)
    }

    @Test("a cursor on libxml2's tree rules out attributes its element lacks, and finds every one it has")
    func attributeNameBits() throws {
        let document = Array("<domainsnapshot><memory snapshot='external' file='/m'/><disks><disk name='vda' snapshot='no'/></disks></domainsnapshot>".utf8)
        let root = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        #expect(root.attributeNames == 0)
        let memory = root.childCursor(at: try #require(root.untakenChild("memory", "", from: 0)))
        #expect(memory.attributeNames.nonzeroBitCount <= 2)
        #expect(memory.untakenAttribute("snapshot", "") == 0)
        #expect(memory.untakenAttribute("file", "") == 1)
        for name in ["snapshots", "fil", "files", "name", "f", ""] as [_XMLLiteral] {
            #expect(memory.untakenAttribute(name, "") == nil, "\(name)")
        }
        // A name the bits cannot rule out is still looked for among the attributes.
        let collision = try #require((["fxle", "snapshqt", "sbapshot"] as [_XMLLiteral]).first { _XMLCursor.mayBeAmong($0, memory.attributeNames) })
        #expect(memory.untakenAttribute(collision, "") == nil)
        // A tree built in Swift gathers no bits: every name is looked for.
        let built = _XMLCursor(XMLElement("memory", attributes: [XMLAttribute("snapshot", value: "no")]))
        #expect(built.attributeNames == .max)
        #expect(built.untakenAttribute("snapshot", "") == 0 && built.untakenAttribute("file", "") == nil)
    }

    @Test("an enumeration's table finds a value among those of its length, and nothing else")
    func caseTable() {
        let table = _XMLCaseTable(["x86_64", "i686", "", "aarch64", "ppc64", "s390x", "armv7l", "ppc64"])
        func index(_ text: String) -> Int? { Array(text.utf8).withUnsafeBufferPointer { table.index(utf8: $0) } }
        #expect(index("x86_64") == 0 && index("i686") == 1 && index("") == 2 && index("aarch64") == 3)
        #expect(index("s390x") == 5 && index("armv7l") == 6)
        // Of two equal strings, the first.
        #expect(index("ppc64") == 4)
        for absent in ["x86_6", "x86_645", "X86_64", "i68", "ppc6", "longer than every value", " i686"] { #expect(index(absent) == nil, "\(absent)") }
        #expect(Array("a".utf8).withUnsafeBufferPointer { _XMLCaseTable([]).index(utf8: $0) } == nil)
    }

    @Test("finishing an element checks its untaken text, except where validation did")
    func finishTrustsValidatedText() throws {
        // `<name>` matched its pattern in validation; read as content whose decoder takes no text,
        // its text is left over. Unvalidated, that is an error; validated, validation had made
        // sure such text is whitespace, so it is not looked at again.
        let document = Array("<domainsnapshot><name>n</name>\n  <description>d</description></domainsnapshot>".utf8)
        let root = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        var name = root.childCursor(at: try #require(root.untakenChild("name", "", from: 0)))
        name.validated = false
        #expect(throws: XMLDecodingError.self) { try name.finish() }
        name.validated = true
        try name.finish()
        // Whitespace between the root's children is never an error.
        var whole = root
        whole.validated = false
        for child in ["name", "description"] as [_XMLLiteral] { whole.takeChild(at: try #require(whole.untakenChild(child, "", from: 0))) }
        try whole.finish()
    }

    @Test("the next element is found once, named in place, and decoded only when it decodes")
    func nextElement() throws {
        let document = Array("<domainsnapshot><name>n</name><description>7</description><state>running</state></domainsnapshot>".utf8)
        var root = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        let name = try #require(root.nextElement())
        #expect(name.isNamed("name") && !name.isNamed("nam") && !name.isNamed("names") && !name.isNamed("name", namespace: "urn:x"))
        // Looked up in a table: by length, then bytes, then namespace.
        let names = _XMLNameTable(["nam", "name", "names", "eman", "name"], namespaces: ["", "urn:x", "", "", ""])
        #expect(name.position(in: names) == 4)
        #expect(name.position(in: _XMLNameTable(["state", "name"])) == 1)
        #expect(name.position(in: _XMLNameTable(["description", "state", "n"])) == -1)
        #expect(name.position(in: _XMLNameTable([])) == -1)
        // A child that does not decode is left untaken.
        #expect(root.valueElement(name, as: Int32.self) == nil)
        #expect(root.untakenChild("name", "", from: 0) == 0)
        #expect(root.valueElement(name, as: String.self) == "n")
        let description = try #require(root.nextElement())
        #expect(description.isNamed("description") && root.valueElement(description, as: Int32.self) == 7)
        #expect(try #require(root.nextElement()).isNamed("state"))

        // The same on a tree, with namespaces.
        var tree = _XMLCursor(XMLElement("r", children: [
            .text(" "), .element(XMLElement("a", attributes: [XMLAttribute("ok", value: "0"), XMLAttribute("i", value: "1")])),
            .element(XMLElement("x", namespace: "urn:x")),
        ]))
        let first = try #require(tree.nextElement())
        #expect(first.isNamed("a") && !first.isNamed("a", namespace: "urn:x"))
        #expect(tree.element(first, as: Picky.self) == nil && tree.firstUntakenElement() == 1)
        #expect(tree.element(first, as: Screened.self)?.tag == "1")
        let second = try #require(tree.nextElement())
        #expect(second.isNamed("x", namespace: "urn:x") && !second.isNamed("x"))
        #expect(second.position(in: _XMLNameTable(["x", "x"], namespaces: ["", "urn:x"])) == 1)
        #expect(second.position(in: _XMLNameTable(["x"])) == -1)
        #expect(tree.element(second, as: _XMLEmptyElement.self) != nil && tree.nextElement() == nil)
    }

    @Test("a name literal gives its bytes whatever its length and characters")
    func nameLiterals() {
        let one: _XMLLiteral = "n", accented: _XMLLiteral = "é", empty: _XMLLiteral = "", long: _XMLLiteral = "a-name-longer-than-fifteen-bytes"
        #expect(one.equals("n") && !one.equals("nn") && one.utf8Count == 1)
        #expect(accented.equals("é") && !accented.equals("e") && accented.utf8Count == 2)
        #expect(empty.isEmpty && empty.equals("") && !one.isEmpty)
        #expect(long.equals("a-name-longer-than-fifteen-bytes") && long.description == "a-name-longer-than-fifteen-bytes")
        #expect(one == "n" && one != accented)
        let tree = _XMLCursor(XMLElement("r", children: [.element(XMLElement("é")), .element(XMLElement("n", namespace: "urn:x"))]))
        #expect(tree.untakenChild("é", "", from: 0) == 0 && tree.untakenChild("n", "urn:x", from: 0) == 1 && tree.untakenChild("n", "", from: 0) == nil)
    }

    @Test("whitespace is collapsed, and compared collapsed in place, as XML Schema says")
    func collapsing() {
        var generator = SeededGenerator()
        let pieces = [" ", "\t", "\n", "\r", "a", "b", "é", "  "]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let value = (0..<Int.random(in: 0...3, using: &generator)).map { _ in ["a", "b", " ", "é"].randomElement(using: &generator)! }.joined()
            // The definition, scalar by scalar.
            let words = text.unicodeScalars.split(whereSeparator: { [" ", "\t", "\n", "\r"].contains($0) })
            let expected = words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
            #expect(XMLWhitespace.collapsed(text) == expected, "\(Array(text.utf8)) (\(generator))")
            let matches = text.withCString { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: text.utf8.count + 1) { text in
                    Array(value.utf8).withUnsafeBufferPointer { _XMLCursor.equalCollapsed(text, $0) }
                }
            }
            #expect(matches == (expected == value), "\(Array(text.utf8)) against \(Array(value.utf8)) (\(generator))")
            // As written or collapsed, as choices and fixed attributes compare values: a
            // difference before any whitespace ends the comparison early.
            let literal = literals.randomElement(using: &generator)!
            let asWrittenOrCollapsed = text.withCString { pointer in
                pointer.withMemoryRebound(to: UInt8.self, capacity: text.utf8.count + 1) { _XMLCursor.equalAsWrittenOrCollapsed($0, literal) }
            }
            let wanted = literal.description
            #expect(asWrittenOrCollapsed == (text == wanted || expected == wanted), "\(Array(text.utf8)) against \(Array(wanted.utf8)) (\(generator))")
        }
    }

    /// Values to compare texts with: literals, as the generated code writes them.
    let literals: [_XMLLiteral] = ["", "a", "b", " ", "é", "ab", "ba", "a b", "a  b", " a", "a ", "aé b", "b\ta", "abab"]
}

extension DomainSnapshot {
    /// The open `<domain>`, as decoding left it.
    var unreadDomain: XMLElement {
        get throws {
            guard case .domain(let domain) = domain else { throw XMLDecodingError("not the open domain", at: nil) }
            return domain
        }
    }
}
