import CLibXML2
import Foundation
import RelaxNG

// Gathered reads: a decoder whose fields read several attributes (or child elements) of names
// nothing else in its content reads walks the element's attributes (or children) once, and
// looks each one's name up in a table of its fields, instead of searching the element for each
// field in turn. A `<domain>` has some fifty fields and twenty children; searched for, each
// present field cost a walk from the first untaken child and each absent one whose name's bit
// was set a walk to the end.
//
// A walk takes what a search would: for each field, the first untaken attribute or child of its
// name that converts or decodes (every one, for a repeated field), as the field's turn in the
// generated code would. The walk comes at the first gathered field's turn, so fields read by
// search after it see gathered children already taken; the generator gathers only names no other
// field can read, so that nothing they find changes.

/// Plumbing for generated decoders: an attribute or a child element a walk found, and the
/// position of its name in the walk's table.
public struct _XMLGathered<Node> {
    public let position: Int
    @usableFromInline let found: _XMLFound<Node>

    @usableFromInline init(position: Int, found: _XMLFound<Node>) {
        self.position = position
        self.found = found
    }
}

/// Plumbing for generated decoders: a walk over the untaken attributes of a cursor's element
/// whose names a table holds, in document order.
public struct _XMLAttributeWalk {
    @usableFromInline var index = 0
    @usableFromInline var node: xmlAttrPtr?

    public init(_ cursor: _XMLCursor) {
        if case .node(let element) = cursor.source { node = element.node.pointer.pointee.properties }
    }

    /// The next untaken attribute whose name is in `table`; nil at the end.
    public mutating func next(in cursor: _XMLCursor, _ table: _XMLNameTable) -> _XMLGathered<xmlAttrPtr>? {
        switch cursor.source {
        case .tree(let box):
            let attributes = box.takeUnretainedValue().element.attributes
            return _XMLWalkStep.next(from: &index, count: attributes.count, table, isTaken: cursor.isAttributeTaken) {
                (attributes[$0].localName, attributes[$0].namespace)
            }
        case .node:
            return _XMLWalkStep.next(from: &node, at: &index, table, isTaken: cursor.isAttributeTaken, following: { $0.pointee.next }) { attribute in
                attribute.pointee.name.map { ($0, attribute.pointee.ns, attribute.pointee.psvi) }
            }
        }
    }
}

/// Plumbing for generated decoders: a walk over the untaken child elements of a cursor's
/// element whose names a table holds, in document order.
///
/// The table lists the names in the order of the fields that read them, which is the order
/// encoding writes them in. A child found at an earlier position than the one before it makes
/// the cursor record the document's order (`_XMLCursor.childOrder`).
public struct _XMLChildWalk {
    @usableFromInline var index = 0
    @usableFromInline var node: xmlNodePtr?
    @usableFromInline var lastPosition = 0
    /// False when fields read by search lie between the gathered ones: the order of what they
    /// take among the walk's children is not known, and is recorded.
    @usableFromInline let decidesOrder: Bool

    public init(_ cursor: _XMLCursor, decidesOrder: Bool = true) {
        self.decidesOrder = decidesOrder
        if case .node(let element) = cursor.source { node = element.node.pointer.pointee.children }
    }

    /// The next untaken child element whose name is in `table`; nil at the end.
    public mutating func next(in cursor: inout _XMLCursor, _ table: _XMLNameTable) -> _XMLGathered<xmlNodePtr>? {
        guard let next = find(in: cursor, table) else { return nil }
        // A subsequence of children in the fields' order is in it too, so judging every child
        // found, taken or not, never misses a child taken out of order.
        if next.position < lastPosition || !decidesOrder { cursor.childrenTakenInOrder = false }
        lastPosition = next.position
        return next
    }

