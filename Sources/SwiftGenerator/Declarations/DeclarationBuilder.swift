import RelaxNG

/// Builds the Swift declaration model from the type model: the public API (types, properties,
/// cases, memberwise initialisers) first, then the XML plumbing in extensions after a
/// `// MARK:` line, as the best generators lay out their output.
struct DeclarationBuilder {
    let access: AccessLevel
    let grammarFiles: [(path: String, text: String)]
    let mainGrammar: String
    /// The constant that holds the root types' grammar.
    var grammarConstant = "embeddedGrammar"
    /// The screens of the output's element types (see `Screens`), which look into the types of
    /// required children: set once the types have their final names; until then, none.
    var screens = Screens(types: [])
    /// The names each type's decoder may read trusting validation (see `TrustedReads`): set with
    /// the screens; until then, none.
    var trustedReads = TrustedReads(types: [])
    /// The names each content type reads (see `NamesRead`), for gathered reads: set with the
    /// screens; until then, none.
    var namesRead = NamesRead(types: [])

    private static let valueConformances = ["Hashable", "Sendable", "Codable"]

    func declarations(for types: [GeneratedType], roots: [GeneratedType]) -> [SwiftDeclaration] {
        var result = types.flatMap { [apiDeclaration($0)] + initializerExtensions($0, nestedToo: true) }
        result.append(.mark("XML plumbing"))
        for type in types { result += plumbing(type) }
        if !roots.isEmpty {
            result.append(.mark("The grammar, embedded"))
            result.append(embeddedGrammarDeclaration())
        }
        return result
    }

    /// The public API of one top-level type and, separately, its plumbing: what a file holds.
    func parts(of type: GeneratedType) -> (api: SwiftDeclaration, plumbing: [SwiftDeclaration]) {
        (apiDeclaration(type), initializerExtensions(type, nestedToo: true) + plumbing(type))
    }

    func embeddedGrammarDeclaration() -> SwiftDeclaration {
        let files = grammarFiles.map { (SwiftExpression.stringLiteral($0.path), SwiftExpression.identifier(Self.rawStringLiteral($0.text))) }
        return .property(PropertyDeclaration(
            access: nil, isMutable: false, name: "embeddedGrammar", type: "XMLGrammar",
            initialValue: .call(.identifier("XMLGrammar"), [Argument("files", .dictionaryLiteral(files)), Argument("main", .stringLiteral(mainGrammar))]),
            documentation: ["The grammar the generated types were made from; decoding validates against it."]))
    }

    // MARK: - Public API

    /// Whether nested types are written inside their parent (one file) or as extensions of it
    /// (so that a split file set can put them anywhere).
    var nestsInline = true

    private func nestedDeclarations(_ type: GeneratedType) -> [SwiftDeclaration] {
        nestsInline ? type.nested.map(apiDeclaration) : []
    }

    /// For split files: every type, nested ones as an extension of their parent, with its plumbing.
    func units(of type: GeneratedType, parent: GeneratedType?) -> [[SwiftDeclaration]] {
        var api = apiDeclaration(type)
        if let parent {
            api = .extension(ExtensionDeclaration(access: nil, typeName: parent.qualifiedName, conformances: [], members: [api]))
        }
        var result = [[api] + initializerExtensions(type, nestedToo: false) + plumbingOfSelf(type)]
        for nested in type.nested { result += units(of: nested, parent: type) }
        return result
    }

    private func apiDeclaration(_ type: GeneratedType) -> SwiftDeclaration {
        switch type.kind {
        case .structure(let fields):
            var members: [SwiftDeclaration] = []
            for field in fields {
                guard let propertyType = field.propertyType else { continue }
                members.append(.property(PropertyDeclaration(
                    access: access, attributes: field.isBoxed ? ["@XMLIndirect"] : [], name: SwiftNames.declared(field.propertyName), type: propertyType,
                    documentation: field.documentation)))
            }
            if type.keepsChildOrder {
                members.append(.property(PropertyDeclaration(
                    access: access, name: "childOrder", type: "XMLChildOrder", initialValue: .call(.identifier("XMLChildOrder"), []),
                    documentation: ["The order the child elements were read in; encoding keeps it. It does not take part in `==`."])))
            }
            if !Self.decodesThroughSwiftMemberwiseInitializer(type) {
                members.append(.function(memberwiseInitializer(fields, typeName: type.name)))
            }
            members += nestedDeclarations(type)
            return .structure(TypeDeclaration(access: access, name: type.name, inheritance: Self.valueConformances, documentation: type.documentation, members: members))
        case .choice(let alternatives):
            var members: [SwiftDeclaration] = alternatives.map { alternative in
                var values = alternative.fields.compactMap { field -> EnumCaseDeclaration.AssociatedValue? in
                    guard let propertyType = field.propertyType else { return nil }
                    var defaultValue = field.defaultValue.map { SwiftExpression.identifier($0) }
                    if case .flagAttribute = field.kind { defaultValue = .booleanLiteral(true) }
                    return .init(label: field.propertyName, type: propertyType, defaultValue: defaultValue)
                }
                if values.count == 1 { values[0].label = "_ \(values[0].label)" }
                return .enumCase(EnumCaseDeclaration(
                    name: SwiftNames.declared(alternative.caseName), associatedValues: values, documentation: caseDocumentation(alternative),
                    isIndirect: alternative.isBoxed))
            }
            members += nestedDeclarations(type)
            return .enumeration(TypeDeclaration(access: access, isIndirect: type.isIndirect, name: type.name, inheritance: Self.valueConformances, documentation: type.documentation, members: members))
        case .valueEnumeration(let cases):
            let members: [SwiftDeclaration] = cases.map { valueCase in
                .enumCase(EnumCaseDeclaration(name: SwiftNames.declared(valueCase.name), rawValue: valueCase.name == valueCase.value ? nil : valueCase.value, documentation: valueCase.documentation))
            }
            return .enumeration(TypeDeclaration(
                access: access, name: type.name, inheritance: ["String"] + Self.valueConformances + ["CaseIterable", "XMLValue"],
                documentation: type.documentation, members: members + nestedDeclarations(type)))
        case .valueUnion(let members):
            var declarations: [SwiftDeclaration] = members.map { member in
                switch member.kind {
                case .value(let value):
                    return .enumCase(EnumCaseDeclaration(name: SwiftNames.declared(member.caseName), documentation: ["The value `\(value)`."]))
                case .type(let type):
                    return .enumCase(EnumCaseDeclaration(name: SwiftNames.declared(member.caseName), associatedValues: [.init(label: "_", type: type, defaultValue: nil)]))
                }
            }
            declarations = declarations.map { declaration in
                // Unlabelled associated values render as `case name(_: Type)`; drop the label.
                guard case .enumCase(var enumCase) = declaration else { return declaration }
                enumCase.associatedValues = enumCase.associatedValues.map { value in
                    var value = value
                    if value.label == "_" { value.label = "_ value" }
                    return value
                }
                return .enumCase(enumCase)
            }
            declarations += nestedDeclarations(type)
            return .enumeration(TypeDeclaration(access: access, isIndirect: type.isIndirect, name: type.name, inheritance: Self.valueConformances + ["XMLValue"], documentation: type.documentation, members: declarations))
        case .wrapper(let checks):
            var members: [SwiftDeclaration] = [
                .property(PropertyDeclaration(access: access, isMutable: false, name: "rawValue", type: "String")),
                .function(FunctionDeclaration(
                    access: access, kind: .initializer, parameters: [Parameter(label: "rawValue", name: "rawValue", type: "String")],
                    returnType: nil,
                    body: [
                        .if(condition: .not(.method(.identifier("Self.checks"), "contains", [Argument("where", .closure(parameters: [], signature: nil, body: [.expression(.method(.identifier("$0"), "allows", [.unlabeled(.identifier("rawValue"))]))]))])),
                            then: [.return(.identifier("nil"))], otherwise: nil),
                        .assignment(.identifier("self.rawValue"), .identifier("rawValue")),
                    ],
                    documentation: ["A value, or nil when the grammar does not allow it."])),
            ]
            members = members.map { declaration in
                guard case .function(var function) = declaration, function.kind == .initializer else { return declaration }
                function.kind = .failableInitializer
                return .function(function)
            }
            let checkExpressions = checks.map { check -> SwiftExpression in
                let parameters = check.parameters.map { SwiftExpression.identifier("(\(SwiftRenderer().stringLiteral($0.name)), \(SwiftRenderer().stringLiteral($0.value)))") }
                return .call(.identifier("XMLSchemaType"), [.unlabeled(.stringLiteral(check.type)), .unlabeled(.arrayLiteral(parameters))])
            }
            members.append(.function(FunctionDeclaration(
                access: access, kind: .initializer, parameters: [Parameter(label: "stringLiteral", name: "value", type: "String")], returnType: nil,
                body: [
                    .ifLet(name: "valid", value: .call(.identifier("Self"), [Argument("rawValue", .identifier("value"))]), then: [
                        .assignment(.identifier("self"), .identifier("valid")), .return(nil),
                    ]),
                    .expression(.call(.identifier("preconditionFailure"), [.unlabeled(.identifier("\"\\\"\\(value)\\\" is not a valid \(type.name)\""))])),
                ],
                documentation: ["A value written as a literal, which must be one the grammar allows."])))
            members.append(.property(PropertyDeclaration(access: nil, isStatic: true, isMutable: false, name: "checks", type: "[XMLSchemaType]", initialValue: .arrayLiteral(checkExpressions))))
            return .structure(TypeDeclaration(
                access: access, name: type.name, inheritance: ["RawRepresentable"] + Self.valueConformances + ["XMLValue", "ExpressibleByStringLiteral", "CustomStringConvertible"],
                documentation: type.documentation, members: members + nestedDeclarations(type)))
        case .alias(let target):
            return .typeAlias(name: type.name, type: target, documentation: type.documentation, access: access)
        }
    }

