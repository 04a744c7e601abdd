import Foundation

/// A type generated from a grammar's element: decoded from and encoded to an ``XMLElement``.
public protocol XMLElementCodable: Hashable, Sendable, Codable {
    /// Decodes the element; generated decoders run on documents the grammar has accepted.
    init(xml element: XMLElement) throws
    /// Plumbing: decodes the element a cursor reads, which may be libxml2's tree itself. The
    /// cursor is consumed, so that the decoder reads it in place rather than a copy of it.
    init(xmlElementCursor cursor: consuming _XMLCursor) throws
    /// The element this value is written as.
    func xmlElement() -> XMLElement
    /// Plumbing: a quick test of what the element must have to decode as this type (fixed
    /// values of attributes and text, and the same of required children). False means decoding
    /// would fail; true promises nothing. Choices use it to skip alternatives without trying them.
    static func _xmlScreen(_ cursor: _XMLCursor) -> Bool
}

extension XMLElementCodable {
    public init(xmlElementCursor cursor: consuming _XMLCursor) throws {
        try self.init(xml: cursor.element)
    }

    public static func _xmlScreen(_ cursor: _XMLCursor) -> Bool { true }
}

extension XMLElementCodable where Self: _XMLContentCodable {
    /// Generated element types read the cursor's element in place, whatever it reads.
    public init(xmlElementCursor cursor: consuming _XMLCursor) throws {
        try self.init(xmlContent: &cursor)
        try cursor.finish()
    }
}

/// A generated type for a grammar's start element: a whole document.
public protocol XMLDocumentRoot: XMLElementCodable {
    /// The grammar the type was generated from.
    static var grammar: XMLGrammar { get }
    /// The root element's name when the grammar's start allows no other root element with it:
    /// a document validated with that root matched this type's pattern, so the values that
    /// validation checked are not checked again. Nil (the default) leaves every check in place.
    static var _xmlValidatedRoot: (name: _XMLLiteral, namespace: _XMLLiteral)? { get }
}

extension XMLDocumentRoot {
    public static var _xmlValidatedRoot: (name: _XMLLiteral, namespace: _XMLLiteral)? { nil }

    /// Decodes a document from its bytes; `displayName` names it in errors.
    public init(xmlBytes bytes: [UInt8], displayName: String = "<bytes>") throws {
        var cursor = try Self.grammar.validatedCursor(bytes: bytes, displayName: displayName)
        if let root = Self._xmlValidatedRoot { cursor.validated = cursor.isNamed(root.name, root.namespace) }
        do {
            try self.init(xmlElementCursor: cursor)
        } catch var error as XMLDecodingError {
            // The document goes with the cursor: the error must not need it.
            error.resolve()
            throw error
        }
    }

    /// Decodes a document from text.
    public init(xmlString: String, displayName: String = "<string>") throws {
        try self.init(xmlBytes: Array(xmlString.utf8), displayName: displayName)
    }

    /// Decodes the document in a file.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw XMLDecodingError("cannot read the file", at: XMLLocation(file: path, line: 1, column: 1))
        }
        try self.init(xmlBytes: Array(data), displayName: path)
    }

    /// The document as text, indented two spaces as libvirt writes it.
    public func xmlString() -> String { XMLWriter.string(xmlElement()) }
}

// MARK: - Plumbing for generated decoders

extension XMLElement {
    private func failure(_ message: String) -> XMLDecodingError {
        XMLDecodingError(message, at: location, path: "<\(qualifiedName)>")
    }

    /// The value of a required attribute, converted.
    public func _attribute<Value: XMLValue>(_ name: String, namespace: String = "", as type: Value.Type = Value.self) throws -> Value {
        guard let text = attribute(name, namespace: namespace) else { throw failure("missing attribute \"\(name)\"") }
        guard let value = Value(xmlValue: text) else { throw failure("attribute \"\(name)\": \"\(text)\" is not a \(Value.self)") }
        return value
    }

    /// The value of an optional attribute, converted.
    public func _optionalAttribute<Value: XMLValue>(_ name: String, namespace: String = "", as type: Value.Type = Value.self) throws -> Value? {
        guard attribute(name, namespace: namespace) != nil else { return nil }
        return try _attribute(name, namespace: namespace, as: type)
    }

