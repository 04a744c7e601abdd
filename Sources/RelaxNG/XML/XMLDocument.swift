import CLibXML2

/// An XML document parsed by libxml2 with the project's safe options, with the position of every
/// element's start tag recorded so that diagnostics can name an exact line and column.
///
/// Parsing never reads a file or opens a connection on the document's behalf: DTDs are not
/// loaded, external entities are refused (see ``LibXML2``), and network access is off.
package final class XMLDocument: @unchecked Sendable {
    package let pointer: xmlDocPtr
    package let source: SourceText
    /// The context that parsed the document, whose name dictionary the document shares.
    let context: ParserContext
    /// Where the document's nodes are, unless libxml2 allocated them.
    let arena: NodeArena?

    private init(pointer: xmlDocPtr, source: SourceText, context: ParserContext, arena: NodeArena?) {
        self.pointer = pointer
        self.source = source
        self.context = context
        self.arena = arena
    }

    deinit {
        // Freeing reads the shared dictionary, which a parse with the same context may be adding to.
        context.lock.lock()
        Self.free(pointer, arena: arena)
        context.lock.unlock()
    }

    /// Frees what libxml2 allocated of `document`; `arena` (kept by the caller until after
    /// this) holds the rest.
    private static func free(_ document: xmlDocPtr, arena: NodeArena?) {
        if arena != nil { NodeArena.detach(from: document) }
        xmlFreeDoc(document)
    }

    /// No external DTD, no network; internal entities expanded (within libxml2's amplification
    /// limits); CDATA merged into text; line numbers past 65535 kept; texts under 16 bytes kept
    /// inside their nodes, which is safe because nothing modifies a parsed tree.
    static let parseOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOENT.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue)

    package var root: XMLNode? { xmlDocGetRootElement(pointer).map(XMLNode.init) }

    /// libxml2's XML_MAX_LOOKUP_LIMIT: larger documents are parsed by `xmlCtxtReadMemory`, as
    /// they always were, rather than from a copy; an input without a buffer skips that limit.
    private static let maximumLookup = 10_000_000

    /// Parses `bytes`; `displayName` is used in diagnostics and `baseURI` resolves relative references.
    package static func parse(_ bytes: [UInt8], displayName: String, baseURI: String?) throws(DiagnosticError) -> XMLDocument {
        LibXML2.prepareThread()
        let source = SourceText(displayName: displayName, bytes: bytes)
        guard !bytes.isEmpty else {
            throw DiagnosticError("the document is empty", at: SourceLocation(file: displayName, line: 1, column: 1))
        }
        guard bytes.count < Int(Int32.max) else {
            throw DiagnosticError("the document is larger than 2 GiB", at: SourceLocation(file: displayName, line: 1, column: 1))
        }
        if let violation = XMLInputLimits.firstViolation(in: bytes) {
            throw DiagnosticError(violation.message, at: source.location(ofOffset: violation.offset))
        }
        let parsed = try ParserContext.withContext { (parser) throws(DiagnosticError) -> XMLDocument in
            let context = parser.pointer
            var arena: NodeArena?
            let document = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters -> xmlDocPtr? in
                    let count = Int32(characters.count)
                    if characters.count <= maximumLookup, Self.isUTF8Declaring(bytes) {
                        // No NUL in the document: the input check refused it before.
                        let terminated = parser.terminatedCopy(of: characters)
                        // A DOCTYPE may declare entities, whose content libxml2 copies into
                        // the tree with its own allocator: such documents get libxml2's tree.
                        guard !Self.hasDoctype(bytes) else {
                            return rng2swift_readTerminatedUTF8(context, terminated, count, baseURI, parseOptions)
                        }
                        let builder = ArenaTreeBuilder(documentBytes: bytes.count, nameNumbers: parser.nameNumbers)
                        arena = builder.arena
                        return parser.withArenaBuilder(builder) {
                            rng2swift_readTerminatedUTF8(context, terminated, count, baseURI, parseOptions)
                        }
                    }
                    // Other encodings, which libxml2 converts as it fills its own buffer (and
                    // frees its tree itself when the document is not well-formed).
                    return xmlCtxtReadMemory(context, characters.baseAddress, count, baseURI, nil, parseOptions)
                }
            }
            guard let document, context.pointee.wellFormed != 0 else {
                if let document { free(document, arena: arena) }
                throw DiagnosticError(parseError(context, source: source))
            }
            if let refused = externalEntity(in: document) {
                free(document, arena: arena)
                throw DiagnosticError(
                    "the document declares the external entity \"\(refused)\"; external entities are never loaded",
                    at: SourceLocation(file: displayName, line: 1, column: 1))
            }
            if let encoding = document.pointee.encoding {
                let name = String(cString: encoding).uppercased()
                source.offsetsAreExact = name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII"
            }
            // Made while the context is held: until then no other parse can add to the dictionary.
            return XMLDocument(pointer: document, source: source, context: parser, arena: arena)
        }
        guard let parsed else { throw DiagnosticError("libxml2 could not allocate a parser", at: nil) }
        return parsed
    }

    /// Whether the prolog of `bytes` holds a document type declaration: it would come before
    /// the first start tag, after any XML declaration, comments and processing instructions.
    static func hasDoctype(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            func find(_ first: UInt8, _ second: UInt8, from start: Int) -> Int? {
                var index = start
                while index + 1 < count {
                    if bytes[index] == first, bytes[index + 1] == second { return index + 2 }
                    index += 1
                }
                return nil
            }
            var index = 0
            while index + 1 < count {
                guard bytes[index] == UInt8(ascii: "<") else {
                    index += 1
                    continue
                }
                switch bytes[index + 1] {
                case UInt8(ascii: "?"):
                    guard let end = find(UInt8(ascii: "?"), UInt8(ascii: ">"), from: index + 2) else { return false }
                    index = end
                case UInt8(ascii: "!"):
                    if index + 3 < count, bytes[index + 2] == UInt8(ascii: "-"), bytes[index + 3] == UInt8(ascii: "-") {
                        guard let end = find(UInt8(ascii: "-"), UInt8(ascii: "-"), from: index + 4) else { return false }
                        index = end
                    } else {
                        // `<!DOCTYPE`, or something no prolog may hold, which the parser rejects.
                        return true
                    }
                default:
                    return false
                }
            }
            return false
        }
    }

    /// Whether `bytes` are UTF-8 by libxml2's reading of their first four bytes, with a UTF-8
    /// byte order mark or none, and an XML declaration that names no encoding or names UTF-8.
    static func isUTF8Declaring(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        let detected = bytes.withUnsafeBufferPointer { xmlDetectCharEncoding($0.baseAddress, 4) }
        guard detected == XML_CHAR_ENCODING_NONE || detected == XML_CHAR_ENCODING_UTF8 else { return false }
        var start = 0
        if bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        func matches(_ text: StaticString, at position: Int) -> Bool {
            let length = text.utf8CodeUnitCount
            guard position + length <= bytes.count else { return false }
            return text.withUTF8Buffer { expected in (0..<length).allSatisfy { bytes[position + $0] == expected[$0] } }
        }
        guard matches("<?xml", at: start) else { return true }
        // The declaration: short, and its end within the first bytes, or the document goes the long way.
        let limit = min(bytes.count, start + 512)
        guard let end = (start..<limit - 1).first(where: { bytes[$0] == UInt8(ascii: "?") && bytes[$0 + 1] == UInt8(ascii: ">") }) else { return false }
        guard let name = (start..<end).first(where: { matches("encoding", at: $0) }) else { return true }
        var position = name + 8
        while position < end, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == UInt8(ascii: "=") {
            position += 1
        }
        guard position < end, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else { return false }
        let quote = bytes[position]
        guard let close = (position + 1..<end).first(where: { bytes[$0] == quote }) else { return false }
        let value = String(decoding: bytes[position + 1..<close], as: UTF8.self).uppercased()
        return value == "UTF-8" || value == "UTF8"
    }

    /// The name of the first external entity the internal DTD subset declares: such a document
    /// would mean something else with the file it names, which is never read, so it is refused.
    private static func externalEntity(in document: xmlDocPtr) -> String? {
        var node = document.pointee.intSubset?.pointee.children
        while let current = node {
            if current.pointee.type == XML_ENTITY_DECL {
                let entity = UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlEntity.self)
                switch entity.pointee.etype {
                case XML_EXTERNAL_GENERAL_PARSED_ENTITY, XML_EXTERNAL_GENERAL_UNPARSED_ENTITY, XML_EXTERNAL_PARAMETER_ENTITY:
                    return entity.pointee.name.map { String(cString: $0) } ?? "?"
                default:
                    break
                }
            }
            node = current.pointee.next
        }
        return nil
    }

    private static func parseError(_ context: xmlParserCtxtPtr, source: SourceText) -> [Diagnostic] {
        guard let error = xmlCtxtGetLastError(context) else {
            return [Diagnostic(.error, "the document is not well-formed XML", at: SourceLocation(file: source.displayName, line: 1, column: 1))]
        }
        var message = error.pointee.message.map { String(cString: $0) } ?? "the document is not well-formed XML"
        while message.last?.isWhitespace == true { message.removeLast() }
        if error.pointee.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) {
            // libxml2 says "loop" for expansion beyond its limits too (billion laughs).
            message = "entities expand beyond libxml2's limits (\(message))"
        }
        let line = max(1, Int(error.pointee.line))
        let column = max(1, Int(error.pointee.int2))
        return [Diagnostic(.error, "not well-formed: \(message)", at: SourceLocation(file: source.displayName, line: line, column: column))]
    }

    /// Where `node` starts: its start tag for an element, its owner's start tag otherwise.
    package func location(of node: XMLNode) -> SourceLocation {
        var element = node
        while element.type != XML_ELEMENT_NODE, let parent = element.parent { element = parent }
        if source.offsetsAreExact, let end = element.recordedOffset {
            return source.location(ofOffset: source.startTagOffset(endingAt: end))
        }
        return SourceLocation(file: source.displayName, line: max(1, Int(xmlGetLineNo(element.pointer))), column: 1)
    }

    /// Where attribute `name` (as written, with its prefix) of `element` starts.
    package func location(ofAttribute qualifiedName: String, of element: XMLNode) -> SourceLocation {
        if source.offsetsAreExact, let end = element.recordedOffset {
            let tag = source.startTagOffset(endingAt: end)
            if let offset = source.attributeOffset(named: qualifiedName, inTagAt: tag) {
                return source.location(ofOffset: offset)
            }
        }
        return location(of: element)
    }
}
