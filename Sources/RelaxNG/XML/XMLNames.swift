import CLibXML2

/// Checks of the XML Namespaces name productions (NCName, QName), as RELAX NG's references define them.
package enum XMLNames {
    static func isNCName(_ text: String) -> Bool {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next(), isNameStart(first), first != ":" else { return false }
        while let scalar = scalars.next() {
            guard isNameChar(scalar), scalar != ":" else { return false }
        }
        return true
    }

    /// A QName: an NCName, or two NCNames joined by one colon.
    static func isQName(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isNCName(text)
        case 2: return isNCName(String(parts[0])) && isNCName(String(parts[1]))
        default: return false
        }
    }

    /// Splits a QName into its prefix (nil when it has none) and local part.
    static func split(qualifiedName text: String) -> (prefix: String?, local: String) {
        guard let colon = text.firstIndex(of: ":") else { return (nil, text) }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    // Names follow XML 1.0 up to its fourth edition, which Namespaces in XML 1.0 and RELAX NG
    // refer to: letters are BaseChar and Ideographic, as libxml2's character tables give them.

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return scalar == "_" || scalar == ":" || xmlIsBaseChar(value) != 0 || xmlIsIdeographic(value) != 0
    }

    static func isNameChar(_ scalar: Unicode.Scalar) -> Bool {
        if isNameStart(scalar) { return true }
        let value = scalar.value
        return scalar == "." || scalar == "-" || xmlIsDigit(value) != 0 || xmlIsCombining(value) != 0
            || xmlIsExtender(value) != 0
    }

    /// The four XML whitespace characters.
    package static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    package static func isWhitespace(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isWhitespace)
    }

    /// Leading and trailing XML whitespace removed.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isWhitespace($0) })!
        return String(scalars[first...last])
    }

    /// Whitespace collapsed: runs of whitespace become one space, none at either end.
    package static func collapsed(_ text: String) -> String {
        // Most values are already collapsed: checked byte by byte, they are returned as they are.
        if isCollapsed(text) { return text }
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether `text` has no whitespace but single spaces between other characters.
    package static func isCollapsed(_ text: String) -> Bool {
        // Through the string's buffer: iterating `text.utf8` costs several times as much a byte,
        // and every value of a token type comes through here.
        return text.withUTF8Bytes { bytes in
            var afterSpace = true
            for byte in bytes {
                switch byte {
                case 0x20:
                    if afterSpace { return false }
                    afterSpace = true
                case 0x09, 0x0A, 0x0D:
                    return false
                default:
                    afterSpace = false
                }
            }
            return !afterSpace || bytes.isEmpty
        }
    }

    /// Whether a NUL-terminated UTF-8 text (libxml2's) is XML whitespace only.
    package static func isWhitespace(nulTerminated text: UnsafePointer<UInt8>) -> Bool {
        var index = 0
        while true {
            switch text[index] {
            case 0: return true
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return false
            }
        }
    }
}
