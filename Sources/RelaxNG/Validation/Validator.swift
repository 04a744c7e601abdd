import CLibXML2

/// Validates documents against a ``Schema`` with James Clark's derivative algorithm over
/// interned patterns, memoising derivatives across documents.
///
/// A validator is not thread-safe (its memo tables grow as it works); make one per thread.
/// The schema it uses is shared and immutable.
public final class Validator {
    // The tables below are read and written on every node. A validator is used by one thread
    // and never holds two accesses to one table at once, so the run-time exclusivity checks
    // (a few percent of decoding) are turned off for them.
    public let schema: Schema
    @exclusivity(unchecked) private var store: PatternStore
    @exclusivity(unchecked) private var nameIDs: [QualifiedName: UInt32] = [:]
    /// The names by ID.
    @exclusivity(unchecked) private var names: [QualifiedName] = []
    /// The names and namespaces the grammar's name classes mention. A name they do not mention
    /// matches the same name classes as any other such name in its namespace, so all of them
    /// share one ID: documents with ever new names (invalid ones, or open content) cannot grow
    /// the validator's tables without bound.
    private let mentionedNames: Set<QualifiedName>
    private let mentionedNamespaces: Set<String>
    /// The IDs of the current document's names by libxml2's pointers to its name and namespace:
    /// libxml2 keeps one copy of each name, so a name is turned into strings once a document.
    @exclusivity(unchecked) private var documentNameIDs: [DocumentNameKey: UInt32] = [:]
    /// The same for names in no namespace (most of them), by the name's pointer alone, kept
    /// from one document to the next while they come from the same parser context: its
    /// dictionary, which holds the names, lives as long as it does and only ever grows.
    @exclusivity(unchecked) private var documentPlainNameIDs = IntegerMemo()
    /// The ``ParserContext/serial`` of the context whose names `documentPlainNameIDs` holds.
    @exclusivity(unchecked) private var plainNamesContext: UInt64 = 0
    /// The IDs of names in no namespace by their bytes, across documents.
    @exclusivity(unchecked) private var plainNameIDs = ByteStringMemo()
    /// The IDs of names by the number their nodes carry (see ``XMLNameNumbers``), plus one;
    /// zero where not known yet. A number stands for one name in the whole process, and a
    /// name's ID never changes, so the table serves every document: an index into it costs
    /// less than hashing the name's pointer.
    @exclusivity(unchecked) private var nameIDsByNumber: [UInt32] = []

    private struct DocumentNameKey: Hashable {
        let localName: UnsafeRawPointer?
        let namespace: UnsafeRawPointer?
    }
    @exclusivity(unchecked) private var startTagOpenMemo = IntegerMemo()
    @exclusivity(unchecked) private var startTagCloseMemo = PatternMemo()
    @exclusivity(unchecked) private var endTagMemo = PatternMemo()
    /// ``restAfterOpenContent(_:)`` by pattern: the rest, or -1 for none.
    @exclusivity(unchecked) private var openContentMemo = PatternMemo()
    @exclusivity(unchecked) private var document: XMLDocument!
    /// Attribute and text derivatives by pattern, name and string: libvirt documents repeat
    /// values ("yes", "pci", "qemu") endlessly. Only sound when no datatype reads the
    /// namespace context (QName), and bounded so that a long run cannot grow without limit.
    private let memoisesStrings: Bool
    @exclusivity(unchecked) private var attributeMemo = ByteStringMemo()
    @exclusivity(unchecked) private var textMemo = ByteStringMemo()
    private static let stringMemoLimit = 100_000

    /// How many patterns the validator has interned: the grammar's and the derivatives made since.
    var internedPatternCount: Int { store.nodes.count }
    /// How many names the validator tells apart.
    var internedNameCount: Int { names.count }
    private static let unmentionedNamespace = "\u{0}"

