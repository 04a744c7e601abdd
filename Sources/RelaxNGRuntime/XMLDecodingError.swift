import RelaxNG

/// Why a document could not be decoded: where (file, line, column and element path) and what
/// the grammar expected there.
public struct XMLDecodingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var location: XMLLocation?
    /// Such as `/domainsnapshot/disks/disk[2]/@snapshot`.
    public var path: String?
    /// Further problems found after the first, if any.
    public var others: [XMLDecodingError]

    public init(_ message: String, at location: XMLLocation?, path: String? = nil, others: [XMLDecodingError] = []) {
        self.message = message
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
}
