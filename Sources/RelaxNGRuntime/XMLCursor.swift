import CLibXML2
import Foundation
import RelaxNG

/// Plumbing for generated decoders: reads an element's attributes, children and text, marking
/// what it takes, so that a decoder can check it used everything and a choice can try its
/// alternatives one after another (a failed attempt leaves the cursor as it was).
///
/// A cursor reads either an ``XMLElement`` or, when a document is decoded from its bytes,
/// libxml2's tree directly: no intermediate tree is built, and strings are made only for what
/// the decoder takes.
public struct _XMLCursor {
    // Every stored property but `extra` is a plain value: a cursor is copied for each attempt
    // a choice makes, made for each child and dropped after it, and each reference it held cost
    // every copy a retain and every drop a release (four of them, 9 K instructions a libvirt
    // domain decode, when it held five).
    @usableFromInline let source: Source
    /// What is rarely there, in the one reference a cursor holds: what keeps the document or
    /// the tree alive (on the cursor decoding starts from, and on one reading a tree; the
    /// cursors of a document's children live only while their parent's does), the taken flags
    /// past the first 64, and the table of decoded children a choice shares.
    @usableFromInline var extra: _XMLCursorExtra?
    // Generated decoders call the generic methods below for every field: they are inlinable so
    // that each decoder gets them specialised for its own types.
    /// Which of the first 64 attributes and children are taken (the rest in `extra`).
    @usableFromInline var attributesTaken: UInt64 = 0
    @usableFromInline var childrenTaken: UInt64 = 0
    /// Where searches for a child start: every child before position `scanIndex` is taken or is
    /// no element. Reading libxml2's tree, `scanNode` is the child at that position (nil at the
    /// end; unused at position 0). Decoders take children mostly in document order, so a search
    /// skips what was taken instead of walking it again from the first child.
    @usableFromInline var scanIndex = 0
    var scanNode: xmlNodePtr?
    @usableFromInline var textTaken = false
    /// The last child taken, and whether every child was taken after the one before it in the
    /// document. A decoder reads in the order its encoder writes, so then the document's order
    /// is the one encoding gives anyway, and `childOrder` need not record it.
    @usableFromInline var lastChildTaken = -1
    @usableFromInline var childrenTakenInOrder = true
    /// A bit for each name among the element's child elements (`nameBit(_:count:)`), so that
    /// a search for a child the element does not have, as for most optional fields, ends
    /// without walking the children. All bits are set when the names were not gathered.
    @usableFromInline var childNames = UInt64.max
    /// The same for the names of the element's attributes: most optional attributes are absent.
    @usableFromInline var attributeNames = UInt64.max
    /// How many attributes and child elements libxml2's element has, counted with their names'
    /// bits, so that `finish()` sees everything taken without walking the element again; -1
    /// reading a tree.
    var attributeCount: Int32 = -1
    var elementCount: Int32 = -1
    /// Children already decoded, shared by every copy of this cursor once a choice needs it.
    @usableFromInline var decoded: _XMLDecodedChildren? {
        @inline(__always) get { extra?.decoded }
        set {
            if newValue == nil, extra?.decoded == nil { return }
            uniqueExtra().decoded = newValue
        }
    }
    /// Whether a failure's reasons can be seen: not while optional content is tried, which
    /// drops the failure, so a choice there need not try alternatives that cannot match.
    @usableFromInline var reasonsWanted = true
    /// Whether the element was validated against the grammar the decoders come from and matched
    /// the pattern its decoding type comes from. Then a read the generator marks
    /// `trustsValidation` (a name that stands for one type in all of the element's content)
    /// converts its value without checking it again: validation checked it against that type.
    /// Never set on an element built or read in Swift, which no one validated.
    @usableFromInline var validated = false

    @usableFromInline enum Source {
        /// Boxed, so that copying a cursor copies one pointer, not a whole element; `extra`
        /// keeps the box.
        case tree(Unmanaged<Tree>)
        case node(LibXMLElement)
    }

    @usableFromInline final class Tree {
        let element: XMLElement
        init(_ element: XMLElement) { self.element = element }
    }

    /// An element of a parsed document. The document is not retained: a cursor's
    /// `extra`, or its root cursor's, keeps it alive.
    @usableFromInline struct LibXMLElement {
        let node: XMLNode
        private let unretainedDocument: Unmanaged<XMLDocument>

        init(node: XMLNode, document: XMLDocument) {
            self.node = node
            unretainedDocument = .passUnretained(document)
        }

        /// The document, retained by whoever keeps what is made from it (an open element, an error).
        var document: XMLDocument { unretainedDocument.takeUnretainedValue() }
    }

    public init(_ element: XMLElement) {
        // An element still in libxml2's tree is read there, without making its values.
        if let (node, document) = element.unread?.unreadNode() {
            source = .node(LibXMLElement(node: node, document: document))
            extra = _XMLCursorExtra(owner: document)
            (childNames, elementCount) = Self.childNames(of: node)
            (attributeNames, attributeCount) = Self.attributeNames(of: node)
        } else {
            // One already read holds its values in place from here on: through the box, every
            // property the cursor reads would take the box's lock and copy all the values.
            var element = element
            element.holdValuesInPlace()
            let tree = Tree(element)
            source = .tree(.passUnretained(tree))
            extra = _XMLCursorExtra(owner: tree)
        }
    }

    /// A cursor decoding starts from, which keeps `document` alive.
    init(node: XMLNode, in document: XMLDocument) {
        source = .node(LibXMLElement(node: node, document: document))
        extra = _XMLCursorExtra(owner: document)
        (childNames, elementCount) = Self.childNames(of: node)
        (attributeNames, attributeCount) = Self.attributeNames(of: node)
    }

    /// A cursor on a child of the element `parent` reads, which lives only while `parent`'s does.
    init(child node: XMLNode, of parent: LibXMLElement) {
        source = .node(LibXMLElement(node: node, document: parent.document))
        (childNames, elementCount) = Self.childNames(of: node)
        (attributeNames, attributeCount) = Self.attributeNames(of: node)
    }

    /// The bit of a name of `count` bytes starting with `first`: cheap to work out from a Swift
    /// string and from libxml2's name alike.
    @inlinable @inline(__always)
    static func nameBit(_ first: UInt8, count: Int) -> UInt64 {
        1 &<< ((UInt64(first) &* 7 &+ UInt64(truncatingIfNeeded: count)) & 63)
    }

    /// Whether `name`'s bit is among `bits`: false rules the name out; an empty name is never
    /// an element's or an attribute's.
    @inlinable @inline(__always)
    static func mayBeAmong(_ name: _XMLLiteral, _ bits: UInt64) -> Bool {
        name.withBytes { bytes in
            guard let first = bytes.first else { return false }
            return bits & nameBit(first, count: bytes.count) != 0
        }
    }

    /// The bit of a libxml2 name. Names are short: counting their bytes here costs less than
    /// the two calls `xmlStrlen` makes, and every cursor counts each of its children's names.
    @inline(__always)
    static func nameBit(of name: UnsafePointer<xmlChar>) -> UInt64 {
        nameBit(name[0], count: nameLength(name))
    }

    /// Whether the attribute at `index` is taken.
    @inlinable @inline(__always)
    func isAttributeTaken(_ index: Int) -> Bool {
        index < 64 ? attributesTaken & (1 &<< UInt64(index)) != 0 : extra?.attributeWords.isSet(index - 64) ?? false
    }

    /// Whether the child at `index` is taken.
    @inlinable @inline(__always)
    func isChildTaken(_ index: Int) -> Bool {
        index < 64 ? childrenTaken & (1 &<< UInt64(index)) != 0 : extra?.childWords.isSet(index - 64) ?? false
    }

    @inlinable @inline(__always)
    mutating func markAttributeTaken(_ index: Int) {
        if index < 64 { attributesTaken |= 1 &<< UInt64(index) } else { uniqueExtra().attributeWords.set(index - 64) }
    }

    @inlinable @inline(__always)
    mutating func markChildTaken(_ index: Int) {
        if index < 64 { childrenTaken |= 1 &<< UInt64(index) } else { uniqueExtra().childWords.set(index - 64) }
    }

    /// `extra`, made or copied so that this cursor alone holds it, for a change.
    @usableFromInline mutating func uniqueExtra() -> _XMLCursorExtra {
        if extra == nil {
            extra = _XMLCursorExtra(owner: nil)
        } else if !isKnownUniquelyReferenced(&extra) {
            extra = extra!.copy()
        }
        return extra!
    }

    /// How many attributes and how many children are taken.
    var attributesTakenCount: Int { attributesTaken.nonzeroBitCount + (extra?.attributeWords.setCount ?? 0) }
    var childrenTakenCount: Int { childrenTaken.nonzeroBitCount + (extra?.childWords.setCount ?? 0) }

    /// The length of a libxml2 name.
    @inline(__always)
    static func nameLength(_ name: UnsafePointer<xmlChar>) -> Int {
        var count = 0
        while name[count] != 0 { count &+= 1 }
        return count
    }

