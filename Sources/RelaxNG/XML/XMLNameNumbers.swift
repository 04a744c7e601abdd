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
/// as long as the context does.
final class NameNumberCache {
    private static let size = 512
    private let localNames = UnsafeMutablePointer<UnsafePointer<xmlChar>?>.allocate(capacity: size)
    private let namespaces = UnsafeMutablePointer<UnsafePointer<xmlChar>?>.allocate(capacity: size)
    private let numbers = UnsafeMutablePointer<Int32>.allocate(capacity: size)

    init() {
        localNames.initialize(repeating: nil, count: Self.size)
        namespaces.initialize(repeating: nil, count: Self.size)
        numbers.initialize(repeating: 0, count: Self.size)
    }

    deinit {
        localNames.deallocate()
        namespaces.deallocate()
        numbers.deallocate()
    }

    /// The number of `localName` in `namespace` (nil for none), both strings of `dictionary`.
    @inline(__always)
    func number(_ localName: UnsafePointer<xmlChar>, _ namespace: UnsafePointer<xmlChar>?, dictionary: xmlDictPtr?) -> Int32 {
        let key = UInt(bitPattern: localName) &+ UInt(bitPattern: namespace) &* 31
        let slot = Int((key >> 3) ^ (key >> 12)) & (Self.size - 1)
        if localNames[slot] == localName, namespaces[slot] == namespace { return numbers[slot] }
        return miss(localName, namespace, slot: slot, dictionary: dictionary)
    }

    private func miss(_ localName: UnsafePointer<xmlChar>, _ namespace: UnsafePointer<xmlChar>?, slot: Int, dictionary: xmlDictPtr?) -> Int32 {
        let number = XMLNameNumbers.number(namespace: namespace, localName: localName)
        if number != 0, let dictionary, xmlDictOwns(dictionary, localName) == 1, namespace.map({ xmlDictOwns(dictionary, $0) == 1 }) ?? true {
            (localNames[slot], namespaces[slot], numbers[slot]) = (localName, namespace, number)
        }
        return number
    }
}