    public init(schema: Schema) {
        self.schema = schema
        self.store = schema.patterns
        var mentionedNames: Set<QualifiedName> = []
        var mentionedNamespaces: Set<String> = []
        func gather(_ nameClass: NameClass?) {
            switch nameClass {
            case .name(let name)?:
                mentionedNames.insert(name)
                mentionedNamespaces.insert(name.namespace)
            case .anyName(let except)?: gather(except)
            case .nsName(let namespace, let except)?:
                mentionedNamespaces.insert(namespace)
                gather(except)
            case .choice(let left, let right)?:
                gather(left)
                gather(right)
            case nil: break
            }
        }
        store.nameClasses.forEach(gather)
        self.mentionedNames = mentionedNames
        self.mentionedNamespaces = mentionedNamespaces
        let datatypes = store.datatypes + store.values.map(\.datatype)
        memoisesStrings = !datatypes.contains { ($0 as? XMLSchemaDatatype)?.family == .qualifiedName }
    }

    /// Validates the document in `file`; the diagnostics name `displayName` (default: the path).
    public func validate(file path: String, displayName: String? = nil) -> [Diagnostic] {
        let name = displayName ?? path
        guard let bytes = FileReading.contents(of: path) else {
            return [Diagnostic(.error, "cannot read \(name)", at: SourceLocation(file: name, line: 1, column: 1))]
        }
        return validate(bytes: bytes, displayName: name)
    }

    /// Validates a document given as bytes; an empty result means it is valid.
    public func validate(bytes: [UInt8], displayName: String) -> [Diagnostic] {
        do {
            return validate(document: try XMLDocument.parse(bytes, displayName: displayName, baseURI: nil))
        } catch {
            return error.diagnostics
        }
    }

    /// Validates a parsed document; an empty result means it is valid.
    package func validate(document: XMLDocument) -> [Diagnostic] {
        let displayName = document.source.displayName
        do {
            self.document = document
            documentNameIDs.removeAll(keepingCapacity: true)
            // (A document with ever new names grows the context's dictionary past what a
            // context is kept for, and this table with it: then it starts again.)
            if document.context.serial != plainNamesContext || documentPlainNameIDs.count > ParserContext.dictionaryEntryLimit {
                documentPlainNameIDs.removeAll()
                plainNamesContext = document.context.serial
            }
            defer {
                self.document = nil
                documentNameIDs.removeAll(keepingCapacity: true)
            }
            guard let root = document.root else {
                return [Diagnostic(.error, "the document has no root element", at: SourceLocation(file: displayName, line: 1, column: 1))]
            }
            let after = try elementDerivative(store.start, root)
            if !store.isNullable(after) {
                throw DiagnosticError("the document is incomplete", at: document.location(of: root), path: path(of: root))
            }
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics
        } catch {
            return [Diagnostic(.error, "\(error)", at: SourceLocation(file: displayName, line: 1, column: 1))]
        }
    }

    /// Validates a document given as text.
    public func validate(string: String, displayName: String) -> [Diagnostic] {
        validate(bytes: Array(string.utf8), displayName: displayName)
    }

    // MARK: - Documents

    private func qualifiedName(_ node: XMLNode) -> QualifiedName {
        QualifiedName(namespace: node.namespaceURI, localName: node.localName)
    }

    private func nameID(localName: UnsafePointer<xmlChar>?, namespace: xmlNsPtr?, carried: UnsafeMutableRawPointer?, _ name: () -> QualifiedName) -> UInt32 {
        let number = Int(XMLNameNumbers.number(carriedBy: carried))
        guard number > 0 else { return nameID(localName: localName, namespace: namespace, name) }
        if number < nameIDsByNumber.count, nameIDsByNumber[number] != 0 { return nameIDsByNumber[number] - 1 }
        let id = nameID(localName: localName, namespace: namespace, name)
        if number >= nameIDsByNumber.count {
            nameIDsByNumber += repeatElement(0, count: max(number + 1, 2 * nameIDsByNumber.count, 1024) - nameIDsByNumber.count)
        }
        nameIDsByNumber[number] = id + 1
        return id
    }