    /// The bits of the names of `node`'s attributes, and how many there are.
    static func attributeNames(of node: XMLNode) -> (bits: UInt64, count: Int32) {
        var bits: UInt64 = 0
        var count: Int32 = 0
        var attribute = node.pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name { bits |= nameBit(of: name) }
            count &+= 1
            attribute = current.pointee.next
        }
        return (bits, count)
    }

    /// The bits of the names of `node`'s child elements, and how many there are.
    static func childNames(of node: XMLNode) -> (bits: UInt64, count: Int32) {
        var bits: UInt64 = 0
        var count: Int32 = 0
        var child = node.pointer.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                if let name = current.pointee.name { bits |= nameBit(of: name) }
                count &+= 1
            }
            child = current.pointee.next
        }
        return (bits, count)
    }

    /// The element the cursor reads, as a tree (read out of libxml2's tree on first use).
    public var element: XMLElement {
        switch source {
        case .tree(let box): return box.element
        case .node(let element): return XMLElement(unread: UnreadXMLElement(element.node, in: element.document))
        }
    }

    /// A failure that ends with why each of `reasons` failed, spelled out only when read.
    @usableFromInline func failure(_ message: @autoclosure () -> String, because reasons: [any Error]) -> XMLDecodingError {
        guard reasonsWanted else { return .unread }
        var error = failure(message())
        error.reasons = reasons.map { $0 as? XMLDecodingError ?? XMLDecodingError("\($0)", at: nil) }
        return error
    }

    /// A failure to convert `text` to `type`: "\(subject) is not a valid \(type)", spelled out when read.
    @usableFromInline func failure(_ subject: XMLDecodingError.Summary, isNotA type: any Any.Type) -> XMLDecodingError {
        var error = failure(subject)
        error.invalidValueType = type
        return error
    }

    /// A failure with this message, made only when the cursor wants reasons.
    public func failure(_ message: @autoclosure () -> String) -> XMLDecodingError {
        reasonsWanted ? failure(.text(message())) : .unread
    }

    /// A failure whose message is put together when read.
    @usableFromInline func failure(_ summary: XMLDecodingError.Summary) -> XMLDecodingError {
        // A cursor that does not want reasons (in optional content, in a choice's passes that
        // only look for a match) fails where no one reads why: one shared failure stands for all,
        // and no message, place or path is made. (Its children want reasons: their outcomes may
        // be shared with a later pass that reads them.)
        guard reasonsWanted else { return .unread }
        switch source {
        case .tree(let box):
            let element = box.element
            return XMLDecodingError(summary, at: element.location, path: "<\(element.qualifiedName)>")
        case .node(let element): return XMLDecodingError(summary, at: element.node, in: element.document)
        }
    }

    // MARK: Attributes

    /// The position of the first untaken attribute with this name. Taking is a separate step, so
    /// that a failed conversion leaves the cursor untouched. The names' bits rule out most absent
    /// ones here, in the caller, without a call.
    @inlinable
    func untakenAttribute(_ name: _XMLLiteral, _ namespace: _XMLLiteral) -> Int? {
        untakenAttributeFound(name, namespace)?.index
    }

    /// ``untakenAttribute(_:_:)``, with the attribute in libxml2's tree, so that its value is
    /// read without walking to it again.
    @inlinable
    func untakenAttributeFound(_ name: _XMLLiteral, _ namespace: _XMLLiteral) -> _XMLFoundAttribute? {
        guard Self.mayBeAmong(name, attributeNames) else { return nil }
        return searchUntakenAttribute(name, namespace)
    }

    @usableFromInline func searchUntakenAttribute(_ name: _XMLLiteral, _ namespace: _XMLLiteral) -> _XMLFoundAttribute? {
        switch source {
        case .tree(let box):
            let element = box.element
            let attributes = element.attributes
            for index in attributes.indices where !isAttributeTaken(index) && name.equals(attributes[index].localName) && namespace.equals(attributes[index].namespace) {
                return _XMLFoundAttribute(index: index, node: nil)
            }
            return nil
        case .node(let element):
            return name.withBytes { nameBytes in
                var index = 0
                var attribute = element.node.pointer.pointee.properties
                while let current = attribute {
                    if !isAttributeTaken(index), Self.matches(current.pointee.name, current.pointee.ns, nameBytes, namespace) {
                        return _XMLFoundAttribute(index: index, node: current)
                    }
                    index += 1
                    attribute = current.pointee.next
                }
                return nil
            }
        }
    }

    /// Whether a libxml2 name and namespace are `name` (as bytes) in `namespace`.
    @inline(__always)
    static func matches(_ localName: UnsafePointer<xmlChar>?, _ ns: xmlNsPtr?, _ name: UnsafeBufferPointer<UInt8>, _ namespace: _XMLLiteral) -> Bool {
        guard let localName, equal(localName, name) else { return false }
        guard let href = ns?.pointee.href else { return namespace.isEmpty }
        return namespace.withBytes { equal(href, $0) }
    }

    @inline(__always)
    static func equal(_ text: UnsafePointer<xmlChar>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in bytes.indices {
            // A NUL ends libxml2's text; the string holds none.
            let byte = text[index]
            if byte != bytes[index] || byte == 0 { return false }
        }
        return text[bytes.count] == 0
    }

    /// Whether an untaken attribute has this name (and this value, when one is given, compared as
    /// ``fixedAttribute(_:namespace:value:required:)`` compares it; or a value of `type`).
    public func hasAttribute(_ name: _XMLLiteral, namespace: _XMLLiteral = "", value: _XMLLiteral? = nil, as type: (any XMLValue.Type)? = nil) -> Bool {
        guard let index = untakenAttribute(name, namespace) else { return false }
        return attributeValue(at: index, is: value, as: type)
    }

    /// Whether the attribute at `index` is `value` (as ``hasAttribute(_:namespace:value:as:)``
    /// compares it) or a value of `type`; true when neither is given.
    @usableFromInline func attributeValue(at index: Int, is value: _XMLLiteral?, as type: (any XMLValue.Type)?) -> Bool {
        if let value { return attributeValue(at: index, is: value) }
        if let type { return Self.converts(attributeText(at: index), orElse: attributeValue(at: index), to: type) }
        return true
    }

    /// Whether the attribute at `index` is `value`, as written or with its whitespace collapsed.
    func attributeValue(at index: Int, is value: _XMLLiteral) -> Bool {
        if case .node(let element) = source {
            // Most values are one text node: compared in place, without making a string.
            if let content = Self.soleTextNode(Self.attribute(at: index, of: element).pointee.children) {
                return Self.equalAsWrittenOrCollapsed(content, value)
            }
        }
        let text = attributeValue(at: index)
        return value.equals(text) || value.equals(XMLWhitespace.collapsed(text))
    }

    /// Whether libxml2's text is `value` as written or with its whitespace collapsed.
    @usableFromInline static func equalAsWrittenOrCollapsed(_ text: UnsafePointer<xmlChar>, _ value: _XMLLiteral) -> Bool {
        // A choice asks this of one value for each of its alternatives, and most differ at once:
        // the text as written is compared first, and a difference that no whitespace comes
        // before or at settles the collapsed form too, which begins with the same bytes.
        value.withBytes { bytes in
            let isSpace = XMLWhitespace.isWhitespace(byte:)
            var index = 0
            while index < bytes.count, text[index] == bytes[index], !isSpace(bytes[index]) { index += 1 }
            if index == bytes.count, text[index] == 0 { return true }
            if !isSpace(text[index]), index == bytes.count || !isSpace(bytes[index]) { return false }
            return equal(text, bytes) || equalCollapsed(text, bytes)
        }
    }

    /// Whether libxml2's text, with its whitespace collapsed, is `value`, compared in place.
    static func equalCollapsed(_ text: UnsafePointer<xmlChar>, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let isSpace = XMLWhitespace.isWhitespace(byte:)
        while isSpace(text[index]) { index += 1 }
        var pendingSpace = false
        var expected = 0
        while text[index] != 0 {
            let byte = text[index]
            index += 1
            if isSpace(byte) {
                pendingSpace = true
                continue
            }
            if pendingSpace {
                guard expected < value.count, value[expected] == 0x20 else { return false }
                expected += 1
                pendingSpace = false
            }
            guard expected < value.count, value[expected] == byte else { return false }
            expected += 1
        }
        return expected == value.count
    }

    /// The value of the attribute at `index`.
    @usableFromInline func attributeValue(at index: Int) -> String {
        switch source {
        case .tree(let box): return box.element.attributes[index].value
        case .node(let element): return RelaxNG.XMLAttribute(pointer: Self.attribute(at: index, of: element)).value
        }
    }

    static func attribute(at index: Int, of element: LibXMLElement) -> xmlAttrPtr {
        var attribute = element.node.pointer.pointee.properties!
        for _ in 0..<index { attribute = attribute.pointee.next! }
        return attribute
    }

    /// A found attribute converted to `Value`, read in place when it is libxml2's.
    @inlinable
    func attributeValue<Value: XMLValue>(_ found: _XMLFoundAttribute, as type: Value.Type, trusted: Bool) -> Value? {
        if let attribute = found.node, let text = Self.soleText(attribute.pointee.children) { return convert(text, as: type, trusted: trusted) }
        return attributeValue(at: found.index, as: type, trusted: trusted)
    }

    /// The attribute at `index` converted to `Value`, read in place when it is libxml2's.
    @inlinable
    func attributeValue<Value: XMLValue>(at index: Int, as type: Value.Type, trusted: Bool = false) -> Value? {
        if let text = attributeText(at: index) { return convert(text, as: type, trusted: trusted) }
        return Value(xmlValue: attributeValue(at: index))
    }

    /// UTF-8 text of this element converted to `Value`: on a validated element, a `trusted` read
    /// takes validation's check for the type's own.
    @inlinable
    func convert<Value: XMLValue>(_ text: UnsafeBufferPointer<UInt8>, as type: Value.Type, trusted: Bool) -> Value? {
        validated && trusted ? Value._xmlValue(validatedUTF8: text) : Value._xmlValue(utf8: text)
    }

    /// The bytes of the value of the attribute at `index` in libxml2's tree, when it is one
    /// text or none, as nearly every value is; nil otherwise.
    @usableFromInline func attributeText(at index: Int) -> UnsafeBufferPointer<UInt8>? {
        guard case .node(let element) = source else { return nil }
        return Self.soleText(Self.attribute(at: index, of: element).pointee.children)
    }

    /// The NUL-terminated value of the attribute at `index` in libxml2's tree, when it is one
    /// text node; nil otherwise.
    @usableFromInline func attributeTextNode(at index: Int) -> UnsafePointer<xmlChar>? {
        guard case .node(let element) = source else { return nil }
        return Self.soleTextNode(Self.attribute(at: index, of: element).pointee.children)
    }

    /// The bytes of a list of libxml2 nodes that is one text node or empty; nil for any other.
    @usableFromInline static func soleText(_ first: xmlNodePtr?) -> UnsafeBufferPointer<UInt8>? {
        guard first != nil else { return UnsafeBufferPointer(start: nil, count: 0) }
        guard soleTextNode(first) != nil else { return nil }
        return NodeArena.bytes(ofText: first!)
    }

    /// The NUL-terminated text of a list of libxml2 nodes that is one text node, as nearly every
    /// value is; nil for an empty list or any other.
    static func soleTextNode(_ first: xmlNodePtr?) -> UnsafePointer<xmlChar>? {
        guard let first, first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE else { return nil }
        return first.pointee.content.map { UnsafePointer($0) }
    }

    /// A required attribute, converted.
    @inlinable
    public mutating func attribute<Value: XMLValue>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value {
        guard let found = untakenAttributeFound(name, namespace) else { throw failure(.template("missing attribute \"", name.description, "\"")) }
        let index = found.index
        guard let value = attributeValue(found, as: Value.self, trusted: trustsValidation) else {
            throw failure(.template("attribute \"", name.description, "\": \"", attributeValue(at: index), "\""), isNotA: Value.self)
        }
        markAttributeTaken(index)
        return value
    }

    /// An optional attribute, converted.
    @inlinable
    public mutating func optionalAttribute<Value: XMLValue>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value? {
        guard let found = untakenAttributeFound(name, namespace) else { return nil }
        let index = found.index
        guard let value = attributeValue(found, as: Value.self, trusted: trustsValidation) else {
            throw failure(.template("attribute \"", name.description, "\": \"", attributeValue(at: index), "\""), isNotA: Value.self)
        }
        markAttributeTaken(index)
        return value
    }

    /// An attribute whose only allowed value is `value`; with `required` false, whether it is there.
    @discardableResult
    public mutating func fixedAttribute(_ name: _XMLLiteral, namespace: _XMLLiteral = "", value: _XMLLiteral, required: Bool) throws -> Bool {
        guard let index = untakenAttribute(name, namespace) else {
            if required { throw failure(.template("missing attribute \"", name.description, "\"")) }
            return false
        }
        guard attributeValue(at: index, is: value) else {
            throw failure("attribute \"\(name)\" is \"\(attributeValue(at: index))\", not \"\(value)\"")
        }
        markAttributeTaken(index)
        return true
    }

    /// The attributes, in order.
    var allAttributes: [XMLAttribute] {
        switch source {
        case .tree(let box): return box.element.attributes
        case .node(let element):
            return element.node.attributes.map { attribute in
                XMLAttribute(
                    attribute.localName, namespace: attribute.namespaceURI,
                    prefix: attribute.pointer.pointee.ns?.pointee.prefix.map { String(cString: $0) }, value: attribute.value)
            }
        }
    }

    /// The attributes no decoder has taken, for open content.
    public mutating func remainingAttributes() -> [XMLAttribute] {
        var result: [XMLAttribute] = []
        for (index, attribute) in allAttributes.enumerated() where !isAttributeTaken(index) {
            markAttributeTaken(index)
            result.append(attribute)
        }
        return result
    }

    // MARK: Child elements

    /// The position of the next untaken child element with this name at or after `start`. The
    /// names' bits rule out most absent ones here, in the caller, without a call.
    @inlinable
    func untakenChild(_ name: _XMLLiteral, _ namespace: _XMLLiteral, from start: Int) -> Int? {
        untakenChildFound(name, namespace, from: start)?.index
    }

    /// ``untakenChild(_:_:from:)``, with the child's node in libxml2's tree, so that a cursor on
    /// it is made without walking to it again.
    @inlinable
    func untakenChildFound(_ name: _XMLLiteral, _ namespace: _XMLLiteral, from start: Int) -> _XMLFoundChild? {
        guard Self.mayBeAmong(name, childNames) else { return nil }
        return searchUntakenChildFound(name, namespace, from: start)
    }

    @usableFromInline func searchUntakenChildFound(_ name: _XMLLiteral, _ namespace: _XMLLiteral, from start: Int) -> _XMLFoundChild? {
        switch source {
        case .tree(let box):
            let tree = box.element
            let children = tree.children
            var index = max(start, scanIndex)
            while index < children.count {
                if !isChildTaken(index), case .element(let child) = children[index], name.equals(child.localName), namespace.equals(child.namespace) {
                    return _XMLFoundChild(index: index, node: nil)
                }
                index += 1
            }
            return nil
        case .node(let element):
            return name.withBytes { nameBytes in
                var (index, node) = scanStart(in: element)
                while let current = node {
                    if index >= start, !isChildTaken(index), current.pointee.type == XML_ELEMENT_NODE,
                        Self.matches(current.pointee.name, current.pointee.ns, nameBytes, namespace)
                    {
                        return _XMLFoundChild(index: index, node: current)
                    }
                    index += 1
                    node = current.pointee.next
                }
                return nil
            }
        }
    }

    /// The position searches start from, and its node.
    @inline(__always)
    func scanStart(in element: LibXMLElement) -> (index: Int, node: xmlNodePtr?) {
        scanIndex == 0 ? (0, element.node.pointer.pointee.children) : (scanIndex, scanNode)
    }

    /// libxml2's child at `index`, walked to from the start of searches when it lies at or after it.
    func childNode(at index: Int, of element: LibXMLElement) -> xmlNodePtr {
        var (position, start) = index >= scanIndex ? scanStart(in: element) : (0, element.node.pointer.pointee.children)
        var node = start!
        while position < index {
            node = node.pointee.next!
            position += 1
        }
        return node
    }

    /// Marks the child at `index` taken, and moves the start of searches past what is taken.
    @usableFromInline mutating func takeChild(at index: Int) {
        markChildTaken(index)
        noteTaken(index)
        guard index >= scanIndex else { return }
        switch source {
        case .tree(let box):
            let children = box.element.children
            while scanIndex < children.count {
                if case .element = children[scanIndex], !isChildTaken(scanIndex) { break }
                scanIndex += 1
            }
        case .node(let element):
            var (position, node) = scanStart(in: element)
            while let current = node, isChildTaken(position) || current.pointee.type != XML_ELEMENT_NODE {
                position += 1
                node = current.pointee.next
            }
            if position != scanIndex { (scanIndex, scanNode) = (position, node) }
        }
    }

    /// Whether the element the cursor reads has this name.
    func isNamed(_ name: _XMLLiteral, _ namespace: _XMLLiteral) -> Bool {
        switch source {
        case .tree(let box): return name.equals(box.element.localName) && namespace.equals(box.element.namespace)
        case .node(let element): return name.withBytes { Self.matches(element.node.pointer.pointee.name, element.node.pointer.pointee.ns, $0, namespace) }
        }
    }

    /// A cursor on the child element at `index`, validated when this element is and `trusted`
    /// says the child's name stands for one type in the element's content.
    @inlinable func childCursor(at index: Int, trusted: Bool) -> _XMLCursor {
        var child = childCursor(at: index)
        child.validated = validated && trusted
        return child
    }

    /// A cursor on a child a search found, made from its node when it has one.
    @inlinable func childCursor(_ found: _XMLFoundChild, trusted: Bool) -> _XMLCursor {
        var child = found.node.map(childCursor(node:)) ?? childCursor(at: found.index)
        child.validated = validated && trusted
        return child
    }

    /// A cursor on a child node of libxml2's element this cursor reads.
    @usableFromInline func childCursor(node: xmlNodePtr) -> _XMLCursor {
        guard case .node(let element) = source else { preconditionFailure("a node of a tree read in Swift") }
        return _XMLCursor(child: XMLNode(node), of: element)
    }

    /// A cursor on the child element at `index`.
    @usableFromInline func childCursor(at index: Int) -> _XMLCursor {
        switch source {
        case .tree(let box):
            let tree = box.element
            guard case .element(let child) = tree.children[index] else { preconditionFailure("child \(index) is not an element") }
            return _XMLCursor(child)
        case .node(let element):
            return _XMLCursor(child: XMLNode(childNode(at: index, of: element)), of: element)
        }
    }

    /// The first untaken child with this name that decodes as `Value`: one name can stand for
    /// different content in different places of a group, and each place takes the child it fits.
    /// Nil when none does; `firstError` then says why the first child with the name did not.
    ///
    /// When no one will read the failure's reasons, a child that fails `screen` is passed over
    /// without being decoded; the failure is not kept in the table of decoded children, whose
    /// outcomes a later pass that wants reasons may read.
    @inlinable
    mutating func decodeFirst<Value>(
        _ name: _XMLLiteral, _ namespace: _XMLLiteral, asValue: Bool = false, trusted: Bool = false, firstError: inout (any Error)?,
        screen: ((_XMLCursor) -> Bool)? = nil, _ decode: (consuming _XMLCursor) throws -> Value
    ) -> Value? {
        var next = untakenChildFound(name, namespace, from: 0)
        while let found = next {
            if let value = decodeFound(found, asValue: asValue, trusted: trusted, firstError: &firstError, screen: screen, decode) { return value }
            next = untakenChildFound(name, namespace, from: found.index + 1)
        }
        return nil
    }

    /// A found child decoded as `Value` and taken, as ``decodeFirst(_:_:asValue:trusted:firstError:screen:_:)``
    /// decodes each child it finds; nil, with `firstError` set if it is the first failure, when
    /// it does not decode.
    @inlinable
    mutating func decodeFound<Value>(
        _ found: _XMLFoundChild, asValue: Bool = false, trusted: Bool, firstError: inout (any Error)?,
        screen: ((_XMLCursor) -> Bool)? = nil, _ decode: (consuming _XMLCursor) throws -> Value
    ) -> Value? {
        let index = found.index
        if !reasonsWanted, let screen, !screen(childCursor(found, trusted: false)) {
            firstError = firstError ?? XMLDecodingError.unread
        } else if let decoded {
            // Decoding a child depends on nothing but the child: under a choice, whose
            // alternatives (and repetitions) try the same children again, it is done once.
            let key = _XMLDecodedChildren.Key(index: index, type: ObjectIdentifier(Value.self), asValue: asValue)
            let outcome: Result<Value, any Error>
            if let known = decoded.outcomes[key] {
                // The key names `Value`, so the box holds a `Value`: no dynamic cast.
                outcome = unsafeDowncast(known, to: _XMLDecodedChildren.Outcome<Value>.self).result
            } else {
                outcome = Result { try decode(childCursor(found, trusted: trusted)) }
                decoded.outcomes[key] = _XMLDecodedChildren.Outcome(outcome)
            }
            switch outcome {
            case .success(let value):
                takeChild(at: index)
                return value
            case .failure(let error):
                firstError = firstError ?? error
            }
        } else {
            // Outside choices: decoded straight into place, without a `Result` to copy through.
            do {
                let value = try decode(childCursor(found, trusted: trusted))
                takeChild(at: index)
                return value
            } catch {
                firstError = firstError ?? error
            }
        }
        return nil
    }

    /// A required child element, decoded.
    @inlinable
    public mutating func element<Value: XMLElementCodable>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value {
        var error: (any Error)?
        if let value = decodeFirst(name, namespace, trusted: trustsValidation, firstError: &error, screen: Value._xmlScreen, Value.init(xmlElementCursor:)) { return value }
        throw error ?? failure(.template("missing element <", name.description, ">"))
    }

    /// An optional child element, decoded; nil when no child with the name decodes as `Value`.
    @inlinable
    public mutating func optionalElement<Value: XMLElementCodable>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value? {
        var error: (any Error)?
        return decodeFirst(name, namespace, trusted: trustsValidation, firstError: &error, screen: Value._xmlScreen, Value.init(xmlElementCursor:))
    }

    /// Every remaining child element with this name that decodes as `Value`.
    @inlinable
    public mutating func elements<Value: XMLElementCodable>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> [Value] {
        var result: [Value] = []
        var error: (any Error)?
        while let value = decodeFirst(name, namespace, trusted: trustsValidation, firstError: &error, screen: Value._xmlScreen, Value.init(xmlElementCursor:)) { result.append(value) }
        return result
    }

    /// A child element holding only `value` (as written or collapsed), the one value the grammar
    /// allows it: taken when there is one; when there is none, an error if `required`, else false.
    /// Checked directly rather than through the table of decoded children, whose entries are
    /// told apart by type, not by fixed value.
    @discardableResult
    public mutating func fixedValueElement(_ name: _XMLLiteral, namespace: _XMLLiteral = "", value: _XMLLiteral, required: Bool) throws -> Bool {
        var firstError: (any Error)?
        var next = untakenChild(name, namespace, from: 0)
        while let index = next {
            var child = childCursor(at: index)
            do {
                try child.fixedText(value)
                try child.finish()
                takeChild(at: index)
                return true
            } catch {
                firstError = firstError ?? error
            }
            next = untakenChild(name, namespace, from: index + 1)
        }
        if required { throw firstError ?? failure(.template("missing element <", name.description, ">")) }
        return false
    }

    /// A required child element holding only a value.
    @inlinable
    public mutating func valueElement<Value: XMLValue>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value {
        var error: (any Error)?
        if let value = decodeFirst(name, namespace, asValue: true, trusted: trustsValidation, firstError: &error, { try Self.value(of: $0, as: type) }) { return value }
        throw error ?? failure(.template("missing element <", name.description, ">"))
    }

    /// An optional child element holding only a value.
    @inlinable
    public mutating func optionalValueElement<Value: XMLValue>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value? {
        var error: (any Error)?
        return decodeFirst(name, namespace, asValue: true, trusted: trustsValidation, firstError: &error, { try Self.value(of: $0, as: type) })
    }

    /// Every remaining child element with this name, each holding only a value.
    @inlinable
    public mutating func valueElements<Value: XMLValue>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> [Value] {
        var result: [Value] = []
        var error: (any Error)?
        while let value = decodeFirst(name, namespace, asValue: true, trusted: trustsValidation, firstError: &error, { try Self.value(of: $0, as: type) }) { result.append(value) }
        return result
    }

    @inlinable
    static func value<Value: XMLValue>(of child: _XMLCursor, as type: Value.Type) throws -> Value {
        var inner = child
        // The child holds nothing but this value: validated, it was checked as `Value`.
        let value = try inner.text(as: type, trustsValidation: true)
        try inner.finish()
        return value
    }

    /// The child element at `index` as a tree, for open content.
    func childTree(at index: Int) -> XMLElement {
        switch source {
        case .tree(let box):
            let tree = box.element
            guard case .element(let child) = tree.children[index] else { preconditionFailure("child \(index) is not an element") }
            return child
        case .node:
            return childCursor(at: index).element
        }
    }

    @inline(__always)
    mutating func noteTaken(_ index: Int) {
        if index < lastChildTaken { childrenTakenInOrder = false }
        lastChildTaken = max(lastChildTaken, index)
    }

    /// The child elements no decoder has taken, in order, for open content.
    public mutating func remainingElements() -> [XMLElement] {
        var result: [XMLElement] = []
        switch source {
        case .tree(let box):
            let tree = box.element
            for (index, child) in tree.children.enumerated() where !isChildTaken(index) {
                guard case .element(let element) = child else { continue }
                markChildTaken(index)
                noteTaken(index)
                result.append(element)
            }
        case .node(let element):
            var index = 0
            var node = element.node.pointer.pointee.children
            while let current = node {
                if !isChildTaken(index), current.pointee.type == XML_ELEMENT_NODE {
                    markChildTaken(index)
                    noteTaken(index)
                    result.append(XMLElement(unread: UnreadXMLElement(XMLNode(current), in: element.document)))
                }
                index += 1
                node = current.pointee.next
            }
        }
        return result
    }

    /// Walks the untaken child elements from where searches start, in order, until `body`
    /// returns false: each with its position and, in libxml2's tree, its node.
    @inline(__always)
    func walkUntakenElements(_ body: (_ index: Int, _ node: xmlNodePtr?) -> Bool) {
        switch source {
        case .tree(let box):
            let children = box.element.children
            for index in scanIndex..<children.count where !isChildTaken(index) {
                if case .element = children[index], !body(index, nil) { return }
            }
        case .node(let element):
            var (index, node) = scanStart(in: element)
            while let current = node {
                if !isChildTaken(index), current.pointee.type == XML_ELEMENT_NODE, !body(index, current) { return }
                index += 1
                node = current.pointee.next
            }
        }
    }

    /// The first untaken child element's position.
    func firstUntakenElement() -> Int? {
        var first: Int?
        walkUntakenElements { index, _ in
            first = index
            return false
        }
        return first
    }

    /// How many child elements are still untaken, counting no further than `limit`.
    @usableFromInline func untakenElementCount(limit: Int) -> Int {
        var count = 0
        walkUntakenElements { _, _ in
            count += 1
            return count < limit
        }
        return count
    }

    /// The next untaken child element, with its name at hand, for a choice to dispatch on.
    public func nextElement() -> _XMLNextElement? {
        var next: _XMLNextElement?
        walkUntakenElements { index, node in
            if let node {
                let count = node.pointee.name.map(Self.nameLength) ?? 0
                next = _XMLNextElement(index: index, name: .node(node, nameCount: count))
            } else if case .tree(let box) = source, case .element(let child) = box.element.children[index] {
                next = _XMLNextElement(index: index, name: .string(child.localName, child.namespace))
            }
            return false
        }
        return next
    }

    /// The next child element decoded as `Value` and taken; nil, with nothing taken, when it
    /// does not decode.
    @inlinable
    public mutating func element<Value: XMLElementCodable>(_ next: _XMLNextElement, as type: Value.Type = Value.self, trustsValidation: Bool = false) -> Value? {
        guard let value = try? Value(xmlElementCursor: childCursor(at: next.index, trusted: trustsValidation)) else { return nil }
        takeChild(at: next.index)
        return value
    }

    /// The next child element's value, and the child taken; nil, with nothing taken, when the
    /// child holds no value of `Value`.
    @inlinable
    public mutating func valueElement<Value: XMLValue>(_ next: _XMLNextElement, as type: Value.Type = Value.self, trustsValidation: Bool = false) -> Value? {
        guard let value = try? Self.value(of: childCursor(at: next.index, trusted: trustsValidation), as: type) else { return nil }
        takeChild(at: next.index)
        return value
    }

    /// Whether an element child with this name is still untaken (and, when `type` is given,
    /// passes its screen: whether it can possibly decode as `type`).
    public func hasElement(_ name: _XMLLiteral, namespace: _XMLLiteral = "", screenedBy type: (any XMLElementCodable.Type)? = nil) -> Bool {
        guard let type else { return untakenChild(name, namespace, from: 0) != nil }
        return hasElement(name, namespace, where: type._xmlScreen)
    }

    /// Whether an untaken element child with this name holds a value of `type`.
    public func hasElement(_ name: _XMLLiteral, namespace: _XMLLiteral = "", withValue type: any XMLValue.Type) -> Bool {
        hasElement(name, namespace) { $0.hasText(as: type) }
    }

    /// Whether an untaken element child with this name has the text `value`, compared as
    /// `fixedText(_:)` compares it.
    public func hasElement(_ name: _XMLLiteral, namespace: _XMLLiteral = "", withText value: _XMLLiteral) -> Bool {
        hasElement(name, namespace) { $0.hasText(value) }
    }

    /// Whether an untaken element child with this name satisfies `test`.
    func hasElement(_ name: _XMLLiteral, _ namespace: _XMLLiteral, where test: (_XMLCursor) -> Bool) -> Bool {
        var next = untakenChild(name, namespace, from: 0)
        while let index = next {
            if test(childCursor(at: index)) { return true }
            next = untakenChild(name, namespace, from: index + 1)
        }
        return false
    }

    /// ``childOrder``, with the names of `table` (those the element's content reads) taken
    /// from it rather than made from libxml2's for each child.
    public func childOrder(_ table: _XMLNameTable) -> XMLChildOrder {
        guard !childrenTakenInOrder else { return XMLChildOrder() }
        guard case .node(let element) = source else { return childOrder }
        var keys: [XMLChildOrder.Key] = []
        keys.reserveCapacity(Int(max(elementCount, 0)))
        var child = element.node.pointer.pointee.children
        while let current = child {
            child = current.pointee.next
            guard current.pointee.type == XML_ELEMENT_NODE, let name = current.pointee.name else { continue }
            let position = table.position(carried: current.pointee.psvi, name: name, namespace: current.pointee.ns)
            if position >= 0 {
                keys.append(table.orderKeys[position])
            } else {
                let node = XMLNode(current)
                keys.append(XMLChildOrder.Key(namespace: node.namespaceURI, localName: node.localName))
            }
        }
        return XMLChildOrder(keys)
    }

    /// The child elements' names in document order, for ``XMLChildOrder``; none when the
    /// children were read in document order, which encoding gives by itself.
    public var childOrder: XMLChildOrder {
        guard !childrenTakenInOrder else { return XMLChildOrder() }
        switch source {
        case .tree(let box):
            let tree = box.element
            return XMLChildOrder(tree.elements.map { XMLChildOrder.Key(namespace: $0.namespace, localName: $0.localName) })
        case .node(let element):
            var keys: [XMLChildOrder.Key] = []
            // Counted first: growing the array key by key reallocates it several times for an
            // element with many children (a `<domain>`, its `<devices>`).
            var count = 0
            var child = element.node.pointer.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE { count += 1 }
                child = current.pointee.next
            }
            keys.reserveCapacity(count)
            var previous: (name: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?)
            child = element.node.pointer.pointee.children
            while let current = child {
                child = current.pointee.next
                guard current.pointee.type == XML_ELEMENT_NODE else { continue }
                // libxml2 keeps one copy of each name, so a run of like children (a snapshot's
                // disks) shares its key's strings.
                let name = (current.pointee.name, current.pointee.ns?.pointee.href)
                if let last = keys.last, name == previous {
                    keys.append(last)
                } else {
                    let node = XMLNode(current)
                    keys.append(XMLChildOrder.Key(namespace: node.namespaceURI, localName: node.localName))
                    previous = name
                }
            }
            return XMLChildOrder(keys)
        }
    }

    // MARK: Text and completion

    /// The element's text: its text children, concatenated.
    @usableFromInline var elementText: String {
        switch source {
        case .tree(let box): return box.element.text
        case .node(let element): return element.node.textContent
        }
    }

    /// The element's text, converted.
    @inlinable
    public mutating func text<Value: XMLValue>(as type: Value.Type = Value.self, trustsValidation: Bool = false) throws -> Value {
        textTaken = true
        if let bytes = soleText {
            guard let value = convert(bytes, as: type, trusted: trustsValidation) else {
                throw failure(.template("\"", String(decoding: bytes, as: UTF8.self), "\""), isNotA: Value.self)
            }
            return value
        }
        let text = elementText
        guard let value = Value(xmlValue: text) else { throw failure(.template("\"", text, "\""), isNotA: Value.self) }
        return value
    }

    /// The bytes of the element's text in libxml2's tree, when it has one text child or no child.
    @usableFromInline var soleText: UnsafeBufferPointer<UInt8>? {
        guard case .node(let element) = source else { return nil }
        return Self.soleText(element.node.pointer.pointee.children)
    }

    /// Whether text, as bytes when there are (else as `string`), is a value of `type`.
    static func converts(_ bytes: UnsafeBufferPointer<UInt8>?, orElse string: @autoclosure () -> String, to type: any XMLValue.Type) -> Bool {
        if let bytes { return type._xmlIsValue(utf8: bytes) }
        return type.init(xmlValue: string()) != nil
    }

    /// The element's text, which must be `value` (as written or with its whitespace collapsed):
    /// the grammar allows this one value and no other, so it needs no property.
    public mutating func fixedText(_ value: _XMLLiteral) throws {
        guard hasText(value) else { throw failure("the text is \"\(elementText)\", not \"\(value)\"") }
        textTaken = true
    }

    /// Whether the element's text is `value`, compared as `fixedText(_:)` compares it.
    public func hasText(_ value: _XMLLiteral) -> Bool {
        if case .node(let element) = source {
            // Most texts are one text node, or none: compared in place, without making a string.
            let first = element.node.pointer.pointee.children
            if first == nil { return value.isEmpty }
            if let content = Self.soleTextNode(first) { return Self.equalAsWrittenOrCollapsed(content, value) }
        }
        let text = elementText
        return value.equals(text) || value.equals(XMLWhitespace.collapsed(text))
    }

    /// Whether the element's text converts to `type`.
    public func hasText(as type: any XMLValue.Type) -> Bool {
        Self.converts(soleText, orElse: elementText, to: type)
    }

    /// The element's text, converted; nil when it has none but whitespace.
    @inlinable
    public mutating func optionalText<Value: XMLValue>(as type: Value.Type = Value.self, trustsValidation: Bool = false) throws -> Value? {
        guard !XMLWhitespace.isWhitespace(elementText) else {
            textTaken = true
            return nil
        }
        return try text(as: type, trustsValidation: trustsValidation)
    }

    /// Runs `body` on a copy and keeps its progress only when it succeeds: one alternative of a choice.
    @inlinable
    public mutating func attempt<Result>(_ body: (inout _XMLCursor) throws -> Result) -> Result? {
        var copy = self
        guard let result = try? body(&copy) else { return nil }
        self = copy
        return result
    }

    /// Whether the cursor took anything that `other` (an earlier state) had not.
    public func hasAdvanced(since other: _XMLCursor) -> Bool {
        if attributesTaken != other.attributesTaken || childrenTaken != other.childrenTaken || textTaken != other.textTaken { return true }
        if extra === other.extra { return false }
        return (extra?.attributeWords ?? _XMLBitWords()).differs(from: other.extra?.attributeWords ?? _XMLBitWords())
            || (extra?.childWords ?? _XMLBitWords()).differs(from: other.extra?.childWords ?? _XMLBitWords())
    }

    /// Fails when an attribute, a child element or non-whitespace text was left unused. Runs for
    /// every element, so nothing is made of the children that were taken or are only indentation.
    public func finish() throws {
        switch source {
        case .tree(let box):
            let tree = box.element
            for (index, attribute) in tree.attributes.enumerated() where !isAttributeTaken(index) {
                throw failure(.template("unexpected attribute \"", attribute.qualifiedName, "\""))
            }
            for (index, child) in tree.children.enumerated() where !isChildTaken(index) {
                switch child {
                case .element(let element): throw failure(.template("unexpected element <", element.qualifiedName, ">"))
                case .text(let text):
                    if !textTaken && !XMLWhitespace.isWhitespace(text) { throw failure(.template("unexpected text \"", text, "\"")) }
                }
            }
        case .node(let element):
            // Every attribute and child element taken, and any text read or checked by validation:
            // nothing to look at. Otherwise the walk below finds what was left, or the text.
            if attributesTakenCount == Int(attributeCount), childrenTakenCount == Int(elementCount), textTaken || validated { return }
            var index = 0
            var attribute = element.node.pointer.pointee.properties
            while let current = attribute {
                if !isAttributeTaken(index) { throw failure(.template("unexpected attribute \"", RelaxNG.XMLAttribute(pointer: current).qualifiedName, "\"")) }
                index += 1
                attribute = current.pointee.next
            }
            index = 0
            var node = element.node.pointer.pointee.children
            while let current = node {
                if !isChildTaken(index) {
                    switch current.pointee.type {
                    case XML_ELEMENT_NODE: throw failure(.template("unexpected element <", XMLNode(current).qualifiedName, ">"))
                    case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                        // A validated element matched the pattern this decoder comes from: text it
                        // has where that pattern allows none is whitespace, which validation checked.
                        if !textTaken, !validated, let content = current.pointee.content, !XMLNames.isWhitespace(nulTerminated: content) {
                            throw failure(.template("unexpected text \"", String(cString: content), "\""))
                        }
                    default: break
                    }
                }
                index += 1
                node = current.pointee.next
            }
        }
    }

}

