import CLibXML2

/// A value parsed by libxml2's XML Schema type library; freed with its owner.
final class SchemaValue: Equatable, @unchecked Sendable {
    let pointer: xmlSchemaValPtr

    init(_ pointer: xmlSchemaValPtr) { self.pointer = pointer }

    deinit { xmlSchemaFreeValue(pointer) }

    static func == (left: SchemaValue, right: SchemaValue) -> Bool {
        left === right || xmlSchemaCompareValues(left.pointer, right.pointer) == 0
    }
}

/// A datatype of the XML Schema library (`http://www.w3.org/2001/XMLSchema-datatypes`), with
/// its facets, as RELAX NG's guidelines for that library describe: lexical spaces, value
/// spaces and facets from XML Schema Part 2; `pattern` uses XML Schema regular expressions
/// (libxml2's engine), several `pattern` parameters must all match, other parameters may
/// appear once, and `enumeration` and `whiteSpace` are not parameters.
final class XMLSchemaDatatype: Datatype, @unchecked Sendable {
    enum Whitespace { case preserve, replace, collapse }

    /// How the value space is compared.
    enum Family {
        /// Value space: the normalised string.
        case string
        /// Value space: the list of tokens.
        case list
        case qualifiedName
        /// Compared by libxml2 (numbers, dates, durations, booleans, binary).
        case schemaValue
    }

    private let type: xmlSchemaTypePtr
    let whitespace: Whitespace
    let family: Family
    private let facets: [xmlSchemaFacetPtr]
    private let patternFacets: [xmlSchemaFacetPtr]
    /// Each pattern compiled by this project where it can be (see ``SchemaRegularExpression``),
    /// else nil and libxml2's automaton in the facet matches.
    private let patternMatchers: [SchemaRegularExpression?]
    private let lengthLimits: (exact: Int?, minimum: Int?, maximum: Int?)
    /// For integer types whose facets are ranges: the check made without libxml2 where it can be.
    private let integerRange: IntegerRange?
    let parameters: [ParameterSyntax]

    private init(
        name: String, type: xmlSchemaTypePtr, facets: [xmlSchemaFacetPtr], patterns: [xmlSchemaFacetPtr],
        lengths: (Int?, Int?, Int?), parameters: [ParameterSyntax]
    ) {
        self.type = type
        self.whitespace = Self.whitespace(of: name)
        self.family = Self.family(of: name)
        self.facets = facets
        self.patternFacets = patterns
        self.patternMatchers = patterns.map { facet in
            facet.pointee.value.flatMap { SchemaRegularExpression(String(cString: $0)) }
        }
        self.lengthLimits = lengths
        self.integerRange = IntegerRange(
            type: name, parameters: parameters.filter { $0.name != "pattern" }.map { ($0.name, $0.value) })
        self.parameters = parameters
        super.init(name: DatatypeName(library: RelaxNGNamespaces.xmlSchemaDatatypes, name: name))
    }

    deinit {
        for facet in facets + patternFacets { freeFacet(facet) }
    }

    override var summary: String {
        guard !parameters.isEmpty else { return name.description }
        let described = parameters.map { "\($0.name) \"\($0.value)\"" }.joined(separator: ", ")
        return "\(name) (\(described))"
    }

    static let typeNames: Set<String> = [
        "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN", "NMTOKENS",
        "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "anyURI", "QName", "NOTATION", "boolean",
        "decimal", "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
        "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
        "positiveInteger", "float", "double", "duration", "dateTime", "time", "date", "gYearMonth",
        "gYear", "gMonthDay", "gDay", "gMonth", "hexBinary", "base64Binary",
    ]

    private static let lengthFacetNames: Set<String> = ["length", "minLength", "maxLength"]
    private static let rangeFacetNames: Set<String> = ["minInclusive", "maxInclusive", "minExclusive", "maxExclusive"]
    private static let digitFacetNames: Set<String> = ["totalDigits", "fractionDigits"]

    private static let integerTypes: Set<String> = [
        "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
        "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "positiveInteger",
    ]
    private static let orderedTypes: Set<String> = [
        "float", "double", "duration", "dateTime", "time", "date", "gYearMonth", "gYear", "gMonthDay", "gDay", "gMonth",
    ]

    /// The parameters a type accepts besides `pattern`.
    static func allowedParameters(for name: String) -> Set<String> {
        if name == "boolean" { return [] }
        if name == "decimal" || integerTypes.contains(name) { return rangeFacetNames.union(digitFacetNames) }
        if orderedTypes.contains(name) { return rangeFacetNames }
        return lengthFacetNames
    }

