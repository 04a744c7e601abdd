import CLibXML2

// What any libxml2-based decoder pays at least: the bytes parsed into libxml2's tree, every
// element name, attribute name and value and every text turned into a Swift String.

enum LibXML2Floor {
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOENT.rawValue | XML_PARSE_NOCDATA.rawValue)

    static func parse(_ bytes: [UInt8]) -> xmlDocPtr? {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "document.xml", nil, options)
            }
        }
    }

    /// Parses and walks; returns how many strings were made, so that nothing is optimised away.
    static func parseAndWalk(_ bytes: [UInt8]) -> Int {
        guard let document = parse(bytes) else { return 0 }
        defer { xmlFreeDoc(document) }
        var strings = 0
        var stack: [xmlNodePtr] = []
        if let root = xmlDocGetRootElement(document) { stack.append(root) }
        // A loop, not recursion: the same as the decoder's own walk.
        while let node = stack.popLast() {
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                strings += String(cString: node.pointee.name).utf8.count > 0 ? 1 : 0
                var attribute = node.pointee.properties
                while let current = attribute {
                    let name = String(cString: current.pointee.name)
                    let value = current.pointee.children.flatMap { $0.pointee.content }.map { String(cString: $0) } ?? ""
                    strings += name.isEmpty && value.isEmpty ? 0 : 2
                    attribute = current.pointee.next
                }
                var child = node.pointee.last
                while let current = child {
                    stack.append(current)
                    child = current.pointee.prev
                }
            case XML_TEXT_NODE:
                if let content = node.pointee.content { strings += String(cString: content).isEmpty ? 0 : 1 }
            default:
                break
            }
        }
        return strings
    }

    /// libxml2 writing a tree it holds back to bytes.
    static func serialise(_ document: xmlDocPtr) -> Int {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemory(document, &buffer, &size)
        if let buffer { rng2swift_xmlFree(buffer) }
        return Int(size)
    }
}