    private func nameID(localName: UnsafePointer<xmlChar>?, namespace: xmlNsPtr?, _ name: () -> QualifiedName) -> UInt32 {
        if namespace == nil, let localName {
            let key = UInt64(UInt(bitPattern: localName))
            if let known = documentPlainNameIDs[key] { return UInt32(bitPattern: known) }
            // New in this document: known by its bytes from earlier documents, most likely.
            let id = UInt32(bitPattern: plainNameIDs.value(pattern: -1, name: 0, Self.bytes(localName), limit: Self.stringMemoLimit) {
                Int32(bitPattern: nameID(name()))
            })
            documentPlainNameIDs[key] = Int32(bitPattern: id)
            return id
        }
        let key = DocumentNameKey(localName: UnsafeRawPointer(localName), namespace: namespace.map { UnsafeRawPointer($0) })
        if let known = documentNameIDs[key] { return known }
        let id = nameID(name())
        documentNameIDs[key] = id
        return id
    }

    private func nameID(_ name: QualifiedName) -> UInt32 {
        if let known = nameIDs[name] { return known }
        if !mentionedNames.contains(name) {
            // The stand-in: no name class can mention an empty local name, nor a namespace
            // holding a NUL character, so it matches exactly what `name` matches.
            let namespace = mentionedNamespaces.contains(name.namespace) ? name.namespace : Self.unmentionedNamespace
            let standIn = QualifiedName(namespace: namespace, localName: "")
            if name != standIn { return nameID(standIn) }
        }
        let id = UInt32(nameIDs.count)
        nameIDs[name] = id
        names.append(name)
        return id
    }

    private func elementDerivative(_ pattern: PatternStore.ID, _ node: XMLNode) throws(DiagnosticError) -> PatternStore.ID {
        let opened = startTagOpen(pattern, nameID(localName: node.pointer.pointee.name, namespace: node.pointer.pointee.ns, carried: node.pointer.pointee.psvi) {
            qualifiedName(node)
        })
        if opened == PatternStore.notAllowed {
            throw failure("element <\(node.qualifiedName)> is not allowed here; \(expectedElementsText(pattern))", node)
        }
        // Open content (any attributes, text and elements, as a snapshot's `<domain>`) matches
        // whatever the subtree holds: what follows is known without walking it.
        if let rest = restAfterOpenContent(opened) { return rest }
        var current = opened
        var next = node.pointer.pointee.properties
        while let pointer = next {
            next = pointer.pointee.next
            let attribute = XMLAttribute(pointer: pointer)
            let attributeID = nameID(localName: pointer.pointee.name, namespace: pointer.pointee.ns, carried: pointer.pointee.psvi) {
                QualifiedName(namespace: attribute.namespaceURI, localName: attribute.localName)
            }
            let derived = memoisedAttributeDerivative(current, attributeID, attribute, context: .document(node))
            if derived == PatternStore.notAllowed {
                throw attributeFailure(current, names[Int(attributeID)], attribute.qualifiedName, attribute.value, node)
            }
            current = derived
        }
        let closed = startTagClose(current)
        if closed == PatternStore.notAllowed {
            let missing = requiredAttributes(current).map { "\"\($0)\"" }
            let list = missing.isEmpty ? "" : ": " + missing.joined(separator: ", ")
            throw failure("element <\(node.qualifiedName)> is missing a required attribute\(list)", node)
        }
        let content = try childrenDerivative(closed, node)
        let ended = endTag(content)
        if ended == PatternStore.notAllowed {
            throw failure("element <\(node.qualifiedName)> is incomplete; \(expectedElementsText(content, atEnd: true))", node)
        }
        return ended
    }

