import RelaxNG

/// The attribute and element names each type's decoder may read from the element it decodes:
/// its own fields' and, through content fields, those of the groups and choices it holds, every
/// alternative included.
final class NamesRead {
    struct Names {
        var attributes: Set<QualifiedName> = []
        var elements: Set<QualifiedName> = []
        var anyAttributes = false
        var anyElements = false

        mutating func formUnion(_ other: Names) {
            attributes.formUnion(other.attributes)
            elements.formUnion(other.elements)
            anyAttributes = anyAttributes || other.anyAttributes
            anyElements = anyElements || other.anyElements
        }
    }

    private let types: [String: GeneratedType]
    /// Worked out at once for every content type: declarations render in parallel and read this only.
    private var known: [String: Names] = [:]

    init(types: [GeneratedType]) {
        self.types = GeneratedType.byQualifiedName(types)
        for name in self.types.keys.sorted() { _ = names(ofType: name, visiting: []) }
    }

    /// The names `field` may read.
    func names(of field: Field) -> Names {
        var names = Names()
        switch field.kind {
        case .attribute(let name, _, _), .fixedAttribute(let name, _), .flagAttribute(let name, _): names.attributes.insert(name)
        case .valueElement(let name, _, _), .emptyElement(let name, _), .fixedValueElement(let name, _, _), .element(let name, _, _),
            .elementList(let name, _, _, _), .rawElement(let name, _):
            names.elements.insert(name)
        case .content(let type, _):
            // A type not in the output (none should be) may read anything.
            names = known[type] ?? Names(anyAttributes: true, anyElements: true)
        case .text, .fixedText: break
        case .anyElements: names.anyElements = true
        case .anyAttributes: names.anyAttributes = true
        }
        return names
    }

    private func names(ofType name: String, visiting: Set<String>) -> Names {
        if let names = known[name] { return names }
        // A content type holding itself reads nothing more the second time round.
        guard !visiting.contains(name), let type = types[name] else { return Names() }
        let fields: [Field]
        switch type.kind {
        case .structure(let own): fields = own
        case .choice(let alternatives): fields = alternatives.flatMap(\.fields)
        default: return Names()
        }
        var result = Names()
        for field in fields {
            if case .content(let inner, _) = field.kind {
                result.formUnion(names(ofType: inner, visiting: visiting.union([name])))
            } else {
                result.formUnion(names(of: field))
            }
        }
        if visiting.isEmpty { known[name] = result }
        return result
    }
}

/// The fields of one content (a struct's, or an alternative's) read by walking the element's
/// attributes or children once, rather than by searching for each field: see
/// `XMLGatheredReads.swift` in the runtime.
struct Gathering {
    /// The gathered attribute fields and the gathered child-element fields, by position in the
    /// content; each list empty when too short to gain by a walk.
    var attributes: [Int] = []
    var elements: [Int] = []
    /// False when a field read by search, which may take children, lies between gathered
    /// element fields.
    var decidesOrder = true

    /// Walks pay for themselves from these many fields on: a search for one field costs about
    /// what a walk costs for all.
    static let minimumAttributes = 2
    static let minimumElements = 3

    /// Gathers the attributes and elements of `fields` that no other field (nor any content the
    /// fields hold) can read: no attributes when a wildcard among them may read any attribute,
    /// no elements when one may read any element. `orderMatters` is false for an element's own
    /// content when the element keeps no child order.
    init(_ fields: [Field], names: NamesRead, orderMatters: Bool = true) {
        let reads = fields.map(names.names(of:))
        var attributeReaders: [QualifiedName: Int] = [:]
        var elementReaders: [QualifiedName: Int] = [:]
        for read in reads {
            for name in read.attributes { attributeReaders[name, default: 0] += 1 }
            for name in read.elements { elementReaders[name, default: 0] += 1 }
        }
        let anyAttributes = reads.contains(where: \.anyAttributes), anyElements = reads.contains(where: \.anyElements)
        var attributes: [Int] = [], elements: [Int] = []
        for (position, field) in fields.enumerated() {
            switch field.kind {
            case .attribute(let name, _, _) where !anyAttributes && attributeReaders[name] == 1: attributes.append(position)
            case .element(let name, _, _) where !anyElements && elementReaders[name] == 1,
                .valueElement(let name, _, _) where !anyElements && elementReaders[name] == 1,
                .emptyElement(let name, _) where !anyElements && elementReaders[name] == 1,
                .elementList(let name, _, _, _) where !anyElements && elementReaders[name] == 1,
                .rawElement(let name, _) where !anyElements && elementReaders[name] == 1:
                elements.append(position)
            default: break
            }
        }
        if attributes.count >= Self.minimumAttributes { self.attributes = attributes }
        if elements.count >= Self.minimumElements {
            self.elements = elements
            let gathered = Set(elements)
            decidesOrder = !orderMatters || !(elements.first!...elements.last!).contains { position in
                !gathered.contains(position) && (!reads[position].elements.isEmpty || reads[position].anyElements)
            }
        }
    }

