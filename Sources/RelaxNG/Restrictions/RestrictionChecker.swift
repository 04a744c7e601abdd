/// Checks the restrictions of section 7 on a grammar in the simple syntax: prohibited paths
/// (7.1), content types (7.2), duplicate and open attributes (7.3) and interleave (7.4).
/// Only what `start` reaches is checked, as section 4.20 leaves only that.
struct RestrictionChecker {
    private let grammar: SimpleGrammar
    private var diagnostics: [Diagnostic] = []

    init(_ grammar: SimpleGrammar) {
        self.grammar = grammar
    }

    /// The indexes of the element definitions that `start` reaches.
    static func reachableElements(_ grammar: SimpleGrammar) -> [Int] {
        var seen = Set<Int>()
        var order: [Int] = []
        var stack: [SimplePattern] = [grammar.start]
        while let pattern = stack.popLast() {
            switch pattern.kind {
            case .ref(let index):
                if seen.insert(index).inserted {
                    order.append(index)
                    stack.append(grammar.elements[index].content)
                }
            case .choice(let left, let right), .group(let left, let right), .interleave(let left, let right):
                stack.append(right)
                stack.append(left)
            case .oneOrMore(let child), .list(let child), .attribute(_, let child):
                stack.append(child)
            case .data(_, let except):
                if let except { stack.append(except) }
            case .empty, .notAllowed, .text, .value:
                break
            }
        }
        return order
    }

    mutating func check() -> [Diagnostic] {
        checkPaths(grammar.start, Context(inStart: true))
        for index in Self.reachableElements(grammar) {
            let element = grammar.elements[index]
            checkPaths(element.content, Context())
            // contentType reports, where it finds it, why a content has no content type.
            if !element.content.isNotAllowed { _ = contentType(element.content) }
            _ = occurrences(element.content)
        }
        var unique: [Diagnostic] = []
        var seen = Set<Diagnostic>()
        for diagnostic in diagnostics where seen.insert(diagnostic).inserted { unique.append(diagnostic) }
        return unique
    }

    private mutating func error(_ message: String, _ pattern: SimplePattern) {
        diagnostics.append(Diagnostic(.error, message, at: pattern.location))
    }

    // MARK: - 7.1 Prohibited paths, and 7.3's open attributes

    private struct Context {
        var inStart = false
        var inAttribute = false
        var inOneOrMore = false
        var inOneOrMoreGroup = false
        var inList = false
        var inDataExcept = false
    }

    private mutating func checkPaths(_ pattern: SimplePattern, _ context: Context) {
        var inner = context
        switch pattern.kind {
        case .attribute(let nameClass, let child):
            if context.inStart { error("an attribute cannot be the start of a grammar (start//attribute)", pattern) }
            if context.inAttribute { error("an attribute cannot contain an attribute (attribute//attribute)", pattern) }
            if context.inOneOrMoreGroup { error("an attribute cannot be repeated inside a group or interleave (oneOrMore//group//attribute)", pattern) }
            if context.inList { error("a list cannot contain an attribute (list//attribute)", pattern) }
            if context.inDataExcept { error("the except of data cannot contain an attribute (data/except//attribute)", pattern) }
            if nameClass.isOpen && !context.inOneOrMore {
                error("an attribute with an anyName or nsName name class must be inside oneOrMore", pattern)
            }
            inner.inAttribute = true
            checkPaths(child, inner)
        case .ref(let index):
            let element = grammar.elements[index]
            let name = "element \(element.nameClass) (defined at \(element.location))"
            if context.inAttribute { error("an attribute cannot contain an element (attribute//ref): \(name)", pattern) }
            if context.inList { error("a list cannot contain an element (list//ref): \(name)", pattern) }
            if context.inDataExcept { error("the except of data cannot contain an element (data/except//ref): \(name)", pattern) }
        case .oneOrMore(let child):
            if context.inStart { error("start cannot contain oneOrMore (start//oneOrMore)", pattern) }
            if context.inDataExcept { error("the except of data cannot contain oneOrMore (data/except//oneOrMore)", pattern) }
            inner.inOneOrMore = true
            checkPaths(child, inner)
        case .group(let left, let right), .interleave(let left, let right):
            let isGroup: Bool
            if case .group = pattern.kind { isGroup = true } else { isGroup = false }
            let name = isGroup ? "group" : "interleave"
            if context.inStart { error("start cannot contain \(name) (start//\(name))", pattern) }
            if context.inDataExcept { error("the except of data cannot contain \(name) (data/except//\(name))", pattern) }
            if !isGroup && context.inList { error("a list cannot contain interleave (list//interleave)", pattern) }
            if context.inOneOrMore { inner.inOneOrMoreGroup = true }
            checkPaths(left, inner)
            checkPaths(right, inner)
        case .choice(let left, let right):
            checkPaths(left, context)
            checkPaths(right, context)
        case .list(let child):
            if context.inStart { error("start cannot contain list (start//list)", pattern) }
            if context.inList { error("a list cannot contain a list (list//list)", pattern) }
            if context.inDataExcept { error("the except of data cannot contain list (data/except//list)", pattern) }
            inner.inList = true
            checkPaths(child, inner)
        case .text:
            if context.inStart { error("start cannot contain text (start//text)", pattern) }
            if context.inList { error("a list cannot contain text (list//text)", pattern) }
            if context.inDataExcept { error("the except of data cannot contain text (data/except//text)", pattern) }
        case .empty:
            if context.inStart { error("start cannot contain empty (start//empty)", pattern) }
            if context.inDataExcept { error("the except of data cannot contain empty (data/except//empty)", pattern) }
        case .data(_, let except):
            if context.inStart { error("start cannot contain data (start//data)", pattern) }
            if let except {
                inner.inDataExcept = true
                checkPaths(except, inner)
            }
        case .value:
            if context.inStart { error("start cannot contain value (start//value)", pattern) }
        case .notAllowed:
            break
        }
    }