    /// Whether the attribute is present, with `value` when one is given.
    public func _hasAttribute(_ name: String, namespace: String = "", value: String? = nil) -> Bool {
        guard let text = attribute(name, namespace: namespace) else { return false }
        return value.map { XMLWhitespace.collapsed(text) == $0 } ?? true
    }

    /// The child elements with this name, in order.
    public func _children(_ name: String, namespace: String = "") -> [XMLElement] {
        elements.filter { $0.localName == name && $0.namespace == namespace }
    }

    /// The first child element with this name.
    public func _child(_ name: String, namespace: String = "") -> XMLElement? {
        for case .element(let element) in children where element.localName == name && element.namespace == namespace {
            return element
        }
        return nil
    }

    /// A required child element.
    public func _requiredChild(_ name: String, namespace: String = "") throws -> XMLElement {
        guard let child = _child(name, namespace: namespace) else { throw failure("missing element <\(name)>") }
        return child
    }

    /// The element's text, converted.
    public func _value<Value: XMLValue>(as type: Value.Type = Value.self) throws -> Value {
        guard let value = Value(xmlValue: text) else { throw failure("\"\(text)\" is not a \(Value.self)") }
        return value
    }

    // The generic writers are inlinable so that generated encoders get them specialised: unspecialised,
    // each call looks up the metadata of `Value?` at run time.

    /// Adds an attribute when the value is present.
    @inlinable
    public mutating func _write<Value: XMLValue>(attribute name: String, namespace: String = "", _ value: Value?) {
        guard let value else { return }
        attributes.append(XMLAttribute(name, namespace: namespace, value: value.xmlValue))
    }

    /// Adds a child element.
    public mutating func _write(child: XMLElement) {
        children.append(.element(child))
    }

    /// Adds a child element holding only a value as text.
    @inlinable
    public mutating func _write<Value: XMLValue>(child name: String, namespace: String = "", value: Value?) {
        guard let value else { return }
        children.append(.element(XMLElement(name, namespace: namespace, children: [.text(value.xmlValue)])))
    }

    /// Adds text, when there is a value.
    @inlinable
    public mutating func _write<Value: XMLValue>(text value: Value?) {
        guard let value else { return }
        children.append(.text(value.xmlValue))
    }
}

/// Plumbing for generated types: content read from, and written into, an element that another
/// type owns (a choice's alternatives, a repeated group, an element's own content).
public protocol _XMLContentCodable: Hashable, Sendable, Codable {
    init(xmlContent cursor: inout _XMLCursor) throws
    func writeXMLContent(into element: inout XMLElement)
}

extension _XMLCursor {
    /// Content that must be there.
    @inlinable
    public mutating func content<Value: _XMLContentCodable>(as type: Value.Type = Value.self) throws -> Value {
        // A table of decoded children that a choice makes inside the content serves that content
        // alone: kept afterwards, every later child of the element would go through it, each
        // outcome boxed and hashed, though no alternative is left to share it. A table that was
        // there before (an enclosing choice's) stays.
        let tableMadeInside = decoded == nil
        defer { if tableMadeInside { decoded = nil } }
        return try Value(xmlContent: &self)
    }

    /// Content that may be absent: nil unless decoding it takes something.
    @inlinable
    public mutating func optionalContent<Value: _XMLContentCodable>(as type: Value.Type = Value.self) -> Value? {
        let tableMadeInside = decoded == nil
        defer { if tableMadeInside { decoded = nil } }
        return optionalContentKeepingTable(as: type)
    }

    /// ``optionalContent(as:)``, keeping a table of decoded children made inside it.
    @inlinable
    mutating func optionalContentKeepingTable<Value: _XMLContentCodable>(as type: Value.Type) -> Value? {
        var attempt = self
        attempt.reasonsWanted = false
        guard let value = try? Value(xmlContent: &attempt), attempt.hasAdvanced(since: self) else { return nil }
        attempt.reasonsWanted = reasonsWanted
        self = consume attempt
        return value
    }

