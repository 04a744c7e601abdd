import Foundation
import RelaxNG
import SwiftGenerator
import Testing

/// One snippet test a mapping rule: a small grammar in, the Swift it becomes out.
@Suite("Mapping RELAX NG to Swift")
struct MappingTests {
    static let rng = "xmlns=\"http://relaxng.org/ns/structure/1.0\""
    static let xsd = "datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\""

    /// The Swift generated for a grammar given as text.
    func generate(_ grammar: String, configuration: GeneratorConfiguration = GeneratorConfiguration()) throws -> String {
        try generate(files: ["test.rng": grammar], main: ["test.rng"], configuration: configuration)
    }

    /// The Swift generated for the grammar files `main` names (one, or several into one module),
    /// written with `files` into a fresh folder.
    func generate(files: [String: String], main: [String], configuration: GeneratorConfiguration = GeneratorConfiguration()) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rng2swift-mapping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        let schemas = try main.map { try Schema(file: directory.appendingPathComponent($0).path, searchPath: GrammarSearchPath([])) }
        return try SwiftCodeGenerator(configuration: configuration).generate(from: schemas).map(\.contents).joined()
    }

    func grammar(_ defines: String, start: String = "doc") -> String {
        "<grammar \(Self.rng) \(Self.xsd)><start><ref name=\"\(start)\"/></start>\(defines)</grammar>"
    }

    @Test("an element becomes a struct with documented properties and a memberwise initialiser")
    func elementStruct() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><attribute name="id"/><optional><attribute name="label"/></optional></element></define>
            """))
        #expect(swift.contains("public struct Doc: Hashable, Sendable, Codable {"))
        #expect(swift.contains("public var id: String\n"))
        #expect(swift.contains("public var label: String?\n"))
        #expect(swift.contains("public init(id: String, label: String? = nil)"))
        #expect(swift.contains("extension Doc: XMLDocumentRoot {"))
        // Decoded from a cursor by its own initializer, not the protocol's generic default,
        // which makes the value elsewhere and copies it; a tree goes through the same one.
        #expect(swift.contains("public init(xmlElementCursor cursor: consuming _XMLCursor) throws {\n        try self.init(xmlContent: &cursor)\n        try cursor.finish()\n    }"))
        #expect(swift.contains("try self.init(xmlElementCursor: _XMLCursor(element))"))
    }

    @Test("an element holding only a value is a typed property of its parent")
    func valueElement() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><element name="count"><data type="unsignedLong"/></element><optional><element name="note"><text/></element></optional></element></define>
            """))
        #expect(swift.contains("public var count: UInt64\n"))
        #expect(swift.contains("public var note: String?\n"))
        #expect(swift.contains("self.count = try cursor.valueElement(\"count\", as: UInt64.self)"))
    }

    @Test("XML Schema datatypes become Swift types")
    func datatypes() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc">
              <attribute name="a"><data type="int"/></attribute>
              <attribute name="b"><data type="unsignedInt"/></attribute>
              <attribute name="c"><data type="boolean"/></attribute>
              <attribute name="d"><data type="double"/></attribute>
              <attribute name="e"><data type="short"/></attribute>
              <attribute name="f"><data type="dateTime"/></attribute>
              <attribute name="g"><data type="anyURI"/></attribute>
              <attribute name="h"><data type="token"/></attribute>
              <optional><attribute name="i"><data type="dateTime"/></attribute></optional>
            </element></define>
            """))
        for expected in ["var a: Int32", "var b: UInt32", "var c: Bool", "var d: Double", "var e: Int16", "var f: DateTime\n", "var g: AnyURI\n", "var h: String\n", "var i: DateTime?\n"] {
            #expect(swift.contains(expected), "\(expected)")
        }
        // Datatypes with a lexical space of their own are checked types, one per datatype.
        #expect(swift.components(separatedBy: "public struct DateTime: RawRepresentable").count == 2)
        #expect(swift.contains("A string that is a valid `xsd:dateTime`."))
    }

    @Test("a choice of values becomes a String-backed enum; odd values get raw values")
    func valueEnum() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><attribute name="state"><choice><value>running</value><value>disk-snapshot</value><value>internal</value></choice></attribute></element></define>
            """))
        #expect(swift.contains("public enum State: String, Hashable, Sendable, Codable, CaseIterable, XMLValue {"))
        #expect(swift.contains("case running\n"))
        #expect(swift.contains("case diskSnapshot = \"disk-snapshot\""))
        #expect(swift.contains("case `internal`"))
    }

    @Test("a choice of structure becomes an enum with associated values")
    func structuralChoice() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="memory">
              <choice>
                <attribute name="snapshot"><choice><value>no</value><value>internal</value></choice></attribute>
                <group><optional><attribute name="snapshot"><value>external</value></attribute></optional><attribute name="file"/></group>
              </choice>
            </element></define>
            """))
        #expect(swift.contains("public enum Doc: Hashable, Sendable, Codable {"))
        #expect(swift.contains("case no\n"))
        #expect(swift.contains("case `internal`\n"))
        #expect(swift.contains("case external(snapshot: Bool = true, file: String)"))
    }

    @Test("a choice's alternatives are screened by a fixed value, a child, or an attribute's type")
    func choiceRequirements() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="controller">
              <choice>
                <group><attribute name="type"><choice><value>fdc</value><value>sata</value></choice></attribute><optional><attribute name="model"/></optional></group>
                <group><attribute name="type"><value>usb</value></attribute><optional><attribute name="ports"/></optional></group>
                <group><attribute name="model"><choice><value>a</value><value>b</value></choice></attribute><element name="target"><empty/></element></group>
                <attribute name="index"><data type="unsignedInt"/></attribute>
              </choice>
            </element></define>
            """))
        // Other alternatives have a `type` attribute too: its value must be one of this one's.
        #expect(swift.contains("choice.consider(requiring: .attribute(\"type\", as: Doc.TypeValue.self)"))
        #expect(swift.contains("choice.consider(requiring: .attribute(\"type\", value: \"usb\")"))
        #expect(swift.contains("choice.consider(requiring: .child(\"target\")"))
        // No other alternative has `index`: its presence tells this one apart.
        #expect(swift.contains("choice.consider(requiring: .attribute(\"index\")"))
    }

    @Test("a choice whose alternatives each require their own values of one attribute tries the one an element's value picks first")
    func attributeDispatch() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="address">
              <choice>
                <group><attribute name="type"><value>pci</value></attribute><optional><attribute name="slot"/></optional></group>
                <group><attribute name="type"><choice><value>fdc</value><value>sata</value></choice></attribute><optional><attribute name="unit"/></optional></group>
                <group><attribute name="type"><value>usb</value></attribute><attribute name="port"/></group>
              </choice>
            </element></define>
            """))
        #expect(swift.contains("static let _xmlAlternatives = _XMLAttributeDispatch(\"type\", values: ["))
        #expect(swift.contains("switch cursor.alternative(Self._xmlAlternatives) {"))
        // The enumeration's values both pick the second alternative.
        #expect(swift.contains("case 0:\n"))
        #expect(swift.contains("case 1, 2:\n"))
        #expect(swift.contains("case 3:\n"))
        // Each alternative is written once, for the dispatch and for the passes.
        #expect(swift.contains("let readPci = { (cursor: inout _XMLCursor) throws -> Self in"))
        #expect(swift.contains("if let value = cursor.attemptWithoutReasons(readPci) {"))
        #expect(swift.contains("choice.consider(requiring: .attribute(\"type\", value: \"pci\"), readPci)"))
        #expect(swift.components(separatedBy: "cursor.fixedAttribute(\"type\", value: \"pci\"").count == 2)
        // The general passes follow, for what the dispatch does not decode (and to say why).
        let dispatch = try #require(swift.range(of: "cursor.alternative(Self._xmlAlternatives)"))
        let passes = try #require(swift.range(of: "var choice = _XMLChoice<Self>(cursor)"))
        #expect(dispatch.lowerBound < passes.lowerBound)

        // An alternative where the attribute is optional is the one for elements without it.
        let optional = try generate(grammar("""
            <define name="doc"><element name="disk"><choice>
              <group><optional><attribute name="device"><choice><value>floppy</value><value>disk</value></choice></attribute></optional><element name="target"><empty/></element></group>
              <group><attribute name="device"><value>lun</value></attribute><optional><attribute name="rawio"/></optional></group>
            </choice></element></define>
            """))
        #expect(optional.contains("_XMLAttributeDispatch(\"device\", values: [\n        \"floppy\",\n        \"disk\",\n        \"lun\",\n    ], whenAbsent: true)"))
        #expect(optional.contains("case 0, 1, 3:\n"))
        #expect(optional.contains("case 2:\n"))

        // Not when an alternative lacks the attribute, two allow one value, or two may lack it.
        for alternatives in [
            "<attribute name=\"type\"><value>pci</value></attribute><attribute name=\"index\"/>",
            "<attribute name=\"type\"><value>pci</value></attribute><attribute name=\"type\"><choice><value>pci</value><value>usb</value></choice></attribute>",
            "<attribute name=\"type\"><value>pci</value></attribute><attribute name=\"kind\"><value>usb</value></attribute>",
            "<attribute name=\"type\"><value>pci</value></attribute><attribute name=\"type\"><value type=\"string\"> usb</value></attribute>",
            "<optional><attribute name=\"type\"><value>pci</value></attribute></optional><optional><attribute name=\"type\"><value>usb</value></attribute></optional>",
            "<attribute name=\"type\"><value>pci</value></attribute><optional><attribute name=\"type\"/></optional>",
        ] {
            let other = try generate(grammar("<define name=\"doc\"><element name=\"address\"><choice>\(alternatives)</choice></element></define>"))
            #expect(!other.contains("_XMLAttributeDispatch"), "\(alternatives)")
            #expect(other.contains("_XMLChoice<Self>"), "\(alternatives)")
        }
    }

    @Test("text with one allowed value has no property; a choice between elements of one name screens them by it")
    func fixedTextAndScreens() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><ref name="os"/></element></define>
            <define name="os"><choice>
              <element name="os"><element name="type"><optional><attribute name="arch"/></optional><value>hvm</value></element></element>
              <element name="os"><element name="type"><choice><value>xen</value><value>linux</value></choice></element><element name="kernel"><text/></element></element>
              <element name="os"><attribute name="kind"><value>exe</value></attribute><element name="init"><text/></element></element>
            </choice></define>
            """))
        // The hvm `<type>`: its one value is checked and written, and is no property.
        #expect(swift.contains("try cursor.fixedText(\"hvm\")"))
        #expect(swift.contains("element._write(text: \"hvm\")"))
        #expect(!swift.contains("public var value: String"))
        // Each `<os>` says what tells it apart: fixed text, a child holding an enumeration's
        // values, a fixed attribute.
        #expect(swift.contains("return cursor.hasText(\"hvm\")"))
        #expect(swift.contains("return cursor.hasElement(\"type\", withValue: "))
        #expect(swift.contains("return cursor.hasAttribute(\"kind\", value: \"exe\")"))
        #expect(swift.contains("return cursor.hasElement(\"type\", screenedBy: "))
        // The alternatives share the child's name: each is screened by its own type.
        let screened = swift.components(separatedBy: "choice.consider(requiring: .child(\"os\", screenedBy: ").count - 1
        #expect(screened == 3)
    }

    @Test("an alternative that takes only optional parts names them, so a choice can skip it when none is there")
    func alternativesTakingNothing() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><choice>
              <group><optional><element name="loader"><text/></element></optional><optional><attribute name="args"/></optional>
                <optional><element name="os"><element name="type"><value>xen</value></element></element></optional></group>
              <element name="os"><element name="type"><value>hvm</value></element></element>
              <empty/>
              <group><optional><element name="note"><text/></element></optional><text/></group>
            </choice></element></define>
            """))
        // Its parts, the `<os>` screened as the alternative would read it.
        #expect(swift.contains(
            "choice.consider(takingAnyOf: { (choice: inout _XMLChoice<Self>) -> Bool in\n"
                + "                return choice.has(.child(\"loader\")) || choice.has(.attribute(\"args\")) || choice.has(.child(\"os\", screenedBy: "))
        // Nothing to take: skipped unless no alternative takes anything.
        #expect(swift.contains("return false\n"))
        // An alternative that can take text keeps its plain `consider`.
        #expect(swift.components(separatedBy: "choice.consider(takingAnyOf:").count - 1 == 2)
        #expect(swift.contains("choice.consider({ (cursor: inout _XMLCursor) throws -> Self in"))
    }

    @Test("a choice of single elements dispatches on the next child's name before its general passes")
    func nextChildDispatch() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><zeroOrMore><ref name="device"/></zeroOrMore></element></define>
            <define name="device"><choice>
              <element name="disk"><attribute name="file"/></element>
              <element name="size"><data type="int" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"/></element>
              <element name="x" ns="urn:x"><empty/></element>
              <element name="pair"><attribute name="a"/></element>
              <element name="pair"><attribute name="b"/></element>
              <element name="note" ns="urn:n"><text/></element>
            </choice></define>
            """))
        // Named by no other alternative: tried on the next child by name, looked up once in a
        // table of those names, and decoded into its case.
        let tableStart = try #require(swift.range(of: "static let _xmlChildNames = _XMLNameTable(["))
        let tableEnd = try #require(swift.range(of: "])\n", range: tableStart.upperBound..<swift.endIndex))
        let table = swift[tableStart.upperBound..<tableEnd.lowerBound].filter { !$0.isWhitespace }
        #expect(table == "\"disk\",\"size\",\"note\",],namespaces:[\"\",\"\",\"urn:n\",")
        #expect(swift.contains("if let next = cursor.nextElement() {"))
        #expect(swift.contains("switch next.position(in: Self._xmlChildNames) {"))
        #expect(swift.contains("case 0:\n                if let disk = cursor.element(next, as: Doc.Pair.Disk.self, trustsValidation: true) {"))
        #expect(swift.contains("case 1:\n                if let size = cursor.valueElement(next, as: Int32.self) {"))
        #expect(swift.contains("self = .size(size)"))
        #expect(swift.contains("case 2:\n                if let note = cursor.valueElement(next, as: String.self) {"))
        // An empty element has no value to dispatch into; two alternatives that share a name
        // are left to the general passes.
        #expect(!table.contains("\"x\"") && !table.contains("\"pair\""))
        #expect(!swift.contains("isNamed"))
        #expect(swift.contains("var choice = _XMLChoice<Self>(cursor, dispatchesOnNextChild: true)"))
        // The dispatch comes first.
        let dispatch = try #require(swift.range(of: "cursor.nextElement()"))
        let passes = try #require(swift.range(of: "dispatchesOnNextChild: true"))
        #expect(dispatch.lowerBound < passes.lowerBound)
    }

    @Test("an element holding one allowed value has no property when required, and is a Bool when optional")
    func fixedValueElements() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc">
              <element name="kind"><value>fixed</value></element>
              <optional><element name="flag"><value>on</value></element></optional>
              <element name="name"><text/></element>
            </element></define>
            """))
        #expect(!swift.contains("public var kind"))
        #expect(swift.contains("public var flag: Bool"))
        #expect(swift.contains("try cursor.fixedValueElement(\"kind\", value: \"fixed\", required: true)"))
        #expect(swift.contains("self.flag = try cursor.fixedValueElement(\"flag\", value: \"on\", required: false)"))
        #expect(swift.contains("element._write(child: \"kind\", value: \"fixed\")"))
        #expect(swift.contains("if self.flag {"))
        // The required one is also what a choice can screen the element by.
        #expect(swift.contains("return cursor.hasElement(\"kind\", withText: \"fixed\")"))
    }

    @Test("zeroOrMore becomes an array; an element wrapping only a list becomes an optional array")
    func repetition() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc">
              <zeroOrMore><element name="item"><attribute name="n"/></element></zeroOrMore>
              <optional><element name="disks"><zeroOrMore><ref name="disk"/></zeroOrMore></element></optional>
            </element></define>
            <define name="disk"><element name="disk"><attribute name="name"/></element></define>
            """))
        #expect(swift.contains("public var items: [Doc.Item]"))
        #expect(swift.contains("public var disks: [Disk]?"))
        #expect(swift.contains("try cursor.optionalElementList(\"disks\", item: \"disk\", as: Disk.self, trustsValidation: true)"))
    }

    @Test("a read trusts validation only where its name stands for one type in all of the element's content")
    func trustedReads() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc">
              <attribute name="id"><data type="string"><param name="pattern">[a-z]+</param></data></attribute>
              <choice>
                <group><attribute name="kind"><value>x</value></attribute><attribute name="size"><data type="string"><param name="pattern">[0-9]+</param></data></attribute></group>
                <group><attribute name="kind"><value>y</value></attribute><attribute name="size"><data type="string"><param name="pattern">[a-f]+</param></data></attribute></group>
              </choice>
              <choice>
                <group><element name="a"><empty/></element><attribute name="weight"><data type="string"><param name="pattern">[0-9]+</param></data></attribute></group>
                <group><element name="b"><empty/></element><attribute name="weight"><data type="string"><param name="pattern">[a-f]+</param></data></attribute></group>
              </choice>
              <element name="one"><data type="string"><param name="pattern">[a-z]+</param></data></element>
              <optional><element name="two"><attribute name="n"><data type="string"><param name="pattern">[0-9]+</param></data></attribute></element></optional>
              <optional><ref name="open"/></optional>
            </element></define>
            <define name="open"><element name="open">
              <attribute name="id"><data type="string"><param name="pattern">[a-z]+</param></data></attribute>
              <zeroOrMore><attribute><anyName><except><name>id</name></except></anyName></attribute></zeroOrMore>
            </element></define>
            """))
        // Names that stand for one type anywhere in `<doc>`'s content, and `<two>`'s own.
        #expect(swift.contains("cursor.attribute(\"id\", as: Doc.Id.self, trustsValidation: true)"))
        // (`<one>`, `<two>` and `<open>` are read by one walk over the children.)
        #expect(swift.contains("cursor.valueElement(found, as: Doc.One.self, trustsValidation: true, firstError: &_oneError)"))
        #expect(swift.contains("cursor.element(found, as: Doc.Two.self, trustsValidation: true, firstError: &_ignoredError)"))
        #expect(swift.contains("cursor.attribute(\"n\", as: Doc.Two.N.self, trustsValidation: true)"))
        // `weight` is a different type in each alternative: validation may have matched the other.
        #expect(swift.contains("cursor.attribute(\"weight\", as: Doc.Weight.WeightElement.self)\n"))
        #expect(swift.contains("cursor.attribute(\"weight\", as: Doc.Weight.WeightElement2.self)\n"))
        // So is `size`, but `kind` tells its alternatives apart: validation matched the one read.
        #expect(swift.contains("cursor.attribute(\"size\", as: Doc.Kind.XSize.self, trustsValidation: true)"))
        #expect(swift.contains("cursor.attribute(\"size\", as: Doc.Kind.YSize.self, trustsValidation: true)"))
        // A wildcard may take any attribute of `<open>`.
        #expect(swift.contains("cursor.attribute(\"id\", as: Open.Id.self)"))
        // Restricted strings convert without their checks, and only there.
        #expect(swift.contains("public static func _xmlValue(validatedUTF8 text: UnsafeBufferPointer<UInt8>) -> Self?"))
    }

    @Test("a child of an alternative that an attribute's value picks trusts validation, though other alternatives name it too")
    func trustedChildrenOfDispatchedAlternatives() throws {
        let pattern = { (characters: String) in "<data type=\"string\"><param name=\"pattern\">[\(characters)]+</param></data>" }
        let document = { (rest: String) in
            """
            <define name="doc"><element name="doc">
              <choice>
                <group><attribute name="kind"><value>x</value></attribute><element name="source"><attribute name="file">\(pattern("a-z"))</attribute></element></group>
                <group><attribute name="kind"><value>y</value></attribute><optional><element name="source"><attribute name="dev">\(pattern("0-9"))</attribute></element></optional></group>
              </choice>
              \(rest)
            </element></define>
            """
        }
        let swift = try generate(grammar(document("")))
        // `kind` picks the alternative validation matched, and with it what `<source>` is.
        #expect(swift.contains("try cursor.element(\"source\", as: Doc.XSource.self, trustsValidation: true)"))
        #expect(swift.contains("try cursor.optionalElement(\"source\", as: Doc.YSource.self, trustsValidation: true)"))
        #expect(swift.contains("cursor.attribute(\"file\", as: Doc.XSource.File.self, trustsValidation: true)"))

        // Not when the content names `<source>` outside the choice too.
        let shared = try generate(grammar(document("<zeroOrMore><element name=\"source\"><attribute name=\"path\">\(pattern("a-z"))</attribute></element></zeroOrMore>")))
        #expect(shared.contains("try cursor.element(\"source\", as: Doc.Kind.XSource.self)\n"))
    }

    @Test("a text that another alternative, or nothing, may have matched is checked")
    func trustedTexts() throws {
        let pattern = "<data type=\"string\"><param name=\"pattern\">[0-9a-f]{4}</param></data>"
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc">
              <element name="genid"><choice>\(pattern)<empty/></choice></element>
              <element name="serial">\(pattern)</element>
              <element name="loader"><attribute name="type"/><optional>\(pattern)</optional></element>
            </element></define>
            """))
        // `<genid/>` matched the empty alternative: its text, "", is no value of the pattern.
        #expect(swift.contains("let value = try cursor.text(as: Doc.Genid.Value.self)\n"))
        // The whole content, or an optional text (read as absent when it is only whitespace).
        #expect(swift.contains("cursor.valueElement(found, as: Doc.Serial.self, trustsValidation: true, firstError: &_serialError)"))
        #expect(swift.contains("cursor.optionalText(as: Doc.Loader.Value.self, trustsValidation: true)"))
    }

    @Test("interleave keeps the order children were read in")
    func interleave() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><interleave><element name="a"><text/></element><element name="b"><text/></element></interleave></element></define>
            """))
        #expect(swift.contains("public var childOrder: XMLChildOrder = XMLChildOrder()"))
        #expect(swift.contains("element.children = childOrder.arrange(element.children)"))
        // Its decoder makes the value with Swift's own memberwise initialiser, which builds it
        // in place; so the public one lives in an extension, where it does not hide Swift's.
        #expect(swift.contains("    public var childOrder: XMLChildOrder = XMLChildOrder()\n}\n\nextension Doc {\n"))
        #expect(swift.contains("public init(a: String, b: String) {\n        self.init(a: a, b: b, childOrder: XMLChildOrder())\n    }"))
        #expect(swift.contains("self.init(a: a, b: b, childOrder: cursor.childOrder(Self._xmlChildOrderNames))"))
        #expect(!swift.contains("self.a = "))
    }

    @Test("fields of names nothing else reads are read by one walk over the attributes and one over the children")
    func gatheredReads() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc">
              <attribute name="id"/><optional><attribute name="size"><data type="int"/></attribute></optional>
              <element name="one"><attribute name="n"/></element>
              <optional><element name="two"><data type="int"/></element></optional>
              <zeroOrMore><element name="item"><text/></element></zeroOrMore>
              <optional><element name="flag"><empty/></element></optional>
              <optional><element name="disks"><zeroOrMore><element name="disk"><attribute name="n"/></element></zeroOrMore></element></optional>
              <choice><element name="left"><empty/></element><element name="right"><empty/></element></choice>
              <optional><element name="item2"><text/></element></optional>
              <optional><element name="open"><zeroOrMore><attribute><anyName/></attribute></zeroOrMore></element></optional>
            </element></define>
            """))
        // The tables list the gathered names in the fields' order.
        #expect(swift.contains("static let _xmlAttributeFields = _XMLNameTable([\n        \"id\",\n        \"size\",\n    ])"))
        #expect(swift.contains("static let _xmlChildFields = _XMLNameTable([\n        \"one\",\n        \"two\",\n        \"item\",\n        \"flag\",\n        \"disks\",\n        \"item2\",\n        \"open\",\n    ])"))
        #expect(swift.contains("let attributeTable = Self._xmlAttributeFields\n        var attributeWalk = _XMLAttributeWalk(cursor)\n        while let found = attributeWalk.next(in: cursor, attributeTable) {"))
        // `<doc>` keeps no order: the choice read between gathered fields does not matter.
        #expect(swift.contains("var childWalk = _XMLChildWalk(cursor)\n"))
        // Each kind of field, and a second child for a field of one left for the search after.
        #expect(swift.contains("case 0:\n                _id = try cursor.attribute(found, as: String.self)"))
        #expect(swift.contains("case 0 where _one == nil:\n                _one = cursor.element(found, as: Doc.One.self, trustsValidation: true, firstError: &_oneError)"))
        // Optional and repeated fields are read straight into their properties; required ones
        // (and an empty element's flag) through a local.
        #expect(swift.contains("case 1:\n                self.size = try cursor.attribute(found, as: Int32.self)"))
        #expect(swift.contains("self.items = []\n"))
        #expect(swift.contains("if let item = cursor.valueElement(found, as: String.self, firstError: &_ignoredError) {\n                    self.items.append(item)"))
        #expect(swift.contains("_flag = cursor.element(found, as: _XMLEmptyElement.self, firstError: &_ignoredError)"))
        #expect(swift.contains("case 4 where self.disks == nil:\n                self.disks = try cursor.elementList(found, item: \"disk\", as: Doc.Disk.self, trustsValidation: true)"))
        #expect(swift.contains("self.id = try cursor.required(_id, attribute: \"id\")"))
        #expect(swift.contains("self.one = try cursor.required(_one, element: \"one\", firstError: _oneError)"))
        #expect(swift.contains("self.flag = _flag != nil"))
        #expect(swift.contains("case 6 where self.open == nil:\n                self.open = cursor.rawElement(found)"))
        #expect(!swift.contains("self.two = _two") && !swift.contains("var _two"))
        // The choice is read in its turn, between the gathered fields.
        #expect(swift.contains("self.flag = _flag != nil\n        self.choice = try cursor.content(as: Doc.Choice.self)\n"))
    }

    @Test("a restricted string becomes a checked wrapper; a define used twice is one type")
    func sharedDefines() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><attribute name="a"><ref name="path"/></attribute><attribute name="b"><ref name="path"/></attribute></element></define>
            <define name="path"><data type="string"><param name="pattern">/.*</param></data></define>
            """))
        #expect(swift.components(separatedBy: "public struct Path:").count == 2)
        #expect(swift.contains("public var a: Path"))
        #expect(swift.contains("public var b: Path"))
        #expect(swift.contains("XMLSchemaType(\"string\", ["))
    }

    @Test("recursion works through arrays")
    func recursion() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="tree"><zeroOrMore><ref name="doc"/></zeroOrMore></element></define>
            """))
        #expect(swift.contains("public var trees: [Doc]"))
    }

    @Test("open content keeps the XML as a value")
    func openContent() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><element name="extra"><zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore></element></element></define>
            <define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore></element></define>
            """))
        #expect(swift.contains("public var extra: XMLElement\n"))
    }

    @Test("namespaced elements keep their namespace")
    func namespaces() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc" ns="urn:example"><element name="part" ns="urn:example"><attribute name="x"/></element></element></define>
            """))
        #expect(swift.contains("XMLElement(\"doc\", namespace: \"urn:example\")"))
        #expect(swift.contains("cursor.element(\"part\", namespace: \"urn:example\""))
    }

    @Test("doc comments come from a:documentation and end with the source")
    func documentation() throws {
        let swift = try generate(grammar("""
            <define name="doc" xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0"><a:documentation>The document.</a:documentation><element name="doc"><empty/></element></define>
            """))
        #expect(swift.contains("/// The document.\n///\n/// Generated from `<element name=\"doc\">` (define `doc`) at test.rng:1."))
    }

    @Test("names: configured type names, keywords escaped, collisions resolved, access level")
    func names() throws {
        let configuration = GeneratorConfiguration(accessLevel: .package, typeNames: ["doc": "Document"])
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><attribute name="default"/><attribute name="class"/><element name="name"><attribute name="name"/></element></element></define>
            """), configuration: configuration)
        #expect(swift.contains("package struct Document:"))
        #expect(swift.contains("package var `default`: String"))
        #expect(swift.contains("package var `class`: String"))
        #expect(swift.contains("package var name: Document.Name"))
    }

    @Test("a type that holds itself is stored out of line; an enum on a cycle is indirect")
    func cycles() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="store"><optional><ref name="doc"/></optional><optional><ref name="chain"/></optional></element></define>
            <define name="chain"><element name="chain"><choice><ref name="doc"/><element name="end"><empty/></element></choice></element></define>
            """))
        #expect(swift.contains("@XMLIndirect public var store: Doc?"))
        #expect(swift.contains("public indirect enum Chain: Hashable, Sendable, Codable"))
    }

    @Test("an alternative with large values is an indirect case; small ones and the enum holding it stay inline")
    func largeAlternatives() throws {
        // Twenty string attributes: about 320 bytes, past the 256 kept inline.
        let attributes = (1...20).map { "<attribute name=\"a\($0)\"/>" }.joined()
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><zeroOrMore><ref name="item"/></zeroOrMore></element></define>
            <define name="item"><choice>
              <element name="big">\(attributes)</element>
              <element name="small"><attribute name="id"/></element>
              <element name="many"><choice><group>\(attributes)</group><attribute name="none"/></choice></element>
            </choice></define>
            """))
        #expect(swift.contains("    indirect case big(_ big: Doc.Item.Big)"))
        #expect(swift.contains("    case small(_ small: Doc.Item.Small)"))
        #expect(swift.contains("indirect case a1(a1: String, "), "\(swift)")
        // `many` holds a choice whose large alternative is boxed, so it is small itself.
        #expect(swift.contains("    case many(_ many: Doc.Item.Many)"))
        #expect(!swift.contains("indirect enum"))
    }

    @Test("notAllowed alternatives are left out; a choice left with one alternative is not an enum")
    func notAllowedAlternatives() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><ref name="extra"/></element></define>
            <define name="extra"><choice><notAllowed/><element name="driver"><attribute name="name"/></element></choice></define>
            """))
        #expect(swift.contains("public var driver: Doc.Driver\n"))
        #expect(!swift.contains("case empty"))
    }

    @Test("a nested type never hides a top-level type of the same name")
    func shadowing() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><attribute name="path"><ref name="path"/></attribute><element name="path"><attribute name="x"/></element></element></define>
            <define name="path"><data type="string"><param name="pattern">/.*</param></data></define>
            """))
        #expect(swift.contains("public var path: Path\n"))
        #expect(swift.contains("public struct PathElement: Hashable, Sendable, Codable"))
    }

    @Test("optional text is an optional property")
    func optionalText() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="loader"><optional><attribute name="type"/></optional><optional><data type="unsignedInt"/></optional></element></define>
            """))
        #expect(swift.contains("public var value: UInt32?"))
        #expect(swift.contains("try cursor.optionalText(as: UInt32.self)"))
    }

    @Test("an element whose alternatives interleave children is a struct holding the choice and the order")
    func orderedChoice() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="graphics">
              <choice>
                <group><attribute name="type"><value>vnc</value></attribute><interleave><optional><element name="a"><empty/></element></optional><optional><element name="b"><empty/></element></optional></interleave></group>
                <attribute name="type"><value>sdl</value></attribute>
              </choice>
            </element></define>
            """))
        #expect(swift.contains("public var content: Doc.Content"))
        #expect(swift.contains("public var childOrder: XMLChildOrder"))
        #expect(swift.contains("case vnc(a: Bool = false, b: Bool = false)"))
    }

    @Test("split files: nested types become extensions, every type lands in exactly one file")
    func splitFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rng2swift-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("doc.rng")
        try Data(grammar("""
            <define name="doc"><element name="doc"><element name="a"><attribute name="x"/></element><ref name="b"/></element></define>
            <define name="b"><element name="b"><attribute name="y"/></element></define>
            """).utf8).write(to: file)
        let schema = try Schema(file: file.path, searchPath: GrammarSearchPath([]))
        let files = try SwiftCodeGenerator(configuration: GeneratorConfiguration(files: 3)).generate(from: schema)
        #expect(files.map(\.name) == ["Doc+1.swift", "Doc+2.swift", "Doc+3.swift"])
        #expect(SwiftCodeGenerator.fileNames(baseName: "Doc", files: 3) == files.map(\.name))
        let all = files.map(\.contents).joined()
        #expect(all.components(separatedBy: "public struct Doc:").count == 2)
        #expect(all.components(separatedBy: "public struct A:").count == 2)
        #expect(all.contains("extension Doc {\n    /// Generated from `<element name=\"a\">`"))
        #expect(all.components(separatedBy: "let embeddedGrammar").count == 2)
        #expect(files[0].contents.contains("let embeddedGrammar"))
    }

    @Test("types that would share a name are named by their defines and by the values that tell their alternatives apart")
    func namesFromContext() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><ref name="diskSource"/><ref name="iface"/><ref name="port"/></element></define>
            <define name="diskSource"><choice><ref name="diskSourceFile"/><ref name="diskSourceBlock"/></choice></define>
            <define name="diskSourceFile"><element name="source"><attribute name="file"/></element></define>
            <define name="diskSourceBlock"><element name="source"><attribute name="dev"/></element></define>
            <define name="iface"><element name="interface"><choice>
              <group><attribute name="type"><value>bridge</value></attribute><element name="source"><attribute name="bridge"/></element></group>
              <group><attribute name="type"><value>network</value></attribute><element name="source"><attribute name="network"/></element></group>
            </choice></element></define>
            <define name="port"><choice>
              <element name="virtualport"><attribute name="type"><value>openvswitch</value></attribute><attribute name="id"/></element>
              <element name="virtualport"><attribute name="type"><value>midonet</value></attribute><attribute name="uuid"/></element>
            </choice></define>
            """))
        for expected in ["struct BridgeSource:", "struct NetworkSource:", "struct VirtualportOpenvswitch:", "struct VirtualportMidonet:"] {
            #expect(swift.contains(expected), "\(expected)")
        }
        // Element defines are top-level types named by their defines.
        #expect(swift.contains("public struct DiskSourceFile:") && swift.contains("public struct DiskSourceBlock:"))
        #expect(!swift.contains("Source2") && !swift.contains("Virtualport2"), "no numbered names")
    }

    @Test("an inline type used from two places lives where both can see it, once")
    func sharedInlineTypes() throws {
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><element name="a"><ref name="target"/></element><element name="b"><ref name="target"/></element><ref name="alias"/></element></define>
            <define name="target"><element name="target"><attribute name="dev"/></element><optional><attribute name="bus"/></optional></define>
            <define name="alias"><element name="alias"><attribute name="name"/></element><empty/></define>
            """))
        #expect(swift.components(separatedBy: "struct Target:").count == 2, "one Target")
        #expect(swift.contains("public var target: Doc.Target\n"), "nested in Doc, which holds both users")
        #expect(swift.contains("public struct Alias:") && swift.contains("public var alias: Alias\n"), "an element beside empty is an element define")
    }

    @Test("a define reached again through a nested grammar is one type when it comes out the same")
    func copiesThroughNestedGrammars() throws {
        let common = """
            <grammar \(Self.rng)>
              <define name="flag"><element name="flag"><attribute name="on"><choice><value>yes</value><value>no</value></choice></attribute></element></define>
            </grammar>
            """
        let inner = "<grammar \(Self.rng)><include href=\"common.rng\"/><start><element name=\"inner\"><ref name=\"flag\"/></element></start></grammar>"
        let main = """
            <grammar \(Self.rng)><include href="common.rng"/>
              <start><element name="doc"><ref name="flag"/><grammar><include href="inner.rng"/></grammar></element></start>
            </grammar>
            """
        let swift = try generate(files: ["common.rng": common, "inner.rng": inner, "main.rng": main], main: ["main.rng"])
        #expect(swift.components(separatedBy: "public struct Flag:").count == 2, "one Flag for both scopes")
        #expect(!swift.contains("Flag2"))
    }

    @Test("a chain of 20,000 references generates without overflowing the stack")
    func longReferenceChain() throws {
        let count = 20_000
        var defines = (0..<count).map { "<define name=\"d\($0)\"><ref name=\"d\($0 + 1)\"/></define>" }.joined()
        defines += "<define name=\"d\(count)\"><attribute name=\"end\"/></define>"
        let swift = try generate("<grammar \(Self.rng)><start><element name=\"doc\"><ref name=\"d0\"/></element></start>\(defines)</grammar>")
        #expect(swift.contains("public var end: String\n"))
    }

    @Test("several grammars in one module share their common types; differing ones get a namespace")
    func severalGrammars() throws {
        let common = """
            <grammar \(Self.rng) \(Self.xsd)>
              <define name="yesNo"><choice><value>yes</value><value>no</value></choice></define>
              <define name="extra"><notAllowed/></define>
              <define name="disk"><element name="disk"><attribute name="on"><ref name="yesNo"/></attribute><optional><ref name="extra"/></optional></element></define>
            </grammar>
            """
        let first = "<grammar \(Self.rng)><include href=\"common.rng\"/><start><ref name=\"pool\"/></start><define name=\"pool\"><element name=\"pool\"><zeroOrMore><ref name=\"disk\"/></zeroOrMore></element></define></grammar>"
        let second = """
            <grammar \(Self.rng)><include href="common.rng"/><start><ref name="vol"/></start>
              <define name="extra" combine="choice"><attribute name="size"/></define>
              <define name="vol"><element name="vol"><ref name="disk"/><attribute name="ok"><ref name="yesNo"/></attribute></element></define>
            </grammar>
            """
        let swift = try generate(
            files: ["common.rng": common, "pool.rng": first, "vol.rng": second], main: ["pool.rng", "vol.rng"],
            configuration: GeneratorConfiguration(fileName: "Storage"))
        #expect(swift.components(separatedBy: "public enum YesNo: String").count == 2, "one shared YesNo")
        #expect(swift.contains("public struct Disk: Hashable"))
        #expect(swift.contains("extension VolSchema {\n    /// Generated from `<element name=\"disk\">`"), "vol.rng's disk differs (the extra size attribute)")
        #expect(swift.contains("public var disk: VolSchema.Disk"))
        #expect(swift.contains("extension Pool: XMLDocumentRoot"))
        #expect(swift.contains("extension Vol: XMLDocumentRoot"))
        #expect(swift.contains("let poolGrammar: XMLGrammar = XMLGrammar(files: embeddedGrammarFiles, main: \"pool.rng\")"))
        #expect(swift.components(separatedBy: "\"common.rng\": #\"\"\"").count == 2, "each grammar file embedded once")
    }

    @Test("configuration: property names by define and extra document roots")
    func configuredPropertiesAndRoots() throws {
        let configuration = GeneratorConfiguration(propertyNames: ["disk": ["name": "target"]], roots: ["disk"])
        let swift = try generate(grammar("""
            <define name="doc"><element name="doc"><zeroOrMore><ref name="disk"/></zeroOrMore></element></define>
            <define name="disk"><element name="disk"><attribute name="name"/></element></define>
            """), configuration: configuration)
        #expect(swift.contains("public var target: String"))
        #expect(swift.contains("self.target = try cursor.attribute(\"name\", as: String.self)"))
        #expect(swift.contains("extension Disk: XMLDocumentRoot {"))
        #expect(swift.contains("extension Doc: XMLDocumentRoot {"))
    }

    @Test("the configuration's JSON Schema lists exactly the configuration's keys")
    func configurationSchemaInSync() throws {
        let root = GoldenTests.packageRoot
        let data = try Data(contentsOf: root.appendingPathComponent("Sources/SwiftGenerator/GeneratorConfiguration.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        let encoded = try JSONEncoder().encode(GeneratorConfiguration(accessLevel: .internal, typeNames: ["a": "B"], propertyNames: ["a": ["b": "c"]], roots: ["a"], fileName: "F", files: 2, grammar: "g.rng", grammars: ["h.rng"], searchPath: ["s"]))
        let keys = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any]).keys
        #expect(Set(properties.keys) == Set(keys))
        let access = try #require(properties["accessLevel"] as? [String: Any])
        #expect(Set(access["enum"] as? [String] ?? []) == Set(AccessLevel.allCases.map(\.rawValue)))
    }
}
