extension String {
    /// `body` on the string's UTF-8 bytes, borrowed in place (a short string's are copied to the
    /// stack). `withUTF8` is mutating, so calling it on a string one does not own copies the
    /// string: a retain and a release, which a search or a check made for every node or value
    /// pays each time.
    @inlinable
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