    private func caseDocumentation(_ alternative: Alternative) -> [String] {
        var lines: [String] = []
        for field in alternative.fields {
            switch field.kind {
            case .fixedAttribute(let name, let value):
                lines.append("Written as `\(name.localName)='\(value)'`.")
            case .flagAttribute(let name, let value):
                lines.append("- `\(field.propertyName)`: whether `\(name.localName)='\(value)'` is written (it is optional).")
            case .fixedText(let value):
                lines.append("Its text is `\(value)`.")
            case .fixedValueElement(let name, let value, let optional):
                lines.append(optional
                    ? "- `\(field.propertyName)`: whether `<\(name.localName)>\(value)</\(name.localName)>` is written (it is optional)."
                    : "Written with `<\(name.localName)>\(value)</\(name.localName)>`.")
            default: break
            }
        }
        return lines
    }

    /// Whether a struct's decoder makes its value with Swift's own memberwise initialiser,
    /// which builds the value in place. An initialiser that sets `self`'s properties one by one
    /// ends in a copy of the whole value and the destruction of the first, which Swift leaves in
    /// for structs of more than a few fields: a retain and a release of every string, array and
    /// box the value holds (libvirt's `<domain>`: 63 of them and 3 KB copied three times, a
    /// decode). Only a struct that keeps its children's order has Swift's initialiser beside
    /// its public one: the `childOrder` parameter tells the two apart.
    static func decodesThroughSwiftMemberwiseInitializer(_ type: GeneratedType) -> Bool {
        guard case .structure = type.kind else { return false }
        return type.keepsChildOrder
    }

    /// The public memberwise initialisers of `type` (and, with `nestedToo`, of the types nested
    /// in it) that cannot be declared in their struct: declared there, one would take Swift's
    /// own memberwise initialiser away (see ``decodesThroughSwiftMemberwiseInitializer(_:)``).
    func initializerExtensions(_ type: GeneratedType, nestedToo: Bool) -> [SwiftDeclaration] {
        var result: [SwiftDeclaration] = []
        if case .structure(let fields) = type.kind, Self.decodesThroughSwiftMemberwiseInitializer(type) {
            result.append(.extension(ExtensionDeclaration(
                access: nil, typeName: type.qualifiedName, conformances: [],
                members: [.function(memberwiseInitializer(fields, typeName: type.name, delegating: true))])))
        }
        if nestedToo { for nested in type.nested { result += initializerExtensions(nested, nestedToo: true) } }
        return result
    }

    /// The arguments that hand the values of `fields`, read into locals, to an initialiser or
    /// an enum case: one for each field with a property, labelled with its name.
    static func localArguments(_ fields: [Field]) -> [Argument] {
        fields.compactMap { field in
            field.propertyType == nil ? nil : Argument(field.propertyName, .identifier(SwiftNames.local(field.propertyName)))
        }
    }

    /// `delegating`: the initialiser hands its parameters to Swift's own memberwise one.
    private func memberwiseInitializer(_ fields: [Field], typeName: String, delegating: Bool = false) -> FunctionDeclaration {
        var parameters: [Parameter] = []
        var body: [SwiftStatement] = []
        var arguments: [Argument] = []
        var docs = ["Creates a value with each of its parts."]
        for field in fields {
            guard let propertyType = field.propertyType else { continue }
            let name = field.propertyName
            parameters.append(Parameter(label: name, name: name, type: propertyType, defaultValue: field.defaultValue.map { .identifier($0) }))
            body.append(.assignment(.member(.identifier("self"), SwiftNames.member(name)), .identifier(SwiftNames.declared(name))))
            arguments.append(Argument(name, .identifier(SwiftNames.declared(name))))
            if let summary = field.documentation.first(where: { !$0.isEmpty }) { docs.append("- Parameter \(name): \(summary)") }
        }
        if delegating {
            body = [.expression(.call(.identifier("self.init"), arguments + [Argument("childOrder", .call(.identifier("XMLChildOrder"), []))]))]
        }
        return FunctionDeclaration(access: access, kind: .initializer, parameters: parameters, returnType: nil, body: body, documentation: docs)
    }

    // MARK: - Plumbing

