/// Interned patterns for James Clark's derivative algorithm: every distinct pattern exists once
/// and is named by a small integer, so derivatives can be memoised by identity.
///
/// A store is built once per schema and then copied for each ``Validator``, which keeps adding
/// the patterns that derivatives create.
struct PatternStore {
    typealias ID = Int32

    enum Node: Hashable {
        case empty
        case notAllowed
        case text
        case choice(ID, ID)
        case group(ID, ID)
        case interleave(ID, ID)
        case oneOrMore(ID)
        case list(ID)
        /// Index into ``datatypes``.
        case data(Int32)
        case dataExcept(Int32, ID)
        /// Index into ``values``.
        case value(Int32)
        /// Index into ``nameClasses`` and the content.
        case attribute(Int32, ID)
        /// Index into ``elements``.
        case element(Int32)
        /// Content still to match, then what follows the element (the algorithm's `After`).
        case after(ID, ID)
    }

    static let empty: ID = 0
    static let notAllowed: ID = 1
    static let text: ID = 2

    private(set) var nodes: [Node] = []
    private(set) var nullable: [Bool] = []
    /// Each pattern's ID by its node packed into one word (``packed(_:)``): validating a
    /// document interns the derivatives of its novel values, and hashing a `Node` for a
    /// dictionary cost more than the derivative.
    private var index = IntegerMemo(capacity: 4096)
    /// Nodes whose numbers are too large to pack; none in practice.
    private var unpackedIndex: [Node: ID] = [:]
    private var choiceMemo = IntegerMemo(capacity: 1024)

    var datatypes: [Datatype] = []
    var values: [(datatype: Datatype, value: DatatypeValue, lexical: String)] = []
    var nameClasses: [NameClass] = []
    var elements: [(nameClass: Int32, content: ID)] = []
    var start: ID = 1

    init() {
        _ = intern(.empty)
        _ = intern(.notAllowed)
        _ = intern(.text)
    }

    subscript(id: ID) -> Node { nodes[Int(id)] }

    func isNullable(_ id: ID) -> Bool { nullable[Int(id)] }

    /// A node as one word: its kind in the top four bits, then its two numbers in 30 bits each;
    /// nil when a number does not fit.
    private static func packed(_ node: Node) -> UInt64? {
        func pack(_ kind: UInt64, _ first: Int32 = 0, _ second: Int32 = 0) -> UInt64? {
            guard first >= 0, second >= 0, first < 1 << 30, second < 1 << 30 else { return nil }
            return kind << 60 | UInt64(first) << 30 | UInt64(second)
        }
        switch node {
        case .empty: return pack(0)
        case .notAllowed: return pack(1)
        case .text: return pack(2)
        case .choice(let left, let right): return pack(3, left, right)
        case .group(let left, let right): return pack(4, left, right)
        case .interleave(let left, let right): return pack(5, left, right)
        case .oneOrMore(let child): return pack(6, child)
        case .list(let child): return pack(7, child)
        case .data(let datatype): return pack(8, datatype)
        case .dataExcept(let datatype, let except): return pack(9, datatype, except)
        case .value(let value): return pack(10, value)
        case .attribute(let nameClass, let content): return pack(11, nameClass, content)
        case .element(let element): return pack(12, element)
        case .after(let left, let right): return pack(13, left, right)
        }
    }

    private mutating func intern(_ node: Node) -> ID {
        let key = Self.packed(node)
        if let key {
            if let known = index[key] { return known }
        } else if let known = unpackedIndex[node] {
            return known
        }
        let id = ID(nodes.count)
        nodes.append(node)
        let isNullable: Bool
        switch node {
        case .empty, .text: isNullable = true
        case .choice(let left, let right): isNullable = nullable[Int(left)] || nullable[Int(right)]
        case .group(let left, let right), .interleave(let left, let right):
            isNullable = nullable[Int(left)] && nullable[Int(right)]
        case .oneOrMore(let child): isNullable = nullable[Int(child)]
        default: isNullable = false
        }
        nullable.append(isNullable)
        if let key { index[key] = id } else { unpackedIndex[node] = id }
        return id
    }

    // MARK: - Constructors that keep patterns small

    mutating func choice(_ left: ID, _ right: ID) -> ID {
        if left == right || right == Self.notAllowed { return left }
        if left == Self.notAllowed { return right }
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        if let known = choiceMemo[key] { return known }
        // Choice is associative, commutative and idempotent: keep each alternative once, in order.
        var members: [ID] = []
        collectAlternatives(left, into: &members)
        collectAlternatives(right, into: &members)
        members.sort()
        var unique: [ID] = []
        for member in members where unique.last != member { unique.append(member) }
        var result = unique[unique.count - 1]
        for member in unique.dropLast().reversed() { result = intern(.choice(member, result)) }
        choiceMemo[key] = result
        return result
    }

