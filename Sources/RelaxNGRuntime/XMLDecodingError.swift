import RelaxNG

/// Why a document could not be decoded: where (file, line, column and element path) and what
/// the grammar expected there.
public struct XMLDecodingError: Error, Sendable, CustomStringConvertible {
    /// What was wrong; for a choice that nothing matched, also why each alternative did not.
    public var message: String {
        get { reasons.isEmpty ? summary : summary + " (" + reasons.map(\.description).joined(separator: "; ") + ")" }
        set {
            summary = newValue
            reasons = []
        }
    }
    // Decoding a choice tries alternatives and drops most failures: their reasons are only
    // spelled out when someone reads the message.
    private var summary: String
    private var reasons: [XMLDecodingError] = []
    public var location: XMLLocation?
    /// Such as `/domainsnapshot/disks/disk[2]/@snapshot`.
    public var path: String?
    /// Further problems found after the first, if any.
    public var others: [XMLDecodingError]

    public init(_ message: String, at location: XMLLocation?, path: String? = nil, others: [XMLDecodingError] = []) {
        self.summary = message
        self.location = location
        self.path = path
        self.others = others
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

    /// A failure whose message ends with `reasons`, spelled out only when it is read.
    @usableFromInline init(_ summary: String, because reasons: [any Error], at location: XMLLocation?, path: String?) {
        self.init(summary, at: location, path: path)
        self.reasons = reasons.map { $0 as? XMLDecodingError ?? XMLDecodingError("\($0)", at: nil) }
    }
}