    private func plumbing(_ type: GeneratedType) -> [SwiftDeclaration] {
        var result: [SwiftDeclaration] = []
        switch type.kind {
        case .structure(let fields):
            // An element's own cursor, when the element keeps no order, has no reader for it.
            let inPlace = Self.decodesThroughSwiftMemberwiseInitializer(type)
            let reads = readStatements(fields, into: inPlace ? nil : .identifier("self"), of: type.qualifiedName, orderMatters: type.element == nil || type.keepsChildOrder)
            let order = type.keepsChildOrder ? childOrderRead(fields) : nil
            var body = reads.statements
            if inPlace, let order {
                // Every field read into a local, the value made at once.
                body.append(.expression(.call(.identifier("self.init"), Self.localArguments(fields) + [Argument("childOrder", order.read)])))
            } else if let order {
                body.append(.assignment(.identifier("self.childOrder"), order.read))
            }
            result.append(.extension(ExtensionDeclaration(access: nil, typeName: type.qualifiedName, conformances: ["_XMLContentCodable"], members: reads.tables + [order?.table].compactMap { $0 } + [
                .function(FunctionDeclaration(
                    access: access, kind: .initializer, parameters: [Parameter(label: "xmlContent", name: "cursor", type: "_XMLCursor", isInout: true)],
                    throwsErrors: true, returnType: nil, body: body)),
                .function(FunctionDeclaration(
                    access: access, kind: .function(name: "writeXMLContent"), parameters: [Parameter(label: "into", name: "element", type: "XMLElement", isInout: true)],
                    returnType: nil,
                    body: fields.flatMap { writeStatements($0, value: .member(.identifier("self"), SwiftNames.member($0.propertyName))) }
                        + (type.keepsChildOrder ? [.assignment(.identifier("element.children"), .method(.identifier("childOrder"), "arrange", [.unlabeled(.identifier("element.children"))]))] : []))),
            ])))
        case .choice(let alternatives):
            let dispatchesOnNextChild = alternatives.allSatisfy(Self.isSoleChild)
            var choiceArguments: [Argument] = [.unlabeled(.identifier("cursor"))]
            if dispatchesOnNextChild { choiceArguments.append(Argument("dispatchesOnNextChild", .booleanLiteral(true))) }
            var passBody: [SwiftStatement] = []
            var dispatchMembers: [SwiftDeclaration] = []
            var attempts = alternatives.enumerated().map { position, alternative -> SwiftExpression in
                let reads = readStatements(alternative.fields, into: nil, of: type.qualifiedName, alternative: position)
                dispatchMembers += reads.tables
                var attempt = reads.statements
                var arguments = Self.localArguments(alternative.fields)
                if arguments.count == 1 { arguments[0].label = nil }
                let caseValue: SwiftExpression = arguments.isEmpty ? .member(nil, SwiftNames.member(alternative.caseName)) : .call(.member(nil, SwiftNames.member(alternative.caseName)), arguments)
                attempt.append(.return(caseValue))
                return .closure(parameters: ["(cursor: inout _XMLCursor)"], signature: "throws -> Self", body: attempt)
            }
            var body: [SwiftStatement] = []
            if dispatchesOnNextChild, let (names, statements) = nextChildDispatch(alternatives, of: type.qualifiedName) {
                dispatchMembers.append(names)
                body += statements
            }
            let dispatch = Self.attributeDispatch(alternatives, enumerationValues: screens.values(ofEnumeration:))
            if dispatch != nil {
                // Both the dispatch and the general passes try the alternatives: each is written
                // once, as a local.
                for (position, alternative) in alternatives.enumerated() {
                    let name = "read" + alternative.caseName.prefix(1).uppercased() + alternative.caseName.dropFirst()
                    body.append(.constant(name, attempts[position]))
                    attempts[position] = .identifier(name)
                }
            }
            for (alternative, attempt) in zip(alternatives, attempts) {
                var considerArguments: [Argument] = [.unlabeled(attempt)]
                if let requirement = requirement(of: alternative, among: alternatives) {
                    considerArguments.insert(Argument("requiring", requirement), at: 0)
                } else if let parts = partsTaken(by: alternative) {
                    let tests = parts.map { SwiftExpression.method(.identifier("choice"), "has", [.unlabeled($0)]) }
                    let test = tests.dropFirst().reduce(tests.first ?? .booleanLiteral(false)) { .binary($0, "||", $1) }
                    considerArguments.insert(Argument("takingAnyOf", .closure(parameters: ["(choice: inout _XMLChoice<Self>)"], signature: "-> Bool", body: [.return(test)])), at: 0)
                }
                passBody.append(.expression(.method(.identifier("choice"), "consider", considerArguments)))
            }
            if let dispatch {
                dispatchMembers.append(.property(PropertyDeclaration(
                    access: nil, isStatic: true, isMutable: false, name: "_xmlAlternatives", type: nil,
                    initialValue: .call(.identifier("_XMLAttributeDispatch"), Self.nameArguments(dispatch.name)
                        + [Argument("values", .arrayLiteral(dispatch.values.map { .stringLiteral($0) }))]
                        + (dispatch.absent == nil ? [] : [Argument("whenAbsent", .booleanLiteral(true))])),
                    documentation: ["The values of `\(dispatch.name.localName)` the alternatives require: the one an element has picks the only alternative that can match."])))
                // Each alternative's case lists the positions of its values.
                let cases = attempts.enumerated().map { position, attempt in
                    let owned = dispatch.alternatives.indices.filter { dispatch.alternatives[$0] == position }
                        + (dispatch.absent == position ? [dispatch.values.count] : [])
                    return SwitchCase(pattern: .identifier(owned.map(String.init).joined(separator: ", ")), body: [
                        .ifLet(name: "value", value: .method(.identifier("cursor"), "attemptWithoutReasons", [.unlabeled(attempt)]), then: [
                            .assignment(.identifier("self"), .identifier("value")),
                            .return(nil),
                        ]),
                    ])
                }
                body.append(.switch(.method(.identifier("cursor"), "alternative", [.unlabeled(.identifier("Self._xmlAlternatives"))]), cases: cases + [SwitchCase(pattern: nil, body: [])]))
            }
            body += [
                .variable("choice", type: nil, .call(.identifier("_XMLChoice<Self>"), choiceArguments)),
                .while(condition: .method(.identifier("choice"), "nextPass", []), body: passBody),
            ]
            body.append(.assignment(.identifier("self"), .try(.method(.identifier("choice"), "result", [Argument("into", .reference(.identifier("cursor"))), Argument("typeName", .stringLiteral(type.qualifiedName))]))))
            let cases = alternatives.map { alternative -> SwitchCase in
                let bound = alternative.fields.filter { $0.propertyType != nil }
                let pattern: SwiftExpression = bound.isEmpty
                    ? .member(nil, SwiftNames.member(alternative.caseName))
                    : .call(.member(nil, SwiftNames.member(alternative.caseName)), bound.map { .unlabeled(.binding(SwiftNames.local($0.propertyName))) })
                return SwitchCase(pattern: pattern, body: alternative.fields.flatMap { writeStatements($0, value: .identifier(SwiftNames.local($0.propertyName))) })
            }
            result.append(.extension(ExtensionDeclaration(access: nil, typeName: type.qualifiedName, conformances: ["_XMLContentCodable"], members: dispatchMembers + [
                .function(FunctionDeclaration(
                    access: access, kind: .initializer, parameters: [Parameter(label: "xmlContent", name: "cursor", type: "_XMLCursor", isInout: true)],
                    throwsErrors: true, returnType: nil, body: body)),
                .function(FunctionDeclaration(
                    access: access, kind: .function(name: "writeXMLContent"), parameters: [Parameter(label: "into", name: "element", type: "XMLElement", isInout: true)],
                    returnType: nil, body: [.switch(.identifier("self"), cases: cases)])),
            ])))
        case .valueUnion(let members):
            var parse: [SwiftStatement] = []
            for member in members {
                switch member.kind {
                case .value(let value):
                    parse.append(.if(
                        condition: .binary(.call(.identifier("XMLWhitespace.collapsed"), [.unlabeled(.identifier("xmlValue"))]), "==", .stringLiteral(value)),
                        then: [.assignment(.identifier("self"), .member(nil, SwiftNames.member(member.caseName))), .return(nil)], otherwise: nil))
                case .type(let memberType):
                    parse.append(.ifLet(
                        name: "value", value: .call(.identifier(memberType), [Argument("xmlValue", .identifier("xmlValue"))]),
                        then: [.assignment(.identifier("self"), .call(.member(nil, SwiftNames.member(member.caseName)), [.unlabeled(.identifier("value"))])), .return(nil)]))
                }
            }
            parse.append(.return(.identifier("nil")))
            let cases = members.map { member -> SwitchCase in
                switch member.kind {
                case .value(let value):
                    return SwitchCase(pattern: .member(nil, SwiftNames.member(member.caseName)), body: [.return(.stringLiteral(value))])
                case .type:
                    return SwitchCase(pattern: .call(.member(nil, SwiftNames.member(member.caseName)), [.unlabeled(.binding("value"))]), body: [.return(.identifier("value.xmlValue"))])
                }
            }
            result.append(.extension(ExtensionDeclaration(access: nil, typeName: type.qualifiedName, conformances: [], members: [
                .function(FunctionDeclaration(access: access, kind: .failableInitializer, parameters: [Parameter(label: "xmlValue", name: "xmlValue", type: "String")], returnType: nil, body: parse, documentation: ["The first kind of value that `xmlValue` is, in the grammar's order."])),
                .function(FunctionDeclaration(access: access, kind: .computedProperty(name: "xmlValue", type: "String"), parameters: [], returnType: nil, body: [.switch(.identifier("self"), cases: cases)])),
            ])))
        case .wrapper:
            result.append(.extension(ExtensionDeclaration(access: nil, typeName: type.qualifiedName, conformances: [], members: [
                .function(FunctionDeclaration(access: access, kind: .computedProperty(name: "xmlValue", type: "String"), parameters: [], returnType: nil, body: [.return(.identifier("rawValue"))])),
                .function(FunctionDeclaration(access: access, kind: .computedProperty(name: "description", type: "String"), parameters: [], returnType: nil, body: [.return(.identifier("rawValue"))])),
                .function(FunctionDeclaration(access: access, kind: .failableInitializer, parameters: [Parameter(label: "xmlValue", name: "xmlValue", type: "String")], returnType: nil, body: [.expression(.call(.identifier("self.init"), [Argument("rawValue", .identifier("xmlValue"))]))])),
                // Validation checked the text against the same datatypes: not checked twice.
                .function(FunctionDeclaration(
                    access: access, kind: .function(name: "_xmlValue"), isStatic: true,
                    parameters: [Parameter(label: "validatedUTF8", name: "text", type: "UnsafeBufferPointer<UInt8>")], returnType: "Self?",
                    body: [.return(.call(.identifier("Self"), [Argument("_validatedRawValue", .call(.identifier("String"), [Argument("decoding", .identifier("text")), Argument("as", .identifier("UTF8.self"))]))]))])),
                .function(FunctionDeclaration(
                    access: nil, kind: .initializer, parameters: [Parameter(label: "_validatedRawValue", name: "rawValue", type: "String")], returnType: nil,
                    body: [.assignment(.identifier("self.rawValue"), .identifier("rawValue"))])),
            ])))
        case .valueEnumeration:
            // Values are looked up by their bytes in a table made once, without a string.
            result.append(.extension(ExtensionDeclaration(access: nil, typeName: type.qualifiedName, conformances: ["_XMLEnumeration"], members: [
                .property(PropertyDeclaration(
                    access: access, isStatic: true, isMutable: false, name: "_xmlCases", type: nil,
                    initialValue: .call(.identifier("_XMLCaseTable"), [.unlabeled(.identifier("\(type.qualifiedName).allCases.map { $0.rawValue }"))]))),
            ])))
        case .alias:
            break
        }
        if let element = type.element {
            result.append(.extension(ExtensionDeclaration(access: nil, typeName: type.qualifiedName, conformances: [type.isDocumentRoot ? "XMLDocumentRoot" : "XMLElementCodable"], members: elementMembers(type, element))))
        }
        for nested in type.nested { result += plumbing(nested) }
        return result
    }

