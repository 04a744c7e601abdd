import RelaxNG

/// A type that is written in XML as a string: an attribute value or an element's text.
public protocol XMLValue: Sendable {
    /// The value a string denotes, or nil when the string is not a value of this type.
    init?(xmlValue: String)
    /// The canonical way to write the value.
    var xmlValue: String { get }
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

    /// Runs of whitespace made one space, none at either end.
    public static func collapsed(_ text: String) -> String { XMLNames.collapsed(text) }
}
