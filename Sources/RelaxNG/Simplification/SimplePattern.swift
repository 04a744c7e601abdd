/// A name class of the simple syntax: which expanded names it contains.
indirect enum NameClass: Hashable, Sendable, CustomStringConvertible {
    case name(QualifiedName)
    case anyName(except: NameClass?)
    case nsName(String, except: NameClass?)
    case choice(NameClass, NameClass)

    init(_ syntax: NameClassSyntax) {
        switch syntax.kind {
        case .name(let name): self = .name(name)
        case .anyName(let except): self = .anyName(except: except.map(NameClass.init))
        case .nsName(let namespace, let except): self = .nsName(namespace, except: except.map(NameClass.init))
        case .choice(let choices):
            var result = NameClass(choices[0])
            for next in choices.dropFirst() { result = .choice(result, NameClass(next)) }
            self = result
        }
    }

    func contains(_ name: QualifiedName) -> Bool {
        contains(namespace: name.namespace, localName: name.localName)
    }

    func contains(namespace: String, localName: String) -> Bool {
        switch self {
        case .name(let own): return own.localName == localName && own.namespace == namespace
        case .anyName(let except): return !(except?.contains(namespace: namespace, localName: localName) ?? false)
        case .nsName(let own, let except):
            return own == namespace && !(except?.contains(namespace: namespace, localName: localName) ?? false)
        case .choice(let left, let right):
            return left.contains(namespace: namespace, localName: localName) || right.contains(namespace: namespace, localName: localName)
        }
    }

    /// Whether some name belongs to both classes, decided on representative names: each name
    /// mentioned, a name no grammar can write in each namespace mentioned, and one outside all.
    func overlaps(_ other: NameClass) -> Bool {
        let candidates = representatives() + other.representatives()
        return candidates.contains { contains($0) && other.contains($0) }
    }

    private static let impossibleLocalName = "\u{1}"
    private static let impossibleNamespace = "\u{1}"

    private func representatives() -> [QualifiedName] {
        switch self {
        case .name(let name): return [name]
        case .anyName(let except):
            return [QualifiedName(namespace: Self.impossibleNamespace, localName: Self.impossibleLocalName)] + (except?.representatives() ?? [])
        case .nsName(let namespace, let except):
            return [QualifiedName(namespace: namespace, localName: Self.impossibleLocalName)] + (except?.representatives() ?? [])
        case .choice(let left, let right): return left.representatives() + right.representatives()
        }
    }

    /// Whether the class is infinite (`anyName` or `nsName` somewhere outside an except).
    var isOpen: Bool {
        switch self {
        case .name: return false
        case .anyName, .nsName: return true
        case .choice(let left, let right): return left.isOpen || right.isOpen
        }
    }

    /// The names a class lists, for messages.
    var description: String {
        switch self {
        case .name(let name): return name.description
        case .anyName(let except): return except.map { "any name except \($0)" } ?? "any name"
        case .nsName(let namespace, let except):
            let base = namespace.isEmpty ? "any name without namespace" : "any name in \(namespace)"
            return except.map { "\(base) except \($0)" } ?? base
        case .choice(let left, let right): return "\(left) or \(right)"
        }
    }
}

/// A pattern of the simple syntax (section 5 of the specification): binary operators, `ref`
/// only to element definitions, `notAllowed` and `empty` propagated. Each node keeps the
/// position of the grammar element it came from, for the restrictions of section 7.
struct SimplePattern: Sendable {
    indirect enum Kind: Sendable {
        case empty
        case notAllowed
        case text
        case choice(SimplePattern, SimplePattern)
        case group(SimplePattern, SimplePattern)
        case interleave(SimplePattern, SimplePattern)
        case oneOrMore(SimplePattern)
        case list(SimplePattern)
        case attribute(NameClass, SimplePattern)
        /// A reference to ``SimpleGrammar/elements`` by index.
        case ref(Int)
        case value(Datatype, DatatypeValue, lexical: String)
        case data(Datatype, except: SimplePattern?)
    }

    var kind: Kind
    var location: SourceLocation

    init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    var isNotAllowed: Bool { if case .notAllowed = kind { return true } else { return false } }
    var isEmpty: Bool { if case .empty = kind { return true } else { return false } }

    // Constructors that apply sections 4.20 (notAllowed) and 4.21 (empty) as patterns are built.

    static func choice(_ left: SimplePattern, _ right: SimplePattern, at location: SourceLocation) -> SimplePattern {
        if left.isNotAllowed { return right }
        if right.isNotAllowed { return left }
        if left.isEmpty && right.isEmpty { return left }
        if right.isEmpty { return SimplePattern(.choice(right, left), at: location) }
        return SimplePattern(.choice(left, right), at: location)
    }

    static func group(_ left: SimplePattern, _ right: SimplePattern, at location: SourceLocation) -> SimplePattern {
        if left.isNotAllowed || right.isNotAllowed { return SimplePattern(.notAllowed, at: location) }
        if left.isEmpty { return right }
        if right.isEmpty { return left }
        return SimplePattern(.group(left, right), at: location)
    }

    static func interleave(_ left: SimplePattern, _ right: SimplePattern, at location: SourceLocation) -> SimplePattern {
        if left.isNotAllowed || right.isNotAllowed { return SimplePattern(.notAllowed, at: location) }
        if left.isEmpty { return right }
        if right.isEmpty { return left }
        return SimplePattern(.interleave(left, right), at: location)
    }

    static func oneOrMore(_ child: SimplePattern, at location: SourceLocation) -> SimplePattern {
        if child.isNotAllowed || child.isEmpty { return child }
        return SimplePattern(.oneOrMore(child), at: location)
    }

    static func list(_ child: SimplePattern, at location: SourceLocation) -> SimplePattern {
        if child.isNotAllowed { return child }
        return SimplePattern(.list(child), at: location)
    }

    static func attribute(_ nameClass: NameClass, _ child: SimplePattern, at location: SourceLocation) -> SimplePattern {
        if child.isNotAllowed { return child }
        return SimplePattern(.attribute(nameClass, child), at: location)
    }

    static func data(_ datatype: Datatype, except: SimplePattern?, at location: SourceLocation) -> SimplePattern {
        if let except, except.isNotAllowed { return SimplePattern(.data(datatype, except: nil), at: location) }
        return SimplePattern(.data(datatype, except: except), at: location)
    }
}

/// An element definition of the simple syntax: its name class and content.
struct SimpleElement: Sendable {
    var nameClass: NameClass
    var content: SimplePattern
    var location: SourceLocation
    /// The `define` the element was written in, when it was the whole of one.
    var defineName: String?
}

/// A grammar in the simple syntax: a start pattern and the element definitions it reaches.
struct SimpleGrammar: Sendable {
    var start: SimplePattern
    var elements: [SimpleElement]
}
