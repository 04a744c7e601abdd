import RelaxNG

/// A type that is written in XML as a string: an attribute value or an element's text.
public protocol XMLValue: Sendable {
    /// The value a string denotes, or nil when the string is not a value of this type.
    init?(xmlValue: String)
    /// The canonical way to write the value.
    var xmlValue: String { get }
    /// The value that UTF-8 text denotes, read where it lies (libxml2's text, while decoding),
    /// or nil when the text is not a value of this type: as ``init(xmlValue:)`` decides, but for
    /// the common types without making a `String` first. The default makes one.
    static func _xmlValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Self?
    /// The value of UTF-8 text that validation has already found to be of this type's datatype,
    /// or nil: as ``_xmlValue(utf8:)`` decides, but a type whose check only repeats validation's
    /// (a generated restricted string) skips it. The default checks.
    static func _xmlValue(validatedUTF8 text: UnsafeBufferPointer<UInt8>) -> Self?
    /// Whether UTF-8 text is a value of this type, as ``_xmlValue(utf8:)`` decides: for screens
    /// and choices, which ask through `any XMLValue.Type`. Answering with a `Bool` spares the
    /// caller the run-time lookup of `Optional<Self>`'s metadata, which cost more than the
    /// conversion (300 instructions for each of libvirt's `<os>` screens).
    static func _xmlIsValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool
}

extension XMLValue {
    @inlinable public static func _xmlValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Self? {
        Self(xmlValue: String(decoding: text, as: UTF8.self))
    }

    @inlinable public static func _xmlValue(validatedUTF8 text: UnsafeBufferPointer<UInt8>) -> Self? {
        _xmlValue(utf8: text)
    }

    @inlinable public static func _xmlIsValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        _xmlValue(utf8: text) != nil
    }
}

// The defaults are inlinable so that each generated enumeration's conformance gets them
// specialised: called unspecialised, through the conformance, each conversion looked up the
// metadata of `Optional<Self>` at run time, which cost more than the conversion.
extension XMLValue where Self: RawRepresentable, RawValue == String {
    @inlinable public init?(xmlValue: String) { self.init(rawValue: XMLWhitespace.collapsed(xmlValue)) }
    @inlinable public var xmlValue: String { rawValue }
}

extension String: XMLValue {
    public init?(xmlValue: String) { self = xmlValue }
    public var xmlValue: String { self }
}

/// A `String`-backed enumeration of the values a grammar allows: its cases are found by their
/// bytes in a table made once per type, so that converting a value makes no string, collapses
/// nothing and compares only values of the same length. Generated enumerations conform.
public protocol _XMLEnumeration: XMLValue, RawRepresentable, CaseIterable where RawValue == String {
    /// The raw values of `allCases`, in order.
    static var _xmlCases: _XMLCaseTable { get }
}

extension _XMLEnumeration {
    @inlinable public static func _xmlValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Self? {
        if let index = _xmlCases.index(utf8: text) {
            let cases = allCases
            return cases[cases.index(cases.startIndex, offsetBy: index)]
        }
        // Values are compared with their whitespace collapsed: only text with whitespace can
        // still be one.
        guard text.contains(where: XMLWhitespace.isWhitespace(byte:)) else { return nil }
        return Self(xmlValue: String(decoding: text, as: UTF8.self))
    }

    @inlinable public static func _xmlIsValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        _xmlCases.index(utf8: text) != nil || (text.contains(where: XMLWhitespace.isWhitespace(byte:)) && Self(xmlValue: String(decoding: text, as: UTF8.self)) != nil)
    }
}

/// Strings by their UTF-8 bytes: the raw values of an enumeration's cases. Not generic, so that
/// making one for each of a large module's enumerations asks the runtime for no conformances
/// (the first lookup of a conformance reads every conformance record in the binary).
public final class _XMLCaseTable: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// Where each string's bytes start in `bytes`, with one more entry for the end of the last.
    @usableFromInline let starts: [Int]
    /// A value is compared only with the strings of its length, where a scan of all of them
    /// cost an enumeration of 40 values a comparison each.
    @usableFromInline let byLength: _XMLLengthIndex

    public init(_ strings: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for string in strings {
            starts.append(bytes.count)
            bytes += string.utf8
        }
        starts.append(bytes.count)
        (self.bytes, self.starts) = (bytes, starts)
        byLength = _XMLLengthIndex(lengths: strings.map(\.utf8.count))
    }

    /// The position of the string that is exactly `text`.
    @inlinable public func index(utf8 text: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = text.count
        return bytes.withUnsafeBufferPointer { all in
            search: for entry in byLength.run(ofLength: count) {
                let candidate = byLength.positions[entry]
                let start = starts[candidate]
                for offset in 0..<count where all[start + offset] != text[offset] { continue search }
                return candidate
            }
            return nil
        }
    }
}

