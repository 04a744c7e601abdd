import CLibXML2

/// libxml2's tree for one document, built by the project's own SAX handlers into memory that is
/// let go all at once.
///
/// libxml2's own tree builder allocates every element, attribute, attribute value and text
/// with `malloc`, and `xmlFreeDoc` frees each again: more than half of what parsing a small
/// libvirt document costs (12.6 µs a domain document with the tree against 5.9 µs for the
/// parse alone). The nodes here have libxml2's layout, so everything that reads a tree reads
/// this one; only the document itself comes from libxml2's allocator, and before it is freed
/// the nodes are unlinked from it (``detach(from:)``), so that `xmlFreeDoc` never sees them.
///
/// The tree is the one libxml2 builds for the documents it is used for (no DOCTYPE, UTF-8),
/// with one difference nothing reads: processing instructions are left out (they split text
/// runs as before). Names stay in the parser's dictionary; every other string is copied here.
package final class NodeArena {
    private var chunks: [UnsafeMutableRawPointer] = []
    private var next: UnsafeMutableRawPointer?
    private var remaining = 0
    private var chunkSize: Int

    /// A tree takes about 30 times its document's bytes, so the first chunk is sized from them.
    init(documentBytes: Int) {
        chunkSize = min(max(documentBytes * 32, 8 << 10), Self.largestChunk)
    }

    /// Chunks stay below glibc's threshold for `mmap`, which would make each one a system call.
    private static let largestChunk = 96 << 10

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }

    /// Zeroed memory for one `T`, aligned to 16 bytes.
    @inline(__always)
    func make<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        let size = (MemoryLayout<T>.stride + 15) & ~15
        let memory = bytes(size)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return memory.bindMemory(to: T.self, capacity: 1)
    }

    /// Set in `extra` of the text nodes the arena builds: their content's length is stored
    /// before it (``length(of:)``), so that readers need not measure it. libxml2's own nodes
    /// never set this bit.
    package static let lengthBeforeContent: UInt16 = 0x8000

    /// The length of a string ``string(_:count:)`` made.
    @inline(__always)
    package static func length(of string: UnsafePointer<xmlChar>) -> Int {
        UnsafeRawPointer(string - 8).loadUnaligned(as: Int.self)
    }

    /// The content of a text node, of the arena's or of libxml2's: the arena's give their
    /// length, libxml2's are measured.
    @inline(__always)
    package static func bytes(ofText node: xmlNodePtr) -> UnsafeBufferPointer<UInt8> {
        guard let content = node.pointee.content else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = node.pointee.extra & lengthBeforeContent != 0 ? length(of: content) : Int(xmlStrlen(content))
        return UnsafeBufferPointer(start: content, count: count)
    }

    /// `count` bytes copied from `source`, followed by a NUL, as libxml2's strings are, and
    /// preceded by their count.
    func string(_ source: UnsafePointer<xmlChar>?, count: Int) -> UnsafePointer<xmlChar> {
        let memory = bytes((count + 24) & ~15)
        memory.storeBytes(of: count, as: Int.self)
        let copy = (memory + 8).bindMemory(to: xmlChar.self, capacity: count + 1)
        if let source { Self.copyBytes(from: source, to: copy, count: count) }
        copy[count] = 0
        return UnsafePointer(copy)
    }

    /// Copies `count` bytes between buffers that do not overlap. Most of a document's strings
    /// (names, values, indentation) are short: up to 16 bytes are moved in two overlapping
    /// loads and stores, as `memcpy` would, without calling it (a parse made some 120 such
    /// calls a libvirt domain).
    @inline(__always)
    static func copyBytes(from source: UnsafePointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
        switch count {
        case 8...16:
            let head = from.loadUnaligned(as: UInt64.self), tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let head = from.loadUnaligned(as: UInt32.self), tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 0..<4:
            for index in 0..<count { destination[index] = source[index] }
        default:
            destination.update(from: source, count: count)
        }
    }

    @inline(__always)
    private func bytes(_ size: Int) -> UnsafeMutableRawPointer {
        if size > remaining { newChunk(atLeast: size) }
        let memory = next!
        next = memory + size
        remaining -= size
        return memory
    }

    private func newChunk(atLeast size: Int) {
        let count = max(size, chunkSize)
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
        chunks.append(chunk)
        next = chunk
        remaining = count
        chunkSize = min(chunkSize * 2, Self.largestChunk)
    }

    /// Unlinks the arena's nodes from `document`, which keeps nothing else as children (the
    /// arena builds no DOCTYPE), so that `xmlFreeDoc` frees only what libxml2 allocated.
    static func detach(from document: xmlDocPtr) {
        document.pointee.children = nil
        document.pointee.last = nil
    }
}

