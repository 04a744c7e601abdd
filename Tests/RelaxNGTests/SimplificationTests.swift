import RelaxNG
import Testing

/// One or more tests for each simplification step of section 4 of the specification.
@Suite("Simplification (section 4)")
struct SimplificationTests {
    @Test("4.1 foreign elements and attributes are ignored; a:documentation is kept")
    func annotations() throws {
        let grammar = """
            <element name="doc" \(rng) xmlns:a="http://relaxng.org/ns/compatibility/annotations/1.0"
                     xmlns:x="urn:x" x:note="ignored">
              <a:documentation>The root.</a:documentation>
              <x:anything><x:deep/></x:anything>
              <empty/>
            </element>
            """
        let loaded = try schema(grammar)
        #expect(loaded.accepts("<doc/>"))
        #expect(loaded.grammar.pattern.annotations.documentation == ["The root."])
    }

    @Test("4.1 an unknown unqualified attribute is an error")
    func unknownAttribute() {
        let found = errors("<element name=\"doc\" color=\"red\" \(rng)><empty/></element>")
        #expect(mentions(found, "attribute \"color\" is not allowed on <element>"))
    }

    @Test("4.2 whitespace around names, types and combine is removed")
    func whitespace() throws {
        let loaded = try schema("""
            <grammar \(rng)>
              <start combine=" choice "><ref name=" x "/></start>
              <define name="x"><element><name> doc </name><attribute name=" id "><data type=" token "/></attribute></element></define>
            </grammar>
            """)
        #expect(loaded.accepts("<doc id='a'/>"))
    }

    @Test("4.3 datatypeLibrary is inherited and must be absolute")
    func datatypeLibrary() throws {
        let loaded = try schema("<element name=\"n\" \(rng) \(xsd)><data type=\"int\"/></element>")
        #expect(loaded.accepts("<n>42</n>"))
        #expect(!loaded.accepts("<n>x</n>"))
        let relative = errors("<element name=\"n\" \(rng) datatypeLibrary=\"relative/path\"><data type=\"int\"/></element>")
        #expect(mentions(relative, "must be an absolute URI"))
    }

    @Test("4.4 a value without type is a built-in token")
    func valueDefaultType() throws {
        let loaded = try schema("<element name=\"n\" \(rng) \(xsd)><value> a  b </value></element>")
        #expect(loaded.accepts("<n>a b</n>"))
        #expect(loaded.accepts("<n>  a\n b </n>"))
        #expect(!loaded.accepts("<n>ab</n>"))
    }

    @Test("4.5 href resolves against the file, then the search path; fragments and the network are refused")
    func hrefResolution() throws {
        let fixture = try GrammarFixture([
            "main.rng": "<grammar \(rng)><include href=\"common.rng\"/><start><ref name=\"doc\"/></start></grammar>",
            "lib/common.rng": "<grammar \(rng)><define name=\"doc\"><element name=\"doc\"><empty/></element></define></grammar>",
        ])
        #expect(throws: DiagnosticError.self) { try fixture.schema() }
        let found = try fixture.schema(searchPath: [fixture.path("lib")])
        #expect(found.accepts("<doc/>"))
        #expect(found.files.count == 2)

        #expect(mentions(errors("<externalRef href=\"x.rng#frag\" \(rng)/>"), "fragment identifier"))
        #expect(mentions(errors("<externalRef href=\"http://example.com/x.rng\" \(rng)/>"), "never fetched from the network"))
    }