/// The order an element's children were read in, so that encoding writes interleaved children
/// back in that order. It never affects equality, hashing or JSON: two values that differ only in
/// the order of interleaved children are equal, as the grammar says.
public struct XMLChildOrder: Hashable, Sendable, Codable {
    public struct Key: Hashable, Sendable {
        public var namespace: String
        public var localName: String

        public init(namespace: String, localName: String) {
            self.namespace = namespace
            self.localName = localName
        }
    }

    public var keys: [Key]

    public init(_ keys: [Key] = []) { self.keys = keys }

    public static func == (left: XMLChildOrder, right: XMLChildOrder) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
    public init(from decoder: any Decoder) throws { keys = [] }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }

    /// `children` (in the grammar's order) rearranged into the recorded order; children the
    /// order does not mention keep their place after the others.
    public func arrange(_ children: [XMLContent]) -> [XMLContent] {
        guard !keys.isEmpty else { return children }
        // Each child's name, read once: taking an element out of its case copies the element,
        // retaining each of its strings and arrays.
        let names = children.map { child -> Key? in
            guard case .element(let element) = child else { return nil }
            return Key(namespace: element.namespace, localName: element.localName)
        }
        // Elements only, already in the recorded order: what a value that was decoded and not
        // changed gives.
        if names.count == keys.count, names.indices.allSatisfy({ names[$0] == keys[$0] }) { return children }
        // Interleaved children (libvirt's `<devices>`) are seldom in the grammar's order, so this
        // runs for them on every encode: for the few children elements have, scanning beats
        // hashing every name.
        guard children.count <= 64 else { return arrangeMany(children, names) }
        var used = Array(repeating: false, count: children.count)
        var result: [XMLContent] = []
        result.reserveCapacity(children.count)
        for key in keys {
            for index in names.indices where !used[index] && names[index] == key {
                used[index] = true
                result.append(children[index])
                break
            }
        }
        Self.appendUnused(children, used, to: &result)
        return result
    }

    /// ``arrange(_:)`` for many children: each name's children in a queue.
    private func arrangeMany(_ children: [XMLContent], _ names: [Key?]) -> [XMLContent] {
        // Each name's children in a queue, taken in the recorded order.
        var queues: [Key: [Int]] = [:]
        for (index, name) in names.enumerated() {
            if let name { queues[name, default: []].append(index) }
        }
        var heads: [Key: Int] = [:]
        var used = Array(repeating: false, count: children.count)
        var result: [XMLContent] = []
        result.reserveCapacity(children.count)
        for key in keys {
            guard let queue = queues[key] else { continue }
            let head = heads[key, default: 0]
            guard head < queue.count else { continue }
            heads[key] = head + 1
            used[queue[head]] = true
            result.append(children[queue[head]])
        }
        Self.appendUnused(children, used, to: &result)
        return result
    }

    /// The children the order did not mention: elements, then text.
    private static func appendUnused(_ children: [XMLContent], _ used: [Bool], to result: inout [XMLContent]) {
        for index in children.indices where !used[index] {
            if case .element = children[index] { result.append(children[index]) }
        }
        for index in children.indices where !used[index] {
            if case .text = children[index] { result.append(children[index]) }
        }
    }
}