/// The SAX handlers that build a document's tree in a ``NodeArena``. One builder serves one
/// parse; the parser context's `_private` points to it meanwhile.
final class ArenaTreeBuilder {
    let arena: NodeArena
    /// The element whose content is being parsed; the document (as libxml2 links it, a node
    /// in its first fields) before the root and after it.
    private var container: xmlNodePtr?
    /// Text reported since the last node, which libxml2 may report in several pieces; one text
    /// node is made of it when something else comes.
    private var text: UnsafeMutablePointer<xmlChar>
    private var textCapacity = 256
    private var textCount = 0
    private var textLine: Int32 = 0

    /// ``textName``, read once: a static's every read checks that it was made.
    private let textNodeName = ArenaTreeBuilder.textName
    /// The numbers of the context's names, written into each element's and attribute's `psvi`
    /// (see ``XMLNameNumbers``); none without it. Unmanaged: the parser context holds it for
    /// the parse, and a retain and a release for each node cost 2.5 K instructions a document.
    private let nameNumbers: Unmanaged<NameNumberCache>?

    init(documentBytes: Int, nameNumbers: NameNumberCache? = nil) {
        arena = NodeArena(documentBytes: documentBytes)
        text = .allocate(capacity: textCapacity)
        self.nameNumbers = nameNumbers.map { Unmanaged.passUnretained($0) }
    }

    /// The number of a name, or zero without numbers.
    @inline(__always)
    private func number(_ localName: UnsafePointer<xmlChar>, _ namespace: UnsafePointer<xmlChar>?, dictionary: xmlDictPtr?) -> Int32 {
        guard let nameNumbers else { return 0 }
        return nameNumbers._withUnsafeGuaranteedRef { $0.number(localName, namespace, dictionary: dictionary) }
    }

    deinit { text.deallocate() }

    /// libxml2's handlers with the element, text, comment and processing-instruction ones
    /// replaced by this builder's. Entity references are always replaced (XML_PARSE_NOENT),
    /// and a document with a DOCTYPE, the only kind that declares entities, is not built here:
    /// nothing is left for libxml2's reference handler, which would add a node of its own.
    static func handlers(from standard: xmlSAXHandler) -> xmlSAXHandler {
        var handlers = standard
        handlers.startElementNs = arenaStartElement
        handlers.endElementNs = arenaEndElement
        handlers.characters = arenaCharacters
        handlers.ignorableWhitespace = arenaCharacters
        handlers.comment = arenaComment
        handlers.processingInstruction = arenaProcessingInstruction
        handlers.reference = nil
        return handlers
    }

    /// Runs `body` with the builder of the parse `context` is running, which the parse keeps
    /// alive: without a retain and a release for each callback.
    @inline(__always)
    fileprivate static func with(_ context: UnsafeMutableRawPointer?, _ body: (ArenaTreeBuilder, xmlParserCtxtPtr) -> Void) {
        let parser = context!.assumingMemoryBound(to: xmlParserCtxt.self)
        Unmanaged<ArenaTreeBuilder>.fromOpaque(parser.pointee._private!)._withUnsafeGuaranteedRef { body($0, parser) }
    }

    /// The line the parser has reached.
    @inline(__always)
    private static func line(_ parser: xmlParserCtxtPtr) -> Int32 {
        guard let input = parser.pointee.input else { return 0 }
        return input.pointee.line
    }

