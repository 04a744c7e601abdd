/// Writes ``XMLElement`` trees as text the way libvirt does: two-space indentation, attribute
/// values in single quotes, empty elements closed with `/>`, and the content of an element that
/// holds text (whitespace included) written exactly as it is.
public enum XMLWriter {
    /// The element as a document, ending with a newline.
    public static func string(_ element: XMLElement, xmlDeclaration: Bool = false) -> String {
        var output = xmlDeclaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        write(declaringNamespaces(element, inScope: ["": "", "xml": "http://www.w3.org/XML/1998/namespace"]), indent: 0, into: &output)
        output += "\n"
        return output
    }

    /// The element with the namespace declarations its names need added: a tree built in
    /// Swift has namespaces but no declarations; one that was read keeps its own.
    static func declaringNamespaces(_ element: XMLElement, inScope: [String: String]) -> XMLElement {
        var element = element
        var scope = inScope
        for declaration in element.namespaceDeclarations { scope[declaration.prefix] = declaration.uri }
        func declare(_ prefix: String, _ uri: String) {
            element.namespaceDeclarations.append(XMLNamespaceDeclaration(prefix: prefix, uri: uri))
            scope[prefix] = uri
        }
        if let prefix = element.prefix {
            if scope[prefix] != element.namespace { declare(prefix, element.namespace) }
        } else if scope[""] != element.namespace {
            if let bound = scope.first(where: { !$0.key.isEmpty && $0.value == element.namespace })?.key {
                element.prefix = bound
            } else {
                declare("", element.namespace)
            }
        }
        for index in element.attributes.indices where !element.attributes[index].namespace.isEmpty {
            let namespace = element.attributes[index].namespace
            if let prefix = element.attributes[index].prefix, scope[prefix] == namespace { continue }
            if let bound = scope.first(where: { !$0.key.isEmpty && $0.value == namespace })?.key {
                element.attributes[index].prefix = bound
            } else {
                var number = 1
                while scope["ns\(number)"] != nil { number += 1 }
                declare("ns\(number)", namespace)
                element.attributes[index].prefix = "ns\(number)"
            }
        }
        element.children = element.children.map { child in
            if case .element(let inner) = child { return .element(declaringNamespaces(inner, inScope: scope)) }
            return child
        }
        return element
    }

    private static func write(_ element: XMLElement, indent: Int, into output: inout String) {
        output += "<" + element.qualifiedName
        for declaration in element.namespaceDeclarations {
            output += declaration.prefix.isEmpty ? " xmlns='" : " xmlns:\(declaration.prefix)='"
            output += escaped(declaration.uri, inAttribute: true) + "'"
        }
        for attribute in element.attributes {
            output += " \(attribute.qualifiedName)='\(escaped(attribute.value, inAttribute: true))'"
        }
        // Any text, even whitespace, is written as it is, with the children around it: a tree read
        // from a document (open content) writes back exactly; trees built by generated code hold
        // no whitespace text, so they are indented.
        let hasText = element.children.contains { if case .text = $0 { return true } else { return false } }
        let elements = element.elements
        if !hasText && elements.isEmpty {
            output += "/>"
            return
        }
        output += ">"
        if hasText {
            // Text is significant: write the content exactly, without indentation.
            for child in element.children {
                switch child {
                case .text(let text): output += escaped(text, inAttribute: false)
                case .element(let inner): write(inner, indent: 0, into: &output)
                }
            }
        } else {
            let padding = String(repeating: "  ", count: indent + 1)
            for inner in elements {
                output += "\n" + padding
                write(inner, indent: indent + 1, into: &output)
            }
            output += "\n" + String(repeating: "  ", count: indent)
        }
        output += "</\(element.qualifiedName)>"
    }

    static func escaped(_ text: String, inAttribute: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "'" where inAttribute: result += "&apos;"
            case "\n" where inAttribute: result += "&#10;"
            case "\t" where inAttribute: result += "&#9;"
            case "\r": result += "&#13;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
