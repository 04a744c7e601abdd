import CLibXML2

/// A borrowed view of a libxml2 node; valid while its ``XMLDocument`` is alive.
package struct XMLNode {
    package let pointer: xmlNodePtr

    package init(_ pointer: xmlNodePtr) { self.pointer = pointer }

    package var type: xmlElementType { pointer.pointee.type }
    package var isElement: Bool { type == XML_ELEMENT_NODE }
    package var isText: Bool { type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE }

    package var parent: XMLNode? { pointer.pointee.parent.map(XMLNode.init) }

    /// The local name of an element.
    package var localName: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }

    /// The namespace URI of an element, empty when it has none.
    package var namespaceURI: String { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } ?? "" }

    /// The name as written, with its prefix.
    package var qualifiedName: String {
        if let prefix = pointer.pointee.ns?.pointee.prefix { return String(cString: prefix) + ":" + localName }
        return localName
    }

    package var children: XMLNodeSequence { XMLNodeSequence(first: pointer.pointee.children) }

    package var elementChildren: [XMLNode] { children.filter(\.isElement) }

    /// The content of a text node.
    package var content: String { pointer.pointee.content.map { String(cString: $0) } ?? "" }

    /// The concatenated text children of an element.
    package var textContent: String {
        var text = ""
        for child in children where child.isText { text += child.content }
        return text
    }

    package var attributes: [XMLAttribute] {
        var result: [XMLAttribute] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            result.append(XMLAttribute(pointer: current))
            attribute = current.pointee.next
        }
        return result
    }

    /// The value of the attribute with this local name and no namespace.
    package func attribute(_ name: String) -> String? {
        guard let value = xmlGetNoNsProp(pointer, name) else { return nil }
        defer { rng2swift_xmlFree(value) }
        return String(cString: value)
    }

    /// The byte offset of the end of the start tag, recorded while parsing.
    package var recordedOffset: Int? {
        guard let raw = pointer.pointee._private else { return nil }
        return Int(bitPattern: raw) - 1
    }

    /// The namespace URI that `prefix` maps to at this element (nil prefix: the default namespace).
    package func namespaceURI(forPrefix prefix: String?) -> String? {
        let found: xmlNsPtr?
        if let prefix {
            if prefix == "xml" { return "http://www.w3.org/XML/1998/namespace" }
            found = xmlSearchNs(pointer.pointee.doc, pointer, prefix)
        } else {
            found = xmlSearchNs(pointer.pointee.doc, pointer, nil)
        }
        return found?.pointee.href.map { String(cString: $0) }
    }

    /// Every prefix in scope at this element and its namespace URI; the default namespace under "".
    package var namespaceMap: [String: String] {
        var map: [String: String] = [:]
        var element: xmlNodePtr? = pointer
        while let current = element, current.pointee.type == XML_ELEMENT_NODE {
            var definition = current.pointee.nsDef
            while let ns = definition {
                let prefix = ns.pointee.prefix.map { String(cString: $0) } ?? ""
                if map[prefix] == nil { map[prefix] = ns.pointee.href.map { String(cString: $0) } ?? "" }
                definition = ns.pointee.next
            }
            element = current.pointee.parent
        }
        map["xml"] = "http://www.w3.org/XML/1998/namespace"
        return map
    }

    /// The base URI of this element, honouring `xml:base`.
    package var baseURI: String? {
        guard let base = xmlNodeGetBase(pointer.pointee.doc, pointer) else { return nil }
        defer { rng2swift_xmlFree(base) }
        return String(cString: base)
    }
}

package struct XMLAttribute {
    package let pointer: xmlAttrPtr

    package init(pointer: xmlAttrPtr) { self.pointer = pointer }

    package var localName: String { pointer.pointee.name.map { String(cString: $0) } ?? "" }
    package var namespaceURI: String { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } ?? "" }
    package var qualifiedName: String {
        if let prefix = pointer.pointee.ns?.pointee.prefix { return String(cString: prefix) + ":" + localName }
        return localName
    }
    package var value: String {
        if let child = pointer.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE {
            return child.pointee.content.map { String(cString: $0) } ?? ""
        }
        guard let text = xmlNodeListGetString(pointer.pointee.doc, pointer.pointee.children, 1) else { return "" }
        defer { rng2swift_xmlFree(text) }
        return String(cString: text)
    }
}

package struct XMLNodeSequence: Sequence, IteratorProtocol {
    private var cursor: xmlNodePtr?

    init(first: xmlNodePtr?) { self.cursor = first }

    package mutating func next() -> XMLNode? {
        guard let current = cursor else { return nil }
        cursor = current.pointee.next
        return XMLNode(current)
    }
}