    @inline(__always)
    private func append(_ node: xmlNodePtr, document: xmlDocPtr?) {
        let parent = container ?? document.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: xmlNode.self) }
        guard let parent else { return }
        node.pointee.parent = parent
        if let last = parent.pointee.last {
            last.pointee.next = node
            node.pointee.prev = last
        } else {
            parent.pointee.children = node
        }
        parent.pointee.last = node
    }

    /// A text node of `count` bytes from `bytes`, its length stored before its content.
    @inline(__always)
    private func textNode(_ bytes: UnsafePointer<xmlChar>?, count: Int, document: xmlDocPtr?) -> xmlNodePtr {
        let node = arena.make(xmlNode.self)
        node.pointee.type = XML_TEXT_NODE
        node.pointee.name = textNodeName
        node.pointee.doc = document
        node.pointee.content = UnsafeMutablePointer(mutating: arena.string(bytes, count: count))
        node.pointee.extra = NodeArena.lengthBeforeContent
        return node
    }

    /// Makes the pending text into a text node.
    @inline(__always)
    fileprivate func flushText(_ parser: xmlParserCtxtPtr) {
        guard textCount > 0 else { return }
        let node = textNode(text, count: textCount, document: parser.pointee.myDoc)
        Self.setLine(node, textLine, text: true)
        append(node, document: parser.pointee.myDoc)
        textCount = 0
    }

    /// Records `line` on `node` as libxml2 does: 65535 for every line past it, and the exact
    /// one of a text node in its `psvi`, as libxml2 keeps it with XML_PARSE_BIG_LINES.
    @inline(__always)
    private static func setLine(_ node: xmlNodePtr, _ line: Int32, text: Bool) {
        if line < 65535 {
            node.pointee.line = UInt16(truncatingIfNeeded: max(line, 0))
        } else {
            node.pointee.line = 65535
            if text { node.pointee.psvi = UnsafeMutableRawPointer(bitPattern: Int(line)) }
        }
    }

    /// The names libxml2 gives text and comment nodes, made once for the process.
    nonisolated(unsafe) private static let textName = permanentName("text")
    nonisolated(unsafe) private static let commentName = permanentName("comment")

    private static func permanentName(_ name: String) -> UnsafePointer<xmlChar> {
        let bytes = Array(name.utf8)
        let copy = UnsafeMutablePointer<xmlChar>.allocate(capacity: bytes.count + 1)
        copy.initialize(from: bytes, count: bytes.count)
        copy[bytes.count] = 0
        return UnsafePointer(copy)
    }

    fileprivate func startElement(
        _ parser: xmlParserCtxtPtr, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
        _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        _ attributeCount: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        flushText(parser)
        let document = parser.pointee.myDoc
        let dictionary = parser.pointee.dict
        let node = arena.make(xmlNode.self)
        node.pointee.type = XML_ELEMENT_NODE
        // A prefix no declaration binds (a namespace error, not a well-formedness one): libxml2
        // names the element by its qualified name, and so does this builder.
        if let prefix, uri == nil, let localName, let qualified = xmlDictQLookup(dictionary, prefix, localName) {
            node.pointee.name = qualified
        } else {
            node.pointee.name = localName
            if let localName { node.pointee.psvi = Self.carried(number(localName, uri, dictionary: dictionary)) }
        }
        node.pointee.doc = document
        Self.setLine(node, Self.line(parser), text: false)
        append(node, document: document)
        container = node
        if namespaceCount > 0, let namespaces {
            var last: xmlNsPtr?
            for index in 0..<Int(namespaceCount) {
                let declaration = arena.make(xmlNs.self)
                declaration.pointee.type = XML_NAMESPACE_DECL
                if let declared = namespaces[2 * index] { declaration.pointee.prefix = copy(declared) }
                if let href = namespaces[2 * index + 1] { declaration.pointee.href = copy(href) }
                if let last { last.pointee.next = declaration } else { node.pointee.nsDef = declaration }
                last = declaration
            }
        }
        if uri != nil { node.pointee.ns = namespace(prefix, uri: uri, at: node, document) }
        if attributeCount > 0, let attributes {
            var last: xmlAttrPtr?
            for index in 0..<Int(attributeCount) {
                let fields = attributes + 5 * index
                let attribute = arena.make(xmlAttr.self)
                attribute.pointee.type = XML_ATTRIBUTE_NODE
                let attributePrefix = fields[1], attributeURI = fields[2]
                if let attributePrefix, attributeURI == nil, let name = fields[0], let qualified = xmlDictQLookup(dictionary, attributePrefix, name) {
                    attribute.pointee.name = qualified
                } else {
                    attribute.pointee.name = fields[0]
                    if attributeURI != nil { attribute.pointee.ns = namespace(attributePrefix, uri: attributeURI, at: node, document) }
                    if let name = fields[0] { attribute.pointee.psvi = Self.carried(number(name, attributeURI, dictionary: dictionary)) }
                }
                attribute.pointee.parent = node
                attribute.pointee.doc = document
                let start = fields[3], count = fields[4].flatMap { end in start.map { end - $0 } } ?? 0
                let value = textNode(start, count: count, document: document)
                value.pointee.parent = UnsafeMutableRawPointer(attribute).assumingMemoryBound(to: xmlNode.self)
                attribute.pointee.children = value
                attribute.pointee.last = value
                if let last {
                    last.pointee.next = attribute
                    attribute.pointee.prev = last
                } else {
                    node.pointee.properties = attribute
                }
                last = attribute
            }
        }
        // Where the start tag ends, for diagnostics: as `recordStartTag` stores it.
        if let input = parser.pointee.input, let current = input.pointee.cur, let base = input.pointee.base {
            let offset = Int(input.pointee.consumed) + (current - base)
            node.pointee._private = UnsafeMutableRawPointer(bitPattern: offset + 1)
        }
    }

    /// A name's number as a node carries it in `psvi`, which libxml2 leaves unset on elements
    /// and attributes (it keeps a line there only for text nodes).
    @inline(__always)
    private static func carried(_ number: Int32) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: Int(number))
    }

    /// The declaration in scope at `node` that binds `prefix`; libxml2 finds `xml` itself.
    private func namespace(_ prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?, at node: xmlNodePtr, _ document: xmlDocPtr?) -> xmlNsPtr? {
        if let found = xmlSearchNs(document, node, prefix) { return found }
        // Not reached for a document the parser accepted, which binds every prefix it reports
        // with a namespace; made as libxml2's builder would make it.
        let declaration = arena.make(xmlNs.self)
        declaration.pointee.type = XML_NAMESPACE_DECL
        if let prefix { declaration.pointee.prefix = copy(prefix) }
        if let uri { declaration.pointee.href = copy(uri) }
        declaration.pointee.next = node.pointee.nsDef
        node.pointee.nsDef = declaration
        return declaration
    }

    private func copy(_ string: UnsafePointer<xmlChar>) -> UnsafePointer<xmlChar> {
        arena.string(string, count: Int(xmlStrlen(string)))
    }

    fileprivate func endElement(_ parser: xmlParserCtxtPtr) {
        flushText(parser)
        guard let node = container else { return }
        let parent = node.pointee.parent
        container = parent?.pointee.type == XML_ELEMENT_NODE ? parent : nil
    }

    fileprivate func characters(_ parser: xmlParserCtxtPtr, _ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
        guard let bytes, count > 0 else { return }
        let count = Int(count)
        if textCount == 0 { textLine = Self.line(parser) }
        if textCount + count > textCapacity {
            var capacity = textCapacity * 2
            while capacity < textCount + count { capacity *= 2 }
            let grown = UnsafeMutablePointer<xmlChar>.allocate(capacity: capacity)
            grown.update(from: text, count: textCount)
            text.deallocate()
            text = grown
            textCapacity = capacity
        }
        NodeArena.copyBytes(from: bytes, to: text + textCount, count: count)
        textCount += count
    }

    fileprivate func comment(_ parser: xmlParserCtxtPtr, _ value: UnsafePointer<xmlChar>?) {
        flushText(parser)
        let node = arena.make(xmlNode.self)
        node.pointee.type = XML_COMMENT_NODE
        node.pointee.name = Self.commentName
        node.pointee.doc = parser.pointee.myDoc
        if let value { node.pointee.content = UnsafeMutablePointer(mutating: copy(value)) }
        Self.setLine(node, Self.line(parser), text: false)
        append(node, document: parser.pointee.myDoc)
    }
}

private func arenaStartElement(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ attributeCount: Int32, _ defaultedCount: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    ArenaTreeBuilder.with(context) { builder, parser in
        builder.startElement(parser, localName, prefix, uri, namespaceCount, namespaces, attributeCount, attributes)
    }
}

private func arenaEndElement(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?
) {
    ArenaTreeBuilder.with(context) { builder, parser in builder.endElement(parser) }
}

private func arenaCharacters(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
    ArenaTreeBuilder.with(context) { builder, parser in builder.characters(parser, bytes, count) }
}

private func arenaComment(_ context: UnsafeMutableRawPointer?, _ value: UnsafePointer<xmlChar>?) {
    ArenaTreeBuilder.with(context) { builder, parser in builder.comment(parser, value) }
}

/// Not kept in the tree: nothing reads processing instructions. Text on either side stays two
/// text nodes, as in libxml2's tree.
private func arenaProcessingInstruction(_ context: UnsafeMutableRawPointer?, _ target: UnsafePointer<xmlChar>?, _ data: UnsafePointer<xmlChar>?) {
    ArenaTreeBuilder.with(context) { builder, parser in builder.flushText(parser) }
}