    var isEmpty: Bool { attributes.isEmpty && elements.isEmpty }
}

extension DeclarationBuilder {
    /// Statements that read `fields` (of `typeName`, or of its alternative at `alternative`)
    /// into `self` when `target` is given, else into locals; with the tables of names their
    /// walks need, as static members of the type. `orderMatters` is false when no one reads the
    /// order the fields' children were taken in.
    func readStatements(
        _ fields: [Field], into target: SwiftExpression?, of typeName: String, alternative: Int? = nil, orderMatters: Bool = true
    ) -> (statements: [SwiftStatement], tables: [SwiftDeclaration]) {
        let gathering = Gathering(fields, names: namesRead, orderMatters: orderMatters)
        guard !gathering.isEmpty else { return (fields.flatMap { readStatements($0, into: target, of: typeName, alternative: alternative) }, []) }
        let suffix = alternative.map(String.init) ?? ""
        let attributeTable = "_xmlAttributeFields" + suffix, childTable = "_xmlChildFields" + suffix
        let cursor = SwiftExpression.identifier("cursor")
        func pendingLocal(_ field: Field) -> String { "_" + field.propertyName }
        // Why a read failed is kept in `_<name>Error`, or `_ignoredError`: names another
        // field's local (`_<field>`) may take, and then take an underscore after them.
        let propertyNames = Set(fields.map(\.propertyName))
        func unshared(_ name: String) -> String { "_" + name + (propertyNames.contains(name) ? "_" : "") }
        func errorLocal(_ field: Field) -> String { unshared(field.propertyName + "Error") }
        let ignoredError = unshared("ignoredError")
        func assign(_ field: Field, _ value: SwiftExpression) -> SwiftStatement {
            if let target { return .assignment(.member(target, SwiftNames.member(field.propertyName)), value) }
            return .constant(SwiftNames.local(field.propertyName), value)
        }
        // Optional and repeated fields are read straight to where their value stays: `self`'s
        // property, set to nil or empty before the walk (read into a local and assigned after
        // it, the value would be moved once more), or, when the fields are held in locals (an
        // alternative's, or those of a struct built by Swift's memberwise initialiser: see
        // `decodesThroughSwiftMemberwiseInitializer`), the local named after the property.
        // Required fields need a `_name` local, checked after the walk: a property cannot be
        // read before it is set.
        func property(_ field: Field) -> SwiftExpression? {
            if target != nil, field.isBoxed { return nil }
            let destination = target.map { SwiftExpression.member($0, SwiftNames.member(field.propertyName)) } ?? .identifier(SwiftNames.local(field.propertyName))
            switch field.kind {
            case .attribute(_, _, optional: true): return destination
            case .emptyElement: return nil
            default: break
            }
            guard Self.elementName(of: field) != nil, let read = gatheredRead(field, of: typeName, alternative: alternative), read.repetition != .one else { return nil }
            return destination
        }
        /// Sets to `initial`, before a walk, what the walk reads `field` into.
        func start(_ field: Field, type: String, _ initial: SwiftExpression) -> SwiftStatement {
            guard let property = property(field) else { return .variable(pendingLocal(field), type: type, initial) }
            return target == nil ? .variable(SwiftNames.local(field.propertyName), type: type, initial) : .assignment(property, initial)
        }
        func variable(_ field: Field) -> SwiftExpression { property(field) ?? .identifier(pendingLocal(field)) }

        var statements: [SwiftStatement] = []
        var tables: [SwiftDeclaration] = []
        for (position, field) in fields.enumerated() {
            if position == gathering.attributes.first {
                let gathered = gathering.attributes.map { fields[$0] }
                tables.append(nameTable(attributeTable, gathered.compactMap(Self.attributeName(of:)), of: "attributes"))
                var cases: [SwitchCase] = []
                for (entry, field) in gathered.enumerated() {
                    guard case .attribute(_, let valueType, _) = field.kind else { continue }
                    statements.append(start(field, type: valueType + "?", .identifier("nil")))
                    let read = SwiftExpression.try(.method(cursor, "attribute", [.unlabeled(.identifier("found")), Argument("as", .identifier("\(valueType).self"))]
                        + trustArguments(field, of: typeName, alternative: alternative)))
                    cases.append(SwitchCase(pattern: .identifier(String(entry)), body: [.assignment(variable(field), read)]))
                }
                // The table in a local: read in the loop's condition, a static is checked for
                // having been made at each step (libvirt's `<domain>`: twenty children).
                statements.append(.constant("attributeTable", .identifier("Self." + attributeTable)))
                statements.append(.variable("attributeWalk", type: nil, .call(.identifier("_XMLAttributeWalk"), [.unlabeled(cursor)])))
                statements.append(.while(
                    condition: .binary(.binding("found"), "=", .method(.identifier("attributeWalk"), "next", [Argument("in", cursor), .unlabeled(.identifier("attributeTable"))])),
                    body: [.switch(.identifier("found.position"), cases: cases + [SwitchCase(pattern: nil, body: [])])]))
            }
            if position == gathering.elements.first {
                let gathered = gathering.elements.map { fields[$0] }
                tables.append(nameTable(childTable, gathered.compactMap(Self.elementName(of:)), of: "child elements"))
                var cases: [SwitchCase] = []
                var sharesError = false
                for (entry, field) in gathered.enumerated() {
                    guard let read = gatheredRead(field, of: typeName, alternative: alternative) else { continue }
                    var error = ""
                    if read.failsQuietly {
                        if read.repetition == .one {
                            error = errorLocal(field)
                            statements.append(.variable(error, type: "(any Error)?", .identifier("nil")))
                        } else {
                            // Why an optional or repeated child failed is read by no one.
                            error = ignoredError
                            sharesError = true
                        }
                    }
                    let value = read.value(error)
                    if read.repetition == .many {
                        statements.append(start(field, type: "[\(read.type)]", .arrayLiteral([])))
                        let append = { (item: SwiftExpression) in SwiftStatement.expression(.method(variable(field), "append", [.unlabeled(item)])) }
                        cases.append(SwitchCase(pattern: .identifier(String(entry)), body: [
                            read.failsQuietly ? .ifLet(name: "item", value: value, then: [append(.identifier("item"))]) : append(value),
                        ]))
                    } else {
                        // A second child for a field of one is left untaken, as a search leaves it.
                        statements.append(start(field, type: read.type + "?", .identifier("nil")))
                        cases.append(SwitchCase(
                            pattern: .binary(.identifier(String(entry)), "where", .binary(variable(field), "==", .identifier("nil"))),
                            body: [.assignment(variable(field), value)]))
                    }
                }
                if sharesError { statements.append(.variable(ignoredError, type: "(any Error)?", .identifier("nil"))) }
                var walkArguments: [Argument] = [.unlabeled(cursor)]
                if !gathering.decidesOrder { walkArguments.append(Argument("decidesOrder", .booleanLiteral(false))) }
                statements.append(.constant("childTable", .identifier("Self." + childTable)))
                statements.append(.variable("childWalk", type: nil, .call(.identifier("_XMLChildWalk"), walkArguments)))
                statements.append(.while(
                    condition: .binary(.binding("found"), "=", .method(.identifier("childWalk"), "next", [Argument("in", .reference(cursor)), .unlabeled(.identifier("childTable"))])),
                    body: [.switch(.identifier("found.position"), cases: cases + [SwitchCase(pattern: nil, body: [])])]))
            }
            if (gathering.attributes.contains(position) || gathering.elements.contains(position)), property(field) != nil {
                // Read into its property, or its local, by the walk.
            } else if gathering.attributes.contains(position), case .attribute(let name, _, let optional) = field.kind {
                statements.append(assign(field, optional
                    ? .identifier(pendingLocal(field))
                    : .try(.method(cursor, "required", [.unlabeled(.identifier(pendingLocal(field))), Argument("attribute", .stringLiteral(name.localName))]))))
            } else if gathering.elements.contains(position), let name = Self.elementName(of: field), let read = gatheredRead(field, of: typeName, alternative: alternative) {
                var value = SwiftExpression.identifier(pendingLocal(field))
                if read.repetition == .one {
                    var arguments: [Argument] = [.unlabeled(value), Argument("element", .stringLiteral(name.localName))]
                    if read.failsQuietly { arguments.append(Argument("firstError", .identifier(errorLocal(field)))) }
                    value = .try(.method(cursor, "required", arguments))
                }
                switch field.kind {
                // An empty element: its presence, or nothing when it must be there.
                case .emptyElement(_, optional: true): statements.append(assign(field, .binary(value, "!=", .identifier("nil"))))
                case .emptyElement(_, optional: false): statements.append(.assignment(.identifier("_"), value))
                default: statements.append(assign(field, value))
                }
            } else {
                statements += readStatements(field, into: target, of: typeName, alternative: alternative)
            }
        }
        return (statements, tables)
    }