extension _XMLCursor {
    /// The position of the first child this cursor took that `earlier` had not.
    public func firstChildTaken(since earlier: _XMLCursor) -> Int? {
        let fresh = childrenTaken & ~earlier.childrenTaken
        if fresh != 0 { return fresh.trailingZeroBitCount }
        return extra?.childWords.first(notIn: earlier.extra?.childWords ?? _XMLBitWords()).map { 64 + $0 }
    }

    /// How many attributes, children and texts have been taken.
    public var takenCount: Int {
        attributesTakenCount + childrenTakenCount + (textTaken ? 1 : 0)
    }
}

/// Plumbing for generated decoders of choices. The result is that of trying every alternative
/// and keeping the one that takes the most of the element, and of those the one that starts
/// earliest in the document (then the first in the grammar), so an alternative that matches by
/// taking nothing never hides one that takes what is there, and repeated choices follow the
/// document's order.
///
/// Trying every alternative is only the definition. The generator gives each alternative a
/// ``Requirement`` it cannot succeed without (a fixed attribute value, a required child), and
/// the choice runs in passes (`while choice.nextPass() { … }`) that try only the alternatives
/// that can win:
/// - when every alternative is one child element, the first pass tries only those named like the
///   next untaken child element; one that decodes it cannot be beaten, as each takes one child;
/// - the next pass tries the alternatives whose requirement is met: the others would fail. It
///   also skips an alternative that can match by taking nothing when nothing it could take is
///   there (`consider(takingAnyOf:_:)`): taking nothing, it loses to any alternative that takes
///   something. When none took anything, a pass tries every alternative in the grammar's order;
/// - the last pass tries them all, only when none matched and the failure's reasons are wanted.
public struct _XMLChoice<Value> {
    /// What an alternative cannot succeed without.
    public enum Requirement {
        /// An untaken attribute, with this value when one is given, or a value of this type.
        case attribute(_XMLLiteral, namespace: _XMLLiteral = "", value: _XMLLiteral? = nil, as: (any XMLValue.Type)? = nil)
        /// An untaken child element; one that passes the screen of the alternative's type for it,
        /// when given (see `XMLElementCodable._xmlScreen(_:)`).
        case child(_XMLLiteral, namespace: _XMLLiteral = "", screenedBy: (any XMLElementCodable.Type)? = nil)
    }

