/// The value space of an XML Schema integer type with its range facets, checked without
/// libxml2 for the plain lexical forms: digits, and for types that allow negative values a minus
/// sign before them. Anything else (a plus sign, `-0` of an unsigned type, a magnitude beyond 64
/// bits) is left to libxml2, so the two never disagree.
///
/// libxml2 parses a value into a structure it allocates and frees to check a range facet: about
/// 900 instructions, where this takes a few dozen. Generated types check every value they make.
struct IntegerRange {
    /// An integer as sign and magnitude; zero is never negative.
    struct Value: Comparable {
        var negative: Bool
        var magnitude: UInt64

        static func < (left: Value, right: Value) -> Bool {
            switch (left.negative, right.negative) {
            case (true, false): return true
            case (false, true): return false
            case (false, false): return left.magnitude < right.magnitude
            case (true, true): return left.magnitude > right.magnitude
            }
        }
    }

    private var lowest: Value?
    private var highest: Value?
    /// Whether a minus sign may come before digits: the type has negative values.
    private let signed: Bool

    /// The range of `type` narrowed by `parameters`; nil when a parameter is not a range facet
    /// this check knows, or its bound is not a plain integer.
    init?(type: String, parameters: [(name: String, value: String)]) {
        switch type {
        case "byte": (lowest, highest) = (Self.value(-128), Self.value(127))
        case "short": (lowest, highest) = (Self.value(-32768), Self.value(32767))
        case "int": (lowest, highest) = (Self.value(Int64(Int32.min)), Self.value(Int64(Int32.max)))
        case "long": (lowest, highest) = (Value(negative: true, magnitude: UInt64(Int64.max) + 1), Self.value(Int64.max))
        case "unsignedByte": (lowest, highest) = (Self.value(0), Self.value(Int64(UInt8.max)))
        case "unsignedShort": (lowest, highest) = (Self.value(0), Self.value(Int64(UInt16.max)))
        case "unsignedInt": (lowest, highest) = (Self.value(0), Self.value(Int64(UInt32.max)))
        case "unsignedLong": (lowest, highest) = (Self.value(0), Value(negative: false, magnitude: .max))
        case "integer": (lowest, highest) = (nil, nil)
        case "nonNegativeInteger": (lowest, highest) = (Self.value(0), nil)
        case "positiveInteger": (lowest, highest) = (Self.value(1), nil)
        case "nonPositiveInteger": (lowest, highest) = (nil, Self.value(0))
        case "negativeInteger": (lowest, highest) = (nil, Self.value(-1))
        default: return nil
        }
        signed = lowest.map { $0.negative } ?? true
        for parameter in parameters {
            guard let bound = Self.parse(XMLNames.trimmed(parameter.value).utf8, signed: true) else { return nil }
            switch parameter.name {
            case "minInclusive": lowest = lowest.map { max($0, bound) } ?? bound
            case "maxInclusive": highest = highest.map { min($0, bound) } ?? bound
            case "minExclusive":
                guard let next = Self.successor(bound) else { return nil }
                lowest = lowest.map { max($0, next) } ?? next
            case "maxExclusive":
                guard let previous = Self.predecessor(bound) else { return nil }
                highest = highest.map { min($0, previous) } ?? previous
            default: return nil
            }
        }
    }

    /// Whether `text`, already whitespace-collapsed, is in the range; nil when it is not in a
    /// form this check reads, and libxml2 must decide.
    func allows(_ text: String) -> Bool? {
        text.withUTF8Bytes { bytes in
            guard let value = Self.parse(bytes, signed: signed) else { return nil }
            if let lowest, value < lowest { return false }
            if let highest, highest < value { return false }
            return true
        }
    }

    /// Digits, or a minus sign and digits when `signed`, as a value; nil for any other form, for
    /// more than 20 digits and for magnitudes beyond 64 bits.
    private static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes, signed: Bool) -> Value? {
        var digits = bytes[...]
        var negative = false
        if signed, digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        var magnitude: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carried) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowed, !carried else { return nil }
            magnitude = sum
        }
        return Value(negative: negative && magnitude != 0, magnitude: magnitude)
    }

    private static func value(_ integer: Int64) -> Value {
        Value(negative: integer < 0, magnitude: integer.magnitude)
    }

    private static func successor(_ value: Value) -> Value? {
        if value.negative { return Value(negative: value.magnitude > 1, magnitude: value.magnitude - 1) }
        return value.magnitude == .max ? nil : Value(negative: false, magnitude: value.magnitude + 1)
    }

    private static func predecessor(_ value: Value) -> Value? {
        if value.negative { return value.magnitude == .max ? nil : Value(negative: true, magnitude: value.magnitude + 1) }
        return value.magnitude == 0 ? Value(negative: true, magnitude: 1) : Value(negative: false, magnitude: value.magnitude - 1)
    }
}
