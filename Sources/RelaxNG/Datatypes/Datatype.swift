/// A datatype with its parameters applied: it decides which strings are values of it and
/// whether two strings denote the same value.
class Datatype: @unchecked Sendable {
    let name: DatatypeName

    init(name: DatatypeName) { self.name = name }

    /// Whether `text`, written in `context`, is a value of this datatype.
    func allows(_ text: String, in context: ValueContext) -> Bool { fatalError("subclass responsibility") }

    /// The value `text` denotes, in a form that ``matches(_:_:in:)`` compares against;
    /// nil when `text` is not a value of this datatype.
    func value(of text: String, in context: ValueContext) -> DatatypeValue? { fatalError("subclass responsibility") }

    /// Whether `text`, written in `context`, denotes `value`.
    func matches(_ value: DatatypeValue, _ text: String, in context: ValueContext) -> Bool {
        guard let other = self.value(of: text, in: context) else { return false }
        return value == other
    }

    /// A short description for diagnostics, such as `xsd:unsignedInt` or `xsd:string (pattern "[a-z]+")`.
    var summary: String { name.description }
}

/// A value in a datatype's value space.
enum DatatypeValue: Equatable, @unchecked Sendable {
    /// Types whose value space is (normalised) strings.
    case string(String)
    /// `xsd:QName`: a namespace URI and a local name.
    case qualifiedName(QualifiedName)
    /// Any other XML Schema type, compared by libxml2.
    case schemaValue(SchemaValue)
}

/// Errors a datatype library reports while a grammar is loaded.
struct DatatypeError: Error {
    var message: String
    var location: SourceLocation?
}