    /// `all` follows `requirements` when an alternative that takes nothing was skipped and no
    /// alternative took anything: it tries each one, in the grammar's order, to break the tie.
    @usableFromInline enum Pass { case notStarted, nextChild, requirements, all, every, done }

    @usableFromInline var start: _XMLCursor
    // The best alternative so far, in separate properties rather than a tuple: a choice's value
    // (a `<devices>` child) can be large, and each copy of it costs.
    @usableFromInline var bestValue: Value?
    /// The cursor after the best alternative; nil until one succeeds, so that a choice makes no
    /// copy of its cursor beyond the one it starts its alternatives from.
    @usableFromInline var bestCursor: _XMLCursor?
    @usableFromInline var bestTaken = 0
    @usableFromInline var bestPosition = 0
    @usableFromInline var errors: [any Error] = []
    @usableFromInline let dispatchesOnNextChild: Bool
    @usableFromInline var pass = Pass.notStarted
    @usableFromInline var attempted = false
    /// The next untaken child element, found once for the `.nextChild` pass.
    @usableFromInline var nextChild: _XMLNextElement?
    /// The last attribute a requirement looked up, and where it is among the untaken ones.
    @usableFromInline var knownAttribute: (name: _XMLLiteral, namespace: _XMLLiteral, index: Int?, text: UnsafePointer<xmlChar>?)?
    /// The last child a requirement with a screen looked up.
    @usableFromInline var knownChild = _XMLKnownChild()
    /// Whether the `requirements` pass skipped an alternative that takes nothing.
    @usableFromInline var skippedTakingNothing = false