/// Positions of strings by their length: those of one length are found without looking at the
/// others. Enumerations' values are looked up this way (names, in `_XMLNameTable`, by a hash).
public struct _XMLLengthIndex: Sendable {
    /// The positions ordered by length, then position.
    @usableFromInline let positions: [Int]
    /// Where the run of each length starts in `positions`, with one more entry for the end.
    @usableFromInline let runStarts: [Int]

    /// `lengths` has the length of the string at each position.
    public init(lengths: [Int]) {
        positions = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var runStarts = Array(repeating: 0, count: (lengths.max() ?? 0) + 2)
        for length in lengths { runStarts[length + 1] += 1 }
        for length in runStarts.indices.dropLast() { runStarts[length + 1] += runStarts[length] }
        self.runStarts = runStarts
    }

    /// Where the positions of the strings of `length` lie in `positions`: a range, not a slice,
    /// so that a lookup retains no array.
    @inlinable @inline(__always) func run(ofLength length: Int) -> Range<Int> {
        guard length + 1 < runStarts.count else { return 0..<0 }
        return runStarts[length]..<runStarts[length + 1]
    }
}

extension Bool: XMLValue {
    public init?(xmlValue: String) {
        switch XMLWhitespace.collapsed(xmlValue) {
        case "true", "1": self = true
        case "false", "0": self = false
        default: return nil
        }
    }
    public var xmlValue: String { self ? "true" : "false" }
}

extension Double: XMLValue {
    public init?(xmlValue: String) {
        switch XMLWhitespace.collapsed(xmlValue) {
        case "INF": self = .infinity
        case "-INF": self = -.infinity
        case "NaN": self = .nan
        case let text: guard let value = Double(text) else { return nil }; self = value
        }
    }
    public var xmlValue: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-INF" : "INF" }
        return description
    }
}

extension Float: XMLValue {
    public init?(xmlValue: String) {
        guard let value = Double(xmlValue: xmlValue) else { return nil }
        self = Float(value)
    }
    public var xmlValue: String { Double(self).xmlValue }
}

/// Integers parse as XML Schema writes them: optional sign, leading zeros, surrounding spaces.
extension XMLValue where Self: FixedWidthInteger {
    @inlinable public init?(xmlValue: String) {
        var text = Substring(XMLWhitespace.collapsed(xmlValue))
        if text.first == "+" { text = text.dropFirst() }
        guard let value = Self(text, radix: 10) else { return nil }
        self = value
    }
    @inlinable public var xmlValue: String { String(self) }

    /// Digits with an optional sign are read in place; any other form (spaces) as a string.
    @inlinable public static func _xmlValue(utf8 text: UnsafeBufferPointer<UInt8>) -> Self? {
        var index = 0
        var negative = false
        if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < text.count else { return Self(xmlValue: String(decoding: text, as: UTF8.self)) }
        var value: Self = 0
        while index < text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return Self(xmlValue: String(decoding: text, as: UTF8.self)) }
            // Accumulated negatively when negative, so that the type's minimum is reached.
            let (scaled, overflowScaling) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdding) = negative
                ? scaled.subtractingReportingOverflow(Self(digit)) : scaled.addingReportingOverflow(Self(digit))
            guard !overflowScaling, !overflowAdding else { return nil }
            value = next
            index += 1
        }
        return value
    }
}

extension Int8: XMLValue {}
extension Int16: XMLValue {}
extension Int32: XMLValue {}
extension Int64: XMLValue {}
extension UInt8: XMLValue {}
extension UInt16: XMLValue {}
extension UInt32: XMLValue {}
extension UInt64: XMLValue {}

/// XML's whitespace rules (the same ones the validator applies).
public enum XMLWhitespace {
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool { XMLNames.isWhitespace(scalar) }

    public static func isWhitespace(_ text: String) -> Bool { XMLNames.isWhitespace(text) }

    /// Whether a byte is XML whitespace: space, tab, line feed or carriage return.
    @inlinable public static func isWhitespace(byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Runs of whitespace made one space, none at either end.
    public static func collapsed(_ text: String) -> String { XMLNames.collapsed(text) }
}
