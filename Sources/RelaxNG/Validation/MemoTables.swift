/// Hash tables for the validator's memos, which it consults for every element, attribute and
/// text of every document: keys are hashed by a multiply and a shift instead of `Hasher`'s
/// SipHash, and strings are looked up as the parser's bytes, without making a `String`.

/// A table from 64-bit keys to pattern IDs (open addressing, linear probing). Clearing it
/// is one increment: a slot holds a key only when it was written in the current generation,
/// so the per-document table costs nothing to empty for each small document.
struct IntegerMemo {
    private var keys: [UInt64]
    private var values: [Int32]
    private var generations: [UInt32]
    private var generation: UInt32 = 1
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        generations = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: UInt64) -> Int32? {
        get {
            var index = slot(key)
            while generations[index] == generation {
                if keys[index] == key { return values[index] }
                index = (index + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { preconditionFailure("entries are only added") }
            var index = slot(key)
            while generations[index] == generation {
                if keys[index] == key {
                    values[index] = newValue
                    return
                }
                index = (index + 1) & mask
            }
            generations[index] = generation
            keys[index] = key
            values[index] = newValue
            count += 1
            if count * 2 > keys.count { grow() }
        }
    }

    mutating func removeAll() {
        count = 0
        generation &+= 1
        if generation == 0 {
            for index in generations.indices { generations[index] = 0 }
            generation = 1
        }
    }

    private mutating func grow() {
        let (oldKeys, oldValues, oldGenerations, current) = (keys, values, generations, generation)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        generations = Array(repeating: 0, count: oldKeys.count * 2)
        generation = 1
        mask = keys.count - 1
        count = 0
        for index in oldKeys.indices where oldGenerations[index] == current { self[oldKeys[index]] = oldValues[index] }
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
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
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

    func value(pattern: Int32, name: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var index = Int(truncatingIfNeeded: hash >> 7) & mask
        while let slot = slots[index] {
            if slot.hash == hash, slot.pattern == pattern, slot.name == name, Int(slot.length) == bytes.count,
                arena.withUnsafeBufferPointer({ arena in
                    bytes.elementsEqual(UnsafeBufferPointer(rebasing: arena[Int(slot.start)..<Int(slot.start + slot.length)]))
                })
            {
                return slot.value
            }
            index = (index + 1) & mask
        }
        return nil
    }

    mutating func insert(pattern: Int32, name: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Int32) {
        guard arena.count + bytes.count < Int(Int32.max) else { return }
        var index = Int(truncatingIfNeeded: hash >> 7) & mask
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
        for case let slot? in old {
            var index = Int(truncatingIfNeeded: slot.hash >> 7) & mask
            while slots[index] != nil { index = (index + 1) & mask }
            slots[index] = slot
        }
    }
}
