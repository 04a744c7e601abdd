import CLibXML2
import Foundation

/// Numbers for the names of elements and attributes (a namespace URI and a local name), one
/// for each name in the process: the arena builder writes each name's number into its node, and
/// a decoder's table of names finds a node's name by its number instead of hashing and comparing
/// its bytes (about 75 lookups a libvirt domain, 90 instructions each).
///
/// Names from code (the decoders' tables) are always numbered. Names from documents are
/// numbered only while fewer than ``documentNameLimit`` names are known, so that documents with
/// ever new names cannot grow the table without bound; past it their nodes carry no number
/// (zero), and lookups compare bytes as before.
package enum XMLNameNumbers {
    private struct Key: Hashable {
        var namespace: [UInt8]
        var localName: [UInt8]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var numbers: [Key: Int32] = [:]
    package static let documentNameLimit = 50_000

    /// Whether names from documents are no longer numbered. A parser context that met a name
    /// then keeps it unnumbered, even if code numbers it later.
    package static var isFull: Bool {
        lock.lock()
        defer { lock.unlock() }
        return numbers.count >= documentNameLimit
    }

    /// The number of a name given by code; never zero.
    package static func number(namespace: String, localName: String) -> Int32 {
        number(Key(namespace: Array(namespace.utf8), localName: Array(localName.utf8)), limited: false)
    }

    /// The number of a name from a document, as libxml2 gives it (`namespace` nil or empty for
    /// none); zero once the table is full and the name is not in it.
    package static func number(namespace: UnsafePointer<xmlChar>?, localName: UnsafePointer<xmlChar>) -> Int32 {
        number(Key(namespace: bytes(namespace), localName: bytes(localName)), limited: true)
    }

    private static func bytes(_ string: UnsafePointer<xmlChar>?) -> [UInt8] {
        guard let string else { return [] }
        return Array(UnsafeBufferPointer(start: string, count: Int(xmlStrlen(string))))
    }

    private static func number(_ key: Key, limited: Bool) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let known = numbers[key] { return known }
        if limited, numbers.count >= documentNameLimit { return 0 }
        let number = Int32(numbers.count + 1)
        numbers[key] = number
        return number
    }

    /// The number a node built by ``ArenaTreeBuilder`` carries for its name (an element's or
    /// an attribute's `psvi`); zero for none.
    @inline(__always)
    package static func number(carriedBy psvi: UnsafeMutableRawPointer?) -> Int32 {
        Int32(truncatingIfNeeded: Int(bitPattern: psvi))
    }
}

/// The numbers of the names one parser context's dictionary holds, by the dictionary's
/// pointers: a name is numbered once for the context's life rather than once for each node.
/// Only pointers the dictionary owns are kept, since its strings live (and keep their content)
/// as long as the context does. Open addressing that grows, and never evicts: a table of fixed
/// slots, each name in one, missed on about nine names a libvirt domain, their slots taken by
/// others, and each miss cost a locked lookup of the name's bytes.
final class NameNumberCache {
    // Unchecked: one parse at a time uses a context (its lock says so), and a checked access
    // to a class's stored property costs a call at each of the lookups every node makes.
    @exclusivity(unchecked) private var localNames: UnsafeMutablePointer<UnsafePointer<xmlChar>?>
    @exclusivity(unchecked) private var namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>
    @exclusivity(unchecked) private var numbers: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var capacity = 512
    @exclusivity(unchecked) private var count = 0

    init() {
        (localNames, namespaces, numbers) = Self.allocate(capacity)
    }

    deinit {
        localNames.deallocate()
        namespaces.deallocate()
        numbers.deallocate()
    }

    private static func allocate(_ capacity: Int) -> (UnsafeMutablePointer<UnsafePointer<xmlChar>?>, UnsafeMutablePointer<UnsafePointer<xmlChar>?>, UnsafeMutablePointer<Int32>) {
        let localNames = UnsafeMutablePointer<UnsafePointer<xmlChar>?>.allocate(capacity: capacity)
        localNames.initialize(repeating: nil, count: capacity)
        let namespaces = UnsafeMutablePointer<UnsafePointer<xmlChar>?>.allocate(capacity: capacity)
        namespaces.initialize(repeating: nil, count: capacity)
        let numbers = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        numbers.initialize(repeating: 0, count: capacity)
        return (localNames, namespaces, numbers)
    }

    @inline(__always)
    private static func slot(_ localName: UnsafePointer<xmlChar>, _ namespace: UnsafePointer<xmlChar>?, mask: Int) -> Int {
        let key = UInt64(UInt(bitPattern: localName)) &+ UInt64(UInt(bitPattern: namespace)) &* 0x9E37_79B9
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The number of `localName` in `namespace` (nil for none), both strings of `dictionary`.
    @inline(__always)
    func number(_ localName: UnsafePointer<xmlChar>, _ namespace: UnsafePointer<xmlChar>?, dictionary: xmlDictPtr?) -> Int32 {
        let mask = capacity - 1
        var slot = Self.slot(localName, namespace, mask: mask)
        while let known = localNames[slot] {
            if known == localName, namespaces[slot] == namespace { return numbers[slot] }
            slot = (slot + 1) & mask
        }
        return miss(localName, namespace, slot: slot, dictionary: dictionary)
    }

    private func miss(_ localName: UnsafePointer<xmlChar>, _ namespace: UnsafePointer<xmlChar>?, slot: Int, dictionary: xmlDictPtr?) -> Int32 {
        // Zero, for a name past the limit, is kept too: a node without a number is only looked
        // up by its bytes, which is always right.
        let number = XMLNameNumbers.number(namespace: namespace, localName: localName)
        guard let dictionary, xmlDictOwns(dictionary, localName) == 1, namespace.map({ xmlDictOwns(dictionary, $0) == 1 }) ?? true else {
            return number
        }
        (localNames[slot], namespaces[slot], numbers[slot]) = (localName, namespace, number)
        count += 1
        if 2 * count > capacity { grow() }
        return number
    }

    private func grow() {
        let (oldNames, oldNamespaces, oldNumbers, oldCapacity) = (localNames, namespaces, numbers, capacity)
        capacity *= 2
        (localNames, namespaces, numbers) = Self.allocate(capacity)
        for index in 0..<oldCapacity {
            guard let name = oldNames[index] else { continue }
            var slot = Self.slot(name, oldNamespaces[index], mask: capacity - 1)
            while localNames[slot] != nil { slot = (slot + 1) & (capacity - 1) }
            (localNames[slot], namespaces[slot], numbers[slot]) = (name, oldNamespaces[index], oldNumbers[index])
        }
        oldNames.deallocate()
        oldNamespaces.deallocate()
        oldNumbers.deallocate()
    }
}