    /// How a struct that keeps its children's order reads it: from a table of the names its
    /// fields read (`_xmlChildOrderNames`), whose keys are made once, when there are any.
    func childOrderRead(_ fields: [Field]) -> (table: SwiftDeclaration?, read: SwiftExpression) {
        var names: [QualifiedName] = []
        var seen: Set<QualifiedName> = []
        for field in fields {
            let read = namesRead.names(of: field).elements.sorted { ($0.namespace, $0.localName) < ($1.namespace, $1.localName) }
            for name in read where seen.insert(name).inserted { names.append(name) }
        }
        guard !names.isEmpty else { return (nil, .identifier("cursor.childOrder")) }
        let table = nameTable("_xmlChildOrderNames", names, of: "child elements", purpose: "whose order is kept")
        return (table, .method(.identifier("cursor"), "childOrder", [.unlabeled(.identifier("Self._xmlChildOrderNames"))]))
    }

    /// The child element a field that a walk can gather reads.
    static func elementName(of field: Field) -> QualifiedName? {
        switch field.kind {
        case .element(let name, _, _), .valueElement(let name, _, _), .emptyElement(let name, _), .elementList(let name, _, _, _), .rawElement(let name, _):
            return name
        default: return nil
        }
    }

    /// How a walk reads a gathered child into a field: the type of what it reads, how many the
    /// field holds, and the expression reading the child `found`. A read that fails quietly
    /// (nil, keeping why in the error variable it is given) leaves the child for another;
    /// the others take it and throw.
    struct GatheredRead {
        var type: String
        var repetition: Repetition
        var failsQuietly: Bool
        var value: (_ error: String) -> SwiftExpression
    }

