/// Swift source being written: text, and how many lines it has (a multi-line literal counts
/// as the one line that holds it, so that file sizes do not depend on how literals are wrapped).
struct RenderedSource {
    var text = ""
    var lines = 0

    mutating func indent(_ level: Int) {
        for _ in 0..<level { text += "    " }
    }

    mutating func endLine() {
        text += "\n"
        lines += 1
    }

    mutating func line(_ indent: Int, _ content: String) {
        self.indent(indent)
        text += content
        endLine()
    }
}

/// Spells the declaration model as Swift source, four spaces an indentation level, straight
/// into one text.
struct SwiftRenderer {
    private let indentUnit = "    "

    func render(file declarations: [SwiftDeclaration], header: [String], imports: [String]) -> String {
        var body = RenderedSource()
        for declaration in declarations {
            body.endLine()
            render(declaration, indent: 0, into: &body)
        }
        return file([body], header: header, imports: imports)
    }

    /// A file from declarations already rendered, each starting with the blank line before it.
    func file(_ parts: [RenderedSource], header: [String], imports: [String]) -> String {
        var output = RenderedSource()
        for line in header { output.line(0, line) }
        output.endLine()
        for module in imports { output.line(0, "import \(module)") }
        for part in parts { output.text += part.text }
        return output.text
    }

    /// One declaration alone, as text without a final newline.
    func render(_ declaration: SwiftDeclaration, indent: Int) -> String {
        var output = RenderedSource()
        render(declaration, indent: indent, into: &output)
        output.text.removeLast()
        return output.text
    }

    func render(_ declaration: SwiftDeclaration, indent: Int, into output: inout RenderedSource) {
        switch declaration {
        case .structure(let type), .enumeration(let type):
            let keyword: String
            if case .structure = declaration { keyword = "struct" } else { keyword = "enum" }
            documentation(type.documentation, indent, into: &output)
            let inheritance = type.inheritance.isEmpty ? "" : ": " + type.inheritance.joined(separator: ", ")
            output.line(indent, "\(type.access.keyword) \(type.isIndirect ? "indirect " : "")\(keyword) \(type.name)\(inheritance) {")
            members(type.members, indent: indent + 1, into: &output)
            output.line(indent, "}")
        case .extension(let body):
            let access = body.access.map { "\($0.keyword) " } ?? ""
            let conformances = body.conformances.isEmpty ? "" : ": " + body.conformances.joined(separator: ", ")
            output.line(indent, "\(access)extension \(body.typeName)\(conformances) {")
            members(body.members, indent: indent + 1, into: &output)
            output.line(indent, "}")
        case .property(let property):
            documentation(property.documentation, indent, into: &output)
            output.indent(indent)
            for attribute in property.attributes { output.text += attribute + " " }
            if let access = property.access { output.text += access.keyword + " " }
            if property.isStatic { output.text += "static " }
            output.text += property.isMutable ? "var " : "let "
            output.text += property.name
            if let type = property.type { output.text += ": " + type }
            if let value = property.initialValue {
                output.text += " = "
                render(value, indent: indent, into: &output.text)
            }
            output.endLine()
        case .enumCase(let enumCase):
            documentation(enumCase.documentation, indent, into: &output)
            output.indent(indent)
            output.text += enumCase.isIndirect ? "indirect case \(enumCase.name)" : "case \(enumCase.name)"
            if !enumCase.associatedValues.isEmpty {
                output.text += "("
                for (index, value) in enumCase.associatedValues.enumerated() {
                    if index > 0 { output.text += ", " }
                    output.text += "\(value.label): \(value.type)"
                    if let defaultValue = value.defaultValue {
                        output.text += " = "
                        render(defaultValue, indent: indent, into: &output.text)
                    }
                }
                output.text += ")"
            }
            if let raw = enumCase.rawValue { output.text += " = " + stringLiteral(raw) }
            output.endLine()
        case .function(let function):
            documentation(function.documentation, indent, into: &output)
            let pad = String(repeating: indentUnit, count: indent)
            var text = pad
            if let access = function.access { text += access.keyword + " " }
            if function.isStatic { text += "static " }
            if function.isMutating { text += "mutating " }
            switch function.kind {
            case .initializer: text += "init"
            case .failableInitializer: text += "init?"
            case .function(let name): text += "func \(name)"
            case .computedProperty(let name, let type):
                output.line(0, text + "var \(name): \(type) {")
                statements(function.body, indent: indent + 1, into: &output)
                output.line(indent, "}")
                return
            }
            let parameters = function.parameters.map { parameter -> String in
                var text = ""
                if let label = parameter.label {
                    text += label == parameter.name ? label : "\(label) \(parameter.name)"
                } else {
                    text += "_ \(parameter.name)"
                }
                text += ": " + (parameter.isInout ? "inout " : "") + parameter.type
                if let value = parameter.defaultValue { text += " = " + render(value, indent: indent) }
                return text
            }
            let oneLine = parameters.joined(separator: ", ")
            if oneLine.count + text.count > 100 && parameters.count > 1 {
                text += "(\n" + parameters.map { pad + indentUnit + $0 }.joined(separator: ",\n") + "\n\(pad))"
            } else {
                text += "(" + oneLine + ")"
            }
            if function.throwsErrors { text += " throws" }
            if let type = function.returnType { text += " -> " + type }
            output.line(0, text + " {")
            statements(function.body, indent: indent + 1, into: &output)
            output.line(indent, "}")
        case .typeAlias(let name, let type, let docs, let access):
            documentation(docs, indent, into: &output)
            output.line(indent, "\(access.keyword) typealias \(name) = \(type)")
        case .mark(let title):
            output.line(indent, "// MARK: - \(title)")
        }
    }