    /// Content repeated for as long as decoding it takes something.
    @inlinable
    public mutating func repeatedContent<Value: _XMLContentCodable>(as type: Value.Type = Value.self) -> [Value] {
        // A table made by one repetition serves the next ones, which try the same children.
        let tableMadeInside = decoded == nil
        defer { if tableMadeInside { decoded = nil } }
        var result: [Value] = []
        while let next = optionalContentKeepingTable(as: type) {
            // Once there is a first repetition, room for one more a remaining child element (up
            // to a bound): a `<devices>` list of large values grows once, not by doubling.
            if result.isEmpty { result.reserveCapacity(1 + untakenElementCount(limit: 32)) }
            result.append(next)
        }
        return result
    }

    /// A child element kept whole, as open content is.
    public mutating func rawElement(_ name: _XMLLiteral, namespace: _XMLLiteral = "") throws -> XMLElement {
        guard let child = optionalRawElement(name, namespace: namespace) else { throw failure(.template("missing element <", name.description, ">")) }
        return child
    }

    public mutating func optionalRawElement(_ name: _XMLLiteral, namespace: _XMLLiteral = "") -> XMLElement? {
        guard let index = untakenChild(name, namespace, from: 0) else { return nil }
        takeChild(at: index)
        return childTree(at: index)
    }

    public mutating func rawElements(_ name: _XMLLiteral, namespace: _XMLLiteral = "") -> [XMLElement] {
        var result: [XMLElement] = []
        while let next = optionalRawElement(name, namespace: namespace) { result.append(next) }
        return result
    }
}

extension XMLElement {
    /// Adds an attribute with a fixed value.
    public mutating func _write(attribute name: String, namespace: String = "", fixed value: String) {
        attributes.append(XMLAttribute(name, namespace: namespace, value: value))
    }

    /// Adds an empty child element.
    public mutating func _write(emptyChild name: String, namespace: String = "") {
        children.append(.element(XMLElement(name, namespace: namespace)))
    }

    /// Adds content that another type writes.
    @inlinable
    public mutating func _write<Value: _XMLContentCodable>(content value: Value?) {
        value?.writeXMLContent(into: &self)
    }
}

/// Plumbing: an element that must have no attributes, children or text.
public struct _XMLEmptyElement: XMLElementCodable {
    public init(xml element: XMLElement) throws {
        try _XMLCursor(element).finish()
    }

    public func xmlElement() -> XMLElement { XMLElement("") }
}

extension _XMLCursor {
    /// A required element that only wraps a list of `item` elements.
    public mutating func elementList<Value: XMLElementCodable>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", item: _XMLLiteral, itemNamespace: _XMLLiteral = "", as type: Value.Type = Value.self,
        trustsValidation: Bool = false
    ) throws -> [Value] {
        guard let list = try optionalElementList(name, namespace: namespace, item: item, itemNamespace: itemNamespace, as: type, trustsValidation: trustsValidation) else {
            throw failure(.template("missing element <", name.description, ">"))
        }
        return list
    }

    /// An optional element that only wraps a list of `item` elements; nil when it is absent.
    public mutating func optionalElementList<Value: XMLElementCodable>(
        _ name: _XMLLiteral, namespace: _XMLLiteral = "", item: _XMLLiteral, itemNamespace: _XMLLiteral = "", as type: Value.Type = Value.self,
        trustsValidation: Bool = false
    ) throws -> [Value]? {
        guard let index = untakenChild(name, namespace, from: 0) else { return nil }
        takeChild(at: index)
        var inner = childCursor(at: index, trusted: trustsValidation)
        // The list's element holds nothing but its items.
        let items = try inner.elements(item, namespace: itemNamespace, as: type, trustsValidation: true)
        try inner.finish()
        return items
    }
}

extension XMLElement {
    /// Adds an element wrapping a list of elements; nothing when the list is nil.
    @inlinable
    public mutating func _write<Value: XMLElementCodable>(list name: String, namespace: String = "", items: [Value]?) {
        guard let items else { return }
        children.append(.element(XMLElement(name, namespace: namespace, children: items.map { .element($0.xmlElement()) })))
    }
}