    func gatheredRead(_ field: Field, of typeName: String, alternative: Int?) -> GatheredRead? {
        let cursor = SwiftExpression.identifier("cursor")
        let found = Argument.unlabeled(.identifier("found"))
        func decoded(_ method: String, _ type: String, _ repetition: Repetition) -> GatheredRead {
            GatheredRead(type: type, repetition: repetition, failsQuietly: true) { error in
                .method(cursor, method, [found, Argument("as", .identifier("\(type).self"))]
                    + self.trustArguments(field, of: typeName, alternative: alternative) + [Argument("firstError", .reference(.identifier(error)))])
            }
        }
        switch field.kind {
        case .element(_, let type, let repetition): return decoded("element", type, repetition)
        case .valueElement(_, let type, let repetition): return decoded("valueElement", type, repetition)
        case .emptyElement(_, let optional): return decoded("element", "_XMLEmptyElement", optional ? .optional : .one)
        case .elementList(_, let item, let type, let optional):
            var arguments: [Argument] = [found, Argument("item", .stringLiteral(item.localName))]
            if !item.namespace.isEmpty { arguments.append(Argument("itemNamespace", .stringLiteral(item.namespace))) }
            arguments += [Argument("as", .identifier("\(type).self"))] + trustArguments(field, of: typeName, alternative: alternative)
            return GatheredRead(type: "[\(type)]", repetition: optional ? .optional : .one, failsQuietly: false) { _ in .try(.method(cursor, "elementList", arguments)) }
        case .rawElement(_, let repetition):
            return GatheredRead(type: "XMLElement", repetition: repetition, failsQuietly: false) { _ in .method(cursor, "rawElement", [found]) }
        default: return nil
        }
    }

    /// A static table of the names a walk looks up, in the order of their fields.
    private func nameTable(_ name: String, _ names: [QualifiedName], of kind: String, purpose: String = "a walk reads into fields, in the fields' order") -> SwiftDeclaration {
        var arguments: [Argument] = [.unlabeled(.arrayLiteral(names.map { .stringLiteral($0.localName) }))]
        if names.contains(where: { !$0.namespace.isEmpty }) {
            arguments.append(Argument("namespaces", .arrayLiteral(names.map { .stringLiteral($0.namespace) })))
        }
        return .property(PropertyDeclaration(
            access: nil, isStatic: true, isMutable: false, name: name, type: nil, initialValue: .call(.identifier("_XMLNameTable"), arguments),
            documentation: ["The names of the \(kind) \(purpose)."]))
    }
}
