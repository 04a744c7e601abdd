import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks made on a document's bytes before libxml2 sees them, for what libxml2 2.9 would
/// otherwise spend unbounded time on or report confusingly.
///
/// - A NUL byte, which XML never allows and libxml2 reports as a premature end of data.
/// - A start tag with more than ``maximumAttributes`` attributes: libxml2 checks each new
///   attribute against all earlier ones, so 50,000 attributes cost seconds and a million cost
///   most of an hour. An entity value is counted the same way, since its text may be parsed as
///   a start tag wherever it is referenced.
///
/// Most documents pay one pass over their bytes; the tokenising scan runs only for one with more
/// `=` than the limit, and never rejects a well-formed document within the limits: outside
/// quotes, the only `=` in a start tag are attribute assignments.
enum XMLInputLimits {
    static let maximumAttributes = 10_000

    /// Whether the first bytes say UTF-16 or UTF-32, by libxml2's own detection (XML 1.0,
    /// appendix F), which the parser then follows. Zero bytes are then part of the characters;
    /// libxml2 decodes them and reports a NUL character itself.
    static func isWideEncoding(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        switch xmlDetectCharEncoding(bytes, 4) {
        case XML_CHAR_ENCODING_UTF16LE, XML_CHAR_ENCODING_UTF16BE, XML_CHAR_ENCODING_UCS4LE, XML_CHAR_ENCODING_UCS4BE,
            XML_CHAR_ENCODING_UCS4_2143, XML_CHAR_ENCODING_UCS4_3412:
            return true
        default:
            return false
        }
    }

    /// The first problem, with the byte offset it is at.
    static func firstViolation(in bytes: [UInt8]) -> (message: String, offset: Int)? {
        let count = bytes.count
        var index = 0
        func starts(with text: StaticString, at position: Int) -> Bool {
            let length = text.utf8CodeUnitCount
            guard position + length <= count else { return false }
            return text.withUTF8Buffer { prefix in
                for offset in 0..<length where bytes[position + offset] != prefix[offset] { return false }
                return true
            }
        }
        /// The offset just past the next `terminator`, or the end.
        func skip(past terminator: StaticString, from position: Int) -> Int {
            var position = position
            while position < count && !starts(with: terminator, at: position) { position += 1 }
            return min(count, position + terminator.utf8CodeUnitCount)
        }
        // What every document pays: a NUL, found by libc's `memchr`; then, only for a document
        // long enough to hold more `=` than the limit, how many there are. Only such a document
        // can break the limit, and only then is it tokenised.
        let nul = bytes.withUnsafeBytes { buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
        if let nul, !isWideEncoding(bytes) {
            return ("the document contains a NUL character (U+0000), which XML does not allow", nul)
        }
        guard count > maximumAttributes else { return nil }
        var assignmentsInDocument = 0
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer { assignmentsInDocument &+= byte == UInt8(ascii: "=") ? 1 : 0 }
        }
        guard assignmentsInDocument > maximumAttributes else { return nil }
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if starts(with: "<!--", at: index) {
                index = skip(past: "-->", from: index + 4)
            } else if starts(with: "<![CDATA[", at: index) {
                index = skip(past: "]]>", from: index + 9)
            } else if starts(with: "<?", at: index) {
                index = skip(past: "?>", from: index + 2)
            } else if starts(with: "<!", at: index) {
                // A document type declaration: quoted literals (entity values among them) and
                // comments may hold `>`; brackets enclose the internal subset.
                let start = index
                var depth = 0
                index += 2
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        var assignments = 0
                        index += 1
                        while index < count && bytes[index] != byte {
                            if bytes[index] == UInt8(ascii: "=") { assignments += 1 }
                            index += 1
                        }
                        if assignments > maximumAttributes {
                            return ("an entity value holds more than \(maximumAttributes) attributes", start)
                        }
                    } else if starts(with: "<!--", at: index) {
                        index = skip(past: "-->", from: index + 4) - 1
                    } else if byte == UInt8(ascii: "[") {
                        depth += 1
                    } else if byte == UInt8(ascii: "]") {
                        depth -= 1
                    } else if byte == UInt8(ascii: ">") && depth <= 0 {
                        break
                    }
                    index += 1
                }
                index += 1
            } else {
                // A start or end tag: count assignments outside quoted values.
                let start = index
                var assignments = 0
                var quote: UInt8?
                index += 1
                while index < count {
                    let byte = bytes[index]
                    if let open = quote {
                        if byte == open { quote = nil }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: "=") {
                        assignments += 1
                        if assignments > maximumAttributes {
                            return ("an element has more than \(maximumAttributes) attributes", start)
                        }
                    } else if byte == UInt8(ascii: ">") {
                        break
                    }
                    index += 1
                }
                index += 1
            }
        }
        return nil
    }
}
