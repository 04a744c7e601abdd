/// Swift names for XML names and values: cased, collision-free, keywords escaped.
enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "as", "Any", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
        "await", "async", "package", "consume", "copy", "discard", "each",
    ]

    /// Type names that would hide a standard or Foundation type a user of the code needs.
    static let reservedTypeNames: Set<String> = [
        "String", "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Bool",
        "Double", "Float", "Character", "Array", "Dictionary", "Set", "Optional", "Result", "Error", "Never", "Type",
        "Protocol", "Self", "Any", "AnyObject", "Data", "Date", "URL", "UUID", "Decimal", "Codable", "Hashable",
        "Sendable", "Equatable", "XMLElement", "XMLAttribute", "XMLContent", "XMLGrammar", "Element", "Index",
    ]

    /// The words of an XML name or value: split at punctuation and at lower-to-upper changes.
    static func words(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if !(character.isLetter || character.isNumber) {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            if let last = previous, last.isLowercase || last.isNumber, character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// ``words(_:)`` for ASCII text, byte by byte (names are almost always ASCII; Characters are slow).
    private static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var start: String.UTF8View.Index?
        var previous: UInt8?
        let utf8 = text.utf8
        var index = utf8.startIndex
        func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        while index != utf8.endIndex {
            let byte = utf8[index]
            if !(isUpper(byte) || isLower(byte) || isDigit(byte)) {
                if let first = start { words.append(String(text[first..<index])) }
                start = nil
                previous = nil
            } else {
                if let last = previous, isLower(last) || isDigit(last), isUpper(byte), let first = start {
                    words.append(String(text[first..<index]))
                    start = nil
                }
                if start == nil { start = index }
                previous = byte
            }
            index = utf8.index(after: index)
        }
        if let first = start { words.append(String(text[first..<utf8.endIndex])) }
        return words
    }

    /// `disk-snapshot` → `DiskSnapshot`, `UUID` stays `UUID`.
    static func typeName(_ text: String) -> String {
        let parts = words(text)
        var name = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if name.isEmpty { name = "Value" }
        if name.first!.isNumber { name = "_" + name }
        if reservedTypeNames.contains(name) { name += "Value" }
        return name
    }

    /// `creation-time` → `creationTime`, `UUID` → `uuid`; keywords in backticks.
    static func propertyName(_ text: String) -> String {
        let parts = words(text)
        guard let first = parts.first else { return "value" }
        var name = lowercasedFirstWord(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if name.first!.isNumber { name = "_" + name }
        return name
    }

    /// A case name for a value: `disk-snapshot` → `diskSnapshot`, `0` → `_0`, `` → `empty`.
    static func caseName(_ value: String) -> String {
        let parts = words(value)
        guard !parts.isEmpty else { return value.isEmpty ? "empty" : "value" }
        return propertyName(value)
    }

    /// An all-capital first word is lowered whole (`UUID` → `uuid`), others at the first letter.
    private static func lowercasedFirstWord(_ word: String) -> String {
        if word.count > 1, word == word.uppercased() { return word.lowercased() }
        return word.prefix(1).lowercased() + word.dropFirst()
    }

    /// The name as written in a declaration: keywords escaped with backticks.
    static func declared(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// The names the generated decoders and encoders give their parameters and the locals a
    /// field's local would share a scope with.
    static let plumbingIdentifiers: Set<String> = [
        "cursor", "found", "item", "element", "attributeTable", "attributeWalk", "childTable", "childWalk", "self",
    ]

    /// The local a decoder holds a field's value in (or an encoder binds it to): the property's
    /// name, with an underscore after it when the plumbing uses that name itself (a property
    /// name never ends in one).
    static func local(_ propertyName: String) -> String {
        plumbingIdentifiers.contains(propertyName) ? propertyName + "_" : declared(propertyName)
    }

    /// The name as used after a dot, where only a few keywords need escaping.
    static func member(_ name: String) -> String {
        ["self", "Type", "init", "Protocol"].contains(name) ? "`\(name)`" : name
    }

    /// `text` with each identifier that `replacements` names replaced. Works on UTF-8 bytes:
    /// ASCII letters, digits, `_` and any non-ASCII byte make up identifiers.
    static func replacingIdentifiers(in text: String, _ replacements: [String: String]) -> String {
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var copied = 0
        forEachIdentifier(in: utf8) { range in
            guard let replacement = replacements[String(decoding: utf8[range], as: UTF8.self)] else { return }
            bytes += utf8[copied..<range.lowerBound]
            bytes += replacement.utf8
            copied = range.upperBound
        }
        bytes += utf8[copied...]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The identifiers of `text`, split as ``replacingIdentifiers(in:_:)`` splits them.
    static func identifiers(in text: String) -> Set<String> {
        let utf8 = Array(text.utf8)
        var result: Set<String> = []
        forEachIdentifier(in: utf8) { result.insert(String(decoding: utf8[$0], as: UTF8.self)) }
        return result
    }

    private static func forEachIdentifier(in utf8: [UInt8], _ body: (Range<Int>) -> Void) {
        func isIdentifierByte(_ byte: UInt8) -> Bool {
            byte >= 0x80 || byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
        var index = 0
        while index < utf8.count {
            guard isIdentifierByte(utf8[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < utf8.count && isIdentifierByte(utf8[index]) { index += 1 }
            body(start..<index)
        }
    }

    /// `name`, or `name2`, `name3`… so that it is not in `taken`.
    static func unique(_ name: String, in taken: Set<String>) -> String {
        guard taken.contains(name) else { return name }
        var index = 2
        while taken.contains("\(name)\(index)") { index += 1 }
        return "\(name)\(index)"
    }
}
