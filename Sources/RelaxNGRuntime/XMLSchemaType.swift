import RelaxNG

/// A datatype of the XML Schema library with its parameters (facets), used by generated value
/// types to check their values: `XMLSchemaType("string", ["pattern": "[a-z]+"]).allows("abc")`.
public struct XMLSchemaType: Sendable {
    private let check: DatatypeCheck?

    /// `parameters` in the grammar's order; a parameter may repeat (`pattern`).
    public init(_ type: String, _ parameters: [(String, String)] = []) {
        check = try? DatatypeCheck(
            library: "http://www.w3.org/2001/XMLSchema-datatypes", type: type, parameters: parameters.map { ($0.0, $0.1) })
    }

    /// Whether `text` is a value of the datatype; false for a datatype libxml2 does not know.
    public func allows(_ text: String) -> Bool { check?.allows(text) ?? false }
}
