import RelaxNG

/// An XML element as a value: what open content (`anyName`) decodes to, and the tree that
/// generated decoders read and generated encoders write.
///
/// Equality and hashing follow XML's data model: two elements are equal when their expanded
/// names (namespace and local name), attributes and children are; ``location``, prefixes and
/// where namespaces were declared do not matter.
public struct XMLElement: Hashable, Sendable, Codable {
    /// The namespace URI, empty for none.
    public var namespace: String
    public var localName: String
    /// The prefix the element was written with, kept so that it is written the same way.
    public var prefix: String?
    public var attributes: [XMLAttribute]
    /// Namespace declarations made on this element, in order: prefix (empty for the default) and URI.
    public var namespaceDeclarations: [XMLNamespaceDeclaration]
    public var children: [XMLContent]
    /// Where the element started in the document it was read from.
    public var location: XMLLocation?

    public init(
        _ localName: String, namespace: String = "", prefix: String? = nil, attributes: [XMLAttribute] = [],
        namespaceDeclarations: [XMLNamespaceDeclaration] = [], children: [XMLContent] = [], location: XMLLocation? = nil
    ) {
        self.localName = localName
        self.namespace = namespace
        self.prefix = prefix
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.children = children
        self.location = location
    }

    /// The name as written: `prefix:local` or `local`.
    public var qualifiedName: String { prefix.map { "\($0):\(localName)" } ?? localName }

    /// The child elements, in order.
    public var elements: [XMLElement] {
        children.compactMap { if case .element(let element) = $0 { return element } else { return nil } }
    }

    /// The text of the element's text children, concatenated.
    public var text: String {
        children.reduce(into: "") { text, child in if case .text(let piece) = child { text += piece } }
    }

    /// The value of the attribute with this local name and namespace.
    public func attribute(_ localName: String, namespace: String = "") -> String? {
        attributes.first { $0.localName == localName && $0.namespace == namespace }?.value
    }

    public static func == (left: XMLElement, right: XMLElement) -> Bool {
        left.namespace == right.namespace && left.localName == right.localName
            && left.attributes == right.attributes && left.children == right.children
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(namespace)
        hasher.combine(localName)
        hasher.combine(attributes)
        hasher.combine(children)
    }
}

/// A child of an element: an element or text.
public enum XMLContent: Hashable, Sendable, Codable {
    case element(XMLElement)
    case text(String)
}

/// An attribute; equality and hashing ignore the prefix it was written with.
public struct XMLAttribute: Hashable, Sendable, Codable {
    public var namespace: String
    public var localName: String
    public var prefix: String?
    public var value: String

    public static func == (left: XMLAttribute, right: XMLAttribute) -> Bool {
        left.namespace == right.namespace && left.localName == right.localName && left.value == right.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(namespace)
        hasher.combine(localName)
        hasher.combine(value)
    }

    public init(_ localName: String, namespace: String = "", prefix: String? = nil, value: String) {
        self.localName = localName
        self.namespace = namespace
        self.prefix = prefix
        self.value = value
    }

    public var qualifiedName: String { prefix.map { "\($0):\(localName)" } ?? localName }
}

public struct XMLNamespaceDeclaration: Hashable, Sendable, Codable {
    /// Empty for the default namespace.
    public var prefix: String
    public var uri: String

    public init(prefix: String, uri: String) {
        self.prefix = prefix
        self.uri = uri
    }
}

/// A position in a document: file as named, 1-based line and column — the same type the
/// validator's diagnostics use.
public typealias XMLLocation = SourceLocation
