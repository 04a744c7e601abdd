/// Writes ``XMLElement`` trees as text the way libvirt does: two-space indentation, attribute
/// values in single quotes, empty elements closed with `/>`, and the content of an element that
/// holds text (whitespace included) written exactly as it is.
///
/// Namespace declarations that a name needs and its tree does not make (a tree built in Swift has
/// namespaces but no declarations) are added where the name is written; a tree that was read keeps
/// its own.
public enum XMLWriter {
    /// The element as a document, ending with a newline.
    public static func string(_ element: XMLElement, xmlDeclaration: Bool = false) -> String {
        var writer = ByteWriter()
        if xmlDeclaration { writer.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") }
        writer.write(element, indent: 0)
        writer.append(byte: UInt8(ascii: "\n"))
        return writer.text
    }
}

/// One pass over the tree into a byte buffer; the namespaces in scope are a stack of bindings,
/// searched from the innermost.
private struct ByteWriter: ~Copyable {
    var scope: [XMLNamespaceDeclaration] = [
        XMLNamespaceDeclaration(prefix: "", uri: ""),
        XMLNamespaceDeclaration(prefix: "xml", uri: "http://www.w3.org/XML/1998/namespace"),
    ]

    /// The bytes written so far: a buffer of the writer's own, since most writes are a few
    /// bytes and `Array.append` checks uniqueness and capacity on each.
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity = 4096

    init() { start = .allocate(capacity: capacity) }
    deinit { start.deallocate() }