    static func whitespace(of name: String) -> Whitespace {
        switch name {
        case "string": return .preserve
        case "normalizedString": return .replace
        default: return .collapse
        }
    }

    static func family(of name: String) -> Family {
        switch name {
        case "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN", "ID", "IDREF", "ENTITY", "anyURI":
            return .string
        case "NMTOKENS", "IDREFS", "ENTITIES": return .list
        case "QName", "NOTATION": return .qualifiedName
        default: return .schemaValue
        }
    }

    static func make(named name: String, parameters: [ParameterSyntax], at location: SourceLocation) throws(DatatypeError) -> XMLSchemaDatatype {
        LibXML2.prepareThread()
        guard typeNames.contains(name),
            let type = xmlSchemaGetPredefinedType(name, "http://www.w3.org/2001/XMLSchema")
        else {
            throw DatatypeError(message: "\"\(name)\" is not a datatype of the XML Schema datatype library", location: location)
        }
        let allowed = allowedParameters(for: name)
        var seen: Set<String> = []
        var facets: [xmlSchemaFacetPtr] = []
        var patterns: [xmlSchemaFacetPtr] = []
        var lengths: (exact: Int?, minimum: Int?, maximum: Int?) = (nil, nil, nil)
        func release() { for facet in facets + patterns { freeFacet(facet) } }
        for parameter in parameters {
            if parameter.name != "pattern" {
                guard allowed.contains(parameter.name) else {
                    release()
                    throw DatatypeError(message: "xsd:\(name) does not take the parameter \"\(parameter.name)\"", location: parameter.location)
                }
                guard seen.insert(parameter.name).inserted else {
                    release()
                    throw DatatypeError(message: "the parameter \"\(parameter.name)\" is given more than once", location: parameter.location)
                }
            }
            if lengthFacetNames.contains(parameter.name) {
                guard let count = Int(XMLNames.trimmed(parameter.value)), count >= 0 else {
                    release()
                    throw DatatypeError(message: "the parameter \"\(parameter.name)\" must be a non-negative integer, not \"\(parameter.value)\"", location: parameter.location)
                }
                switch parameter.name {
                case "length": lengths.exact = count
                case "minLength": lengths.minimum = count
                default: lengths.maximum = count
                }
                continue
            }
            guard let facet = xmlSchemaNewFacet() else { continue }
            facet.pointee.type = facetType(parameter.name)
            facet.pointee.value = UnsafePointer(xmlStrdup(parameter.value))
            if xmlSchemaCheckFacet(facet, type, nil, name) != 0 {
                freeFacet(facet)
                release()
                let what = parameter.name == "pattern" ? "not a valid XML Schema regular expression" : "not a valid value for xsd:\(name)"
                throw DatatypeError(message: "the parameter \"\(parameter.name)\": \"\(parameter.value)\" is \(what)", location: parameter.location)
            }
            if parameter.name == "pattern" { patterns.append(facet) } else { facets.append(facet) }
        }
        if let minimum = lengths.minimum, let maximum = lengths.maximum, minimum > maximum {
            release()
            throw DatatypeError(message: "minLength (\(minimum)) is greater than maxLength (\(maximum))", location: location)
        }
        return XMLSchemaDatatype(name: name, type: type, facets: facets, patterns: patterns, lengths: lengths, parameters: parameters)
    }

    private static func facetType(_ name: String) -> xmlSchemaTypeType {
        switch name {
        case "minInclusive": return XML_SCHEMA_FACET_MININCLUSIVE
        case "maxInclusive": return XML_SCHEMA_FACET_MAXINCLUSIVE
        case "minExclusive": return XML_SCHEMA_FACET_MINEXCLUSIVE
        case "maxExclusive": return XML_SCHEMA_FACET_MAXEXCLUSIVE
        case "totalDigits": return XML_SCHEMA_FACET_TOTALDIGITS
        case "fractionDigits": return XML_SCHEMA_FACET_FRACTIONDIGITS
        default: return XML_SCHEMA_FACET_PATTERN
        }
    }

    /// `text` after the type's whitespace facet.
    func normalized(_ text: String) -> String {
        switch whitespace {
        case .preserve: return text
        case .collapse: return XMLNames.collapsed(text)
        case .replace:
            return String(String.UnicodeScalarView(text.unicodeScalars.map { XMLNames.isWhitespace($0) ? " " : $0 }))
        }
    }

