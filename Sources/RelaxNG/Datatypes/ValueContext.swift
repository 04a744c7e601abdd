/// The namespace bindings where a value was written: what a QName value's prefix means.
enum ValueContext {
    /// A value in a grammar: the `value` element's prefixes, with `ns` as the default namespace.
    case grammar(defaultNamespace: String, prefixes: [String: String])
    /// A value in a document: the element that holds it.
    case document(XMLNode)
    /// No bindings at all (only `xml`).
    case none

    /// The namespace URI bound to `prefix`, or to the default namespace when `prefix` is nil.
    func namespace(forPrefix prefix: String?) -> String? {
        if prefix == "xml" { return "http://www.w3.org/XML/1998/namespace" }
        switch self {
        case .grammar(let defaultNamespace, let prefixes):
            guard let prefix else { return defaultNamespace }
            return prefixes[prefix]
        case .document(let node):
            guard let prefix else { return node.namespaceURI(forPrefix: nil) ?? "" }
            return node.namespaceURI(forPrefix: prefix)
        case .none:
            return prefix == nil ? "" : nil
        }
    }
}