    /// For a choice whose alternatives are each one child element: the alternatives whose
    /// child no other alternative names are tried on the next child by its name alone, each
    /// decoding that child straight into its case. The general passes follow for the rest, and
    /// for a child that fails to decode (they decide then which alternative, if any, takes what).
    /// Gives the table of those names (`_xmlChildNames`) and the statements; the next child's
    /// name is looked up there once, where testing it against each name in turn cost libvirt's
    /// `<devices>` a comparison for every alternative before the device's own.
    func nextChildDispatch(_ alternatives: [Alternative], of typeName: String) -> (names: SwiftDeclaration, statements: [SwiftStatement])? {
        var namings: [QualifiedName: Int] = [:]
        for alternative in alternatives { if let name = Self.soleChild(of: alternative.fields[0]) { namings[name, default: 0] += 1 } }
        var names: [QualifiedName] = []
        var cases: [SwitchCase] = []
        for alternative in alternatives {
            let field = alternative.fields[0]
            let method: String, type: String
            switch field.kind {
            case .element(_, let elementType, .one): (method, type) = ("element", elementType)
            case .valueElement(_, let valueType, .one): (method, type) = ("valueElement", valueType)
            default: continue
            }
            guard let name = Self.soleChild(of: field), namings[name] == 1 else { continue }
            let value = SwiftNames.local(field.propertyName)
            let arguments = [.unlabeled(.identifier("next")), Argument("as", .identifier("\(type).self"))] + trustArguments(field, of: typeName)
            let decoded = SwiftStatement.ifLet(
                name: value, value: .method(.identifier("cursor"), method, arguments),
                then: [.assignment(.identifier("self"), .call(.member(nil, SwiftNames.member(alternative.caseName)), [.unlabeled(.identifier(value))])), .return(nil)])
            cases.append(SwitchCase(pattern: .identifier(String(names.count)), body: [decoded]))
            names.append(name)
        }
        guard !names.isEmpty else { return nil }
        var tableArguments: [Argument] = [.unlabeled(.arrayLiteral(names.map { .stringLiteral($0.localName) }))]
        if names.contains(where: { !$0.namespace.isEmpty }) {
            tableArguments.append(Argument("namespaces", .arrayLiteral(names.map { .stringLiteral($0.namespace) })))
        }
        let table = SwiftDeclaration.property(PropertyDeclaration(
            access: nil, isStatic: true, isMutable: false, name: "_xmlChildNames", type: nil,
            initialValue: .call(.identifier("_XMLNameTable"), tableArguments),
            documentation: ["The names of the alternatives' children: the next child's picks the one alternative to try first."]))
        let dispatch = SwiftStatement.switch(
            .method(.identifier("next"), "position", [Argument("in", .identifier("Self._xmlChildNames"))]), cases: cases + [SwitchCase(pattern: nil, body: [])])
        return (table, [.ifLet(name: "next", value: .method(.identifier("cursor"), "nextElement", []), then: [dispatch])])
    }

    /// For a choice whose alternatives one attribute tells apart: each alternative has it, with
    /// values of its own (a fixed value, or an enumeration's), required in all but at most one,
    /// which then is the alternative of elements without it. Gives the attribute, the values,
    /// the position of the alternative each belongs to, and that of the one without it, if any.
    /// The value an element has (or its absence) then picks the only alternative that can
    /// match, and the decoder tries it at once: any other would fail on the attribute. Values
    /// must be distinct and written collapsed, so that no text matches two of them.
    static func attributeDispatch(_ alternatives: [Alternative], enumerationValues: (String) -> [String]?) -> AttributeDispatch? {
        guard alternatives.count > 1 else { return nil }
        /// What an alternative allows of the attribute `name`: its values, and whether it may be absent.
        func allowed(_ name: QualifiedName, by alternative: Alternative) -> (values: [String], optional: Bool)? {
            for field in alternative.fields {
                switch field.kind {
                case .fixedAttribute(name, let value): return ([value], false)
                case .flagAttribute(name, let value): return ([value], true)
                case .attribute(name, let valueType, let optional): return enumerationValues(valueType).map { ($0, optional) }
                default: continue
                }
            }
            return nil
        }
        let candidates = alternatives[0].fields.compactMap { field -> QualifiedName? in
            switch field.kind {
            case .fixedAttribute(let name, _), .flagAttribute(let name, _), .attribute(let name, _, _): return name
            default: return nil
            }
        }
        candidates: for name in candidates {
            var dispatch = AttributeDispatch(name: name, values: [], alternatives: [], absent: nil)
            for (position, alternative) in alternatives.enumerated() {
                guard let (own, optional) = allowed(name, by: alternative) else { continue candidates }
                if optional {
                    guard dispatch.absent == nil else { continue candidates }
                    dispatch.absent = position
                }
                for value in own {
                    guard !dispatch.values.contains(value), !value.isEmpty, XMLNames.isCollapsed(value) else { continue candidates }
                    dispatch.values.append(value)
                    dispatch.alternatives.append(position)
                }
            }
            return dispatch
        }
        return nil
    }

