/// A problem found in a grammar or a document, located in its source.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Error {
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
        case note
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    /// For documents: the path of the element or attribute, such as `/domainsnapshot/disks/disk[2]/@snapshot`.
    public var path: String?

    public init(_ severity: Severity = .error, _ message: String, at location: SourceLocation?, path: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.path = path
    }

    /// `file:line:column: error: message`, or without the location when there is none.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): "
        if let path { text += "\(path): " }
        text += message
        return text
    }
}

/// One or more errors that stopped an operation; thrown by the grammar loader and the validator.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ message: String, at location: SourceLocation?, path: String? = nil) {
        self.diagnostics = [Diagnostic(.error, message, at: location, path: path)]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
