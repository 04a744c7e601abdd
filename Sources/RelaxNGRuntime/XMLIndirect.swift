/// Stores a property's value out of line, so that a generated struct can hold a value of its own
/// type (libvirt's `<backingStore>` holds a `<backingStore>`). Equality, hashing and `Codable`
/// are the wrapped value's; copies share storage until one changes.
@propertyWrapper
public struct XMLIndirect<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    private final class Storage: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var storage: Storage

    public init(wrappedValue: Value) {
        storage = Storage(wrappedValue)
    }

    public var wrappedValue: Value {
        get { storage.value }
        set { storage = Storage(newValue) }
    }

    public static func == (left: Self, right: Self) -> Bool { left.storage === right.storage || left.wrappedValue == right.wrappedValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
    public init(from decoder: any Decoder) throws { storage = Storage(try Value(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try wrappedValue.encode(to: encoder) }
}