    /// How a choice's alternatives are told apart by one attribute: see `attributeDispatch`.
    struct AttributeDispatch {
        var name: QualifiedName
        var values: [String]
        /// For each value, the position of its alternative.
        var alternatives: [Int]
        /// The position of the alternative of elements without the attribute.
        var absent: Int?
    }

    /// The child element a field takes exactly one of whenever it is read.
    static func soleChild(of field: Field) -> QualifiedName? {
        switch field.kind {
        case .element(let name, _, .one), .valueElement(let name, _, .one), .rawElement(let name, .one),
            .emptyElement(let name, optional: false), .fixedValueElement(let name, _, optional: false), .elementList(let name, _, _, optional: false):
            return name
        default:
            return nil
        }
    }

    /// Whether an alternative is exactly one child element (so that it takes one child whenever
    /// it succeeds).
    static func isSoleChild(_ alternative: Alternative) -> Bool {
        alternative.fields.count == 1 && soleChild(of: alternative.fields[0]) != nil
    }

    /// Something an alternative cannot succeed without, for `_XMLChoice.consider(requiring:_:)`:
    /// a fixed attribute value tells alternatives apart best, then a required child, then a
    /// required attribute. When other alternatives have that attribute too, the attribute's
    /// value must also convert to the field's type: alternatives told apart by an attribute's
    /// value (libvirt's `<controller type=…>`) then skip the one that takes any value of an
    /// enumeration, whose conversion would fail on every other alternative's value.
    ///
    /// When other alternatives require a child with the same name (libvirt's `<os>`, whose
    /// alternatives differ in the text of its `<type>`), the child must also pass the screen of
    /// the alternative's type for it, if that type has one.
    func requirement(of alternative: Alternative, among alternatives: [Alternative]) -> SwiftExpression? {
        var child: (name: QualifiedName, field: Field)?
        var attribute: (name: QualifiedName, valueType: String)?
        for field in alternative.fields {
            if case .fixedAttribute(let name, let value) = field.kind {
                return .call(.member(nil, "attribute"), Self.nameArguments(name) + [Argument("value", .stringLiteral(value))])
            }
            if case .attribute(let name, let valueType, optional: false) = field.kind { attribute = attribute ?? (name, valueType) }
            if child == nil, let name = Self.soleChild(of: field) { child = (name, field) }
        }
        if let child {
            var arguments = Self.nameArguments(child.name)
            if case .element(_, let type, .one) = child.field.kind, !screens.conditions(of: type).isEmpty,
                alternatives.contains(where: { other in
                    other.caseName != alternative.caseName && other.fields.contains { Self.soleChild(of: $0) == child.name }
                })
            {
                arguments.append(Argument("screenedBy", .identifier("\(type).self")))
            }
            return .call(.member(nil, "child"), arguments)
        }
        if let attribute {
            let shared = alternatives.contains { other in
                other.caseName != alternative.caseName && other.fields.contains { Self.attributeName(of: $0) == attribute.name }
            }
            let typed = !shared || attribute.valueType == "String" ? [] : [Argument("as", .identifier("\(attribute.valueType).self"))]
            return .call(.member(nil, "attribute"), Self.nameArguments(attribute.name) + typed)
        }
        return nil
    }

    /// For an alternative that can match by taking nothing, and takes nothing but optional
    /// attributes and child elements: the requirements (`_XMLChoice.Requirement`) of which it
    /// takes something only when one is met. Nil for any other alternative. A child is screened
    /// by its type, when that type has a screen: a child failing it is not one the alternative
    /// takes (libvirt's Xen `<os>` alternative, next to the HVM one).
    func partsTaken(by alternative: Alternative) -> [SwiftExpression]? {
        var parts: [SwiftExpression] = []
        for field in alternative.fields {
            switch field.kind {
            case .attribute(let name, _, optional: true), .flagAttribute(let name, _):
                parts.append(.call(.member(nil, "attribute"), Self.nameArguments(name)))
            case .element(let name, let type, .optional), .element(let name, let type, .many):
                var arguments = Self.nameArguments(name)
                if !screens.conditions(of: type).isEmpty { arguments.append(Argument("screenedBy", .identifier("\(type).self"))) }
                parts.append(.call(.member(nil, "child"), arguments))
            case .valueElement(let name, _, .optional), .valueElement(let name, _, .many), .rawElement(let name, .optional), .rawElement(let name, .many),
                .emptyElement(let name, optional: true), .fixedValueElement(let name, _, optional: true), .elementList(let name, _, _, optional: true):
                parts.append(.call(.member(nil, "child"), Self.nameArguments(name)))
            default:
                return nil
            }
        }
        return parts
    }

    /// The attribute a field reads, if it reads one.
    static func attributeName(of field: Field) -> QualifiedName? {
        switch field.kind {
        case .attribute(let name, _, _), .fixedAttribute(let name, _), .flagAttribute(let name, _): return name
        default: return nil
        }
    }

    private func plumbingOfSelf(_ type: GeneratedType) -> [SwiftDeclaration] {
        let nested = type.nested
        type.nested = []
        defer { type.nested = nested }
        return plumbing(type)
    }