    private func childrenDerivative(_ pattern: PatternStore.ID, _ node: XMLNode) throws(DiagnosticError) -> PatternStore.ID {
        var hasElements = false
        for child in node.children where child.isElement {
            hasElements = true
            break
        }
        if !hasElements {
            let derived = memoisedTextDerivative(pattern, textOf: node.pointer.pointee.children, upTo: nil, context: .document(node))
            if derived.isWhitespace { return store.choice(pattern, derived.pattern) }
            if derived.pattern == PatternStore.notAllowed {
                throw failure("text \"\(Self.excerpt(node.textContent))\" is not allowed here; \(expectedText(pattern))", node)
            }
            return derived.pattern
        }
        var current = pattern
        // The run of text children since the last element, and whether any of it is more than
        // whitespace: indentation, the usual case, is never made into a string.
        var runStart: xmlNodePtr?
        var runHasContent = false
        func flushText(upTo end: xmlNodePtr?) throws(DiagnosticError) {
            defer {
                runStart = nil
                runHasContent = false
            }
            guard runHasContent else { return }
            let derived = memoisedTextDerivative(current, textOf: runStart, upTo: end, context: .document(node))
            if derived.pattern == PatternStore.notAllowed {
                let text = Self.text(of: runStart, upTo: end)
                throw failure("text \"\(Self.excerpt(text))\" is not allowed here; \(expectedText(current))", node)
            }
            current = derived.pattern
        }
        var next = node.pointer.pointee.children
        while let child = next {
            next = child.pointee.next
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                try flushText(upTo: child)
                current = try elementDerivative(current, XMLNode(child))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if runStart == nil { runStart = child }
                if !runHasContent, let content = child.pointee.content, !XMLNames.isWhitespace(nulTerminated: content) { runHasContent = true }
            default:
                break
            }
        }
        try flushText(upTo: nil)
        return current
    }

    /// The text nodes from `first` up to `end` (or the last sibling), concatenated.
    private static func text(of first: xmlNodePtr?, upTo end: xmlNodePtr?) -> String {
        var text = ""
        var next = first
        while let node = next, node != end {
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE, let content = node.pointee.content {
                text += String(cString: content)
            }
            next = node.pointee.next
        }
        return text
    }

    // MARK: - Open content

    /// What follows an element that was opened into `opened`, when its content accepts any
    /// attributes, text and elements whatever they are: `after(content, rest)`, or a choice of
    /// such with the same `rest` (then the other contents only ever add `rest` again).
    private func restAfterOpenContent(_ opened: PatternStore.ID) -> PatternStore.ID? {
        if let known = openContentMemo[opened] { return known < 0 ? nil : known }
        var alternatives: [PatternStore.ID] = []
        store.collectAlternatives(opened, into: &alternatives)
        var rest: PatternStore.ID?
        var anyOpen = false
        for alternative in alternatives {
            guard case .after(let content, let following) = store[alternative], rest == nil || rest == following else {
                rest = nil
                anyOpen = false
                break
            }
            rest = following
            if !anyOpen {
                var assumed = Set<PatternStore.ID>()
                anyOpen = acceptsAnything(content, assuming: &assumed)
            }
        }
        let result = anyOpen ? rest : nil
        openContentMemo[opened] = result ?? -1
        return result
    }

    /// Whether `pattern` accepts every content: it is nullable and repeats a choice of any
    /// attribute with any value, any text, and any element whose content does the same
    /// (`assumed` holds the patterns being decided, taken to hold on the way round a cycle).
    private func acceptsAnything(_ pattern: PatternStore.ID, assuming assumed: inout Set<PatternStore.ID>) -> Bool {
        if assumed.contains(pattern) { return true }
        guard store.isNullable(pattern) else { return false }
        assumed.insert(pattern)
        var alternatives: [PatternStore.ID] = []
        store.collectAlternatives(pattern, into: &alternatives)
        for alternative in alternatives {
            guard case .oneOrMore(let item) = store[alternative] else { continue }
            var items: [PatternStore.ID] = []
            store.collectAlternatives(item, into: &items)
            var (anyText, anyAttribute, anyElement) = (false, false, false)
            for item in items {
                switch store[item] {
                case .text:
                    anyText = true
                case .attribute(let nameClass, let content):
                    if content == PatternStore.text, case .anyName(except: nil) = store.nameClasses[Int(nameClass)] { anyAttribute = true }
                case .element(let index):
                    let element = store.elements[Int(index)]
                    if !anyElement, case .anyName(except: nil) = store.nameClasses[Int(element.nameClass)] {
                        anyElement = acceptsAnything(element.content, assuming: &assumed)
                    }
                default:
                    break
                }
            }
            if anyText && anyAttribute && anyElement { return true }
        }
        return false
    }

    // MARK: - Derivatives

    private func startTagOpen(_ pattern: PatternStore.ID, _ name: UInt32) -> PatternStore.ID {
        let key = UInt64(UInt32(bitPattern: pattern)) << 32 | UInt64(name)
        if let known = startTagOpenMemo[key] { return known }
        let result: PatternStore.ID
        switch store[pattern] {
        case .choice(let left, let right):
            result = store.choice(startTagOpen(left, name), startTagOpen(right, name))
        case .element(let index):
            let element = store.elements[Int(index)]
            result = store.nameClasses[Int(element.nameClass)].contains(names[Int(name)])
                ? store.after(element.content, PatternStore.empty) : PatternStore.notAllowed
        case .interleave(let left, let right):
            let first = applyAfter(startTagOpen(left, name)) { store, inner in store.interleave(inner, right) }
            let second = applyAfter(startTagOpen(right, name)) { store, inner in store.interleave(left, inner) }
            result = store.choice(first, second)
        case .oneOrMore(let child):
            let rest = store.choice(pattern, PatternStore.empty)
            result = applyAfter(startTagOpen(child, name)) { store, inner in store.group(inner, rest) }
        case .group(let left, let right):
            let first = applyAfter(startTagOpen(left, name)) { store, inner in store.group(inner, right) }
            result = store.isNullable(left) ? store.choice(first, startTagOpen(right, name)) : first
        case .after(let left, let right):
            result = applyAfter(startTagOpen(left, name)) { store, inner in store.after(inner, right) }
        default:
            result = PatternStore.notAllowed
        }
        startTagOpenMemo[key] = result
        return result
    }

    private func applyAfter(_ pattern: PatternStore.ID, _ transform: (inout PatternStore, PatternStore.ID) -> PatternStore.ID) -> PatternStore.ID {
        switch store[pattern] {
        case .after(let left, let right):
            let transformed = transform(&store, right)
            return store.after(left, transformed)
        case .choice(let left, let right):
            let first = applyAfter(left, transform)
            let second = applyAfter(right, transform)
            return store.choice(first, second)
        default:
            return PatternStore.notAllowed
        }
    }

    private func memoisedAttributeDerivative(_ pattern: PatternStore.ID, _ name: UInt32, _ attribute: XMLAttribute, context: ValueContext) -> PatternStore.ID {
        // Most values are one text node: looked up as its bytes.
        guard memoisesStrings, let text = attribute.pointer.pointee.children, text.pointee.next == nil, text.pointee.type == XML_TEXT_NODE,
            let content = text.pointee.content
        else { return attributeDerivative(pattern, names[Int(name)], attribute.value, context: context) }
        return attributeMemo.value(pattern: pattern, name: name, NodeArena.bytes(ofText: text), limit: Self.stringMemoLimit) {
            attributeDerivative(pattern, names[Int(name)], String(cString: content), context: context)
        }
    }

    /// The derivative by the text of the text nodes from `first` up to `end`, and whether that
    /// text is whitespace only.
    private func memoisedTextDerivative(
        _ pattern: PatternStore.ID, textOf first: xmlNodePtr?, upTo end: xmlNodePtr?, context: ValueContext
    ) -> (pattern: PatternStore.ID, isWhitespace: Bool) {
        // One text node (or none), the usual case: looked up as its bytes.
        var single: xmlNodePtr? = nil
        var textNodes = 0
        var next = first
        while let node = next, node != end, textNodes < 2 {
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                textNodes += 1
                single = node
            }
            next = node.pointee.next
        }
        if textNodes < 2 {
            let bytes = single.map(NodeArena.bytes(ofText:)) ?? UnsafeBufferPointer(start: nil, count: 0)
            let single = single.flatMap { UnsafePointer($0.pointee.content) }
            let isWhitespace = single.map { XMLNames.isWhitespace(nulTerminated: $0) } ?? true
            let string = { String(decoding: bytes, as: UTF8.self) }
            guard memoisesStrings else { return (textDerivative(pattern, string(), context: context), isWhitespace) }
            let result = textMemo.value(pattern: pattern, name: 0, bytes, limit: Self.stringMemoLimit) {
                textDerivative(pattern, string(), context: context)
            }
            return (result, isWhitespace)
        }
        let text = Self.text(of: first, upTo: end)
        return (textDerivative(pattern, text, context: context), XMLNames.isWhitespace(text))
    }

    /// libxml2's text as a buffer (empty for none).
    private static func bytes(_ text: UnsafePointer<xmlChar>?) -> UnsafeBufferPointer<UInt8> {
        guard let text else { return UnsafeBufferPointer(start: nil, count: 0) }
        var count = 0
        while text[count] != 0 { count += 1 }
        return UnsafeBufferPointer(start: text, count: count)
    }

    private func attributeDerivative(_ pattern: PatternStore.ID, _ name: QualifiedName, _ value: String, context: ValueContext) -> PatternStore.ID {
        switch store[pattern] {
        case .after(let left, let right):
            return store.after(attributeDerivative(left, name, value, context: context), right)
        case .choice(let left, let right):
            return store.choice(attributeDerivative(left, name, value, context: context), attributeDerivative(right, name, value, context: context))
        case .group(let left, let right):
            let first = store.group(attributeDerivative(left, name, value, context: context), right)
            let second = store.group(left, attributeDerivative(right, name, value, context: context))
            return store.choice(first, second)
        case .interleave(let left, let right):
            let first = store.interleave(attributeDerivative(left, name, value, context: context), right)
            let second = store.interleave(left, attributeDerivative(right, name, value, context: context))
            return store.choice(first, second)
        case .oneOrMore(let child):
            return store.group(attributeDerivative(child, name, value, context: context), store.choice(pattern, PatternStore.empty))
        case .attribute(let nameClass, let content):
            guard store.nameClasses[Int(nameClass)].contains(name) else { return PatternStore.notAllowed }
            return valueMatches(content, value, context: context) ? PatternStore.empty : PatternStore.notAllowed
        default:
            return PatternStore.notAllowed
        }
    }

    private func valueMatches(_ pattern: PatternStore.ID, _ value: String, context: ValueContext) -> Bool {
        (store.isNullable(pattern) && XMLNames.isWhitespace(value))
            || store.isNullable(textDerivative(pattern, value, context: context))
    }

    private func startTagClose(_ pattern: PatternStore.ID) -> PatternStore.ID {
        if let known = startTagCloseMemo[pattern] { return known }
        let result: PatternStore.ID
        switch store[pattern] {
        case .after(let left, let right): result = store.after(startTagClose(left), right)
        case .choice(let left, let right): result = store.choice(startTagClose(left), startTagClose(right))
        case .group(let left, let right): result = store.group(startTagClose(left), startTagClose(right))
        case .interleave(let left, let right): result = store.interleave(startTagClose(left), startTagClose(right))
        case .oneOrMore(let child): result = store.oneOrMore(startTagClose(child))
        case .attribute: result = PatternStore.notAllowed
        default: result = pattern
        }
        startTagCloseMemo[pattern] = result
        return result
    }

    private func endTag(_ pattern: PatternStore.ID) -> PatternStore.ID {
        if let known = endTagMemo[pattern] { return known }
        let result: PatternStore.ID
        switch store[pattern] {
        case .choice(let left, let right): result = store.choice(endTag(left), endTag(right))
        case .after(let left, let right): result = store.isNullable(left) ? right : PatternStore.notAllowed
        default: result = PatternStore.notAllowed
        }
        endTagMemo[pattern] = result
        return result
    }

    private func textDerivative(_ pattern: PatternStore.ID, _ text: String, context: ValueContext) -> PatternStore.ID {
        switch store[pattern] {
        case .choice(let left, let right):
            return store.choice(textDerivative(left, text, context: context), textDerivative(right, text, context: context))
        case .interleave(let left, let right):
            let first = store.interleave(textDerivative(left, text, context: context), right)
            let second = store.interleave(left, textDerivative(right, text, context: context))
            return store.choice(first, second)
        case .group(let left, let right):
            let first = store.group(textDerivative(left, text, context: context), right)
            return store.isNullable(left) ? store.choice(first, textDerivative(right, text, context: context)) : first
        case .after(let left, let right):
            return store.after(textDerivative(left, text, context: context), right)
        case .oneOrMore(let child):
            return store.group(textDerivative(child, text, context: context), store.choice(pattern, PatternStore.empty))
        case .text:
            return PatternStore.text
        case .value(let index):
            let value = store.values[Int(index)]
            return value.datatype.matches(value.value, text, in: context) ? PatternStore.empty : PatternStore.notAllowed
        case .data(let index):
            return store.datatypes[Int(index)].allows(text, in: context) ? PatternStore.empty : PatternStore.notAllowed
        case .dataExcept(let index, let except):
            guard store.datatypes[Int(index)].allows(text, in: context) else { return PatternStore.notAllowed }
            return store.isNullable(textDerivative(except, text, context: context)) ? PatternStore.notAllowed : PatternStore.empty
        case .list(let child):
            var current = child
            for word in text.unicodeScalars.split(whereSeparator: XMLNames.isWhitespace) {
                current = textDerivative(current, String(String.UnicodeScalarView(word)), context: context)
                if current == PatternStore.notAllowed { break }
            }
            return store.isNullable(current) ? PatternStore.empty : PatternStore.notAllowed
        default:
            return PatternStore.notAllowed
        }
    }

    // MARK: - Diagnostics

    private func failure(_ message: String, _ node: XMLNode) -> DiagnosticError {
        DiagnosticError(message, at: document.location(of: node), path: path(of: node))
    }

    private func attributeFailure(
        _ pattern: PatternStore.ID, _ name: QualifiedName, _ written: String, _ value: String, _ node: XMLNode
    ) -> DiagnosticError {
        let location = document.location(ofAttribute: written, of: node)
        let attributePath = path(of: node) + "/@" + written
        let candidates = attributeContents(pattern, name)
        if candidates.isEmpty {
            var message = "attribute \"\(written)\" is not allowed on <\(node.qualifiedName)>"
            let allowed = allAttributes(pattern).map { "\"\($0)\"" }
            if !allowed.isEmpty { message += "; allowed here: " + allowed.joined(separator: ", ") }
            return DiagnosticError(message, at: location, path: attributePath)
        }
        let expected = candidates.flatMap(describeValues).uniqued()
        let message = "\"\(Self.excerpt(value))\" is not a valid value of attribute \"\(written)\"; expected \(Self.alternatives(expected))"
        return DiagnosticError(message, at: location, path: attributePath)
    }

    /// `/root/child[2]/leaf`: an index where an element has same-named siblings.
    private func path(of node: XMLNode) -> String {
        var parts: [String] = []
        var current: XMLNode? = node
        while let element = current, element.isElement {
            let name = element.qualifiedName
            var position = 1
            var total = 0
            if let parent = element.parent, parent.isElement {
                for sibling in parent.children where sibling.isElement && sibling.qualifiedName == name {
                    total += 1
                    if sibling.pointer == element.pointer { position = total }
                }
            }
            parts.append(total > 1 ? "\(name)[\(position)]" : name)
            current = element.parent
        }
        return "/" + parts.reversed().joined(separator: "/")
    }

    private static func excerpt(_ text: String) -> String {
        let collapsed = XMLNames.collapsed(text)
        return collapsed.count > 60 ? String(collapsed.prefix(57)) + "..." : collapsed
    }

    private static func alternatives(_ items: [String]) -> String {
        switch items.count {
        case 0: return "nothing"
        case 1: return items[0]
        case 2...12: return "one of " + items.joined(separator: ", ")
        default: return "one of " + items.prefix(12).joined(separator: ", ") + ", ..."
        }
    }

    private func expectedElementsText(_ pattern: PatternStore.ID, atEnd: Bool = false) -> String {
        var names: [String] = []
        collectFront(pattern, into: &names)
        let unique = names.uniqued()
        if unique.isEmpty { return atEnd ? "more content is required" : "no element is allowed here" }
        return "expected " + Self.alternatives(unique.map { "<\($0)>" })
    }

    private func collectFront(_ pattern: PatternStore.ID, into names: inout [String]) {
        switch store[pattern] {
        case .choice(let left, let right), .interleave(let left, let right):
            collectFront(left, into: &names)
            collectFront(right, into: &names)
        case .group(let left, let right):
            collectFront(left, into: &names)
            if store.isNullable(left) { collectFront(right, into: &names) }
        case .oneOrMore(let child), .after(let child, _):
            collectFront(child, into: &names)
        case .element(let index):
            names.append(store.nameClasses[Int(store.elements[Int(index)].nameClass)].description)
        case .text:
            names.append("text")
        default:
            break
        }
    }

    private func expectedText(_ pattern: PatternStore.ID) -> String {
        var found: [String] = []
        collectTextExpectations(pattern, into: &found)
        let unique = found.uniqued()
        if unique.isEmpty { return expectedElementsText(pattern) }
        return "expected " + Self.alternatives(unique)
    }

    private func collectTextExpectations(_ pattern: PatternStore.ID, into found: inout [String]) {
        switch store[pattern] {
        case .choice(let left, let right), .interleave(let left, let right):
            collectTextExpectations(left, into: &found)
            collectTextExpectations(right, into: &found)
        case .group(let left, let right):
            collectTextExpectations(left, into: &found)
            if store.isNullable(left) { collectTextExpectations(right, into: &found) }
        case .oneOrMore(let child), .after(let child, _):
            collectTextExpectations(child, into: &found)
        case .element(let index):
            found.append("<\(store.nameClasses[Int(store.elements[Int(index)].nameClass)])>")
        default:
            found += describeValues(pattern)
        }
    }

    private func describeValues(_ pattern: PatternStore.ID) -> [String] {
        switch store[pattern] {
        case .choice(let left, let right): return describeValues(left) + describeValues(right)
        case .value(let index): return ["\"\(store.values[Int(index)].lexical)\""]
        case .data(let index), .dataExcept(let index, _): return ["a value of \(store.datatypes[Int(index)].summary)"]
        case .list: return ["a list"]
        case .text: return ["text"]
        case .empty: return ["an empty value"]
        default: return []
        }
    }

    /// The contents of the attribute patterns in `pattern` whose name class has `name`.
    private func attributeContents(_ pattern: PatternStore.ID, _ name: QualifiedName) -> [PatternStore.ID] {
        var result: [PatternStore.ID] = []
        var stack = [pattern]
        var seen = Set<PatternStore.ID>()
        while let current = stack.popLast() {
            guard seen.insert(current).inserted else { continue }
            switch store[current] {
            case .choice(let left, let right), .group(let left, let right), .interleave(let left, let right):
                stack.append(right)
                stack.append(left)
            case .oneOrMore(let child), .after(let child, _):
                stack.append(child)
            case .attribute(let nameClass, let content):
                if store.nameClasses[Int(nameClass)].contains(name) { result.append(content) }
            default:
                break
            }
        }
        return result
    }

    private func allAttributes(_ pattern: PatternStore.ID) -> [String] {
        var result: [String] = []
        var stack = [pattern]
        var seen = Set<PatternStore.ID>()
        while let current = stack.popLast() {
            guard seen.insert(current).inserted else { continue }
            switch store[current] {
            case .choice(let left, let right), .group(let left, let right), .interleave(let left, let right):
                stack.append(right)
                stack.append(left)
            case .oneOrMore(let child), .after(let child, _):
                stack.append(child)
            case .attribute(let nameClass, _):
                result.append(store.nameClasses[Int(nameClass)].description)
            default:
                break
            }
        }
        return result.uniqued().sorted()
    }

    /// Attributes that must still be given: those of every alternative.
    private func requiredAttributes(_ pattern: PatternStore.ID) -> [String] {
        switch store[pattern] {
        case .choice(let left, let right):
            let first = requiredAttributes(left)
            let second = requiredAttributes(right)
            if store.isNullable(left) && first.isEmpty || store.isNullable(right) && second.isEmpty { return [] }
            return (first + second).uniqued()
        case .group(let left, let right), .interleave(let left, let right):
            return (requiredAttributes(left) + requiredAttributes(right)).uniqued()
        case .oneOrMore(let child), .after(let child, _):
            return requiredAttributes(child)
        case .attribute(let nameClass, _):
            return [store.nameClasses[Int(nameClass)].description]
        default:
            return []
        }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
