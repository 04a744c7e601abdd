/// The Swift that the generator writes, as a model: the translator builds it, and only the
/// renderer (``SwiftRenderer``) knows how it is spelled.
indirect enum SwiftDeclaration: Equatable {
    case structure(TypeDeclaration)
    case enumeration(TypeDeclaration)
    case `extension`(ExtensionDeclaration)
    case property(PropertyDeclaration)
    case enumCase(EnumCaseDeclaration)
    case function(FunctionDeclaration)
    case typeAlias(name: String, type: String, documentation: [String], access: AccessLevel)
    /// A `// MARK: -` line between groups of declarations.
    case mark(String)
}

/// `public`, `package` or `internal`, for generated API.
public enum AccessLevel: String, Sendable, Codable, CaseIterable {
    case `public`
    case `package`
    case `internal`

    var keyword: String { rawValue }
}

struct TypeDeclaration: Equatable {
    var access: AccessLevel
    /// `indirect enum`
    var isIndirect = false
    var name: String
    /// A raw type first (`String`), then protocols.
    var inheritance: [String]
    var documentation: [String]
    var members: [SwiftDeclaration]
}

struct ExtensionDeclaration: Equatable {
    var access: AccessLevel?
    var typeName: String
    var conformances: [String]
    var members: [SwiftDeclaration]
}

struct PropertyDeclaration: Equatable {
    var access: AccessLevel?
    /// Such as `@XMLIndirect`.
    var attributes: [String] = []
    var isStatic = false
    var isMutable = true
    var name: String
    var type: String?
    var initialValue: SwiftExpression?
    var documentation: [String] = []
}

struct EnumCaseDeclaration: Equatable {
    struct AssociatedValue: Equatable {
        var label: String
        var type: String
        var defaultValue: SwiftExpression?
    }

    var name: String
    var associatedValues: [AssociatedValue] = []
    var rawValue: String?
    var documentation: [String] = []
    /// `indirect case`
    var isIndirect = false
}

struct Parameter: Equatable {
    /// nil for an unlabeled (`_`) parameter.
    var label: String?
    var name: String
    var type: String
    var defaultValue: SwiftExpression?
    var isInout = false
}

struct FunctionDeclaration: Equatable {
    enum Kind: Equatable {
        case initializer
        /// `init?`
        case failableInitializer
        case function(name: String)
        /// `var name: Type { body }`
        case computedProperty(name: String, type: String)
    }

    var access: AccessLevel?
    var kind: Kind
    var isStatic = false
    var isMutating = false
    var parameters: [Parameter]
    var throwsErrors = false
    var returnType: String?
    var body: [SwiftStatement]
    var documentation: [String] = []
}

indirect enum SwiftStatement: Equatable {
    case expression(SwiftExpression)
    case constant(String, SwiftExpression)
    case variable(String, type: String?, SwiftExpression)
    case assignment(SwiftExpression, SwiftExpression)
    case `return`(SwiftExpression?)
    case `throw`(SwiftExpression)
    /// `if let name = value { … }`
    case ifLet(name: String, value: SwiftExpression, then: [SwiftStatement])
    case `if`(condition: SwiftExpression, then: [SwiftStatement], otherwise: [SwiftStatement]?)
    case forIn(name: String, sequence: SwiftExpression, body: [SwiftStatement])
    case `while`(condition: SwiftExpression, body: [SwiftStatement])
    case `switch`(SwiftExpression, cases: [SwitchCase])
}

struct SwitchCase: Equatable {
    /// The pattern, such as `.external(let file)`; nil for `default`.
    var pattern: SwiftExpression?
    var body: [SwiftStatement]
}

indirect enum SwiftExpression: Equatable {
    case identifier(String)
    case stringLiteral(String)
    case booleanLiteral(Bool)
    case arrayLiteral([SwiftExpression])
    case dictionaryLiteral([(SwiftExpression, SwiftExpression)])
    /// `base.member`; a nil base is an implicit member (`.member`).
    case member(SwiftExpression?, String)
    case call(SwiftExpression, [Argument])
    case `try`(SwiftExpression)
    case reference(SwiftExpression)
    case binary(SwiftExpression, String, SwiftExpression)
    case not(SwiftExpression)
    /// `{ cursor throws -> Self in … }`
    case closure(parameters: [String], signature: String?, body: [SwiftStatement])
    /// A binding in a pattern: `let name`.
    case binding(String)

    static func == (left: SwiftExpression, right: SwiftExpression) -> Bool {
        switch (left, right) {
        case (.identifier(let a), .identifier(let b)), (.stringLiteral(let a), .stringLiteral(let b)), (.binding(let a), .binding(let b)): return a == b
        case (.booleanLiteral(let a), .booleanLiteral(let b)): return a == b
        case (.arrayLiteral(let a), .arrayLiteral(let b)): return a == b
        case (.dictionaryLiteral(let a), .dictionaryLiteral(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.member(let baseA, let a), .member(let baseB, let b)): return a == b && baseA == baseB
        case (.call(let a, let argumentsA), .call(let b, let argumentsB)): return a == b && argumentsA == argumentsB
        case (.try(let a), .try(let b)), (.reference(let a), .reference(let b)), (.not(let a), .not(let b)): return a == b
        case (.binary(let leftA, let a, let rightA), .binary(let leftB, let b, let rightB)): return a == b && leftA == leftB && rightA == rightB
        case (.closure(let parametersA, let signatureA, let bodyA), .closure(let parametersB, let signatureB, let bodyB)):
            return parametersA == parametersB && signatureA == signatureB && bodyA == bodyB
        default: return false
        }
    }

    static func call(_ function: String, _ arguments: Argument...) -> SwiftExpression {
        .call(.identifier(function), arguments)
    }

    static func method(_ base: SwiftExpression, _ name: String, _ arguments: [Argument]) -> SwiftExpression {
        .call(.member(base, name), arguments)
    }
}

struct Argument: Equatable {
    var label: String?
    var value: SwiftExpression

    init(_ label: String?, _ value: SwiftExpression) {
        self.label = label
        self.value = value
    }

    static func unlabeled(_ value: SwiftExpression) -> Argument { Argument(nil, value) }
}