    private func elementMembers(_ type: GeneratedType, _ element: QualifiedName) -> [SwiftDeclaration] {
        var members: [SwiftDeclaration] = []
        if type.isDocumentRoot {
            members.append(.function(FunctionDeclaration(access: access, kind: .computedProperty(name: "grammar", type: "XMLGrammar"), isStatic: true, parameters: [], returnType: nil, body: [.return(.identifier(grammarConstant))])))
            if type.isSoleStartElement {
                members.append(.function(FunctionDeclaration(
                    access: access, kind: .computedProperty(name: "_xmlValidatedRoot", type: "(name: _XMLLiteral, namespace: _XMLLiteral)?"), isStatic: true, parameters: [],
                    returnType: nil, body: [.return(.identifier("(\(SwiftRenderer().stringLiteral(element.localName)), \(SwiftRenderer().stringLiteral(element.namespace)))"))])))
            }
        }
        members.append(.function(FunctionDeclaration(
            access: access, kind: .initializer, parameters: [Parameter(label: "xml", name: "element", type: "XMLElement")], throwsErrors: true, returnType: nil,
            body: [.expression(.try(.call(.identifier("self.init"), [Argument("xmlElementCursor", .call(.identifier("_XMLCursor"), [.unlabeled(.identifier("element"))]))])))])))
        // The protocol's default does the same, but generically: through witness tables, and
        // with the value made elsewhere and copied into place, which for a large element
        // (libvirt's `<domain>`, 3 KB) costs more than its reads.
        members.append(.function(FunctionDeclaration(
            access: access, kind: .initializer, parameters: [Parameter(label: "xmlElementCursor", name: "cursor", type: "consuming _XMLCursor")], throwsErrors: true, returnType: nil,
            body: [
                .expression(.try(.call(.identifier("self.init"), [Argument("xmlContent", .reference(.identifier("cursor")))]))),
                .expression(.try(.method(.identifier("cursor"), "finish", []))),
            ])))
        let conditions = screens.conditions(of: type.qualifiedName)
        if let first = conditions.first {
            members.append(.function(FunctionDeclaration(
                access: access, kind: .function(name: "_xmlScreen"), isStatic: true, parameters: [Parameter(label: nil, name: "cursor", type: "_XMLCursor")],
                returnType: "Bool", body: [.return(conditions.dropFirst().reduce(first) { .binary($0, "&&", $1) })])))
        }
        var arguments: [Argument] = [.unlabeled(.stringLiteral(element.localName))]
        if !element.namespace.isEmpty { arguments.append(Argument("namespace", .stringLiteral(element.namespace))) }
        members.append(.function(FunctionDeclaration(
            access: access, kind: .function(name: "xmlElement"), parameters: [], returnType: "XMLElement",
            body: [
                .variable("element", type: nil, .call(.identifier("XMLElement"), arguments)),
                .expression(.method(.identifier("self"), "writeXMLContent", [Argument("into", .reference(.identifier("element")))])),
                .return(.identifier("element")),
            ])))
        return members
    }

    // MARK: - Reading and writing fields

    static func nameArguments(_ name: QualifiedName) -> [Argument] {
        var arguments: [Argument] = [.unlabeled(.stringLiteral(name.localName))]
        if !name.namespace.isEmpty { arguments.append(Argument("namespace", .stringLiteral(name.namespace))) }
        return arguments
    }

    /// `trustsValidation: true` for a read of a name that stands for one type in all the content
    /// it can be read from: it converts without checking again what validation checked.
    func trustArguments(_ field: Field, of typeName: String, alternative: Int? = nil) -> [Argument] {
        trustedReads.trusts(field, in: typeName, alternative: alternative) ? [Argument("trustsValidation", .booleanLiteral(true))] : []
    }

    /// Statements that read a field of the type `typeName` (of its alternative at `alternative`,
    /// for a choice): into `self.name` when `target` is given, else into a local.
    func readStatements(_ field: Field, into target: SwiftExpression?, of typeName: String, alternative: Int? = nil) -> [SwiftStatement] {
        let cursor = SwiftExpression.identifier("cursor")
        func assign(_ value: SwiftExpression) -> [SwiftStatement] {
            if let target { return [.assignment(.member(target, SwiftNames.member(field.propertyName)), value)] }
            return [.constant(SwiftNames.local(field.propertyName), value)]
        }
        func typed(_ arguments: [Argument], _ type: String) -> [Argument] {
            arguments + [Argument("as", .identifier("\(type).self"))] + trustArguments(field, of: typeName, alternative: alternative)
        }
        switch field.kind {
        case .attribute(let name, let type, let optional):
            return assign(.try(.method(cursor, optional ? "optionalAttribute" : "attribute", typed(Self.nameArguments(name), type))))
        case .fixedAttribute(let name, let value):
            return [.expression(.try(.method(cursor, "fixedAttribute", Self.nameArguments(name) + [Argument("value", .stringLiteral(value)), Argument("required", .booleanLiteral(true))])))]
        case .flagAttribute(let name, let value):
            return assign(.try(.method(cursor, "fixedAttribute", Self.nameArguments(name) + [Argument("value", .stringLiteral(value)), Argument("required", .booleanLiteral(false))])))
        case .valueElement(let name, let type, let repetition):
            let method = repetition == .one ? "valueElement" : repetition == .optional ? "optionalValueElement" : "valueElements"
            return assign(.try(.method(cursor, method, typed(Self.nameArguments(name), type))))
        case .emptyElement(let name, let optional):
            if optional {
                return assign(.binary(.try(.method(cursor, "optionalElement", typed(Self.nameArguments(name), "_XMLEmptyElement"))), "!=", .identifier("nil")))
            }
            return [.expression(.try(.method(cursor, "element", typed(Self.nameArguments(name), "_XMLEmptyElement"))))]
        case .element(let name, let type, let repetition):
            let method = repetition == .one ? "element" : repetition == .optional ? "optionalElement" : "elements"
            return assign(.try(.method(cursor, method, typed(Self.nameArguments(name), type))))
        case .elementList(let name, let item, let type, let optional):
            var arguments = Self.nameArguments(name) + [Argument("item", .stringLiteral(item.localName))]
            if !item.namespace.isEmpty { arguments.append(Argument("itemNamespace", .stringLiteral(item.namespace))) }
            return assign(.try(.method(cursor, optional ? "optionalElementList" : "elementList", typed(arguments, type))))
        case .rawElement(let name, let repetition):
            switch repetition {
            case .one: return assign(.try(.method(cursor, "rawElement", Self.nameArguments(name))))
            case .optional: return assign(.method(cursor, "optionalRawElement", Self.nameArguments(name)))
            case .many: return assign(.method(cursor, "rawElements", Self.nameArguments(name)))
            }
        case .content(let type, let repetition):
            switch repetition {
            case .one: return assign(.try(.method(cursor, "content", [Argument("as", .identifier("\(type).self"))])))
            case .optional: return assign(.method(cursor, "optionalContent", [Argument("as", .identifier("\(type).self"))]))
            case .many: return assign(.method(cursor, "repeatedContent", [Argument("as", .identifier("\(type).self"))]))
            }
        case .text(let type, let optional):
            return assign(.try(.method(cursor, optional ? "optionalText" : "text", typed([], type))))
        case .fixedText(let value):
            return [.expression(.try(.method(cursor, "fixedText", [.unlabeled(.stringLiteral(value))])))]
        case .fixedValueElement(let name, let value, let optional):
            let read = SwiftExpression.try(.method(
                cursor, "fixedValueElement", Self.nameArguments(name) + [Argument("value", .stringLiteral(value)), Argument("required", .booleanLiteral(!optional))]))
            return optional ? assign(read) : [.expression(read)]
        case .anyElements:
            return assign(.method(cursor, "remainingElements", []))
        case .anyAttributes:
            return assign(.method(cursor, "remainingAttributes", []))
        }
    }

