/// An XML Schema regular expression (Part 2, appendix F) compiled to a position automaton and
/// matched with bit sets, one step per character and never a backtrack.
///
/// Only the part of the language that libvirt-style grammars use is compiled: characters,
/// character classes of characters and ranges (negated or not), `.`, `\s` and `\S`, groups,
/// alternatives and the quantifiers `?`, `*`, `+` and `{n}`, `{n,}`, `{n,m}`. For anything else
/// (Unicode categories and blocks, `\d`, `\w`, `\i`, `\c`, class subtraction) the initialiser
/// returns nil and libxml2's engine, which checked the expression first, does the matching; it
/// backtracks on counted repetitions and costs several times as much. As in XML Schema, a
/// pattern matches the whole text.
///
/// A class, so that reaching a datatype's matchers to match a value (which every value checked
/// against a pattern does) retains one reference, not each of the automaton's arrays.
package final class SchemaRegularExpression: Sendable {
    /// Positions above this are left to libxml2: each bit set costs a word per 64 positions.
    static let maximumPositions = 1024

    private let words: Int
    /// What each position's character class accepts among ASCII characters: `words` words a
    /// character, 128 characters.
    private let asciiMasks: [UInt64]
    /// The positions that can follow each position, `words` words each.
    private let follow: [UInt64]
    private let first: [UInt64]
    private let last: [UInt64]
    private let nullable: Bool
    private let classes: [CharacterClass]

    package init?(_ pattern: String) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let tree = parser.expression(), parser.atEnd else { return nil }
        guard let positions = tree.positionCount(limit: Self.maximumPositions) else { return nil }
        var builder = AutomatonBuilder(positions: positions)
        let root = builder.compile(tree)
        words = builder.words
        classes = builder.classes
        follow = builder.follow
        first = root.first
        last = root.last
        nullable = root.nullable
        var masks = [UInt64](repeating: 0, count: 128 * words)
        for (position, characterClass) in classes.enumerated() {
            for character in UInt32(0)..<128 where characterClass.contains(character) {
                masks[Int(character) * words + position / 64] |= 1 << UInt64(position % 64)
            }
        }
        asciiMasks = masks
    }

    /// Whether the whole of `text` matches.
    package func matches(_ text: String) -> Bool {
        if words == 1 { return matchesInOneWord(text) }
        var current = [UInt64](repeating: 0, count: words)
        var next = [UInt64](repeating: 0, count: words)
        var started = false
        for scalar in text.unicodeScalars {
            for word in 0..<words { next[word] = 0 }
            if started {
                for word in 0..<words {
                    var bits = current[word]
                    while bits != 0 {
                        let position = word * 64 + bits.trailingZeroBitCount
                        let base = position * words
                        for target in 0..<words { next[target] |= follow[base + target] }
                        bits &= bits - 1
                    }
                }
            } else {
                for word in 0..<words { next[word] = first[word] }
                started = true
            }
            var any: UInt64 = 0
            let value = scalar.value
            for word in 0..<words {
                next[word] &= value < 128 ? asciiMasks[Int(value) * words + word] : nonASCIIMask(value, word: word)
                any |= next[word]
            }
            guard any != 0 else { return false }
            swap(&current, &next)
        }
        guard started else { return nullable }
        for word in 0..<words where current[word] & last[word] != 0 { return true }
        return false
    }

    /// The common case, at most 64 positions: no arrays at all.
    private func matchesInOneWord(_ text: String) -> Bool {
        // ASCII text, as most values are, is read as bytes from the string's buffer and its
        // characters' classes from the table: decoding Unicode scalars costs more than a step.
        let ascii = text.withUTF8Bytes { bytes -> Bool? in
            follow.withUnsafeBufferPointer { follow in
                asciiMasks.withUnsafeBufferPointer { masks in
                    var current: UInt64?
                    for byte in bytes {
                        guard byte < 128 else { return nil }
                        let next = reachable(after: current, follow) & masks[Int(byte)]
                        guard next != 0 else { return false }
                        current = next
                    }
                    return current.map { $0 & last[0] != 0 } ?? nullable
                }
            }
        }
        return ascii ?? matchesInOneWordByScalar(text)
    }

    /// ``matchesInOneWord(_:)`` scalar by scalar, for text beyond ASCII.
    private func matchesInOneWordByScalar(_ text: String) -> Bool {
        follow.withUnsafeBufferPointer { follow in
            var current: UInt64?
            for scalar in text.unicodeScalars {
                let value = scalar.value
                let next = reachable(after: current, follow) & (value < 128 ? asciiMasks[Int(value)] : nonASCIIMask(value, word: 0))
                guard next != 0 else { return false }
                current = next
            }
            return current.map { $0 & last[0] != 0 } ?? nullable
        }
    }

    /// One step of the one-word automaton: the positions that can follow those of `current`, or
    /// the first positions before any character (`current` nil).
    @inline(__always)
    private func reachable(after current: UInt64?, _ follow: UnsafeBufferPointer<UInt64>) -> UInt64 {
        guard var bits = current else { return first[0] }
        var reachable: UInt64 = 0
        while bits != 0 {
            reachable |= follow[bits.trailingZeroBitCount]
            bits &= bits - 1
        }
        return reachable
    }

    private func nonASCIIMask(_ value: UInt32, word: Int) -> UInt64 {
        var mask: UInt64 = 0
        let end = min(classes.count, (word + 1) * 64)
        for position in (word * 64)..<max(word * 64, end) where classes[position].contains(value) {
            mask |= 1 << UInt64(position % 64)
        }
        return mask
    }
}