    @Test("several grammars load side by side: one outcome per file, in order, each failure its own")
    func loadingSeveral() throws {
        var files: [String: String] = [:]
        for index in 0..<12 {
            files["g\(index).rng"] = index % 5 == 3
                ? "<element name=\"e\(index)\" \(rng)>\n  <bogus/>\n</element>"
                : "<grammar \(rng)><include href=\"common.rng\"/><start><element name=\"e\(index)\"><ref name=\"body\"/></element></start></grammar>"
        }
        files["common.rng"] = "<grammar \(rng)><define name=\"body\"><text/></define></grammar>"
        let fixture = try GrammarFixture(files)
        let outcomes = Schema.load(files: (0..<12).map { fixture.path("g\($0).rng") }, searchPath: GrammarSearchPath([]))
        #expect(outcomes.count == 12)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let schema):
                #expect(index % 5 != 3)
                #expect(schema.accepts("<e\(index)>x</e\(index)>"))
                #expect(!schema.accepts("<e\((index + 1) % 12)>x</e\((index + 1) % 12)>"))
            case .failure(let error):
                #expect(index % 5 == 3)
                #expect(error.diagnostics.first?.location?.file.hasSuffix("g\(index).rng") == true)
                #expect(error.diagnostics.first?.location?.line == 2)
            }
        }
    }

    @Test("4.6 externalRef inherits ns and refuses loops")
    func externalRef() throws {
        let loaded = try schema(
            "<group ns=\"urn:n\" \(rng)><externalRef href=\"x.rng\"/></group>",
            files: ["x.rng": "<element name=\"doc\" \(rng)><empty/></element>"])
        #expect(loaded.accepts("<doc xmlns='urn:n'/>"))
        #expect(!loaded.accepts("<doc/>"))
        let loop = errors(
            "<externalRef href=\"a.rng\" \(rng)/>",
            files: ["a.rng": "<externalRef href=\"b.rng\" \(rng)/>", "b.rng": "<externalRef href=\"a.rng\" \(rng)/>"])
        #expect(mentions(loop, "a loop"))
    }

    @Test("4.7 include overrides start and defines, which must exist")
    func includeOverrides() throws {
        let common = """
            <grammar \(rng)>
              <start><ref name="doc"/></start>
              <define name="doc"><element name="doc"><ref name="body"/></element></define>
              <define name="body"><empty/></define>
            </grammar>
            """
        let overriding = try schema(
            "<grammar \(rng)><include href=\"common.rng\"><define name=\"body\"><element name=\"x\"><empty/></element></define></include></grammar>",
            files: ["common.rng": common])
        #expect(overriding.accepts("<doc><x/></doc>"))
        #expect(!overriding.accepts("<doc/>"))
        let missing = errors(
            "<grammar \(rng)><include href=\"common.rng\"><define name=\"nope\"><empty/></define></include></grammar>",
            files: ["common.rng": common])
        #expect(mentions(missing, "has no define of that name"))
        let notGrammar = errors(
            "<grammar \(rng)><include href=\"x.rng\"/><start><notAllowed/></start></grammar>",
            files: ["x.rng": "<element name=\"x\" \(rng)><empty/></element>"])
        #expect(mentions(notGrammar, "must contain a <grammar>"))
    }

    @Test("4.8 and 4.9 an attribute's unprefixed name has no namespace; elements inherit ns")
    func namespaces() throws {
        let loaded = try schema("""
            <element name="doc" ns="urn:d" \(rng)>
              <attribute name="plain"/>
              <attribute name="own" ns="urn:a"/>
            </element>
            """)
        #expect(loaded.accepts("<doc xmlns='urn:d' xmlns:a='urn:a' plain='1' a:own='2'/>"))
        #expect(!loaded.accepts("<d:doc xmlns:d='urn:d' d:plain='1' own='2'/>"))
    }

    @Test("4.10 QName prefixes resolve in their context and must be declared")
    func qualifiedNames() throws {
        let loaded = try schema("<element name=\"p:doc\" xmlns:p=\"urn:p\" \(rng)><empty/></element>")
        #expect(loaded.accepts("<doc xmlns='urn:p'/>"))
        #expect(mentions(errors("<element name=\"q:doc\" \(rng)><empty/></element>"), "prefix \"q\""))
    }

    @Test("4.11 div groups components")
    func div() throws {
        let loaded = try schema("""
            <grammar \(rng)><div><start><ref name="d"/></start><div><define name="d"><element name="d"><empty/></element></define></div></div></grammar>
            """)
        #expect(loaded.accepts("<d/>"))
    }

    @Test("4.12 several children of define, element, oneOrMore form a group")
    func numberOfChildren() throws {
        let loaded = try schema("""
            <element name="doc" \(rng)><element name="a"><empty/></element><oneOrMore><element name="b"><empty/></element><element name="c"><empty/></element></oneOrMore></element>
            """)
        #expect(loaded.accepts("<doc><a/><b/><c/><b/><c/></doc>"))
        #expect(!loaded.accepts("<doc><a/><b/><b/></doc>"))
    }

    @Test("4.13 to 4.15 mixed, optional and zeroOrMore")
    func rewrites() throws {
        let loaded = try schema("""
            <element name="doc" \(rng)>
              <optional><attribute name="o"/></optional>
              <mixed><zeroOrMore><element name="i"><empty/></element></zeroOrMore></mixed>
            </element>
            """)
        #expect(loaded.accepts("<doc>text <i/> more <i/></doc>"))
        #expect(loaded.accepts("<doc o='1'/>"))
        #expect(!loaded.accepts("<doc x='1'/>"))
    }

    @Test("4.16 name class, attribute name and datatype constraints")
    func constraints() {
        #expect(mentions(errors("<element \(rng)><anyName><except><anyName/></except></anyName><empty/></element>"), "<anyName> cannot occur inside the except"))
        #expect(mentions(errors("<element \(rng)><nsName><except><nsName/></except></nsName><empty/></element>"), "<nsName> cannot occur inside the except"))
        #expect(mentions(errors("<element name=\"d\" \(rng)><attribute name=\"xmlns\"/></element>"), "\"xmlns\" cannot be an attribute name"))
        #expect(mentions(errors("<element name=\"d\" \(rng) \(xsd)><data type=\"noSuchType\"/></element>"), "is not a datatype"))
        #expect(mentions(errors("<element name=\"d\" \(rng) datatypeLibrary=\"urn:unknown\"><data type=\"t\"/></element>"), "unknown datatype library"))
        #expect(mentions(errors("<element name=\"d\" \(rng) \(xsd)><data type=\"int\"><param name=\"length\">2</param></data></element>"), "does not take the parameter"))
        #expect(mentions(errors("<element name=\"d\" \(rng) \(xsd)><value type=\"int\">x</value></element>"), "is not a value of xsd:int"))
        #expect(mentions(errors("<element name=\"d\" \(rng)><data type=\"string\"><param name=\"length\">2</param></data></element>"), "takes no parameters"))
    }

    @Test("4.17 combine: one define without combine, and one method")
    func combine() throws {
        let combined = try schema("""
            <grammar \(rng)>
              <start><element name="doc"><ref name="a"/></element></start>
              <define name="a"><attribute name="x"/></define>
              <define name="a" combine="interleave"><attribute name="y"/></define>
            </grammar>
            """)
        #expect(combined.accepts("<doc y='1' x='2'/>"))
        #expect(!combined.accepts("<doc x='2'/>"))
        let duplicate = errors("""
            <grammar \(rng)><start><ref name="a"/></start>
              <define name="a"><element name="a"><empty/></element></define>
              <define name="a"><element name="b"><empty/></element></define></grammar>
            """)
        #expect(mentions(duplicate, "more than once without a combine"))
        let conflicting = errors("""
            <grammar \(rng)><start><ref name="a"/></start>
              <define name="a" combine="choice"><element name="a"><empty/></element></define>
              <define name="a" combine="interleave"><element name="b"><empty/></element></define></grammar>
            """)
        #expect(mentions(conflicting, "both \"choice\" and \"interleave\""))
    }

    @Test("4.18 nested grammars, parentRef, undefined references and start")
    func grammars() throws {
        let nested = try schema("""
            <grammar \(rng)>
              <start><element name="doc"><grammar><start><parentRef name="x"/></start></grammar></element></start>
              <define name="x"><element name="x"><empty/></element></define>
            </grammar>
            """)
        #expect(nested.accepts("<doc><x/></doc>"))
        #expect(mentions(errors("<grammar \(rng)><start><ref name=\"missing\"/></start></grammar>"), "no define named \"missing\""))
        #expect(mentions(errors("<grammar \(rng)><define name=\"x\"><element name=\"x\"><empty/></element></define></grammar>"), "has no <start>"))
        #expect(mentions(errors("<element name=\"d\" \(rng)><parentRef name=\"x\"/></element>"), "not inside a nested grammar"))
        let unreachableButUndefined = errors("""
            <grammar \(rng)><start><element name="d"><empty/></element></start>
              <define name="unused"><ref name="nowhere"/></define></grammar>
            """)
        #expect(mentions(unreachableButUndefined, "no define named \"nowhere\""))
    }

    @Test("4.19 recursion must pass through an element; unreachable defines are not checked")
    func definitions() throws {
        let loop = errors("""
            <grammar \(rng)><start><element name="d"><ref name="a"/></element></start>
              <define name="a"><choice><empty/><ref name="b"/></choice></define>
              <define name="b"><ref name="a"/></define></grammar>
            """)
        #expect(mentions(loop, "refers to itself without an element"))
        let recursive = try schema("""
            <grammar \(rng)><start><ref name="tree"/></start>
              <define name="tree"><element name="t"><zeroOrMore><ref name="tree"/></zeroOrMore></element></define>
              <define name="unused"><attribute name="a"><element name="e"><empty/></element></attribute></define></grammar>
            """)
        #expect(recursive.accepts("<t><t/><t><t/></t></t>"))
    }

    @Test("4.20 notAllowed propagates, so what it removes is not checked")
    func notAllowed() throws {
        let loaded = try schema("""
            <element name="d" \(rng)>
              <choice>
                <group><notAllowed/><attribute name="a"><element name="e"><empty/></element></attribute></group>
                <empty/>
              </choice>
            </element>
            """)
        #expect(loaded.accepts("<d/>"))
        #expect(!loaded.accepts("<d a=''/>"))
    }

    @Test("4.21 empty disappears from groups and repetitions")
    func empty() throws {
        let loaded = try schema("<element name=\"d\" \(rng)><group><empty/><oneOrMore><empty/></oneOrMore><text/></group></element>")
        #expect(loaded.accepts("<d>x</d>"))
        #expect(loaded.accepts("<d/>"))
    }
}