    /// Statements that write a field held in `value`.
    private func writeStatements(_ field: Field, value: SwiftExpression) -> [SwiftStatement] {
        let element = SwiftExpression.identifier("element")
        switch field.kind {
        case .attribute(let name, _, _):
            return [.expression(.method(element, "_write", [Argument("attribute", .stringLiteral(name.localName))] + namespaceArgument(name) + [.unlabeled(value)]))]
        case .fixedAttribute(let name, let fixed):
            return [.expression(.method(element, "_write", [Argument("attribute", .stringLiteral(name.localName))] + namespaceArgument(name) + [Argument("fixed", .stringLiteral(fixed))]))]
        case .flagAttribute(let name, let fixed):
            return [.if(condition: value, then: [.expression(.method(element, "_write", [Argument("attribute", .stringLiteral(name.localName))] + namespaceArgument(name) + [Argument("fixed", .stringLiteral(fixed))]))], otherwise: nil)]
        case .valueElement(let name, _, let repetition):
            let write = { (item: SwiftExpression) -> SwiftStatement in
                .expression(.method(element, "_write", [Argument("child", .stringLiteral(name.localName))] + self.namespaceArgument(name) + [Argument("value", item)]))
            }
            return repetition == .many ? [.forIn(name: "item", sequence: value, body: [write(.identifier("item"))])] : [write(value)]
        case .emptyElement(let name, let optional):
            let write = SwiftStatement.expression(.method(element, "_write", [Argument("emptyChild", .stringLiteral(name.localName))] + namespaceArgument(name)))
            return optional ? [.if(condition: value, then: [write], otherwise: nil)] : [write]
        case .element(_, _, let repetition):
            switch repetition {
            case .one: return [.expression(.method(element, "_write", [Argument("child", .method(value, "xmlElement", []))]))]
            case .optional:
                return [.ifLet(name: "item", value: value, then: [.expression(.method(element, "_write", [Argument("child", .method(.identifier("item"), "xmlElement", []))]))])]
            case .many:
                return [.forIn(name: "item", sequence: value, body: [.expression(.method(element, "_write", [Argument("child", .method(.identifier("item"), "xmlElement", []))]))])]
            }
        case .elementList(let name, _, _, _):
            return [.expression(.method(element, "_write", [Argument("list", .stringLiteral(name.localName))] + namespaceArgument(name) + [Argument("items", value)]))]
        case .rawElement(_, let repetition):
            switch repetition {
            case .one: return [.expression(.method(element, "_write", [Argument("child", value)]))]
            case .optional: return [.ifLet(name: "item", value: value, then: [.expression(.method(element, "_write", [Argument("child", .identifier("item"))]))])]
            case .many: return [.forIn(name: "item", sequence: value, body: [.expression(.method(element, "_write", [Argument("child", .identifier("item"))]))])]
            }
        case .content(_, let repetition):
            if repetition == .many {
                return [.forIn(name: "item", sequence: value, body: [.expression(.method(element, "_write", [Argument("content", .identifier("item"))]))])]
            }
            return [.expression(.method(element, "_write", [Argument("content", value)]))]
        case .text:
            return [.expression(.method(element, "_write", [Argument("text", value)]))]
        case .fixedText(let fixed):
            return [.expression(.method(element, "_write", [Argument("text", .stringLiteral(fixed))]))]
        case .fixedValueElement(let name, let fixed, let optional):
            let write = SwiftStatement.expression(.method(
                element, "_write", [Argument("child", .stringLiteral(name.localName))] + namespaceArgument(name) + [Argument("value", .stringLiteral(fixed))]))
            return optional ? [.if(condition: value, then: [write], otherwise: nil)] : [write]
        case .anyElements:
            return [.forIn(name: "item", sequence: value, body: [.expression(.method(element, "_write", [Argument("child", .identifier("item"))]))])]
        case .anyAttributes:
            return [.expression(.method(.member(element, "attributes"), "append", [Argument("contentsOf", value)]))]
        }
    }

    private func namespaceArgument(_ name: QualifiedName) -> [Argument] {
        name.namespace.isEmpty ? [] : [Argument("namespace", .stringLiteral(name.namespace))]
    }

    /// A raw string literal that holds `text` exactly, with as many `#` as it needs.
    static func rawStringLiteral(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"\"\"" + hashes) || text.contains("\"" + hashes) { hashes += "#" }
        return hashes + "\"\"\"\n" + text + (text.hasSuffix("\n") ? "" : "\n") + "\"\"\"" + hashes
    }
}

/// What an element must have to decode as a generated type, tested before trying it: the
/// fixed values of its attributes, its text and its required children's texts, a text (its own
/// or a required child's) that must be one of an enumeration's values, and the same of the children it requires. The conditions
/// never reject an element that decodes.
final class Screens {
    /// Every element type's conditions, worked out at once: declarations render in parallel,
    /// and read this only.
    private let known: [String: [SwiftExpression]]
    /// The values of each enumeration, by its type's name.
    private let enumerations: [String: [String]]

    init(types: [GeneratedType]) {
        let index = GeneratedType.byQualifiedName(types)
        var known: [String: [SwiftExpression]] = [:]
        for name in index.keys.sorted() { _ = Self.conditions(of: name, in: index, known: &known) }
        self.known = known
        enumerations = index.compactMapValues(\.enumerationValues)
    }

    /// The values a text must have to convert to `typeName`, when it is an enumeration.
    func values(ofEnumeration typeName: String) -> [String]? { enumerations[typeName] }

    /// The conditions on the element a cursor reads, as Swift expressions on `cursor`; empty for
    /// types that are not elements and for elements with nothing to test.
    func conditions(of typeName: String) -> [SwiftExpression] { known[typeName] ?? [] }

    private static func conditions(of typeName: String, in types: [String: GeneratedType], known: inout [String: [SwiftExpression]]) -> [SwiftExpression] {
        if let result = known[typeName] { return result }
        // A type on a cycle of required children tests nothing further down the cycle.
        known[typeName] = []
        guard let type = types[typeName], type.element != nil, case .structure(let fields) = type.kind else { return [] }
        let cursor = SwiftExpression.identifier("cursor")
        var result: [SwiftExpression] = []
        for field in fields {
            switch field.kind {
            case .fixedAttribute(let name, let value):
                result.append(.method(cursor, "hasAttribute", DeclarationBuilder.nameArguments(name) + [Argument("value", .stringLiteral(value))]))
            case .fixedText(let value):
                result.append(.method(cursor, "hasText", [.unlabeled(.stringLiteral(value))]))
            case .text(let valueType, optional: false):
                if let value = types[valueType], case .valueEnumeration = value.kind {
                    result.append(.method(cursor, "hasText", [Argument("as", .identifier("\(valueType).self"))]))
                }
            case .fixedValueElement(let name, let value, optional: false):
                result.append(.method(cursor, "hasElement", DeclarationBuilder.nameArguments(name) + [Argument("withText", .stringLiteral(value))]))
            case .valueElement(let name, let valueType, .one):
                if let value = types[valueType], case .valueEnumeration = value.kind {
                    result.append(.method(cursor, "hasElement", DeclarationBuilder.nameArguments(name) + [Argument("withValue", .identifier("\(valueType).self"))]))
                }
            case .element(let name, let childType, .one):
                if !conditions(of: childType, in: types, known: &known).isEmpty {
                    result.append(.method(cursor, "hasElement", DeclarationBuilder.nameArguments(name) + [Argument("screenedBy", .identifier("\(childType).self"))]))
                }
            default:
                break
            }
        }
        known[typeName] = result
        return result
    }
}

/// Which reads of a decoder may take validation's word for what they convert. A document that
/// validated matched, at each element, one pattern; the decoder reads the element as the type of
/// that pattern only if nothing else in the element's content has the same name: then a value
/// it reads was checked by validation against the very datatypes its type checks, and checking
/// again would only repeat that. A name that stands for several types in the content (one
/// attribute as a different type in each alternative of a choice, or fixed in one of them) is
/// checked, as are names a wildcard may also take: the decoder may be reading the name in a
/// place that validation did not match it to.
final class TrustedReads {
    /// A name read from a content: an attribute's, a child element's, or the element's own text.
    private enum Part: Hashable {
        /// An attribute; of one alternative of a choice told apart by an attribute's values
        /// (see `DeclarationBuilder.attributeDispatch`), when `alternative` is given.
        case attribute(QualifiedName, alternative: AlternativeOf? = nil)
        /// A child element; of one alternative of such a choice, when `alternative` is given.
        case element(QualifiedName, alternative: AlternativeOf? = nil)
        case text
    }

    /// An alternative of a choice, by its position.
    private struct AlternativeOf: Hashable {
        var choice: String
        var position: Int
    }