/// Characters as code point ranges, possibly negated.
private struct CharacterClass: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false

    func contains(_ value: UInt32) -> Bool {
        var inside = false
        for range in ranges where range.contains(value) {
            inside = true
            break
        }
        return inside != negated
    }

    /// Any character but a line feed or carriage return (`.`).
    static let anyButNewline = CharacterClass(ranges: [0x0A...0x0A, 0x0D...0x0D], negated: true)
    /// `\s`: space, tab, line feed, carriage return.
    static let spaces: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0D...0x0D, 0x20...0x20]
}

private indirect enum RegularNode {
    case empty
    case characters(CharacterClass)
    case sequence([RegularNode])
    case alternatives([RegularNode])
    case repeated(RegularNode, minimum: Int, maximum: Int?)

    /// How many positions the automaton needs, or nil above `limit`.
    func positionCount(limit: Int) -> Int? {
        switch self {
        case .empty: return 0
        case .characters: return 1
        case .sequence(let parts), .alternatives(let parts):
            var total = 0
            for part in parts {
                guard let count = part.positionCount(limit: limit) else { return nil }
                total += count
                if total > limit { return nil }
            }
            return total
        case .repeated(let body, let minimum, let maximum):
            guard let count = body.positionCount(limit: limit) else { return nil }
            // Each required and each optional copy gets its own positions; `*` needs one.
            let copies = max(maximum ?? minimum + 1, 1)
            guard copies <= limit, count * copies <= limit else { return nil }
            return count * copies
        }
    }
}

/// Glushkov's construction: a position per character class in the expanded expression; which
/// positions can start, end and follow one another.
private struct AutomatonBuilder {
    let words: Int
    var classes: [CharacterClass] = []
    var follow: [UInt64]

    struct Fragment {
        var nullable: Bool
        var first: [UInt64]
        var last: [UInt64]
    }

    init(positions: Int) {
        words = max(1, (positions + 63) / 64)
        follow = [UInt64](repeating: 0, count: max(positions, 1) * words)
    }

    var emptySet: [UInt64] { [UInt64](repeating: 0, count: words) }

