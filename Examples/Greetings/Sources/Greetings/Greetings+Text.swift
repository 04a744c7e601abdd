extension Greeting {
    /// The greeting, repeated as often as it asks.
    public var spoken: String {
        Array(repeating: text, count: Int(self.repeat ?? 1)).joined(separator: " ")
    }
}