    /// For each type with reads, the parts read from it that are trusted.
    private let trusted: [String: Set<Part>]
    /// The restricted strings: the values whose conversion checks anything validation does.
    private let wrappers: Set<String>
    /// The choices whose alternatives an attribute's values tell apart. A valid element has the
    /// values of one alternative, so validation matched that one: an attribute or a child of it
    /// means what that alternative says, whatever the others make of the same name (libvirt's
    /// `<disk type='file'>` has the `<source>` of its file alternative).
    private let dispatchedChoices: Set<String>

    init(types: [GeneratedType]) {
        let index = GeneratedType.byQualifiedName(types)
        let dispatchedChoices = Set(index.values.compactMap { type -> String? in
            guard case .choice(let alternatives) = type.kind,
                DeclarationBuilder.attributeDispatch(alternatives, enumerationValues: { index[$0]?.enumerationValues }) != nil
            else { return nil }
            return type.qualifiedName
        })
        var trusted: [String: Set<Part>] = [:]
        for name in index.keys.sorted() {
            guard let element = index[name], element.element != nil else { continue }
            // The element's content: its own fields and those of the content types it holds,
            // every alternative of every choice included.
            var meanings: [Part: Set<String>] = [:]
            var anyElements = false, anyAttributes = false
            var reached: [String] = []
            /// Each type reached, and whether its text is certain everywhere it was reached.
            var textIsCertain: [String: Bool] = [:]
            // `certain`: every match of the element's content matches this type's text, if it has
            // one. A name that is there was matched by some alternative, but a text is always
            // there, if only empty: a text in one alternative of a choice, or in optional content,
            // may be read where validation matched another alternative or nothing. (libvirt's
            // `<genid/>` matched the empty alternative; read trusting validation as the other
            // alternative's text, it decoded as a value `""` that its pattern forbids.)
            func collect(_ typeName: String, certain: Bool = true) {
                guard let type = index[typeName] else { return }
                switch textIsCertain[typeName] {
                case nil: reached.append(typeName)
                // Met again where its text is not certain: walked again to say so.
                case true? where !certain: break
                default: return
                }
                textIsCertain[typeName] = certain
                let fields: [(Field, AlternativeOf?)]
                var certain = certain
                switch type.kind {
                case .structure(let own): fields = own.map { ($0, nil) }
                case .choice(let alternatives):
                    let dispatched = dispatchedChoices.contains(typeName)
                    fields = alternatives.enumerated().flatMap { position, alternative in
                        alternative.fields.map { ($0, dispatched ? AlternativeOf(choice: typeName, position: position) : nil) }
                    }
                    certain = false
                default: return
                }
                for (field, alternative) in fields {
                    // An attribute or child of a dispatched alternative means one thing to all
                    // of its choice's alternatives; anything else the element's content makes of
                    // the name still makes it unsure.
                    if let alternative, let name = DeclarationBuilder.attributeName(of: field) {
                        meanings[.attribute(name), default: []].insert("alternatives of " + alternative.choice)
                    }
                    if let alternative, let name = Self.childName(of: field) {
                        meanings[.element(name), default: []].insert("alternatives of " + alternative.choice)
                    }
                    switch field.kind {
                    case .attribute(let name, let valueType, _): meanings[.attribute(name, alternative: alternative), default: []].insert("value " + valueType)
                    case .fixedAttribute(let name, let value), .flagAttribute(let name, let value):
                        meanings[.attribute(name, alternative: alternative), default: []].insert("fixed " + value)
                    case .valueElement(let name, let valueType, _): meanings[.element(name, alternative: alternative), default: []].insert("value " + valueType)
                    case .emptyElement(let name, _): meanings[.element(name, alternative: alternative), default: []].insert("empty")
                    case .fixedValueElement(let name, let value, _): meanings[.element(name, alternative: alternative), default: []].insert("fixed " + value)
                    case .element(let name, let type, _): meanings[.element(name, alternative: alternative), default: []].insert("element " + type)
                    case .elementList(let name, let item, let type, _): meanings[.element(name, alternative: alternative), default: []].insert("list \(item) " + type)
                    case .rawElement(let name, _): meanings[.element(name, alternative: alternative), default: []].insert("open")
                    case .content(let type, let repetition): collect(type, certain: certain && repetition == .one)
                    case .text(let valueType, _):
                        // (An optional text is read as absent when it is only whitespace.)
                        meanings[.text, default: []].insert("value " + valueType)
                        if !certain { meanings[.text, default: []].insert("possibly matched by something else") }
                    case .fixedText(let value): meanings[.text, default: []].insert("fixed " + value)
                    case .anyElements: anyElements = true
                    case .anyAttributes: anyAttributes = true
                    }
                }
            }
            collect(name)
            let sole = Set(meanings.compactMap { part, kinds -> Part? in
                guard kinds.count == 1 else { return nil }
                switch part {
                case .attribute: return anyAttributes ? nil : part
                case .element: return anyElements ? nil : part
                case .text: return part
                }
            })
            // A content type in several elements' content is trusted with what all of them trust.
            for typeName in reached { trusted[typeName] = trusted[typeName].map { $0.intersection(sole) } ?? sole }
        }
        self.trusted = trusted
        self.dispatchedChoices = dispatchedChoices
        wrappers = Set(index.values.compactMap { type in
            if case .wrapper = type.kind { return type.qualifiedName }
            return nil
        })
    }

    /// Whether the decoder of `typeName` may read `field` trusting validation, and gains by it:
    /// a value of a restricted string, or an element whose own reads may trust it in turn.
    func trusts(_ field: Field, in typeName: String, alternative: Int? = nil) -> Bool {
        let part: Part
        switch field.kind {
        case .attribute(let name, let valueType, _):
            guard wrappers.contains(valueType) else { return false }
            guard let position = alternative, dispatchedChoices.contains(typeName) else {
                part = .attribute(name)
                break
            }
            let trustedHere = trusted[typeName] ?? []
            return trustedHere.contains(.attribute(name)) && trustedHere.contains(.attribute(name, alternative: AlternativeOf(choice: typeName, position: position)))
        case .valueElement(let name, let valueType, _):
            guard wrappers.contains(valueType) else { return false }
            return trustsElement(name, in: typeName, alternative: alternative)
        case .element(let name, _, _), .elementList(let name, _, _, _):
            return trustsElement(name, in: typeName, alternative: alternative)
        case .text(let valueType, _):
            guard wrappers.contains(valueType) else { return false }
            part = .text
        default: return false
        }
        return trusted[typeName]?.contains(part) ?? false
    }

    /// The child element a field reads, if it reads one: every kind, so that each name a
    /// dispatched alternative reads is marked as its choice's.
    private static func childName(of field: Field) -> QualifiedName? {
        switch field.kind {
        case .valueElement(let name, _, _), .emptyElement(let name, _), .fixedValueElement(let name, _, _), .element(let name, _, _),
            .elementList(let name, _, _, _), .rawElement(let name, _):
            return name
        case .attribute, .fixedAttribute, .flagAttribute, .content, .text, .fixedText, .anyElements, .anyAttributes:
            return nil
        }
    }

    /// Whether a child named `name` read by `typeName` (in its alternative at `alternative`)
    /// stands for one type wherever the content reads it.
    private func trustsElement(_ name: QualifiedName, in typeName: String, alternative: Int?) -> Bool {
        let trustedHere = trusted[typeName] ?? []
        guard let position = alternative, dispatchedChoices.contains(typeName) else { return trustedHere.contains(.element(name)) }
        return trustedHere.contains(.element(name)) && trustedHere.contains(.element(name, alternative: AlternativeOf(choice: typeName, position: position)))
    }
}
