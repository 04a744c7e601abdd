/// Finds datatypes by library URI and name, and keeps each distinct datatype (name and
/// parameters) once, so that a grammar's many uses of `xsd:unsignedInt` share one object.
final class DatatypeLibraries: @unchecked Sendable {
    private var cache: [String: Datatype] = [:]

    func datatype(_ name: DatatypeName, parameters: [ParameterSyntax], at location: SourceLocation) throws(DatatypeError) -> Datatype {
        let key = ([name.library, name.name] + parameters.flatMap { [$0.name, $0.value] }).joined(separator: "\u{0}")
        if let known = cache[key] { return known }
        let made: Datatype
        switch name.library {
        case "":
            made = try BuiltinDatatype.make(named: name.name, parameters: parameters, at: location)
        case RelaxNGNamespaces.xmlSchemaDatatypes:
            made = try XMLSchemaDatatype.make(named: name.name, parameters: parameters, at: location)
        default:
            throw DatatypeError(
                message: "unknown datatype library \"\(name.library)\"; supported: the built-in library and \(RelaxNGNamespaces.xmlSchemaDatatypes)",
                location: location)
        }
        cache[key] = made
        return made
    }
}