    private func members(_ declarations: [SwiftDeclaration], indent: Int, into output: inout RenderedSource) {
        var previous: SwiftDeclaration?
        for declaration in declarations {
            // Cases and stored properties sit together; anything else gets a blank line before it.
            let compact: Bool
            switch (previous, declaration) {
            case (.enumCase(let last)?, .enumCase(let next)): compact = last.documentation.isEmpty && next.documentation.isEmpty
            case (.property(let last)?, .property(let next)): compact = last.documentation.isEmpty && next.documentation.isEmpty
            default: compact = previous == nil
            }
            if !compact { output.endLine() }
            render(declaration, indent: indent, into: &output)
            previous = declaration
        }
    }

    private func documentation(_ lines: [String], _ indent: Int, into output: inout RenderedSource) {
        for line in lines { output.line(indent, line.isEmpty ? "///" : "/// " + line) }
    }

    func statements(_ statements: [SwiftStatement], indent: Int, into output: inout RenderedSource) {
        for statement in statements { render(statement, indent: indent, into: &output) }
    }

    func render(_ statement: SwiftStatement, indent: Int, into output: inout RenderedSource) {
        output.indent(indent)
        switch statement {
        case .expression(let expression):
            render(expression, indent: indent, into: &output.text)
            output.endLine()
        case .constant(let name, let value):
            output.text += "let \(name) = "
            render(value, indent: indent, into: &output.text)
            output.endLine()
        case .variable(let name, let type, let value):
            output.text += "var \(name)\(type.map { ": \($0)" } ?? "") = "
            render(value, indent: indent, into: &output.text)
            output.endLine()
        case .assignment(let target, let value):
            render(target, indent: indent, into: &output.text)
            output.text += " = "
            render(value, indent: indent, into: &output.text)
            output.endLine()
        case .return(let value):
            output.text += "return"
            if let value {
                output.text += " "
                render(value, indent: indent, into: &output.text)
            }
            output.endLine()
        case .throw(let value):
            output.text += "throw "
            render(value, indent: indent, into: &output.text)
            output.endLine()
        case .ifLet(let name, let value, let body):
            openBlock("if let \(name) = ", value, indent: indent, into: &output)
            statements(body, indent: indent + 1, into: &output)
            output.line(indent, "}")
        case .if(let condition, let body, let otherwise):
            openBlock("if ", condition, indent: indent, into: &output)
            statements(body, indent: indent + 1, into: &output)
            if let otherwise {
                output.line(indent, "} else {")
                statements(otherwise, indent: indent + 1, into: &output)
            }
            output.line(indent, "}")
        case .forIn(let name, let sequence, let body):
            openBlock("for \(name) in ", sequence, indent: indent, into: &output)
            statements(body, indent: indent + 1, into: &output)
            output.line(indent, "}")
        case .while(let condition, let body):
            openBlock("while ", condition, indent: indent, into: &output)
            statements(body, indent: indent + 1, into: &output)
            output.line(indent, "}")
        case .switch(let subject, let cases):
            openBlock("switch ", subject, indent: indent, into: &output)
            for switchCase in cases {
                output.indent(indent)
                if let pattern = switchCase.pattern {
                    output.text += "case "
                    render(pattern, indent: indent, into: &output.text)
                    output.text += ":"
                } else {
                    output.text += "default:"
                }
                output.endLine()
                statements(switchCase.body.isEmpty ? [.expression(.identifier("break"))] : switchCase.body, indent: indent + 1, into: &output)
            }
            output.line(indent, "}")
        }
    }

