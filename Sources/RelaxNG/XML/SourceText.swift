import Foundation

/// The bytes of a parsed file, kept so that byte offsets can be turned into lines and columns.
package final class SourceText: @unchecked Sendable {
    /// The file as the user named it; this is what diagnostics print.
    package let displayName: String
    package let bytes: [UInt8]
    /// Whether byte offsets recorded during parsing index into `bytes`; false when libxml2
    /// converted the input from another encoding.
    var offsetsAreExact = true
    private lazy var lineStarts: [Int] = {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        return starts
    }()

    /// The column at every ``checkpointInterval``-th byte, so that finding a column on a very
    /// long line (a whole file on one line) counts at most that many bytes.
    private lazy var columnCheckpoints: [Int] = {
        var checkpoints: [Int] = []
        checkpoints.reserveCapacity(bytes.count / Self.checkpointInterval + 1)
        var column = 1
        for (index, byte) in bytes.enumerated() {
            if index % Self.checkpointInterval == 0 { checkpoints.append(column) }
            if byte == UInt8(ascii: "\n") { column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return checkpoints
    }()
    private static let checkpointInterval = 4096

    init(displayName: String, bytes: [UInt8]) {
        self.displayName = displayName
        self.bytes = bytes
    }

    /// The last position asked for: open content asks for every element's location in document
    /// order, and counting on from here is cheaper than the line table.
    @exclusivity(unchecked) private var last = (offset: 0, line: 1, column: 1)
    /// Guards `last` and the tables made on first use: open content that decoding keeps unread
    /// is read, locations included, on whichever thread first asks for it.
    private let lock = NSLock()

    /// The line and column (both 1-based, the column counted in characters) of a byte offset.
    func location(ofOffset offset: Int) -> SourceLocation {
        lock.lock()
        defer { lock.unlock() }
        let offset = max(0, min(offset, bytes.count))
        guard offset >= last.offset else {
            // Counting resumes from here, for the offsets that follow it in document order.
            let found = search(offset)
            last = (offset, found.line, found.column)
            return found
        }
        var (line, column) = (last.line, last.column)
        bytes.withUnsafeBufferPointer { bytes in
            var index = last.offset
            func countByte() {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    // Lead bytes only, so that a column is a character, not a byte.
                    column += 1
                }
                index += 1
            }
            // Eight ASCII bytes at a time: the newlines among them are counted at once, and the
            // column restarts after the last one.
            let raw = UnsafeRawPointer(bytes.baseAddress)
            while index + 8 <= offset, let raw {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                guard word & Self.highBits == 0 else {
                    for _ in 0..<8 { countByte() }
                    continue
                }
                let newlines = Self.zeroBytes(word ^ Self.newlineBytes)
                if newlines == 0 {
                    column += 8
                } else {
                    line += newlines.nonzeroBitCount
                    // Little-endian: the highest flagged byte is the last newline.
                    let lastNewline = (63 - newlines.leadingZeroBitCount) / 8
                    column = 1 + (7 - lastNewline)
                }
                index += 8
            }
            while index < offset { countByte() }
        }
        last = (offset, line, column)
        return SourceLocation(file: displayName, line: line, column: column)
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let newlineBytes: UInt64 = 0x0A0A_0A0A_0A0A_0A0A

    /// 0x80 in each byte of `word` that is zero, and nothing else (exact, unlike the shorter
    /// test that only says whether there is one).
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & lowBits) &+ lowBits) | word | lowBits)
    }

    /// ``location(ofOffset:)`` by the line table, for any offset.
    func locationBySearch(ofOffset offset: Int) -> SourceLocation {
        lock.lock()
        defer { lock.unlock() }
        return search(max(0, min(offset, bytes.count)))
    }

    private func search(_ offset: Int) -> SourceLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        var index = lineStarts[low]
        let checkpoint = offset / Self.checkpointInterval * Self.checkpointInterval
        if checkpoint > index, offset - index > Self.checkpointInterval {
            column = columnCheckpoints[checkpoint / Self.checkpointInterval]
            index = checkpoint
        }
        while index < offset {
            // Count UTF-8 lead bytes only, so a column is a character, not a byte.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(file: displayName, line: low + 1, column: column)
    }

    /// The offset of the `<` that opens the start tag whose end the parser reached at `endOffset`.
    func startTagOffset(endingAt endOffset: Int) -> Int {
        var index = min(endOffset, bytes.count - 1)
        // `<` cannot occur inside an attribute value, so the nearest one before is the tag's.
        while index > 0 && bytes[index] != UInt8(ascii: "<") { index -= 1 }
        return index
    }

    /// The offset of attribute `qualifiedName` inside the start tag that begins at `tagOffset`.
    func attributeOffset(named qualifiedName: String, inTagAt tagOffset: Int) -> Int? {
        let name = Array(qualifiedName.utf8)
        var index = tagOffset + 1
        var quote: UInt8? = nil
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return nil
            } else if isSpace(bytes[index - 1]) && bytes[index...].starts(with: name) {
                var after = index + name.count
                while after < bytes.count && isSpace(bytes[after]) { after += 1 }
                if after < bytes.count && bytes[after] == UInt8(ascii: "=") { return index }
            }
            index += 1
        }
        return nil
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