    mutating func compile(_ node: RegularNode) -> Fragment {
        switch node {
        case .empty:
            return Fragment(nullable: true, first: emptySet, last: emptySet)
        case .characters(let characterClass):
            let position = classes.count
            classes.append(characterClass)
            var set = emptySet
            set[position / 64] |= 1 << UInt64(position % 64)
            return Fragment(nullable: false, first: set, last: set)
        case .sequence(let parts):
            var result = Fragment(nullable: true, first: emptySet, last: emptySet)
            for part in parts { result = concatenate(result, compile(part)) }
            return result
        case .alternatives(let parts):
            var result = Fragment(nullable: false, first: emptySet, last: emptySet)
            for part in parts {
                let fragment = compile(part)
                result.nullable = result.nullable || fragment.nullable
                for word in 0..<words {
                    result.first[word] |= fragment.first[word]
                    result.last[word] |= fragment.last[word]
                }
            }
            return result
        case .repeated(let body, let minimum, let maximum):
            var result = Fragment(nullable: true, first: emptySet, last: emptySet)
            for _ in 0..<minimum { result = concatenate(result, compile(body)) }
            if let maximum {
                for _ in minimum..<max(minimum, maximum) {
                    var optional = compile(body)
                    optional.nullable = true
                    result = concatenate(result, optional)
                }
            } else {
                var loop = compile(body)
                addFollow(from: loop.last, to: loop.first)
                loop.nullable = true
                result = concatenate(result, loop)
            }
            return result
        }
    }

    private mutating func concatenate(_ left: Fragment, _ right: Fragment) -> Fragment {
        addFollow(from: left.last, to: right.first)
        var result = Fragment(nullable: left.nullable && right.nullable, first: left.first, last: right.last)
        for word in 0..<words {
            if left.nullable { result.first[word] |= right.first[word] }
            if right.nullable { result.last[word] |= left.last[word] }
        }
        return result
    }

    private mutating func addFollow(from sources: [UInt64], to targets: [UInt64]) {
        for word in 0..<words {
            var bits = sources[word]
            while bits != 0 {
                let base = (word * 64 + bits.trailingZeroBitCount) * words
                for target in 0..<words { follow[base + target] |= targets[target] }
                bits &= bits - 1
            }
        }
    }
}