    /// `dispatchesOnNextChild` says every alternative is exactly one child element.
    @inlinable
    public init(_ cursor: _XMLCursor, dispatchesOnNextChild: Bool = false) {
        self.start = cursor
        self.dispatchesOnNextChild = dispatchesOnNextChild
    }

    /// Starts the next pass over the alternatives; false once the choice is decided.
    @inlinable
    public mutating func nextPass() -> Bool {
        switch pass {
        case .notStarted:
            if dispatchesOnNextChild {
                if let next = start.nextElement() {
                    nextChild = next
                    pass = .nextChild
                    return true
                }
                // Each alternative is one child element, and none is left: nothing can match,
                // and only the pass that gathers reasons would try them (a repeated choice,
                // libvirt's `<devices>`, ends this way every time).
                if !start.reasonsWanted { return finish() }
            }
            pass = .requirements
            return true
        case .nextChild:
            if bestValue != nil, bestPosition == nextChild?.index { return finish() }
            bestValue = nil
            pass = .requirements
            return true
        case .requirements:
            // A skipped alternative takes nothing: it would have tied with an alternative that
            // took nothing, and the grammar's order breaks ties.
            if skippedTakingNothing, bestValue == nil || bestTaken == start.takenCount {
                bestValue = nil
                bestCursor = nil
                pass = .all
                return true
            }
            guard bestValue == nil, start.reasonsWanted else { return finish() }
            pass = .every
            return true
        case .all:
            guard bestValue == nil, start.reasonsWanted else { return finish() }
            pass = .every
            return true
        case .every, .done:
            return finish()
        }
    }

