import CLibXML2
import Foundation

/// A libxml2 parser context kept for the next parse. Making one costs more than parsing a
/// small document (its name dictionary alone is a table of several kilobytes, allocated and
/// cleared), so contexts are reused from a pool.
///
/// A reused context keeps its dictionary, and every document parsed with it shares that
/// dictionary: libxml2 interns names there, and short texts. Freeing such a document reads the
/// dictionary, so it must not overlap a parse that adds to it: ``lock`` is held both while the
/// context parses and while a document parsed with it is freed. A context whose dictionary has
/// grown large is not taken back, so that a long run of documents with ever new names cannot
/// grow it without bound; it goes once its last document does.
final class ParserContext: @unchecked Sendable {
    let pointer: xmlParserCtxtPtr
    let lock = NSLock()
    /// Tells this context from every other made in the process, even one at the same address:
    /// names its dictionary holds can be remembered by their pointers under it.
    let serial: UInt64
    /// The numbers of the names the dictionary holds, for the arena builder.
    let nameNumbers = NameNumberCache()

    /// libxml2's tree builder (recording where start tags end), and the one that builds into a
    /// ``NodeArena``; a parse sets the one it uses.
    private let standardHandlers: xmlSAXHandler
    private let arenaHandlers: xmlSAXHandler

    private init(pointer: xmlParserCtxtPtr) {
        self.pointer = pointer
        Self.poolLock.lock()
        Self.serials += 1
        serial = Self.serials
        Self.poolLock.unlock()
        pointer.pointee.sax.pointee.startElementNs = recordStartTag
        pointer.pointee.sax.pointee.serror = ignoreParserError
        standardHandlers = pointer.pointee.sax.pointee
        arenaHandlers = ArenaTreeBuilder.handlers(from: standardHandlers)
    }

    /// Runs `body` (a parse) with the handlers that build the tree into `builder`'s arena.
    func withArenaBuilder<Result>(_ builder: ArenaTreeBuilder, _ body: () -> Result) -> Result {
        pointer.pointee.sax.pointee = arenaHandlers
        pointer.pointee._private = Unmanaged.passUnretained(builder).toOpaque()
        defer {
            pointer.pointee.sax.pointee = standardHandlers
            pointer.pointee._private = nil
        }
        return withExtendedLifetime(builder) { body() }
    }

    /// A copy of the document being parsed, followed by the NUL byte libxml2 reads as its end.
    private var copy = UnsafeMutableBufferPointer<CChar>(start: nil, count: 0)
    /// Past this, the copy's memory is let go after the parse.
    private static let copyKeptLimit = 1 << 20

    deinit {
        xmlFreeParserCtxt(pointer)
        copy.deallocate()
    }

    /// `bytes` and a NUL after them, in memory the context keeps from one parse to the next.
    func terminatedCopy(of bytes: UnsafeBufferPointer<CChar>) -> UnsafePointer<CChar> {
        if copy.count < bytes.count + 1 {
            copy.deallocate()
            copy = .allocate(capacity: max(bytes.count + 1, 4096))
        }
        if let base = bytes.baseAddress { copy.baseAddress!.update(from: base, count: bytes.count) }
        copy[bytes.count] = 0
        return UnsafePointer(copy.baseAddress!)
    }

    /// Runs `body` with a context from the pool (or a new one) held for it alone, then gives
    /// the context back. Nil when libxml2 cannot allocate a context.
    static func withContext<Result>(_ body: (ParserContext) throws(DiagnosticError) -> Result) throws(DiagnosticError) -> Result? {
        guard let context = takeFromPool() ?? xmlNewParserCtxt().map(ParserContext.init(pointer:)) else { return nil }
        context.lock.lock()
        defer {
            // Drops the input stream, which may point into the copy.
            xmlCtxtReset(context.pointer)
            if context.copy.count > copyKeptLimit {
                context.copy.deallocate()
                context.copy = UnsafeMutableBufferPointer(start: nil, count: 0)
            }
            context.lock.unlock()
            giveBack(context)
        }
        return try body(context)
    }

    // MARK: The pool

    /// Idle contexts; a few, as many as there are parses at once.
    nonisolated(unsafe) private static var pool: [ParserContext] = []
    private static let poolLock = NSLock()
    /// The last context's ``serial``; guarded by `poolLock`.
    nonisolated(unsafe) private static var serials: UInt64 = 0
    private static let poolLimit = 8
    /// Past these, a context's dictionary is dropped with it (names, and libxml2's bytes in use).
    static let dictionaryEntryLimit = 20_000
    private static let dictionaryByteLimit = 4 << 20

    private static func takeFromPool() -> ParserContext? {
        poolLock.lock()
        defer { poolLock.unlock() }
        return pool.popLast()
    }

    private static func giveBack(_ context: ParserContext) {
        if let dictionary = context.pointer.pointee.dict,
            xmlDictSize(dictionary) > dictionaryEntryLimit || xmlDictGetUsage(dictionary) > dictionaryByteLimit
        {
            return
        }
        poolLock.lock()
        defer { poolLock.unlock() }
        if pool.count < poolLimit { pool.append(context) }
    }
}

/// Calls libxml2's tree builder, then stores in the new node's `_private` field the byte offset
/// the parser had reached (the end of the start tag), plus one so that zero means "unknown".
private func recordStartTag(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ attributeCount: Int32, _ defaultedCount: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    xmlSAX2StartElementNs(
        context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount, attributes)
    guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self),
        let node = parser.pointee.node, let input = parser.pointee.input,
        let current = input.pointee.cur, let base = input.pointee.base
    else { return }
    let offset = Int(input.pointee.consumed) + (current - base)
    node.pointee._private = UnsafeMutableRawPointer(bitPattern: offset + 1)
}

private func ignoreParserError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {}
