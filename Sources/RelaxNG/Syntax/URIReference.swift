import CLibXML2

/// URI references as grammars use them in `href` and `datatypeLibrary`, with libxml2's RFC 2396
/// parser and resolver.
enum URIReference {
    /// Escapes the characters XLink section 5.4 disallows: non-ASCII, controls, space and `<>"{}|\^``.
    static func escapingDisallowedCharacters(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let disallowed = value <= 0x20 || value >= 0x7F || "<>\"{}|\\^`".unicodeScalars.contains(scalar)
            if disallowed {
                for byte in String(scalar).utf8 {
                    result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private struct Parsed {
        var scheme: String?
        var path: String?
        var fragment: String?
    }

    private static func parse(_ text: String) -> Parsed? {
        guard let uri = xmlParseURI(text) else { return nil }
        defer { xmlFreeURI(uri) }
        return Parsed(
            scheme: uri.pointee.scheme.map { String(cString: $0) },
            path: uri.pointee.path.map { String(cString: $0) },
            fragment: uri.pointee.fragment.map { String(cString: $0) })
    }

    static func isValid(_ text: String) -> Bool { parse(text) != nil }

    static func isAbsoluteWithoutFragment(_ text: String) -> Bool {
        guard let parsed = parse(text), let scheme = parsed.scheme else { return false }
        // RFC 2396: an absolute URI has at least one character after "scheme:".
        guard text.count > scheme.count + 1 else { return false }
        return parsed.fragment == nil && !text.contains("#")
    }

    static func isRelative(_ text: String) -> Bool {
        guard let parsed = parse(text) else { return false }
        return parsed.scheme == nil && !(parsed.path ?? "").hasPrefix("/")
    }

    static func resolve(_ reference: String, against base: String) -> String? {
        guard let built = xmlBuildURI(reference, base) else { return nil }
        defer { rng2swift_xmlFree(built) }
        return String(cString: built)
    }

    /// The file path a resolved reference names; nil for anything but a local file.
    static func localPath(_ resolved: String) -> String? {
        guard let parsed = parse(resolved) else { return nil }
        switch parsed.scheme {
        case nil:
            return unescaped(resolved)
        case "file"?:
            return parsed.path.flatMap(unescaped)
        default:
            return nil
        }
    }

    static func unescaped(_ text: String) -> String? {
        guard let raw = xmlURIUnescapeString(text, 0, nil) else { return nil }
        defer { rng2swift_xmlFree(raw) }
        return String(cString: raw)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
