import RelaxNG

/// Why a document could not be decoded: where (file, line, column and element path) and what
/// the grammar expected there.
public struct XMLDecodingError: Error, Sendable, CustomStringConvertible {
    /// What was wrong; for a choice that nothing matched, also why each alternative did not.
    public var message: String {
        get {
            let base = summary.text
            let summary = invalidValueType.map { base + " is not a valid \($0)" } ?? base
            return reasons.isEmpty ? summary : summary + " (" + reasons.map(\.description).joined(separator: "; ") + ")"
        }
        set {
            summary = .text(newValue)
            invalidValueType = nil
            reasons = []
        }
    }
    /// A failure that decoding drops without reading: optional content that is not there.
    @usableFromInline static let unread = XMLDecodingError("optional content that is not there", at: nil)

    // Decoding a choice tries alternatives and drops most failures: their reasons are only
    // spelled out when someone reads the message.
    private var summary: Summary

    /// The first part of a message, put together only when read: a choice's alternatives fail
    /// often, and most of their failures are dropped unread.
    @usableFromInline enum Summary: Sendable {
        case text(String)
        /// `before`, `subject`, `between`, `object`, `after`, one after another.
        case template(StaticString, String, StaticString, String, StaticString)

        /// `before`, then `subject`, then `after`: `missing element <` name `>`.
        @usableFromInline static func template(_ before: StaticString, _ subject: String, _ after: StaticString) -> Summary {
            .template(before, subject, after, "", "")
        }

        var text: String {
            switch self {
            case .text(let text): return text
            case .template(let before, let subject, let between, let object, let after):
                return before.description + subject + between.description + object + after.description
            }
        }
    }
    /// The type a value did not convert to, named only when the message is read: a type's name
    /// is worked out at run time, and alternatives of a choice fail this way often.
    var invalidValueType: (any Any.Type)?
    var reasons: [XMLDecodingError] = []
    public var location: XMLLocation? {
        get { origin.map { $0.document.location(of: $0.node) } ?? storedLocation }
        set {
            resolve()
            storedLocation = newValue
        }
    }
    /// Such as `/domainsnapshot/disks/disk[2]/@snapshot`.
    public var path: String? {
        get { origin.map { "<\($0.node.qualifiedName)>" } ?? storedPath }
        set {
            resolve()
            storedPath = newValue
        }
    }
    /// Further problems found after the first, if any.
    public var others: [XMLDecodingError]
    private var storedLocation: XMLLocation?
    private var storedPath: String?
    // A failure while reading libxml2's tree names its element; the location and path are worked
    // out when read (most failures are alternatives of a choice that are never reported), and
    // fixed before the error leaves the decoding that owns the document.
    private var origin: Origin?

    private struct Origin: @unchecked Sendable {
        let node: RelaxNG.XMLNode
        let document: XMLDocument
    }

    public init(_ message: String, at location: XMLLocation?, path: String? = nil, others: [XMLDecodingError] = []) {
        self.init(.text(message), at: location, path: path, others: others)
    }

    init(_ summary: Summary, at location: XMLLocation?, path: String?, others: [XMLDecodingError] = []) {
        self.summary = summary
        self.storedLocation = location
        self.storedPath = path
        self.others = others
    }

    init(_ summary: Summary, at node: RelaxNG.XMLNode, in document: XMLDocument) {
        // Every property set here, not through the other initialiser and a change after it,
        // which would copy the whole error twice.
        self.summary = summary
        self.storedLocation = nil
        self.storedPath = nil
        self.others = []
        self.origin = Origin(node: node, document: document)
    }

    /// Works out the location and path now, so the error no longer refers to the document.
    mutating func resolve() {
        if let origin {
            storedLocation = origin.document.location(of: origin.node)
            storedPath = "<\(origin.node.qualifiedName)>"
            self.origin = nil
        }
        for index in reasons.indices { reasons[index].resolve() }
        for index in others.indices { others[index].resolve() }
    }

    init(_ diagnostics: [Diagnostic]) {
        let converted = diagnostics.map { diagnostic in
            XMLDecodingError(
                diagnostic.message,
                at: diagnostic.location,
                path: diagnostic.path)
        }
        self = converted.first ?? XMLDecodingError("the document could not be decoded", at: nil)
        self.others = Array(converted.dropFirst())
    }

    /// `file:line:column: error: path: message`, as compilers print.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "error: "
        if let path { text += "\(path): " }
        return text + message
    }

}
