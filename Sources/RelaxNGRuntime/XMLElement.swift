import RelaxNG

/// An XML element as a value: what open content (`anyName`) decodes to, and the tree that
/// generated decoders read and generated encoders write.
///
/// Equality and hashing follow RELAX NG's data model, so two elements are equal when no grammar
/// can tell them apart: their expanded names (namespace and local name), attributes and children
/// are equal; ``location``, prefixes and where namespaces were declared do not matter; adjacent
/// text children count as one, and beside an element child, text that is only whitespace does
/// not count (RELAX NG's section 6.2.7), so the indentation ``XMLWriter`` adds is no change.
///
/// An element that decoding takes as open content (a snapshot's `<domain>`) is read out of
/// libxml2's tree on first use of any of its properties, and keeps the parsed document until
/// then. A generated type decoded from it reads libxml2's tree in place.
public struct XMLElement: Hashable, Sendable {
    @usableFromInline struct Fields: Sendable {
        @usableFromInline var namespace: String
        @usableFromInline var localName: String
        @usableFromInline var prefix: String?
        @usableFromInline var attributes: [XMLAttribute]
        @usableFromInline var namespaceDeclarations: [XMLNamespaceDeclaration]
        @usableFromInline var children: [XMLContent]
        @usableFromInline var location: XMLLocation?
    }

    @usableFromInline var fields: Fields
    /// Set while the element is still only in libxml2's tree; `fields` are empty until then.
    @usableFromInline var unread: UnreadXMLElement?

    public init(
        _ localName: String, namespace: String = "", prefix: String? = nil, attributes: [XMLAttribute] = [],
        namespaceDeclarations: [XMLNamespaceDeclaration] = [], children: [XMLContent] = [], location: XMLLocation? = nil
    ) {
        fields = Fields(
            namespace: namespace, localName: localName, prefix: prefix, attributes: attributes,
            namespaceDeclarations: namespaceDeclarations, children: children, location: location)
    }

    init(unread: UnreadXMLElement) {
        fields = Fields(namespace: "", localName: "", prefix: nil, attributes: [], namespaceDeclarations: [], children: [], location: nil)
        self.unread = unread
    }

    /// All the element's values at once, read out of libxml2's tree if they are still there.
    var currentFields: Fields {
        if let unread { return unread.fields() } else { return fields }
    }

    /// Holds the element's values in place, reading them out of libxml2's tree if they are still
    /// there: before a change, and before many reads.
    @inlinable mutating func holdValuesInPlace() {
        guard let unread else { return }
        fields = unread.fields()
        self.unread = nil
    }

    /// The namespace URI, empty for none.
    public var namespace: String {
        @inlinable get { unread?.fields().namespace ?? fields.namespace }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.namespace
        }
    }

    public var localName: String {
        @inlinable get { unread?.fields().localName ?? fields.localName }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.localName
        }
    }

    /// The prefix the element was written with, kept so that it is written the same way.
    public var prefix: String? {
        @inlinable get { if let unread { return unread.fields().prefix } else { return fields.prefix } }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.prefix
        }
    }

    public var attributes: [XMLAttribute] {
        @inlinable get { unread?.fields().attributes ?? fields.attributes }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.attributes
        }
    }

    /// Namespace declarations made on this element, in order: prefix (empty for the default) and URI.
    public var namespaceDeclarations: [XMLNamespaceDeclaration] {
        @inlinable get { unread?.fields().namespaceDeclarations ?? fields.namespaceDeclarations }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.namespaceDeclarations
        }
    }

    public var children: [XMLContent] {
        @inlinable get { unread?.fields().children ?? fields.children }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.children
        }
    }

    /// Where the element started in the document it was read from.
    public var location: XMLLocation? {
        @inlinable get { if let unread { return unread.fields().location } else { return fields.location } }
        @inlinable _modify {
            holdValuesInPlace()
            yield &fields.location
        }
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
        let (left, right) = (left.currentFields, right.currentFields)
        return left.namespace == right.namespace && left.localName == right.localName
            && left.attributes == right.attributes
            && XMLElement.significant(left.children) == XMLElement.significant(right.children)
    }

    public func hash(into hasher: inout Hasher) {
        let fields = currentFields
        hasher.combine(fields.namespace)
        hasher.combine(fields.localName)
        hasher.combine(fields.attributes)
        hasher.combine(XMLElement.significant(fields.children))
    }

    /// The children as a grammar sees them: adjacent texts joined, empty text dropped, and
    /// whitespace-only text dropped when there is an element child. The array itself, without a
    /// copy, when it is that already (a document's tree has no adjacent texts).
    static func significant(_ children: [XMLContent]) -> [XMLContent] {
        var hasElement = false
        var hasWhitespaceText = false
        var previousIsText = false
        var joinsTexts = false
        var hasEmptyText = false
        for child in children {
            switch child {
            case .element:
                hasElement = true
                previousIsText = false
            case .text(let text):
                if previousIsText { joinsTexts = true }
                if text.isEmpty { hasEmptyText = true } else if XMLWhitespace.isWhitespace(text) { hasWhitespaceText = true }
                previousIsText = true
            }
        }
        guard joinsTexts || hasEmptyText || (hasElement && hasWhitespaceText) else { return children }
        var joined: [XMLContent] = []
        joined.reserveCapacity(children.count)
        for child in children {
            if case .text(let text) = child, case .text(let previous) = joined.last {
                joined[joined.count - 1] = .text(previous + text)
            } else {
                joined.append(child)
            }
        }
        return joined.filter { child in
            guard case .text(let text) = child else { return true }
            return text.isEmpty ? false : !(hasElement && XMLWhitespace.isWhitespace(text))
        }
    }
}

extension XMLElement: Codable {
    private enum CodingKeys: String, CodingKey {
        case namespace, localName, prefix, attributes, namespaceDeclarations, children, location
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(String.self, forKey: .localName),
            namespace: try container.decode(String.self, forKey: .namespace),
            prefix: try container.decodeIfPresent(String.self, forKey: .prefix),
            attributes: try container.decode([XMLAttribute].self, forKey: .attributes),
            namespaceDeclarations: try container.decode([XMLNamespaceDeclaration].self, forKey: .namespaceDeclarations),
            children: try container.decode([XMLContent].self, forKey: .children),
            location: try container.decodeIfPresent(XMLLocation.self, forKey: .location))
    }

    public func encode(to encoder: any Encoder) throws {
        let fields = currentFields
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fields.namespace, forKey: .namespace)
        try container.encode(fields.localName, forKey: .localName)
        try container.encodeIfPresent(fields.prefix, forKey: .prefix)
        try container.encode(fields.attributes, forKey: .attributes)
        try container.encode(fields.namespaceDeclarations, forKey: .namespaceDeclarations)
        try container.encode(fields.children, forKey: .children)
        try container.encodeIfPresent(fields.location, forKey: .location)
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