    // MARK: - 7.2 String sequences

    private enum ContentType: Int, Comparable {
        case empty, complex, simple

        static func < (left: ContentType, right: ContentType) -> Bool { left.rawValue < right.rawValue }

        func isGroupable(with other: ContentType) -> Bool {
            self == .empty || other == .empty || (self == .complex && other == .complex)
        }
    }

    /// The content type of a pattern, or nil (after reporting why) when it has none.
    private mutating func contentType(_ pattern: SimplePattern) -> ContentType? {
        switch pattern.kind {
        case .value, .data, .list: return .simple
        case .text, .ref: return .complex
        case .empty: return .empty
        case .notAllowed: return nil
        case .attribute(_, let child):
            if !child.isNotAllowed, contentType(child) == nil { return nil }
            return .empty
        case .group(let left, let right), .interleave(let left, let right):
            guard let first = contentType(left), let second = contentType(right) else { return nil }
            guard first.isGroupable(with: second) else {
                error("a data, value or list pattern cannot be grouped with elements, text or another data, value or list pattern; make them alternatives", pattern)
                return nil
            }
            return max(first, second)
        case .oneOrMore(let child):
            guard let type = contentType(child) else { return nil }
            guard type.isGroupable(with: type) else {
                error("a data, value or list pattern cannot be repeated outside a list", pattern)
                return nil
            }
            return type
        case .choice(let left, let right):
            guard let first = contentType(left), let second = contentType(right) else { return nil }
            return max(first, second)
        }
    }

    // MARK: - 7.3 Duplicate attributes, 7.4 interleave

    /// What occurs in a pattern (through choice, group, interleave and oneOrMore).
    private struct Occurrences {
        var attributes: [NameClass] = []
        var elements: [NameClass] = []
        var hasText = false
    }

    private mutating func occurrences(_ pattern: SimplePattern) -> Occurrences {
        switch pattern.kind {
        case .attribute(let nameClass, let child):
            checkAttributeContent(child)
            return Occurrences(attributes: [nameClass])
        case .ref(let index):
            return Occurrences(elements: [grammar.elements[index].nameClass])
        case .text:
            return Occurrences(hasText: true)
        case .choice(let left, let right):
            let first = occurrences(left)
            let second = occurrences(right)
            return Occurrences(attributes: first.attributes + second.attributes, elements: first.elements + second.elements, hasText: first.hasText || second.hasText)
        case .group(let left, let right), .interleave(let left, let right):
            let first = occurrences(left)
            let second = occurrences(right)
            if let (one, other) = overlap(first.attributes, second.attributes) {
                error("duplicate attribute: \(one) and \(other) can name the same attribute", pattern)
            }
            if case .interleave = pattern.kind {
                if let (one, other) = overlap(first.elements, second.elements) {
                    error("both sides of an interleave accept the same element: \(one) and \(other)", pattern)
                }
                if first.hasText && second.hasText {
                    error("text occurs on both sides of an interleave", pattern)
                }
            }
            return Occurrences(attributes: first.attributes + second.attributes, elements: first.elements + second.elements, hasText: first.hasText || second.hasText)
        case .oneOrMore(let child):
            return occurrences(child)
        case .list(let child):
            _ = occurrences(child)
            return Occurrences()
        case .data, .value, .empty, .notAllowed:
            return Occurrences()
        }
    }

    /// An attribute's content is checked for its own groups (7.2 was checked with the element).
    private mutating func checkAttributeContent(_ child: SimplePattern) {
        _ = occurrences(child)
    }

    private func overlap(_ first: [NameClass], _ second: [NameClass]) -> (NameClass, NameClass)? {
        for one in first {
            for other in second where one.overlaps(other) { return (one, other) }
        }
        return nil
    }
}