    @inlinable
    mutating func finish() -> Bool {
        pass = .done
        return false
    }

    /// Tries `alternative` when its requirement allows it to win in this pass.
    @inlinable
    public mutating func consider(requiring requirement: Requirement, _ alternative: (inout _XMLCursor) throws -> Value) {
        switch pass {
        case .nextChild:
            guard case .child(let name, let namespace, let screen) = requirement, let next = nextChild,
                next.isNamed(name, namespace: namespace), screen?._xmlScreen(start.childCursor(at: next.index)) ?? true
            else { return }
        case .requirements, .all:
            guard has(requirement) else { return }
        case .notStarted, .every, .done:
            break
        }
        attempt(alternative)
    }

    /// Whether the element has what `requirement` names.
    @inlinable
    public mutating func has(_ requirement: Requirement) -> Bool {
        switch requirement {
        case .attribute(let name, let namespace, let value, let type):
            // Alternatives told apart by one attribute's value ask for it in turn: it is
            // looked up once, and its text, when it is libxml2's, found once (walking to the
            // attribute for each alternative cost 14 M of the 4,420 libvirt decodes).
            let index: Int?, text: UnsafePointer<xmlChar>?
            if let known = knownAttribute, known.name == name, known.namespace == namespace {
                (index, text) = (known.index, known.text)
            } else {
                index = start.untakenAttribute(name, namespace)
                text = index.flatMap { start.attributeTextNode(at: $0) }
                knownAttribute = (name, namespace, index, text)
            }
            guard let index else { return false }
            if let value, let text { return _XMLCursor.equalAsWrittenOrCollapsed(text, value) }
            return start.attributeValue(at: index, is: value, as: type)
        case .child(let name, let namespace, nil):
            return start.hasElement(name, namespace: namespace)
        case .child(let name, let namespace, let screen?):
            return knownChild.has(name, namespace, screenedBy: screen, in: start)
        }
    }

    /// Tries `alternative`, which has no requirement the generator could name.
    @inlinable
    public mutating func consider(_ alternative: (inout _XMLCursor) throws -> Value) {
        // Only alternatives of one child take part in the pass that dispatches on the next child.
        if pass == .nextChild { return }
        attempt(alternative)
    }

    /// Tries `alternative`, which can match by taking nothing, and takes something only when
    /// `takesAny` finds (through ``has(_:)``) one of the attributes or children it reads.
    /// Without them, it would only win when no alternative takes anything: the `requirements`
    /// pass skips it, and the `all` pass tries it if that happens.
    @inlinable
    public mutating func consider(takingAnyOf takesAny: (inout _XMLChoice) -> Bool, _ alternative: (inout _XMLCursor) throws -> Value) {
        switch pass {
        case .nextChild:
            return
        case .requirements:
            guard takesAny(&self) else {
                skippedTakingNothing = true
                return
            }
        case .notStarted, .all, .every, .done:
            break
        }
        attempt(alternative)
    }

    @inlinable
    mutating func attempt(_ alternative: (inout _XMLCursor) throws -> Value) {
        // From the second alternative on, alternatives may try children an earlier one tried:
        // they share what decoding each gave. Most choices (an attribute's value, one child
        // named like the next) try one alternative and need no table; nor does the pass that
        // dispatches on the next child, which tries each child once.
        if attempted, pass == .requirements || pass == .all || pass == .every, start.decoded == nil { start.decoded = _XMLDecodedChildren() }
        attempted = true
        var attempt = start
        // No failure of these passes is ever read: the value is found in them or not at all,
        // and the pass that tries every alternative, when it comes, gathers the reasons again.
        // So nested choices skip that pass, and children that fail their screens go untried.
        if pass == .nextChild || pass == .requirements || pass == .all { attempt.reasonsWanted = false }
        do {
            let value = try alternative(&attempt)
            attempt.reasonsWanted = start.reasonsWanted
            let taken = attempt.takenCount
            let position = attempt.firstChildTaken(since: start) ?? Int.max
            if bestValue != nil, taken < bestTaken || (taken == bestTaken && position >= bestPosition) { return }
            bestValue = value
            bestCursor = consume attempt
            bestTaken = taken
            bestPosition = position
        } catch {
            // The passes that try only some alternatives drop their failures: only trying every
            // alternative says why none matched.
            if pass != .nextChild, pass != .requirements, pass != .all { errors.append(error) }
        }
    }

    /// The chosen alternative's value, with `cursor` moved past what it took.
    @inlinable
    public mutating func result(into cursor: inout _XMLCursor, typeName: String) throws -> Value {
        guard let value = bestValue.take() else {
            // Under optional content, the failure is the shared unread one (see `failure`).
            throw cursor.failure("none of the alternatives of \(typeName) matches", because: errors)
        }
        cursor = bestCursor.take()!
        return value
    }
}

/// Plumbing for `_XMLChoice`: the untaken child that requirements with screens looked up last,
/// and the screens it passed or failed. libvirt's `<os>` alternatives each ask for the same
/// `<os>` among twenty children, each with its own screen, two of them the same. Not generic,
/// so that no choice looks up its own type's metadata to read it.
@usableFromInline struct _XMLKnownChild {
    @usableFromInline var name: _XMLLiteral = ""
    @usableFromInline var namespace: _XMLLiteral = ""
    /// Whether `first` and `more` are for `name` and `namespace`.
    @usableFromInline var isKnown = false
    /// The first untaken child with the name.
    @usableFromInline var first: Int?
    /// Whether another follows it; found only when a screen fails on the first.
    @usableFromInline var more: Bool?
    /// Screens tried on `first`, and whether it passed each; the first four kept.
    @usableFromInline var screens: (ObjectIdentifier?, ObjectIdentifier?, ObjectIdentifier?, ObjectIdentifier?) = (nil, nil, nil, nil)
    @usableFromInline var passed: (Bool, Bool, Bool, Bool) = (false, false, false, false)

    @usableFromInline init() {}

