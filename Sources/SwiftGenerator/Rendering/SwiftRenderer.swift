/// Spells the declaration model as Swift source, four spaces an indentation level.
struct SwiftRenderer {
    private let indentUnit = "    "

    func render(file declarations: [SwiftDeclaration], header: [String], imports: [String]) -> String {
        file(declarations.map { render($0, indent: 0) }, header: header, imports: imports)
    }

    /// A file from declarations already rendered, each a blank line apart.
    func file(_ renderedDeclarations: [[String]], header: [String], imports: [String]) -> String {
        var lines = header
        lines.append("")
        for module in imports { lines.append("import \(module)") }
        for declaration in renderedDeclarations {
            lines.append("")
            lines += declaration
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func render(_ declaration: SwiftDeclaration, indent: Int) -> [String] {
        let pad = String(repeating: indentUnit, count: indent)
        switch declaration {
        case .structure(let type), .enumeration(let type):
            let keyword: String
            if case .structure = declaration { keyword = "struct" } else { keyword = "enum" }
            var lines = documentation(type.documentation, pad)
            let inheritance = type.inheritance.isEmpty ? "" : ": " + type.inheritance.joined(separator: ", ")
            lines.append("\(pad)\(type.access.keyword) \(type.isIndirect ? "indirect " : "")\(keyword) \(type.name)\(inheritance) {")
            lines += members(type.members, indent: indent + 1)
            lines.append("\(pad)}")
            return lines
        case .extension(let body):
            let access = body.access.map { "\($0.keyword) " } ?? ""
            let conformances = body.conformances.isEmpty ? "" : ": " + body.conformances.joined(separator: ", ")
            var lines = ["\(pad)\(access)extension \(body.typeName)\(conformances) {"]
            lines += members(body.members, indent: indent + 1)
            lines.append("\(pad)}")
            return lines
        case .property(let property):
            var lines = documentation(property.documentation, pad)
            var text = pad
            for attribute in property.attributes { text += attribute + " " }
            if let access = property.access { text += access.keyword + " " }
            if property.isStatic { text += "static " }
            text += property.isMutable ? "var " : "let "
            text += property.name
            if let type = property.type { text += ": " + type }
            if let value = property.initialValue { text += " = " + render(value, indent: indent) }
            lines.append(text)
            return lines
        case .enumCase(let enumCase):
            var lines = documentation(enumCase.documentation, pad)
            var text = "\(pad)case \(enumCase.name)"
            if !enumCase.associatedValues.isEmpty {
                let values = enumCase.associatedValues.map { value in
                    "\(value.label): \(value.type)" + (value.defaultValue.map { " = " + render($0, indent: indent) } ?? "")
                }
                text += "(" + values.joined(separator: ", ") + ")"
            }
            if let raw = enumCase.rawValue { text += " = " + stringLiteral(raw) }
            lines.append(text)
            return lines
        case .function(let function):
            var lines = documentation(function.documentation, pad)
            var text = pad
            if let access = function.access { text += access.keyword + " " }
            if function.isStatic { text += "static " }
            if function.isMutating { text += "mutating " }
            switch function.kind {
            case .initializer: text += "init"
            case .failableInitializer: text += "init?"
            case .function(let name): text += "func \(name)"
            case .computedProperty(let name, let type):
                lines.append(text + "var \(name): \(type) {")
                lines += statements(function.body, indent: indent + 1)
                lines.append("\(pad)}")
                return lines
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
            lines.append(text + " {")
            lines += statements(function.body, indent: indent + 1)
            lines.append("\(pad)}")
            return lines
        case .typeAlias(let name, let type, let docs, let access):
            return documentation(docs, pad) + ["\(pad)\(access.keyword) typealias \(name) = \(type)"]
        case .mark(let title):
            return ["\(pad)// MARK: - \(title)"]
        }
    }

    private func members(_ declarations: [SwiftDeclaration], indent: Int) -> [String] {
        var lines: [String] = []
        var previous: SwiftDeclaration?
        for declaration in declarations {
            // Cases and stored properties sit together; anything else gets a blank line before it.
            let compact: Bool
            switch (previous, declaration) {
            case (.enumCase(let last)?, .enumCase(let next)): compact = last.documentation.isEmpty && next.documentation.isEmpty
            case (.property(let last)?, .property(let next)): compact = last.documentation.isEmpty && next.documentation.isEmpty
            default: compact = previous == nil
            }
            if !compact { lines.append("") }
            lines += render(declaration, indent: indent)
            previous = declaration
        }
        return lines
    }

    private func documentation(_ lines: [String], _ pad: String) -> [String] {
        lines.map { $0.isEmpty ? "\(pad)///" : "\(pad)/// \($0)" }
    }

    func statements(_ statements: [SwiftStatement], indent: Int) -> [String] {
        statements.flatMap { render($0, indent: indent) }
    }

    func render(_ statement: SwiftStatement, indent: Int) -> [String] {
        let pad = String(repeating: indentUnit, count: indent)
        switch statement {
        case .expression(let expression):
            return ["\(pad)\(render(expression, indent: indent))"]
        case .constant(let name, let value):
            return ["\(pad)let \(name) = \(render(value, indent: indent))"]
        case .variable(let name, let type, let value):
            return ["\(pad)var \(name)\(type.map { ": \($0)" } ?? "") = \(render(value, indent: indent))"]
        case .assignment(let target, let value):
            return ["\(pad)\(render(target, indent: indent)) = \(render(value, indent: indent))"]
        case .return(let value):
            return ["\(pad)return" + (value.map { " " + render($0, indent: indent) } ?? "")]
        case .throw(let value):
            return ["\(pad)throw \(render(value, indent: indent))"]
        case .ifLet(let name, let value, let body):
            return ["\(pad)if let \(name) = \(render(value, indent: indent)) {"] + statements(body, indent: indent + 1) + ["\(pad)}"]
        case .if(let condition, let body, let otherwise):
            var lines = ["\(pad)if \(render(condition, indent: indent)) {"] + statements(body, indent: indent + 1)
            if let otherwise {
                lines.append("\(pad)} else {")
                lines += statements(otherwise, indent: indent + 1)
            }
            return lines + ["\(pad)}"]
        case .forIn(let name, let sequence, let body):
            return ["\(pad)for \(name) in \(render(sequence, indent: indent)) {"] + statements(body, indent: indent + 1) + ["\(pad)}"]
        case .switch(let subject, let cases):
            var lines = ["\(pad)switch \(render(subject, indent: indent)) {"]
            for switchCase in cases {
                lines.append("\(pad)case \(render(switchCase.pattern, indent: indent)):")
                lines += statements(switchCase.body.isEmpty ? [.expression(.identifier("break"))] : switchCase.body, indent: indent + 1)
            }
            return lines + ["\(pad)}"]
        }
    }

    func render(_ expression: SwiftExpression, indent: Int = 0) -> String {
        switch expression {
        case .identifier(let name): return name
        case .stringLiteral(let text): return stringLiteral(text)
        case .booleanLiteral(let value): return value ? "true" : "false"
        case .arrayLiteral(let items):
            if items.isEmpty { return "[]" }
            let pad = String(repeating: indentUnit, count: indent)
            return "[\n" + items.map { pad + indentUnit + render($0, indent: indent + 1) + "," }.joined(separator: "\n") + "\n\(pad)]"
        case .dictionaryLiteral(let pairs):
            if pairs.isEmpty { return "[:]" }
            let pad = String(repeating: indentUnit, count: indent)
            let entries = pairs.map { pad + indentUnit + render($0.0, indent: indent + 1) + ": " + render($0.1, indent: indent + 1) + "," }
            return "[\n" + entries.joined(separator: "\n") + "\n\(pad)]"
        case .member(let base, let name):
            return (base.map { render($0, indent: indent) } ?? "") + "." + name
        case .call(let function, let arguments):
            let list = arguments.map { argument in
                (argument.label.map { "\($0): " } ?? "") + render(argument.value, indent: indent)
            }
            return render(function, indent: indent) + "(" + list.joined(separator: ", ") + ")"
        case .try(let inner): return "try " + render(inner, indent: indent)
        case .reference(let inner): return "&" + render(inner, indent: indent)
        case .binary(let left, let op, let right): return render(left, indent: indent) + " \(op) " + render(right, indent: indent)
        case .not(let inner): return "!" + render(inner, indent: indent)
        case .closure(let parameters, let signature, let body):
            let pad = String(repeating: indentUnit, count: indent)
            if parameters.isEmpty, signature == nil, body.count == 1, case .expression(let single) = body[0] {
                return "{ " + render(single, indent: indent) + " }"
            }
            var head = "{"
            if !parameters.isEmpty { head += " " + parameters.joined(separator: ", ") }
            if let signature { head += " " + signature }
            if !parameters.isEmpty || signature != nil { head += " in" }
            return ([head] + statements(body, indent: indent + 1)).joined(separator: "\n") + "\n\(pad)}"
        case .binding(let name): return "let \(name)"
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
