import RelaxNG

/// The types a grammar becomes, before they are spelled as Swift: structs for elements and
/// groups, enums for structural choices, string-backed enums for value choices, checked wrappers
/// for restricted strings.
final class GeneratedType {
    enum Kind {
        /// Fields in order: an element's content, or a repeated group.
        case structure([Field])
        /// Alternatives, each with the fields it carries.
        case choice([Alternative])
        /// A `String`-backed enum: each case a value.
        case valueEnumeration([ValueCase])
        /// A choice of values and datatypes: cases for values, cases carrying the other types.
        case valueUnion([UnionMember])
        /// A string restricted by datatypes: valid when any of `checks` allows it.
        case wrapper([DatatypeCheckSpec])
        /// Another name for a Swift type.
        case alias(String)
    }

    private(set) var name: String
    /// The name with its enclosing types, as used elsewhere in the generated code.
    private(set) var qualifiedName: String
    var kind: Kind
    /// The element the type is written as; nil for content decoded within another element.
    var element: QualifiedName?
    var documentation: [String]
    var nested: [GeneratedType] = []
    /// Whether its children are interleaved, so the order they were read in is kept.
    var keepsChildOrder = false
    var isDocumentRoot = false
    /// The only element of its name that the grammar's start allows: a document whose root has
    /// the name matched this type's pattern when it validated.
    var isSoleStartElement = false
    /// An enum that holds itself, directly or through other types: written `indirect`.
    var isIndirect = false

    /// The values of an enumeration; nil for other kinds.
    var enumerationValues: [String]? {
        if case .valueEnumeration(let cases) = kind { return cases.map(\.value) }
        return nil
    }

    /// `types` and all the types they nest, by qualified name. Several grammars' copies of a
    /// shared type are the same: the first is kept.
    static func byQualifiedName(_ types: [GeneratedType]) -> [String: GeneratedType] {
        var index: [String: GeneratedType] = [:]
        func add(_ type: GeneratedType) {
            if index[type.qualifiedName] == nil { index[type.qualifiedName] = type }
            type.nested.forEach(add)
        }
        types.forEach(add)
        return index
    }

    func rename(to name: String, qualifiedName: String) {
        self.name = name
        self.qualifiedName = qualifiedName
    }

    /// Moves the type (and what it nests) under `parent`, keeping its own name.
    func requalify(under parent: String) {
        qualifiedName = parent + "." + name
        for nested in self.nested { nested.requalify(under: qualifiedName) }
    }

    /// Applies `rewrite` to every type name the type's parts refer to.
    /// Rewrites the names of the types this type refers to. Most rewrites change nothing, so
    /// nothing is copied unless a name changes.
    func rewriteTypeReferences(_ rewrite: (String) -> String) {
        func rewritten(_ fields: [Field]) -> [Field]? {
            var result: [Field]?
            for index in fields.indices {
                if let field = fields[index].rewritingTypes(rewrite) {
                    if result == nil { result = fields }
                    result![index] = field
                }
            }
            return result
        }
        switch kind {
        case .structure(let fields):
            if let fields = rewritten(fields) { kind = .structure(fields) }
        case .choice(let alternatives):
            var result: [Alternative]?
            for index in alternatives.indices {
                if let fields = rewritten(alternatives[index].fields) {
                    if result == nil { result = alternatives }
                    result![index].fields = fields
                }
            }
            if let result { kind = .choice(result) }
        case .valueUnion(let members):
            var result: [UnionMember]?
            for index in members.indices {
                guard case .type(let name) = members[index].kind else { continue }
                let new = rewrite(name)
                if new != name {
                    if result == nil { result = members }
                    result![index].kind = .type(new)
                }
            }
            if let result { kind = .valueUnion(result) }
        case .alias(let target):
            let new = rewrite(target)
            if new != target { kind = .alias(new) }
        case .valueEnumeration, .wrapper: break
        }
    }

    init(name: String, qualifiedName: String, kind: Kind, element: QualifiedName?, documentation: [String]) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.kind = kind
        self.element = element
        self.documentation = documentation
    }
}

struct ValueCase {
    var name: String
    var value: String
    var documentation: [String]
}

struct UnionMember {
    enum Kind {
        case value(String)
        case type(String)
    }

    var caseName: String
    var kind: Kind
}

struct DatatypeCheckSpec: Equatable {
    var type: String
    var parameters: [ParameterPair]
}

struct ParameterPair: Equatable {
    var name: String
    var value: String
}

struct Alternative {
    var caseName: String
    var fields: [Field]
    var documentation: [String]
    /// Stored out of line (`indirect case`): its values are large, and every value of the enum
    /// would otherwise be as large, copied whole wherever it is moved.
    var isBoxed = false
}

enum Repetition: Equatable {
    case one
    case optional
    case many
}

/// One part of a type's content and how it is read and written.
struct Field {
    enum Kind {
        case attribute(QualifiedName, valueType: String, optional: Bool)
        /// An attribute with one allowed value and no property.
        case fixedAttribute(QualifiedName, value: String)
        /// An optional attribute with one allowed value: a `Bool`.
        case flagAttribute(QualifiedName, value: String)
        /// An element holding only a value.
        case valueElement(QualifiedName, valueType: String, Repetition)
        /// An element holding nothing at all; optional ones are a `Bool`.
        case emptyElement(QualifiedName, optional: Bool)
        /// An element holding one allowed value and nothing else: no property when required,
        /// a `Bool` when optional.
        case fixedValueElement(QualifiedName, value: String, optional: Bool)
        case element(QualifiedName, type: String, Repetition)
        /// An element that only wraps a list of elements: `<disks><disk/>…</disks>` as `[Disk]`.
        case elementList(QualifiedName, item: QualifiedName, itemType: String, optional: Bool)
        /// An element whose content is open (any attributes, elements and text), kept whole.
        case rawElement(QualifiedName, Repetition)
        /// Content decoded from the same element: a choice or a group.
        case content(type: String, Repetition)
        case text(valueType: String, optional: Bool)
        /// Text with one allowed value and no property.
        case fixedText(value: String)
        case anyElements
        case anyAttributes
    }