/// A recursive-descent reader of the supported part of the syntax; nil for anything else,
/// including what is well-formed but outside that part.
private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    var atEnd: Bool { index == scalars.count }
    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// regExp ::= branch ( '|' branch )*
    mutating func expression() -> RegularNode? {
        guard let firstBranch = branch() else { return nil }
        var branches = [firstBranch]
        while current == "|" {
            index += 1
            guard let next = branch() else { return nil }
            branches.append(next)
        }
        return branches.count == 1 ? branches[0] : .alternatives(branches)
    }

    /// branch ::= piece*
    mutating func branch() -> RegularNode? {
        var pieces: [RegularNode] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            guard let piece = piece() else { return nil }
            pieces.append(piece)
        }
        if pieces.isEmpty { return .empty }
        return pieces.count == 1 ? pieces[0] : .sequence(pieces)
    }

    /// piece ::= atom quantifier?
    mutating func piece() -> RegularNode? {
        guard let atom = atom() else { return nil }
        switch current {
        case "?":
            index += 1
            return .repeated(atom, minimum: 0, maximum: 1)
        case "*":
            index += 1
            return .repeated(atom, minimum: 0, maximum: nil)
        case "+":
            index += 1
            return .repeated(atom, minimum: 1, maximum: nil)
        case "{":
            index += 1
            guard let minimum = number() else { return nil }
            var maximum: Int? = minimum
            if current == "," {
                index += 1
                maximum = current == "}" ? nil : number()
                if maximum == nil && current != "}" { return nil }
            }
            guard current == "}" else { return nil }
            index += 1
            if let maximum, maximum < minimum { return nil }
            return .repeated(atom, minimum: minimum, maximum: maximum)
        default:
            return atom
        }
    }

    private mutating func number() -> Int? {
        var value = 0
        var digits = 0
        while let scalar = current, ("0"..."9").contains(scalar) {
            value = value * 10 + Int(scalar.value - 0x30)
            digits += 1
            index += 1
            // Counts this large would exceed the position limit anyway.
            if value > SchemaRegularExpression.maximumPositions { return nil }
        }
        return digits > 0 ? value : nil
    }

    /// atom ::= Char | charClass | '(' regExp ')'
    mutating func atom() -> RegularNode? {
        guard let scalar = current else { return nil }
        switch scalar {
        case "(":
            index += 1
            guard let inner = expression(), current == ")" else { return nil }
            index += 1
            return inner
        case "[":
            index += 1
            return characterClassExpression().map { .characters($0) }
        case ".":
            index += 1
            return .characters(.anyButNewline)
        case "\\":
            index += 1
            guard let escaped = current else { return nil }
            index += 1
            if let single = Self.singleCharacterEscape(escaped) { return .characters(CharacterClass(ranges: [single...single])) }
            switch escaped {
            case "s": return .characters(CharacterClass(ranges: CharacterClass.spaces))
            case "S": return .characters(CharacterClass(ranges: CharacterClass.spaces, negated: true))
            default: return nil
            }
        case "?", "*", "+", "{", "}", ")", "]", "|":
            return nil
        default:
            index += 1
            return .characters(CharacterClass(ranges: [scalar.value...scalar.value]))
        }
    }

    /// After `[`: charGroup ']', where charGroup is a positive or negated group of ranges,
    /// single characters and `\s`/`\S` (only in a positive group); subtraction is not handled.
    private mutating func characterClassExpression() -> CharacterClass? {
        var result = CharacterClass(ranges: [])
        if current == "^" {
            result.negated = true
            index += 1
        }
        let start = index
        while let scalar = current, scalar != "]" {
            if scalar == "[" { return nil }
            if scalar == "\\", index + 1 < scalars.count, scalars[index + 1] == "s" || scalars[index + 1] == "S" {
                // A set of characters cannot end a range; a negated one inside a class would need
                // complementing, which only a positive class without other members allows.
                guard scalars[index + 1] == "s" else { return nil }
                index += 2
                if current == "-", index + 1 < scalars.count, scalars[index + 1] != "]" { return nil }
                result.ranges += CharacterClass.spaces
                continue
            }
            let isFirst = index == start
            guard let (low, lowEscaped) = classCharacter() else { return nil }
            // A bare '-' other than first or last in the class is where libxml2 and the
            // standard part ways (subtraction): left to libxml2.
            let bareDash = low == "-" && !lowEscaped && !isFirst
            if current == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                if bareDash { return nil }
                index += 1
                if current == "[" || current == "-" { return nil }
                guard let (high, _) = classCharacter(), low.value <= high.value else { return nil }
                result.ranges.append(low.value...high.value)
            } else {
                if bareDash && current != "]" { return nil }
                result.ranges.append(low.value...low.value)
            }
        }
        guard current == "]", index > start else { return nil }
        index += 1
        return result
    }

    /// A character of a class and whether it was escaped; nil for a multi-character escape.
    private mutating func classCharacter() -> (Unicode.Scalar, escaped: Bool)? {
        guard let scalar = current else { return nil }
        index += 1
        guard scalar == "\\" else { return (scalar, false) }
        guard let escaped = current, let value = Self.singleCharacterEscape(escaped), let character = Unicode.Scalar(value) else { return nil }
        index += 1
        return (character, true)
    }

    /// SingleCharEsc: `\n`, `\r`, `\t` and the escaped metacharacters.
    private static func singleCharacterEscape(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "\\", "|", ".", "?", "*", "+", "(", ")", "{", "}", "-", "[", "]", "^": return scalar.value
        default: return nil
        }
    }
}
