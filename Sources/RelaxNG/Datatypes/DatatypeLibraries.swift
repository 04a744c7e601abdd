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

/// A check of strings against one datatype and its parameters, for generated code's value types.
package struct DatatypeCheck: @unchecked Sendable {
    private let datatype: Datatype

    /// Fails when the library, the type or a parameter is unknown or wrong.
    package init(library: String, type: String, parameters: [(name: String, value: String)]) throws {
        let location = SourceLocation(file: "<generated>", line: 1, column: 1)
        let syntax = parameters.map { ParameterSyntax(name: $0.name, value: $0.value, location: location) }
        do {
            datatype = try DatatypeLibraries().datatype(DatatypeName(library: library, name: type), parameters: syntax, at: location)
        } catch {
            throw DiagnosticError(error.message, at: nil)
        }
    }

    package func allows(_ text: String) -> Bool { datatype.allows(text, in: .none) }
}