    /// The alternatives of a choice (nested choices flattened), left to right; a pattern that is
    /// not a choice is its only alternative.
    func collectAlternatives(_ id: ID, into members: inout [ID]) {
        var stack = [id]
        while let current = stack.popLast() {
            if case .choice(let left, let right) = nodes[Int(current)] {
                stack.append(right)
                stack.append(left)
            } else {
                members.append(current)
            }
        }
    }

    mutating func group(_ left: ID, _ right: ID) -> ID {
        if left == Self.notAllowed || right == Self.notAllowed { return Self.notAllowed }
        if left == Self.empty { return right }
        if right == Self.empty { return left }
        return intern(.group(left, right))
    }

    mutating func interleave(_ left: ID, _ right: ID) -> ID {
        if left == Self.notAllowed || right == Self.notAllowed { return Self.notAllowed }
        if left == Self.empty { return right }
        if right == Self.empty { return left }
        return intern(.interleave(left, right))
    }

    mutating func after(_ left: ID, _ right: ID) -> ID {
        if left == Self.notAllowed || right == Self.notAllowed { return Self.notAllowed }
        return intern(.after(left, right))
    }

    mutating func oneOrMore(_ child: ID) -> ID {
        if child == Self.notAllowed || child == Self.empty { return child }
        return intern(.oneOrMore(child))
    }

    mutating func list(_ child: ID) -> ID {
        if child == Self.notAllowed { return child }
        return intern(.list(child))
    }

    mutating func attribute(_ nameClass: Int32, _ content: ID) -> ID {
        if content == Self.notAllowed { return content }
        return intern(.attribute(nameClass, content))
    }

    mutating func data(_ datatype: Int32, except: ID?) -> ID {
        guard let except, except != Self.notAllowed else { return intern(.data(datatype)) }
        return intern(.dataExcept(datatype, except))
    }

    mutating func value(_ value: Int32) -> ID { intern(.value(value)) }

    mutating func element(_ element: Int32) -> ID { intern(.element(element)) }
}

extension PatternStore {
    /// Compiles a grammar in the simple syntax into a store.
    init(_ grammar: SimpleGrammar) {
        self.init()
        var datatypeIndex: [ObjectIdentifier: Int32] = [:]
        var nameClassIndex: [NameClass: Int32] = [:]
        let reachable = RestrictionChecker.reachableElements(grammar)
        var elementIndex: [Int: Int32] = [:]
        for index in reachable {
            let nameClass = grammar.elements[index].nameClass
            let classID = nameClassIndex[nameClass] ?? {
                nameClasses.append(nameClass)
                let id = Int32(nameClasses.count - 1)
                nameClassIndex[nameClass] = id
                return id
            }()
            elementIndex[index] = Int32(elements.count)
            elements.append((classID, Self.notAllowed))
        }

        func compile(_ pattern: SimplePattern) -> ID {
            switch pattern.kind {
            case .empty: return Self.empty
            case .notAllowed: return Self.notAllowed
            case .text: return Self.text
            case .choice(let left, let right): return choice(compile(left), compile(right))
            case .group(let left, let right): return group(compile(left), compile(right))
            case .interleave(let left, let right): return interleave(compile(left), compile(right))
            case .oneOrMore(let child): return oneOrMore(compile(child))
            case .list(let child): return list(compile(child))
            case .attribute(let nameClass, let child):
                let classID = nameClassIndex[nameClass] ?? {
                    nameClasses.append(nameClass)
                    let id = Int32(nameClasses.count - 1)
                    nameClassIndex[nameClass] = id
                    return id
                }()
                return attribute(classID, compile(child))
            case .ref(let index):
                return element(elementIndex[index]!)
            case .value(let datatype, let value, let lexical):
                values.append((datatype, value, lexical))
                return self.value(Int32(values.count - 1))
            case .data(let datatype, let except):
                let key = ObjectIdentifier(datatype)
                let id = datatypeIndex[key] ?? {
                    datatypes.append(datatype)
                    let id = Int32(datatypes.count - 1)
                    datatypeIndex[key] = id
                    return id
                }()
                return data(id, except: except.map(compile))
            }
        }

        start = compile(grammar.start)
        for index in reachable {
            elements[Int(elementIndex[index]!)].content = compile(grammar.elements[index].content)
        }
    }
}
