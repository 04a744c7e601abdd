import Foundation

/// Plumbing for generated decoders: a name, a namespace or a fixed value as the generated code
/// writes it, a literal. Its UTF-8 bytes are read where the literal lies: a decoder compares
/// names with libxml2's on every field, and a `String` hands out its bytes at several times the
/// cost.
@frozen
public struct _XMLLiteral: ExpressibleByStringLiteral, Equatable, Sendable, CustomStringConvertible {
    @usableFromInline let literal: StaticString

    @inlinable
    public init(stringLiteral literal: StaticString) { self.literal = literal }

    /// `body` on the literal's UTF-8 bytes.
    @inlinable @inline(__always)
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        literal.withUTF8Buffer(body)
    }

    /// The literal's length in UTF-8.
    @inlinable var utf8Count: Int { withBytes { $0.count } }

    @inlinable var isEmpty: Bool { utf8Count == 0 }

    /// Whether `string` is this literal.
    func equals(_ string: String) -> Bool {
        withBytes { string.utf8.elementsEqual($0) }
    }

    public var description: String { literal.description }

    @inlinable
    public static func == (left: _XMLLiteral, right: _XMLLiteral) -> Bool {
        // The same literal written twice in one module is most often one copy: a choice asks
        // whether each alternative's attribute is the one it looked up for the last.
        if left.literal.hasPointerRepresentation, right.literal.hasPointerRepresentation,
            left.literal.utf8Start == right.literal.utf8Start
        {
            return left.literal.utf8CodeUnitCount == right.literal.utf8CodeUnitCount
        }
        return left.withBytes { leftBytes in
            right.withBytes { $0.count == leftBytes.count && (leftBytes.isEmpty || memcmp(leftBytes.baseAddress!, $0.baseAddress!, leftBytes.count) == 0) }
        }
    }
}