    /// The rest of a line that opens a block: `keyword expression {`.
    private func openBlock(_ keyword: String, _ expression: SwiftExpression, indent: Int, into output: inout RenderedSource) {
        output.text += keyword
        render(expression, indent: indent, into: &output.text)
        output.text += " {"
        output.endLine()
    }

    func render(_ expression: SwiftExpression, indent: Int = 0) -> String {
        var text = ""
        render(expression, indent: indent, into: &text)
        return text
    }

    func render(_ expression: SwiftExpression, indent: Int, into text: inout String) {
        func pad(_ level: Int) { for _ in 0..<level { text += indentUnit } }
        switch expression {
        case .identifier(let name): text += name
        case .stringLiteral(let literal): text += stringLiteral(literal)
        case .booleanLiteral(let value): text += value ? "true" : "false"
        case .arrayLiteral(let items):
            if items.isEmpty {
                text += "[]"
                return
            }
            text += "[\n"
            for item in items {
                pad(indent + 1)
                render(item, indent: indent + 1, into: &text)
                text += ",\n"
            }
            pad(indent)
            text += "]"
        case .dictionaryLiteral(let pairs):
            if pairs.isEmpty {
                text += "[:]"
                return
            }
            text += "[\n"
            for (key, value) in pairs {
                pad(indent + 1)
                render(key, indent: indent + 1, into: &text)
                text += ": "
                render(value, indent: indent + 1, into: &text)
                text += ",\n"
            }
            pad(indent)
            text += "]"
        case .member(let base, let name):
            if let base { render(base, indent: indent, into: &text) }
            text += "." + name
        case .call(let function, let arguments):
            render(function, indent: indent, into: &text)
            text += "("
            for (index, argument) in arguments.enumerated() {
                if index > 0 { text += ", " }
                if let label = argument.label { text += label + ": " }
                render(argument.value, indent: indent, into: &text)
            }
            text += ")"
        case .try(let inner):
            text += "try "
            render(inner, indent: indent, into: &text)
        case .reference(let inner):
            text += "&"
            render(inner, indent: indent, into: &text)
        case .binary(let left, let op, let right):
            render(left, indent: indent, into: &text)
            text += " \(op) "
            render(right, indent: indent, into: &text)
        case .not(let inner):
            text += "!"
            render(inner, indent: indent, into: &text)
        case .closure(let parameters, let signature, let body):
            if parameters.isEmpty, signature == nil, body.count == 1, case .expression(let single) = body[0] {
                text += "{ "
                render(single, indent: indent, into: &text)
                text += " }"
                return
            }
            text += "{"
            if !parameters.isEmpty { text += " " + parameters.joined(separator: ", ") }
            if let signature { text += " " + signature }
            if !parameters.isEmpty || signature != nil { text += " in" }
            text += "\n"
            var inner = RenderedSource()
            statements(body, indent: indent + 1, into: &inner)
            text += inner.text
            pad(indent)
            text += "}"
        case .binding(let name): text += "let \(name)"
        }
    }

    func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