    /// Whether an untaken child of `cursor` has this name and passes `screen`.
    @usableFromInline mutating func has(_ name: _XMLLiteral, _ namespace: _XMLLiteral, screenedBy screen: any XMLElementCodable.Type, in cursor: _XMLCursor) -> Bool {
        if !isKnown || self.name != name || self.namespace != namespace {
            self = _XMLKnownChild()
            (self.name, self.namespace, isKnown) = (name, namespace, true)
            first = cursor.untakenChild(name, namespace, from: 0)
        }
        guard let first else { return false }
        let type = ObjectIdentifier(screen)
        let passes: Bool
        if screens.0 == type { passes = passed.0 } else if screens.1 == type { passes = passed.1 }
        else if screens.2 == type { passes = passed.2 } else if screens.3 == type { passes = passed.3 }
        else {
            passes = screen._xmlScreen(cursor.childCursor(at: first))
            if screens.0 == nil { (screens.0, passed.0) = (type, passes) } else if screens.1 == nil { (screens.1, passed.1) = (type, passes) }
            else if screens.2 == nil { (screens.2, passed.2) = (type, passes) } else if screens.3 == nil { (screens.3, passed.3) = (type, passes) }
        }
        if passes { return true }
        if more == nil { more = cursor.untakenChild(name, namespace, from: first + 1) != nil }
        return more! && cursor.hasElement(name, namespace: namespace, screenedBy: screen)
    }
}

/// Plumbing for generated decoders: the values of one attribute that tell a choice's
/// alternatives apart, each alternative having values of its own (libvirt's
/// `<address type=…>`, `<controller type=…>`, `<disk device=…>`). The value an element has
/// picks the one alternative that can match, tried at once instead of through `_XMLChoice`'s
/// passes.
public struct _XMLAttributeDispatch: Sendable {
    @usableFromInline let name: _XMLLiteral
    @usableFromInline let namespace: _XMLLiteral
    /// The alternatives' values, in collapsed form (no leading, trailing or repeated spaces), so
    /// that a text matches at most one.
    @usableFromInline let values: [_XMLLiteral]
    /// Whether one alternative is that of elements without the attribute.
    @usableFromInline let whenAbsent: Bool

    public init(_ name: _XMLLiteral, namespace: _XMLLiteral = "", values: [_XMLLiteral], whenAbsent: Bool = false) {
        self.name = name
        self.namespace = namespace
        self.values = values
        self.whenAbsent = whenAbsent
    }
}

extension _XMLCursor {
    /// The position in `dispatch.values` of the value of the untaken attribute it names;
    /// `dispatch.values.count` when there is no such attribute and an alternative is for that;
    /// else -1. Compared as `fixedAttribute` compares, as written or collapsed.
    public func alternative(_ dispatch: _XMLAttributeDispatch) -> Int {
        guard let index = untakenAttribute(dispatch.name, dispatch.namespace) else { return dispatch.whenAbsent ? dispatch.values.count : -1 }
        if let text = attributeTextNode(at: index) {
            return dispatch.values.firstIndex { Self.equalAsWrittenOrCollapsed(text, $0) } ?? -1
        }
        return dispatch.values.firstIndex { attributeValue(at: index, is: $0) } ?? -1
    }

    /// The value of `alternative` read from this cursor, which then moves past what it took; nil,
    /// with the cursor unmoved, when it fails. A failure's reasons are not gathered: the caller
    /// falls back to `_XMLChoice`, which says why no alternative matched.
    @inlinable
    public mutating func attemptWithoutReasons<Value>(_ alternative: (inout _XMLCursor) throws -> Value) -> Value? {
        var copy = self
        copy.reasonsWanted = false
        guard let value = try? alternative(&copy) else { return nil }
        copy.reasonsWanted = reasonsWanted
        self = consume copy
        return value
    }
}

/// Plumbing for generated decoders: the next untaken child element of a cursor, read once so
/// that a choice can test its name against each alternative's without looking for it again.
public struct _XMLNextElement {
    @usableFromInline let index: Int
    let name: Name

    enum Name {
        /// libxml2's element, which lives as long as the document, and its name's length: most
        /// alternatives' names differ from it in length.
        case node(xmlNodePtr, nameCount: Int)
        case string(String, String)
    }

    init(index: Int, name: Name) {
        self.index = index
        self.name = name
    }

    /// The position of the element's name in `table`; -1 when it is not there.
    public func position(in table: _XMLNameTable) -> Int {
        switch name {
        case .node(let node, _):
            guard let name = node.pointee.name else { return -1 }
            return table.position(carried: node.pointee.psvi, name: name, namespace: node.pointee.ns)
        case .string(let local, let uri):
            return table.localNames.indices.first { table.localNames[$0].equals(local) && table.namespaces[$0].equals(uri) } ?? -1
        }
    }

    /// Whether the element is named `localName` in `namespace`.
    public func isNamed(_ localName: _XMLLiteral, namespace: _XMLLiteral = "") -> Bool {
        switch name {
        case .node(let node, let count):
            return localName.withBytes { $0.count == count && _XMLCursor.matches(node.pointee.name, node.pointee.ns, $0, namespace) }
        case .string(let local, let uri):
            return localName.equals(local) && namespace.equals(uri)
        }
    }
}

/// A child element or an attribute a search found: its position, and its node when the cursor
/// reads libxml2's tree, so that reading it does not walk to it again.
public struct _XMLFound<Node> {
    @usableFromInline let index: Int
    @usableFromInline let node: Node?

    @usableFromInline init(index: Int, node: Node?) {
        self.index = index
        self.node = node
    }
}

public typealias _XMLFoundChild = _XMLFound<xmlNodePtr>
public typealias _XMLFoundAttribute = _XMLFound<xmlAttrPtr>

/// What a cursor rarely needs, kept out of its plain values so that copying a cursor copies one
/// reference: what keeps its document or tree alive, the taken flags past the first 64, and the
/// table of decoded children a choice shares. Copies of a cursor share one until one of them
/// changes it (`_XMLCursor.uniqueExtra()`).
@usableFromInline final class _XMLCursorExtra {
    /// The document or the tree the cursor reads, when the cursor is the one that keeps it.
    let owner: AnyObject?
    // Read on every child a decoder reads (`decoded`): not checked for exclusive access at run
    // time, which cost more than the read. Each is changed only through a cursor that holds the
    // box alone (`_XMLCursor.uniqueExtra()`), and never while it is being read.
    @exclusivity(unchecked) @usableFromInline var attributeWords = _XMLBitWords()
    @exclusivity(unchecked) @usableFromInline var childWords = _XMLBitWords()
    @exclusivity(unchecked) @usableFromInline var decoded: _XMLDecodedChildren?

    init(owner: AnyObject?) { self.owner = owner }

    @usableFromInline func copy() -> _XMLCursorExtra {
        let copy = _XMLCursorExtra(owner: owner)
        (copy.attributeWords, copy.childWords, copy.decoded) = (attributeWords, childWords, decoded)
        return copy
    }
}

/// Flags by position, 64 to a word.
@usableFromInline struct _XMLBitWords {
    @usableFromInline var words: [UInt64] = []

    @usableFromInline init() {}

    @inlinable func isSet(_ index: Int) -> Bool {
        let word = index >> 6
        return word < words.count && words[word] & (1 &<< UInt64(index & 63)) != 0
    }

    @inlinable mutating func set(_ index: Int) {
        let word = index >> 6
        if word >= words.count { words += Array(repeating: 0, count: word - words.count + 1) }
        words[word] |= 1 &<< UInt64(index & 63)
    }

    var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The word at `index`; zero past the last.
    func word(_ index: Int) -> UInt64 { index < words.count ? words[index] : 0 }

    /// Whether a flag is set in one and not in the other.
    func differs(from other: _XMLBitWords) -> Bool {
        (0..<max(words.count, other.words.count)).contains { word($0) != other.word($0) }
    }

    /// The first position set here and not in `other`.
    func first(notIn other: _XMLBitWords) -> Int? {
        for index in words.indices {
            let fresh = words[index] & ~other.word(index)
            if fresh != 0 { return index * 64 + fresh.trailingZeroBitCount }
        }
        return nil
    }
}

/// What decoding each child of an element as a given type gave, kept while the element is
/// decoded: a choice tries every alternative, and a repeated choice (libvirt's `<devices>`) tries
/// them again for each repetition, against the same children.
public final class _XMLDecodedChildren {
    @usableFromInline struct Key: Hashable {
        @usableFromInline let index: Int
        @usableFromInline let type: ObjectIdentifier
        @usableFromInline let asValue: Bool

        @inlinable init(index: Int, type: ObjectIdentifier, asValue: Bool) {
            self.index = index
            self.type = type
            self.asValue = asValue
        }
    }

    /// What decoding one child as one type gave.
    @usableFromInline final class Outcome<Value> {
        @usableFromInline let result: Result<Value, any Error>

        @inlinable init(_ result: Result<Value, any Error>) { self.result = result }
    }

    /// Each an `Outcome<Value>` for the `Value` its key names.
    @usableFromInline var outcomes: [Key: AnyObject] = [:]

    @usableFromInline init() {}
}

extension Unmanaged where Instance == _XMLCursor.Tree {
    /// The element of a tree a cursor reads; its `extra` keeps the box.
    var element: XMLElement { takeUnretainedValue().element }
}
