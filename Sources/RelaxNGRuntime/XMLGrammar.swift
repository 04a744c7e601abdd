import CLibXML2
import Foundation
import RelaxNG

/// The grammar a generated type was made from, embedded as text, and the validators that
/// decide which documents it accepts. Decoding validates first, so a generated decoder accepts
/// exactly the documents the grammar accepts, and reports the validator's errors.
///
/// The grammar is loaded on first use. Validators keep memo tables, so they are pooled and
/// reused; any number of threads may decode at once.
public final class XMLGrammar: @unchecked Sendable {
    private let files: [String: String]
    private let main: String
    private let lock = NSLock()
    private var loaded: Result<Schema, DiagnosticError>?
    private var idle: [Validator] = []

    /// `files` maps each grammar file's path (as `include` and `externalRef` name it, relative to
    /// `main`'s directory) to its text.
    public init(files: [String: String], main: String) {
        // Embedded files live under a fixed virtual root, so relative references resolve among them.
        var rooted: [String: String] = [:]
        for (path, text) in files { rooted["/embedded/" + path] = text }
        self.files = rooted
        self.main = "/embedded/" + main
    }

    /// The compiled grammar; loading errors mean the generated code and its grammar disagree.
    public func schema() throws -> Schema {
        lock.lock()
        defer { lock.unlock() }
        if loaded == nil {
            do { loaded = .success(try Schema(embedded: files, main: main)) } catch { loaded = .failure(error) }
        }
        return try loaded!.get()
    }

    func withValidator<T>(_ body: (Validator) throws -> T) throws -> T {
        let schema = try self.schema()
        lock.lock()
        let validator = idle.popLast() ?? Validator(schema: schema)
        lock.unlock()
        defer {
            lock.lock()
            idle.append(validator)
            lock.unlock()
        }
        return try body(validator)
    }

    /// Parses and validates a document, returning its root element as a tree.
    public func validatedRoot(bytes: [UInt8], displayName: String) throws(XMLDecodingError) -> XMLElement {
        try validatedCursor(bytes: bytes, displayName: displayName).element
    }

    /// Parses and validates a document, returning a cursor on its root element in libxml2's tree.
    public func validatedCursor(bytes: [UInt8], displayName: String) throws(XMLDecodingError) -> _XMLCursor {
        let document: XMLDocument
        do {
            document = try XMLDocument.parse(bytes, displayName: displayName, baseURI: nil)
        } catch {
            throw XMLDecodingError(error.diagnostics)
        }
        let problems: [Diagnostic]
        do {
            problems = try withValidator { $0.validate(document: document) }
        } catch {
            throw XMLDecodingError("the embedded grammar does not load: \(error)", at: nil)
        }
        guard problems.isEmpty else { throw XMLDecodingError(problems) }
        guard let root = document.root else { throw XMLDecodingError("the document has no root element", at: nil) }
        return _XMLCursor(node: root, in: document)
    }
}

/// An element of a parsed document that decoding took as open content, read into values on
/// first use. Until then it keeps the document, and so libxml2's tree, alive; making the values
/// at once cost more than a decoder's whole work on the rest of a snapshot.
@usableFromInline final class UnreadXMLElement: @unchecked Sendable {
    private let node: XMLNode
    /// Guards `document` and `read`: a decoded value may be read on any thread.
    private let lock = NSLock()
    /// Let go once the element is read, so that libxml2's tree can be freed.
    private var document: XMLDocument?
    private var read: XMLElement.Fields?

    init(_ node: XMLNode, in document: XMLDocument) {
        self.node = node
        self.document = document
    }

    /// The element's values, made from libxml2's tree on the first call.
    @usableFromInline func fields() -> XMLElement.Fields {
        lock.lock()
        defer { lock.unlock() }
        if let read { return read }
        let fields = XMLElement(node, in: document!).fields
        read = fields
        document = nil
        return fields
    }

    /// The element in libxml2's tree while it has not been read, so that a decoder can read it there.
    func unreadNode() -> (node: XMLNode, document: XMLDocument)? {
        lock.lock()
        defer { lock.unlock() }
        return document.map { (node, $0) }
    }
}

extension XMLElement {
    /// The libxml2 element as a value tree, with locations. Open content (a snapshot's whole
    /// `<domain>`) is made this way, so libxml2's lists are walked in place.
    init(_ node: XMLNode, in document: XMLDocument) {
        let element = node.pointer.pointee
        // Before the children's: locations are cheapest asked for in document order.
        let location = document.location(of: node)
        var declarations: [XMLNamespaceDeclaration] = []
        var definition = element.nsDef
        while let namespace = definition {
            declarations.append(XMLNamespaceDeclaration(
                prefix: namespace.pointee.prefix.map { String(cString: $0) } ?? "",
                uri: namespace.pointee.href.map { String(cString: $0) } ?? ""))
            definition = namespace.pointee.next
        }
        // Counted first, so that each array is allocated once.
        var (attributeCount, childCount) = (0, 0)
        var countedAttribute = element.properties
        while let current = countedAttribute {
            attributeCount += 1
            countedAttribute = current.pointee.next
        }
        var countedChild = element.children
        while let current = countedChild {
            childCount += 1
            countedChild = current.pointee.next
        }
        var attributes: [XMLAttribute] = []
        attributes.reserveCapacity(attributeCount)
        var nextAttribute = element.properties
        while let pointer = nextAttribute {
            let attribute = RelaxNG.XMLAttribute(pointer: pointer)
            attributes.append(XMLAttribute(
                attribute.localName, namespace: attribute.namespaceURI,
                prefix: pointer.pointee.ns?.pointee.prefix.map { String(cString: $0) }, value: attribute.value))
            nextAttribute = pointer.pointee.next
        }
        var children: [XMLContent] = []
        children.reserveCapacity(childCount)
        var nextChild = element.children
        while let child = nextChild {
            nextChild = child.pointee.next
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(.element(XMLElement(XMLNode(child), in: document)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let text = child.pointee.content.map { String(cString: $0) } ?? ""
                if case .text(let previous) = children.last {
                    children[children.count - 1] = .text(previous + text)
                } else {
                    children.append(.text(text))
                }
            default:
                break
            }
        }
        self.init(
            node.localName, namespace: node.namespaceURI, prefix: element.ns?.pointee.prefix.map { String(cString: $0) }, attributes: attributes,
            namespaceDeclarations: declarations, children: children, location: location)
    }
}

extension XMLElement {
    /// Parses a document without validating it, with the same safe options as decoding.
    public static func parse(bytes: [UInt8], displayName: String) throws(XMLDecodingError) -> XMLElement {
        let document: XMLDocument
        do {
            document = try XMLDocument.parse(bytes, displayName: displayName, baseURI: nil)
        } catch {
            throw XMLDecodingError(error.diagnostics)
        }
        guard let root = document.root else { throw XMLDecodingError("the document has no root element", at: nil) }
        return XMLElement(root, in: document)
    }
}