    var propertyName: String
    var kind: Kind
    var documentation: [String]
    /// A struct property on a cycle of types, stored out of line (`@XMLIndirect`).
    var isBoxed = false

    /// The Swift type of the property, or nil for parts that have none.
    var propertyType: String? {
        switch kind {
        case .attribute(_, let type, let optional): return optional ? type + "?" : type
        case .fixedAttribute, .fixedText: return nil
        case .flagAttribute: return "Bool"
        case .valueElement(_, let type, let repetition), .element(_, let type, let repetition), .content(let type, let repetition):
            switch repetition {
            case .one: return type
            case .optional: return type + "?"
            case .many: return "[\(type)]"
            }
        case .elementList(_, _, let itemType, let optional): return optional ? "[\(itemType)]?" : "[\(itemType)]"
        case .rawElement(_, let repetition):
            switch repetition {
            case .one: return "XMLElement"
            case .optional: return "XMLElement?"
            case .many: return "[XMLElement]"
            }
        case .emptyElement(_, let optional), .fixedValueElement(_, _, let optional): return optional ? "Bool" : nil
        case .text(let type, let optional): return optional ? type + "?" : type
        case .anyElements: return "[XMLElement]"
        case .anyAttributes: return "[XMLAttribute]"
        }
    }

    /// The field with its type names rewritten; nil when none changes.
    func rewritingTypes(_ rewrite: (String) -> String) -> Field? {
        func changed(_ type: String) -> String? {
            let new = rewrite(type)
            return new == type ? nil : new
        }
        var copy = self
        switch kind {
        case .attribute(let name, let type, let optional):
            guard let new = changed(type) else { return nil }
            copy.kind = .attribute(name, valueType: new, optional: optional)
        case .valueElement(let name, let type, let repetition):
            guard let new = changed(type) else { return nil }
            copy.kind = .valueElement(name, valueType: new, repetition)
        case .element(let name, let type, let repetition):
            guard let new = changed(type) else { return nil }
            copy.kind = .element(name, type: new, repetition)
        case .elementList(let name, let item, let type, let optional):
            guard let new = changed(type) else { return nil }
            copy.kind = .elementList(name, item: item, itemType: new, optional: optional)
        case .content(let type, let repetition):
            guard let new = changed(type) else { return nil }
            copy.kind = .content(type: new, repetition)
        case .text(let type, let optional):
            guard let new = changed(type) else { return nil }
            copy.kind = .text(valueType: new, optional: optional)
        default: return nil
        }
        return copy
    }

    /// The generated type the property holds inline (not in an array), if any.
    var inlineTypeName: String? {
        switch kind {
        case .attribute(_, let type, _), .text(let type, _): return type
        case .valueElement(_, let type, let repetition), .element(_, let type, let repetition), .content(let type, let repetition):
            return repetition == .many ? nil : type
        default: return nil
        }
    }

    /// The default a memberwise initialiser gives the parameter.
    var defaultValue: String? {
        switch kind {
        case .attribute(_, _, let optional): return optional ? "nil" : nil
        case .flagAttribute, .emptyElement: return "false"
        case .fixedValueElement(_, _, let optional): return optional ? "false" : nil
        case .valueElement(_, _, let repetition), .element(_, _, let repetition), .content(_, let repetition), .rawElement(_, let repetition):
            switch repetition {
            case .one: return nil
            case .optional: return "nil"
            case .many: return "[]"
            }
        case .anyElements, .anyAttributes: return "[]"
        case .elementList(_, _, _, let optional): return optional ? "nil" : "[]"
        case .text(_, let optional): return optional ? "nil" : nil
        case .fixedAttribute, .fixedText: return nil
        }
    }

    /// The field made optional, as inside `<optional>`.
    var optional: Field {
        var copy = self
        switch kind {
        case .attribute(let name, let type, _): copy.kind = .attribute(name, valueType: type, optional: true)
        case .fixedAttribute(let name, let value): copy.kind = .flagAttribute(name, value: value)
        case .valueElement(let name, let type, .one): copy.kind = .valueElement(name, valueType: type, .optional)
        case .element(let name, let type, .one): copy.kind = .element(name, type: type, .optional)
        case .content(let type, .one): copy.kind = .content(type: type, .optional)
        case .rawElement(let name, .one): copy.kind = .rawElement(name, .optional)
        case .elementList(let name, let item, let type, _): copy.kind = .elementList(name, item: item, itemType: type, optional: true)
        case .text(let type, _): copy.kind = .text(valueType: type, optional: true)
        // Text that may be absent or the one value: kept as written.
        case .fixedText: copy.kind = .text(valueType: "String", optional: true)
        case .emptyElement(let name, _): copy.kind = .emptyElement(name, optional: true)
        case .fixedValueElement(let name, let value, _): copy.kind = .fixedValueElement(name, value: value, optional: true)
        default: break
        }
        return copy
    }
}
