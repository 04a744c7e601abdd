import Foundation

/// A type generated from a grammar's element: decoded from and encoded to an ``XMLElement``.
public protocol XMLElementCodable: Hashable, Sendable, Codable {
    /// Decodes the element; generated decoders run on documents the grammar has accepted.
    init(xml element: XMLElement) throws
    /// The element this value is written as.
    func xmlElement() -> XMLElement
}

/// A generated type for a grammar's start element: a whole document.
public protocol XMLDocumentRoot: XMLElementCodable {
    /// The grammar the type was generated from.
    static var grammar: XMLGrammar { get }
}

extension XMLDocumentRoot {
    /// Decodes a document from its bytes; `displayName` names it in errors.
    public init(xmlBytes bytes: [UInt8], displayName: String = "<bytes>") throws {
        try self.init(xml: Self.grammar.validatedRoot(bytes: bytes, displayName: displayName))
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

    /// Adds an attribute when the value is present.
    public mutating func _write<Value: XMLValue>(attribute name: String, namespace: String = "", _ value: Value?) {
        guard let value else { return }
        attributes.append(XMLAttribute(name, namespace: namespace, value: value.xmlValue))
    }

    /// Adds a child element.
    public mutating func _write(child: XMLElement) {
        children.append(.element(child))
    }

    /// Adds a child element holding only a value as text.
    public mutating func _write<Value: XMLValue>(child name: String, namespace: String = "", value: Value?) {
        guard let value else { return }
        children.append(.element(XMLElement(name, namespace: namespace, children: [.text(value.xmlValue)])))
    }

    /// Adds text.
    public mutating func _write<Value: XMLValue>(text value: Value) {
        children.append(.text(value.xmlValue))
    }
}