    var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    mutating func append(byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        start[count] = byte
        count += 1
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toHold: bytes.count) }
        (start + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    private mutating func grow(toHold more: Int) {
        capacity = max(2 * capacity, count + more)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.initialize(from: start, count: count)
        start.deallocate()
        start = larger
    }

    mutating func append(_ text: String) {
        text.withUTF8Bytes { append(bytes: $0) }
    }

    mutating func append(_ text: StaticString) {
        append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func uri(boundTo prefix: String) -> String? {
        scope.last { $0.prefix == prefix }?.uri
    }

    /// A prefix (not the default) whose innermost binding is `uri`.
    func prefix(boundTo uri: String) -> String? {
        for (index, binding) in scope.enumerated().reversed() where !binding.prefix.isEmpty && binding.uri == uri {
            if !scope[(index + 1)...].contains(where: { $0.prefix == binding.prefix }) { return binding.prefix }
        }
        return nil
    }

    /// `indent` is nil inside an element that holds text, where no whitespace is added at any
    /// depth: there, what the tree holds is written exactly.
    mutating func write(_ element: XMLElement, indent: Int?) {
        // The stored values, lent in place, rather than read through each property's accessor.
        if let unread = element.unread {
            write(unread.fields(), indent: indent)
        } else {
            write(element.fields, indent: indent)
        }
    }

    mutating func write(_ element: borrowing XMLElement.Fields, indent: Int?) {
        let scopeDepth = scope.count
        defer { scope.removeLast(scope.count - scopeDepth) }
        if !element.namespaceDeclarations.isEmpty { scope.append(contentsOf: element.namespaceDeclarations) }
        var added: [XMLNamespaceDeclaration] = []
        func declare(_ prefix: String, _ uri: String, in writer: inout ByteWriter) {
            let declaration = XMLNamespaceDeclaration(prefix: prefix, uri: uri)
            added.append(declaration)
            writer.scope.append(declaration)
        }
        var elementPrefix = element.prefix
        if let prefix = elementPrefix {
            if uri(boundTo: prefix) != element.namespace { declare(prefix, element.namespace, in: &self) }
        } else if uri(boundTo: "") != element.namespace {
            if let bound = prefix(boundTo: element.namespace) {
                elementPrefix = bound
            } else {
                declare("", element.namespace, in: &self)
            }
        }
        // Attribute prefixes, decided before the start tag is written since they may add declarations.
        var attributePrefixes: [String?] = []
        if element.attributes.contains(where: { !$0.namespace.isEmpty }) {
            for attribute in element.attributes {
                guard !attribute.namespace.isEmpty else {
                    attributePrefixes.append(attribute.prefix)
                    continue
                }
                if let prefix = attribute.prefix, uri(boundTo: prefix) == attribute.namespace {
                    attributePrefixes.append(prefix)
                } else if let bound = prefix(boundTo: attribute.namespace) {
                    attributePrefixes.append(bound)
                } else {
                    var number = 1
                    while uri(boundTo: "ns\(number)") != nil { number += 1 }
                    declare("ns\(number)", attribute.namespace, in: &self)
                    attributePrefixes.append("ns\(number)")
                }
            }
        }

        append(byte: UInt8(ascii: "<"))
        writeName(elementPrefix, element.localName)
        for declaration in element.namespaceDeclarations { writeDeclaration(declaration) }
        for declaration in added { writeDeclaration(declaration) }
        // Attributes and children are read through buffer pointers, which lend each in place:
        // iterating the arrays would copy every one, retaining and releasing what it holds.
        element.attributes.withUnsafeBufferPointer { attributes in
            for index in attributes.indices {
                append(byte: UInt8(ascii: " "))
                writeName(attributePrefixes.isEmpty ? attributes[index].prefix : attributePrefixes[index], attributes[index].localName)
                append("='")
                writeEscaped(attributes[index].value, inAttribute: true)
                append(byte: UInt8(ascii: "'"))
            }
        }
        // Any text, even whitespace, is written as it is, with the children and all their
        // descendants around it unindented: a tree read from a document (open content) writes back
        // exactly; trees built by generated code hold no whitespace text, so they are indented.
        element.children.withUnsafeBufferPointer { children in
            var hasText = false
            for index in children.indices {
                if case .text = children[index] {
                    hasText = true
                    break
                }
            }
            if children.isEmpty {
                append("/>")
                return
            }
            append(byte: UInt8(ascii: ">"))
            if hasText || indent == nil {
                for index in children.indices {
                    switch children[index] {
                    case .text(let text): writeEscaped(text, inAttribute: false)
                    case .element(let inner): write(inner, indent: nil)
                    }
                }
            } else if let indent {
                for index in children.indices {
                    guard case .element(let inner) = children[index] else { continue }
                    newline(indent: indent + 1)
                    write(inner, indent: indent + 1)
                }
                newline(indent: indent)
            }
            append("</")
            writeName(elementPrefix, element.localName)
            append(byte: UInt8(ascii: ">"))
        }
    }

    mutating func writeDeclaration(_ declaration: XMLNamespaceDeclaration) {
        if declaration.prefix.isEmpty {
            append(" xmlns='")
        } else {
            append(" xmlns:")
            append(declaration.prefix)
            append("='")
        }
        writeEscaped(declaration.uri, inAttribute: true)
        append(byte: UInt8(ascii: "'"))
    }

    mutating func writeName(_ prefix: String?, _ localName: String) {
        if let prefix {
            append(prefix)
            append(byte: UInt8(ascii: ":"))
        }
        append(localName)
    }

    mutating func newline(indent: Int) {
        append(byte: UInt8(ascii: "\n"))
        // A plain loop: `repeatElement` looks up generic metadata on every call.
        for _ in 0..<(2 * indent) { append(byte: UInt8(ascii: " ")) }
    }

    /// The text with `&`, `<`, `>` and carriage returns escaped, and in attributes also `'`, tabs
    /// and newlines, which an attribute value would otherwise lose to normalisation.
    mutating func writeEscaped(_ text: String, inAttribute: Bool) {
        text.withUTF8Bytes { utf8 in
            // Most values need no escaping: copy them whole.
            if !utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "'") || $0 < 0x20 }) {
                append(bytes: utf8)
            } else {
                writeEscaped(bytes: utf8, inAttribute: inAttribute)
            }
        }
    }

    mutating func writeEscaped(bytes utf8: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): append("&amp;")
            case UInt8(ascii: "<"): append("&lt;")
            case UInt8(ascii: ">"): append("&gt;")
            case UInt8(ascii: "'") where inAttribute: append("&apos;")
            case UInt8(ascii: "\n") where inAttribute: append("&#10;")
            case UInt8(ascii: "\t") where inAttribute: append("&#9;")
            case UInt8(ascii: "\r"): append("&#13;")
            default: append(byte: byte)
            }
        }
    }
}
