/// RELAX NG's own library (the empty URI): `string`, compared exactly, and `token`, compared
/// after whitespace is collapsed. Neither takes parameters.
final class BuiltinDatatype: Datatype, @unchecked Sendable {
    let collapsesWhitespace: Bool

    init(named name: String) {
        collapsesWhitespace = name == "token"
        super.init(name: DatatypeName(library: "", name: name))
    }

    static func make(named name: String, parameters: [ParameterSyntax], at location: SourceLocation) throws(DatatypeError) -> BuiltinDatatype {
        guard name == "string" || name == "token" else {
            throw DatatypeError(message: "the built-in datatype library has only \"string\" and \"token\", not \"\(name)\"", location: location)
        }
        if let parameter = parameters.first {
            throw DatatypeError(message: "the built-in datatype \"\(name)\" takes no parameters (\"\(parameter.name)\" given)", location: parameter.location)
        }
        return BuiltinDatatype(named: name)
    }

    override func allows(_ text: String, in context: ValueContext) -> Bool { true }

    override func value(of text: String, in context: ValueContext) -> DatatypeValue? {
        .string(collapsesWhitespace ? XMLNames.collapsed(text) : text)
    }

    override func matches(_ value: DatatypeValue, _ text: String, in context: ValueContext) -> Bool {
        guard case .string(let expected) = value else { return false }
        return expected == (collapsesWhitespace ? XMLNames.collapsed(text) : text)
    }
}