    mutating func find(in cursor: _XMLCursor, _ table: _XMLNameTable) -> _XMLGathered<xmlNodePtr>? {
        switch cursor.source {
        case .tree(let box):
            let children = box.takeUnretainedValue().element.children
            return _XMLWalkStep.next(from: &index, count: children.count, table, isTaken: cursor.isChildTaken) { position in
                guard case .element(let child) = children[position] else { return nil }
                return (child.localName, child.namespace)
            }
        case .node:
            return _XMLWalkStep.next(from: &node, at: &index, table, isTaken: cursor.isChildTaken, following: { $0.pointee.next }) { child in
                guard child.pointee.type == XML_ELEMENT_NODE else { return nil }
                return child.pointee.name.map { ($0, child.pointee.ns, child.pointee.psvi) }
            }
        }
    }
}

/// The step both walks take: over an element built in Swift, by position, and over libxml2's
/// attributes or children, which are lists of the same shape. Inlined into each walk.
enum _XMLWalkStep {
    /// The next entry from `index` of `count` that is untaken and whose name (nil for one to
    /// pass over) is in `table`; `index` moves past it.
    @inline(__always)
    static func next<Node>(
        from index: inout Int, count: Int, _ table: _XMLNameTable, isTaken: (Int) -> Bool, name: (Int) -> (localName: String, namespace: String)?
    ) -> _XMLGathered<Node>? {
        while index < count {
            let current = index
            index += 1
            guard !isTaken(current), let name = name(current) else { continue }
            let position = table.position(localName: name.localName, namespace: name.namespace)
            if position >= 0 { return _XMLGathered(position: position, found: _XMLFound(index: current, node: nil)) }
        }
        return nil
    }

    /// The next node from `node` (at position `index`) that is untaken and whose name (nil for
    /// one to pass over) is in `table`; `node` and `index` move past it.
    @inline(__always)
    static func next<Node>(
        from node: inout UnsafeMutablePointer<Node>?, at index: inout Int, _ table: _XMLNameTable, isTaken: (Int) -> Bool,
        following: (UnsafeMutablePointer<Node>) -> UnsafeMutablePointer<Node>?,
        name: (UnsafeMutablePointer<Node>) -> (name: UnsafePointer<xmlChar>, namespace: xmlNsPtr?, number: UnsafeMutableRawPointer?)?
    ) -> _XMLGathered<UnsafeMutablePointer<Node>>? {
        while let current = node {
            let currentIndex = index
            index += 1
            node = following(current)
            guard !isTaken(currentIndex), let name = name(current) else { continue }
            let position = table.position(carried: name.number, name: name.name, namespace: name.namespace)
            if position >= 0 { return _XMLGathered(position: position, found: _XMLFound(index: currentIndex, node: current)) }
        }
        return nil
    }
}

/// Plumbing for generated decoders: names, each with its namespace, and a lookup of libxml2's
/// names among them: a choice of single children finds the alternative for the next child with
/// one lookup (libvirt's `<devices>`: 25 names), and a walk each child's field.
///
/// A class, so that handing the table to a walk for each child hands over one reference. Names
/// are found by a hash of their length and first and last bytes, which libxml2's name gives at
/// the cost of measuring it, and then compared whole. The lookup reads its own buffers through
/// pointers: through arrays, bounds checks and a closure for the bytes cost a lookup more than
/// twice what it costs now (a domain decode makes about 75 lookups).
public final class _XMLNameTable: @unchecked Sendable {
    // Sendable: nothing changes after `init`, and the buffers are freed only by `deinit`.
    let localNames: [_XMLLiteral]
    let namespaces: [_XMLLiteral]
    /// The names as ``XMLChildOrder`` records them, made once rather than for every child.
    let orderKeys: [XMLChildOrder.Key]
    private struct Entry {
        var start: Int
        var length: Int
        var inNoNamespace: Bool
    }
    private let entries: UnsafeMutablePointer<Entry>
    /// Each name's bytes, one after another.
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Open addressing: each slot holds a position plus one, or 0 when empty; a power of two
    /// at least twice the names, so that a probe ends soon.
    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int
    /// Each name's number (see `XMLNameNumbers`), and open addressing by number as `slots` is
    /// by bytes: a node the arena builder made carries its name's number, found here without
    /// reading the name.
    private let numbers: UnsafeMutablePointer<Int32>
    private let numberSlots: UnsafeMutablePointer<Int32>