    override func allows(_ text: String, in context: ValueContext) -> Bool {
        // Whether there is a value, without making one: an integer type with range facets is
        // checked by `IntegerRange` where it can be, and a type with no facet beyond patterns and
        // lengths needs libxml2's check of the lexical form alone, which allocates nothing.
        // Generated value types ask this of every value they are made from.
        guard family == .schemaValue else { return value(of: text, in: context) != nil }
        let normal = normalized(text)
        if let integerRange, let inRange = integerRange.allows(normal) { return inRange && matchesPatterns(normal) }
        guard facets.isEmpty else { return value(of: text, in: context) != nil }
        return lexicallyValid(normal) && satisfiesLengthLimits(normal) && matchesPatterns(normal)
    }

    /// `body` on `string` as libxml2's NUL-terminated characters, without copying a native string
    /// (passing a `String` where libxml2 wants characters copies it into a new array).
    static func withXMLChars<Result>(_ string: String, _ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        string.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    override func value(of text: String, in context: ValueContext) -> DatatypeValue? {
        let normal = normalized(text)
        let result: DatatypeValue
        switch family {
        case .qualifiedName:
            guard XMLNames.isQName(normal) else { return nil }
            let (prefix, local) = XMLNames.split(qualifiedName: normal)
            guard let namespace = context.namespace(forPrefix: prefix) else { return nil }
            result = .qualifiedName(QualifiedName(namespace: namespace, localName: local))
        case .string, .list:
            guard lexicallyValid(normal) else { return nil }
            result = .string(normal)
        case .schemaValue:
            var parsed: xmlSchemaValPtr? = nil
            let status = xmlSchemaValPredefTypeNode(type, normal, &parsed, nil)
            guard status == 0 else {
                if let parsed { xmlSchemaFreeValue(parsed) }
                return nil
            }
            guard let parsed else { return nil }
            let value = SchemaValue(parsed)
            for facet in facets where xmlSchemaValidateFacet(type, facet, normal, parsed) != 0 { return nil }
            result = .schemaValue(value)
        }
        guard satisfiesLengthLimits(normal), matchesPatterns(normal) else { return nil }
        return result
    }

    private func lexicallyValid(_ normal: String) -> Bool {
        if name.name == "string" || name.name == "normalizedString" { return true }
        return Self.withXMLChars(normal) { xmlSchemaValPredefTypeNode(type, $0, nil, nil) } == 0
    }

    private func satisfiesLengthLimits(_ normal: String) -> Bool {
        guard lengthLimits.exact != nil || lengthLimits.minimum != nil || lengthLimits.maximum != nil else { return true }
        let length: Int
        switch family {
        case .list: length = normal.split(separator: " ").count
        case .schemaValue:
            // hexBinary and base64Binary measure octets.
            guard let octets = octetCount(normal) else { return false }
            length = octets
        default: length = normal.unicodeScalars.count
        }
        if let exact = lengthLimits.exact, length != exact { return false }
        if let minimum = lengthLimits.minimum, length < minimum { return false }
        if let maximum = lengthLimits.maximum, length > maximum { return false }
        return true
    }

    private func octetCount(_ normal: String) -> Int? {
        switch name.name {
        case "hexBinary": return normal.utf8.count / 2
        case "base64Binary":
            let characters = normal.unicodeScalars.filter { $0 != " " }
            let padding = characters.reversed().prefix(while: { $0 == "=" }).count
            return characters.count / 4 * 3 - padding
        default: return normal.unicodeScalars.count
        }
    }

    private func matchesPatterns(_ normal: String) -> Bool {
        for (facet, matcher) in zip(patternFacets, patternMatchers) {
            if let matcher {
                guard matcher.matches(normal) else { return false }
            } else {
                guard let regexp = facet.pointee.regexp, Self.withXMLChars(normal, { xmlRegexpExec(regexp, $0) }) == 1 else { return false }
            }
        }
        return true
    }
}

/// Frees a facet and the value string this project duplicated into it (libxml2 leaves that to
/// whoever set it).
private func freeFacet(_ facet: xmlSchemaFacetPtr) {
    if let value = facet.pointee.value { rng2swift_xmlFree(UnsafeMutableRawPointer(mutating: value)) }
    facet.pointee.value = nil
    xmlSchemaFreeFacet(facet)
}
