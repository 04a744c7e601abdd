/// Hash tables for the validator's memos, which it consults for every element, attribute and
/// text of every document: keys are hashed by a multiply and a shift instead of `Hasher`'s
/// SipHash, and strings are looked up as the parser's bytes, without making a `String`.

/// The first slot to probe for `hash` in a table of `1 << bits` slots: the product's top bits
/// (Fibonacci hashing), which every bit of the hash moves. Low or middle bits would leave out
/// whatever a key holds in its high half, such as the pattern, and keys that differ only there
/// would all probe from one slot.
@inline(__always)
func homeSlot(_ hash: UInt64, bits: Int) -> Int {
    Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
}

/// A table from 64-bit keys to pattern IDs (open addressing, linear probing). Clearing it
/// is one increment: a slot holds a key only when it was written in the current generation,
/// so the per-document table costs nothing to empty for each small document.
struct IntegerMemo {
    /// Key, value and generation side by side: a lookup touches one cache line.
    private struct Slot {
        var key: UInt64 = 0
        var value: Int32 = 0
        var generation: UInt32 = 0
    }

    private var slots: [Slot]
    private var generation: UInt32 = 1
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        // The product's middle bits: the keys here (pattern and name IDs, or a name's address)
        // are small and dense, and probe less from there than from the top bits.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: UInt64) -> Int32? {
        get {
            slots.withUnsafeBufferPointer { slots in
                var index = slot(key)
                while slots[index].generation == generation {
                    if slots[index].key == key { return slots[index].value }
                    index = (index + 1) & mask
                }
                return nil
            }
        }
        set {
            guard let newValue else { preconditionFailure("entries are only added") }
            var index = slot(key)
            while slots[index].generation == generation {
                if slots[index].key == key {
                    slots[index].value = newValue
                    return
                }
                index = (index + 1) & mask
            }
            slots[index] = Slot(key: key, value: newValue, generation: generation)
            count += 1
            if count * 2 > slots.count { grow() }
        }
    }

    mutating func removeAll() {
        count = 0
        generation &+= 1
        if generation == 0 {
            for index in slots.indices { slots[index].generation = 0 }
            generation = 1
        }
    }

    private mutating func grow() {
        let (old, current) = (slots, generation)
        slots = Array(repeating: Slot(), count: old.count * 2)
        generation = 1
        mask = slots.count - 1
        count = 0
        for slot in old where slot.generation == current { self[slot.key] = slot.value }
    }
}

/// A table from pattern IDs to pattern IDs, for the derivatives that depend on the pattern
/// alone: an array indexed by the ID. Pattern IDs are dense, so it holds four bytes a pattern
/// where a hash table held sixteen at half load, and a lookup reads one place, not a probe
/// sequence from a hashed slot (these lookups were among the validator's cache misses).
struct PatternMemo {
    private var values: [Int32] = []
    private static let unknown = Int32.min

    subscript(pattern: Int32) -> Int32? {
        get {
            let index = Int(pattern)
            guard index < values.count else { return nil }
            let value = values[index]
            return value == Self.unknown ? nil : value
        }
        set {
            guard let newValue, newValue != Self.unknown else { preconditionFailure("entries are only added, and are IDs or -1") }
            let index = Int(pattern)
            if index >= values.count { values += repeatElement(Self.unknown, count: max(index + 1, values.count * 2, 1024) - values.count) }
            values[index] = newValue
        }
    }
}

/// A table from (pattern, name, bytes) to pattern IDs, for the derivatives of attribute values
/// and texts: documents repeat their values, and a hit costs a hash of the bytes and one
/// comparison. The bytes are kept in one arena.
struct ByteStringMemo {
    private struct Slot {
        var hash: UInt64
        var pattern: Int32
        var name: UInt32
        var start: Int32
        var length: Int32
        var value: Int32
    }

    private var slots: [Slot?]
    private var arena: [UInt8] = []
    private var mask: Int
    private var bits: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        bits = size.trailingZeroBitCount
    }

    /// FNV-1a over the bytes, with the pattern and name mixed in.
    @inline(__always)
    static func hash(pattern: Int32, name: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ (UInt64(UInt32(bitPattern: pattern)) << 32 | UInt64(name))
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    @inline(__always)
    func value(pattern: Int32, name: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var index = homeSlot(hash, bits: bits)
        while let slot = slots[index] {
            if slot.hash == hash, slot.pattern == pattern, slot.name == name, Int(slot.length) == bytes.count,
                (bytes.isEmpty || arena.withUnsafeBufferPointer({ arena in Self.equal(arena.baseAddress! + Int(slot.start), bytes) }))
            {
                return slot.value
            }
            index = (index + 1) & mask
        }
        return nil
    }

    /// The value stored for the key, or else `compute()`'s, stored first. A table that holds
    /// `limit` entries starts afresh, so that a long run cannot grow it without bound.
    mutating func value(pattern: Int32, name: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, limit: Int, computedBy compute: () -> Int32) -> Int32 {
        let hash = Self.hash(pattern: pattern, name: name, bytes)
        if let known = value(pattern: pattern, name: name, bytes, hash: hash) { return known }
        let result = compute()
        if count >= limit { removeAll() }
        insert(pattern: pattern, name: name, bytes, hash: hash, value: result)
        return result
    }

    /// Whether the bytes at `stored` are `bytes`, compared eight at a time.
    @inline(__always)
    private static func equal(_ stored: UnsafePointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let (left, right) = (UnsafeRawPointer(stored), UnsafeRawPointer(base))
        var offset = 0
        while offset + 8 <= bytes.count {
            if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        while offset < bytes.count {
            if stored[offset] != base[offset] { return false }
            offset += 1
        }
        return true
    }

    mutating func insert(pattern: Int32, name: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        guard arena.count + bytes.count < Int(Int32.max) else { return }
        var index = homeSlot(hash, bits: bits)
        while slots[index] != nil { index = (index + 1) & mask }
        slots[index] = Slot(hash: hash, pattern: pattern, name: name, start: Int32(arena.count), length: Int32(bytes.count), value: value)
        arena.append(contentsOf: bytes)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    mutating func removeAll() {
        for index in slots.indices { slots[index] = nil }
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        mask = slots.count - 1
        bits = slots.count.trailingZeroBitCount
        for case let slot? in old {
            var index = homeSlot(slot.hash, bits: bits)
            while slots[index] != nil { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