    /// `namespaces`, when given, has one for each name; else every name is in no namespace.
    public init(_ localNames: [_XMLLiteral], namespaces: [_XMLLiteral] = []) {
        precondition(namespaces.isEmpty || namespaces.count == localNames.count, "one namespace for each name")
        self.localNames = localNames
        self.namespaces = namespaces.isEmpty ? Array(repeating: "", count: localNames.count) : namespaces
        orderKeys = zip(localNames, self.namespaces).map { XMLChildOrder.Key(namespace: $1.description, localName: $0.description) }
        var allBytes: [UInt8] = []
        entries = .allocate(capacity: max(localNames.count, 1))
        for (position, name) in localNames.enumerated() {
            let start = allBytes.count
            name.withBytes { allBytes += $0 }
            entries[position] = Entry(start: start, length: allBytes.count - start, inNoNamespace: self.namespaces[position].isEmpty)
        }
        bytes = .allocate(capacity: max(allBytes.count, 1))
        bytes.initialize(from: allBytes, count: allBytes.count)
        var size = 4
        while size < 2 * localNames.count { size *= 2 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        for position in localNames.indices {
            let entry = entries[position]
            guard entry.length > 0 else { continue }
            var slot = Self.hash(count: entry.length, first: bytes[entry.start], last: bytes[entry.start + entry.length - 1]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
        numbers = .allocate(capacity: max(localNames.count, 1))
        numberSlots = .allocate(capacity: size)
        numberSlots.initialize(repeating: 0, count: size)
        for position in localNames.indices {
            let number = XMLNameNumbers.number(namespace: self.namespaces[position].description, localName: localNames[position].description)
            numbers[position] = number
            // A name listed twice is found at its first position, as by its bytes.
            var slot = Int(number) & mask
            while numberSlots[slot] != 0, numbers[Int(numberSlots[slot]) - 1] != number { slot = (slot + 1) & mask }
            if numberSlots[slot] == 0 { numberSlots[slot] = Int32(position + 1) }
        }
    }

    deinit {
        entries.deallocate()
        bytes.deallocate()
        slots.deallocate()
        numbers.deallocate()
        numberSlots.deallocate()
    }

    /// The position of the name a node of the arena builder carries the number of (its
    /// `psvi`), or else of its name's bytes; -1 when it is not in the table.
    @inline(__always)
    func position(carried psvi: UnsafeMutableRawPointer?, name: UnsafePointer<xmlChar>, namespace: xmlNsPtr?) -> Int {
        let number = XMLNameNumbers.number(carriedBy: psvi)
        guard number > 0 else { return position(name: name, count: _XMLCursor.nameLength(name), namespace: namespace) }
        var slot = Int(number) & mask
        while true {
            let entry = Int(numberSlots[slot])
            if entry == 0 { return -1 }
            if numbers[entry - 1] == number { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func hash(count: Int, first: UInt8, last: UInt8) -> Int {
        var hash = UInt(bitPattern: count) &* 0x9E37_79B1
        hash ^= UInt(first) &* 0x85EB_CA77
        hash ^= UInt(last) &* 0xC2B2_AE3D
        return Int(bitPattern: hash ^ (hash >> 15))
    }

    /// The position of libxml2's name (of `count` bytes) in namespace `namespace`; -1 when it is
    /// not in the table.
    @usableFromInline func position(name: UnsafePointer<xmlChar>, count: Int, namespace: xmlNsPtr?) -> Int {
        guard count > 0 else { return -1 }
        var slot = Self.hash(count: count, first: name[0], last: name[count - 1]) & mask
        while true {
            let position = Int(slots[slot]) - 1
            if position < 0 { return -1 }
            let entry = entries[position]
            if entry.length == count, Self.same(bytes + entry.start, name, count) {
                guard let href = namespace?.pointee.href else {
                    if entry.inNoNamespace { return position }
                    slot = (slot + 1) & mask
                    continue
                }
                if namespaces[position].withBytes({ _XMLCursor.equal(href, $0) }) { return position }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Whether `count` bytes are the same, eight at a time while eight remain.
    @inline(__always)
    private static func same(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index &+ 8 <= count {
            if UnsafeRawPointer(left + index).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self) { return false }
            index &+= 8
        }
        while index < count {
            if left[index] != right[index] { return false }
            index &+= 1
        }
        return true
    }

    /// The position of a name read in Swift; -1 when it is not in the table.
    func position(localName: String, namespace: String) -> Int {
        localNames.indices.first { localNames[$0].equals(localName) && namespaces[$0].equals(namespace) } ?? -1
    }
}

extension _XMLCursor {
    /// The attribute a walk found, converted and taken.
    @inlinable
    public mutating func attribute<Value: XMLValue>(
        _ gathered: _XMLGathered<xmlAttrPtr>, as type: Value.Type = Value.self, trustsValidation: Bool = false
    ) throws -> Value {
        guard let value = attributeValue(gathered.found, as: Value.self, trusted: trustsValidation) else {
            throw attributeFailure(at: gathered.found.index, isNotA: Value.self)
        }
        markAttributeTaken(gathered.found.index)
        return value
    }

    /// The failure of the attribute at `index` to convert to `type`.
    @usableFromInline func attributeFailure(at index: Int, isNotA type: any Any.Type) -> XMLDecodingError {
        let name = allAttributes[index].localName
        return failure(.template("attribute \"", name, "\": \"", attributeValue(at: index), "\""), isNotA: type)
    }

    /// The child element a walk found, decoded and taken; nil, with `firstError` set if it is
    /// the first failure, when it does not decode.
    @inlinable
    public mutating func element<Value: XMLElementCodable>(
        _ gathered: _XMLGathered<xmlNodePtr>, as type: Value.Type = Value.self, trustsValidation: Bool = false, firstError: inout (any Error)?
    ) -> Value? {
        decodeFound(gathered.found, trusted: trustsValidation, firstError: &firstError, screen: Value._xmlScreen, Value.init(xmlElementCursor:))
    }

    /// The child element holding only a value that a walk found, converted and taken; nil, with
    /// `firstError` set if it is the first failure, when it does not convert.
    @inlinable
    public mutating func valueElement<Value: XMLValue>(
        _ gathered: _XMLGathered<xmlNodePtr>, as type: Value.Type = Value.self, trustsValidation: Bool = false, firstError: inout (any Error)?
    ) -> Value? {
        decodeFound(gathered.found, asValue: true, trusted: trustsValidation, firstError: &firstError, { try Self.value(of: $0, as: type) })
    }

    /// The element wrapping a list that a walk found, taken, with its items decoded.
    public mutating func elementList<Value: XMLElementCodable>(
        _ gathered: _XMLGathered<xmlNodePtr>, item: _XMLLiteral, itemNamespace: _XMLLiteral = "", as type: Value.Type = Value.self,
        trustsValidation: Bool = false
    ) throws -> [Value] {
        takeChild(at: gathered.found.index)
        var inner = childCursor(gathered.found, trusted: trustsValidation)
        // The list's element holds nothing but its items.
        let items = try inner.elements(item, namespace: itemNamespace, as: type, trustsValidation: true)
        try inner.finish()
        return items
    }

    /// The child element a walk found, taken and kept whole, as open content is.
    public mutating func rawElement(_ gathered: _XMLGathered<xmlNodePtr>) -> XMLElement {
        takeChild(at: gathered.found.index)
        return childTree(at: gathered.found.index)
    }

    /// A gathered required attribute: the value the walk found, or the failure of its absence.
    @inlinable
    public func required<Value>(_ value: consuming Value?, attribute name: _XMLLiteral) throws -> Value {
        guard let value else { throw failure(.template("missing attribute \"", name.description, "\"")) }
        return value
    }

    /// A gathered required child element: the value the walk found, or why there is none.
    @inlinable
    public func required<Value>(_ value: consuming Value?, element name: _XMLLiteral, firstError: (any Error)? = nil) throws -> Value {
        guard let value else { throw firstError ?? failure(.template("missing element <", name.description, ">")) }
        return value
    }
}
