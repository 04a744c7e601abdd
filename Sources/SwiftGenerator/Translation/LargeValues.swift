/// Keeps enum values small: an alternative whose values would take more than
/// ``Translator/largestInlineAlternative`` bytes is stored out of line (`indirect case`).
///
/// A Swift enum is as large as its largest case, and decoding moves a choice's value several
/// times (out of the alternative that made it, into the choice's result, into its array). A
/// `<devices>` child of libvirt's domain was 1,800 bytes, because `<disk>`'s alternatives are:
/// every `<controller>` was copied whole as if it were a disk. A boxed case costs one allocation
/// when it is made and one reference count when it is copied.
extension Translator {
    /// Above this estimated size (in bytes), an alternative's values are boxed.
    static let largestInlineAlternative = 256

    func boxLargeAlternatives() {
        var byName: [String: GeneratedType] = [:]
        for type in allTypes { byName[type.qualifiedName] = type }
        var sizes: [String: Int] = [:]
        var inProgress: Set<String> = []

        func size(ofType name: String) -> Int {
            if let known = sizes[name] { return known }
            guard let type = byName[name] else { return Self.builtinSize(name) }
            // A type reached again while its size is worked out is on a cycle, and so already
            // boxed somewhere on it (`breakCycles()`): a reference.
            guard inProgress.insert(name).inserted else { return 8 }
            defer { inProgress.remove(name) }
            let result: Int
            switch type.kind {
            case .structure(let fields):
                result = fields.reduce(type.keepsChildOrder ? 8 : 0) { $0 + size(of: $1) }
            case .choice(var alternatives):
                var largest = 0
                for index in alternatives.indices {
                    let payload = alternatives[index].fields.reduce(0) { $0 + size(of: $1) }
                    // An `indirect` enum (one on a cycle) boxes every case already.
                    if payload > Self.largestInlineAlternative, !type.isIndirect { alternatives[index].isBoxed = true }
                    largest = max(largest, alternatives[index].isBoxed || type.isIndirect ? 8 : payload)
                }
                type.kind = .choice(alternatives)
                result = largest + 1
            case .valueEnumeration:
                result = 1
            case .valueUnion(let members):
                result = 1 + members.reduce(0) { largest, member in
                    if case .type(let name) = member.kind { return max(largest, size(ofType: name)) }
                    return largest
                }
            case .wrapper:
                result = 16
            case .alias(let target):
                result = size(ofType: target)
            }
            sizes[name] = result
            return result
        }

        func size(of field: Field) -> Int {
            if field.isBoxed { return 8 }
            switch field.kind {
            case .attribute(_, let type, let optional), .text(let type, let optional):
                return size(ofType: type) + (optional ? 1 : 0)
            case .fixedAttribute, .fixedText:
                return 0
            case .flagAttribute, .emptyElement, .fixedValueElement:
                return 1
            case .valueElement(_, let type, let repetition), .element(_, let type, let repetition), .content(let type, let repetition):
                switch repetition {
                case .one: return size(ofType: type)
                case .optional: return size(ofType: type) + 1
                case .many: return 8
                }
            case .rawElement(_, let repetition):
                return repetition == .many ? 8 : Self.xmlElementSize
            case .elementList, .anyElements, .anyAttributes:
                return 8
            }
        }

        for type in byName.keys.sorted() { _ = size(ofType: type) }
    }

    /// `XMLElement`: six strings and arrays, a location and the unread box, roughly.
    private static let xmlElementSize = 120

    /// The size of a type the generator does not make: the standard library's and the runtime's.
    private static func builtinSize(_ name: String) -> Int {
        switch name {
        case "Bool", "Int8", "UInt8": return 1
        case "Int16", "UInt16": return 2
        case "Int32", "UInt32", "Float": return 4
        case "Int", "UInt", "Int64", "UInt64", "Double": return 8
        default: return 16
        }
    }
}
