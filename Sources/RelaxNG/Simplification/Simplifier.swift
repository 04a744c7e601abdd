/// Turns the full-syntax model into the simple syntax, as sections 4.12 to 4.21 of the
/// specification describe: children made binary, `mixed`, `optional` and `zeroOrMore`
/// rewritten, definitions combined, grammars flattened, references to non-element definitions
/// expanded (refusing loops that do not pass through an element), every element made a
/// definition of its own, and `notAllowed` and `empty` propagated.
final class Simplifier {
    private let datatypes: DatatypeLibraries
    private var diagnostics: [Diagnostic] = []
    private var elements: [SimpleElement] = []
    /// Element contents still to convert; a queue, so that deep grammars do not recurse deeply.
    private var pendingContents: [(index: Int, patterns: [PatternSyntax], scope: GrammarScope)] = []

    init(datatypes: DatatypeLibraries) {
        self.datatypes = datatypes
    }

    /// One `grammar` element's definitions after `combine` (section 4.17), with its parent for `parentRef`.
    final class GrammarScope {
        let parent: GrammarScope?
        let location: SourceLocation
        var defines: [String: Definition] = [:]
        var start: Definition?

        init(parent: GrammarScope?, location: SourceLocation) {
            self.parent = parent
            self.location = location
        }
    }

    /// All the `define`s of one name in one grammar (or all its `start`s), combined.
    final class Definition {
        let name: String
        var bodies: [(patterns: [PatternSyntax], location: SourceLocation, annotations: Annotations)] = []
        var combine: Combine?
        var firstLocation: SourceLocation
        var locationWithoutCombine: SourceLocation?
        unowned let scope: GrammarScope
        var expansion: SimplePattern?
        var isExpanding = false

        init(name: String, location: SourceLocation, scope: GrammarScope) {
            self.name = name
            self.firstLocation = location
            self.scope = scope
        }
    }

    func simplify(_ top: PatternSyntax) throws(DiagnosticError) -> SimpleGrammar {
        let start: SimplePattern
        if case .grammar(let grammar) = top.kind {
            let scope = buildScope(grammar, parent: nil, report: true)
            checkReferences(grammar.components, scope)
            start = startPattern(of: scope)
        } else {
            // A schema that is a bare pattern is a grammar whose start is that pattern.
            let scope = GrammarScope(parent: nil, location: top.location)
            checkReferences(in: top, scope)
            start = convert(top, scope)
        }
        while let pending = pendingContents.popLast() {
            elements[pending.index].content = convertGroup(pending.patterns, pending.scope, at: elements[pending.index].location)
        }
        guard diagnostics.isEmpty else { throw DiagnosticError(diagnostics) }
        return SimpleGrammar(start: start, elements: elements)
    }

    // MARK: - Grammars, combine and references (4.17, 4.18)

    private func buildScope(_ grammar: GrammarSyntax, parent: GrammarScope?, report: Bool) -> GrammarScope {
        let scope = GrammarScope(parent: parent, location: grammar.location)
        for component in GrammarComponent.flattened(grammar.components) {
            switch component {
            case .start(let start):
                let definition = scope.start ?? Definition(name: "start", location: start.location, scope: scope)
                scope.start = definition
                add([start.pattern], combine: start.combine, at: start.location, annotations: start.annotations, to: definition, what: "<start>", report: report)
            case .define(let define):
                let definition = scope.defines[define.name] ?? Definition(name: define.name, location: define.location, scope: scope)
                scope.defines[define.name] = definition
                add(define.patterns, combine: define.combine, at: define.location, annotations: define.annotations, to: definition, what: "define \"\(define.name)\"", report: report)
            case .div, .include:
                break
            }
        }
        if report && scope.start == nil {
            diagnostics.append(Diagnostic(.error, "the grammar has no <start>", at: grammar.location))
        }
        return scope
    }

    private func add(
        _ patterns: [PatternSyntax], combine: Combine?, at location: SourceLocation, annotations: Annotations,
        to definition: Definition, what: String, report: Bool
    ) {
        if let combine {
            if let existing = definition.combine, existing != combine, report {
                diagnostics.append(Diagnostic(.error, "\(what) is combined with both \"choice\" and \"interleave\"", at: location))
            }
            definition.combine = definition.combine ?? combine
        } else {
            if let earlier = definition.locationWithoutCombine, report {
                diagnostics.append(Diagnostic(.error, "\(what) is defined more than once without a combine attribute (first at \(earlier))", at: location))
            }
            definition.locationWithoutCombine = definition.locationWithoutCombine ?? location
        }
        definition.bodies.append((patterns, location, annotations))
    }

    /// Section 4.18: every `ref` and `parentRef` must name a definition, reachable or not, and
    /// every nested grammar must have a start.
    private func checkReferences(_ components: [GrammarComponent], _ scope: GrammarScope) {
        for component in GrammarComponent.flattened(components) {
            switch component {
            case .start(let start): checkReferences(in: start.pattern, scope)
            case .define(let define): define.patterns.forEach { checkReferences(in: $0, scope) }
            case .div, .include: break
            }
        }
    }

    private func checkReferences(in pattern: PatternSyntax, _ scope: GrammarScope) {
        switch pattern.kind {
        case .ref(let name):
            if scope.defines[name] == nil {
                diagnostics.append(Diagnostic(.error, "no define named \"\(name)\" in this grammar", at: pattern.location))
            }
        case .parentRef(let name):
            if let parent = scope.parent {
                if parent.defines[name] == nil {
                    diagnostics.append(Diagnostic(.error, "no define named \"\(name)\" in the parent grammar", at: pattern.location))
                }
            } else {
                diagnostics.append(Diagnostic(.error, "parentRef \"\(name)\" is not inside a nested grammar", at: pattern.location))
            }
        case .grammar(let grammar):
            let nested = buildScope(grammar, parent: scope, report: true)
            checkReferences(grammar.components, nested)
        case .element(_, let children), .group(let children), .interleave(let children), .choice(let children),
            .optional(let children), .zeroOrMore(let children), .oneOrMore(let children), .list(let children),
            .mixed(let children):
            children.forEach { checkReferences(in: $0, scope) }
        case .attribute(_, let child):
            if let child { checkReferences(in: child, scope) }
        case .data(let data):
            data.except?.forEach { checkReferences(in: $0, scope) }
        case .externalRef(let reference):
            checkReferences(in: reference.pattern, scope)
        case .empty, .text, .notAllowed, .value:
            break
        }
    }

    private func startPattern(of scope: GrammarScope) -> SimplePattern {
        guard let start = scope.start else { return SimplePattern(.notAllowed, at: scope.location) }
        return expand(start, at: start.firstLocation)
    }

    // MARK: - Expansion (4.19)

    /// The pattern a definition stands for, expanded once and shared by every reference.
    private func expand(_ definition: Definition, at location: SourceLocation) -> SimplePattern {
        if let done = definition.expansion { return done }
        if definition.isExpanding {
            diagnostics.append(Diagnostic(.error, "\"\(definition.name)\" refers to itself without an element in between", at: location))
            return SimplePattern(.notAllowed, at: location)
        }
        definition.isExpanding = true
        var result: SimplePattern?
        for body in definition.bodies {
            let converted = convertDefinitionBody(body.patterns, definition, at: body.location)
            if let previous = result {
                switch definition.combine ?? .choice {
                case .choice: result = .choice(previous, converted, at: body.location)
                case .interleave: result = .interleave(previous, converted, at: body.location)
                }
            } else {
                result = converted
            }
        }
        definition.isExpanding = false
        let expansion = result ?? SimplePattern(.notAllowed, at: location)
        definition.expansion = expansion
        return expansion
    }

    private func convertDefinitionBody(_ patterns: [PatternSyntax], _ definition: Definition, at location: SourceLocation) -> SimplePattern {
        // Remember the define's name on an element that is the whole of it, for code generation.
        if patterns.count == 1, case .element = patterns[0].kind {
            let converted = convert(patterns[0], definition.scope)
            if case .ref(let index) = converted.kind, elements[index].defineName == nil, definition.name != "start" {
                elements[index].defineName = definition.name
            }
            return converted
        }
        return convertGroup(patterns, definition.scope, at: location)
    }

    // MARK: - Patterns (4.12 to 4.15, 4.20, 4.21)

    private func convertGroup(_ patterns: [PatternSyntax], _ scope: GrammarScope, at location: SourceLocation) -> SimplePattern {
        fold(patterns, scope, at: location, SimplePattern.group)
    }

    private func fold(
        _ patterns: [PatternSyntax], _ scope: GrammarScope, at location: SourceLocation,
        _ combine: (SimplePattern, SimplePattern, SourceLocation) -> SimplePattern
    ) -> SimplePattern {
        guard let first = patterns.first else { return SimplePattern(.empty, at: location) }
        var result = convert(first, scope)
        for next in patterns.dropFirst() {
            result = combine(result, convert(next, scope), location)
        }
        return result
    }

    /// A reference to an element, placed where the `ref` is, so restriction errors point at the use.
    private func relocated(_ pattern: SimplePattern, to location: SourceLocation) -> SimplePattern {
        guard case .ref = pattern.kind else { return pattern }
        return SimplePattern(pattern.kind, at: location)
    }

    private func convert(_ pattern: PatternSyntax, _ scope: GrammarScope) -> SimplePattern {
        let location = pattern.location
        switch pattern.kind {
        case .element(let nameClass, let children):
            let index = elements.count
            elements.append(SimpleElement(nameClass: NameClass(nameClass), content: SimplePattern(.notAllowed, at: location), location: location))
            pendingContents.append((index, children, scope))
            return SimplePattern(.ref(index), at: location)
        case .attribute(let nameClass, let child):
            let content = child.map { convert($0, scope) } ?? SimplePattern(.text, at: location)
            return .attribute(NameClass(nameClass), content, at: location)
        case .group(let children):
            return fold(children, scope, at: location, SimplePattern.group)
        case .interleave(let children):
            return fold(children, scope, at: location, SimplePattern.interleave)
        case .choice(let children):
            return fold(children, scope, at: location, SimplePattern.choice)
        case .optional(let children):
            return .choice(convertGroup(children, scope, at: location), SimplePattern(.empty, at: location), at: location)
        case .zeroOrMore(let children):
            let repeated = SimplePattern.oneOrMore(convertGroup(children, scope, at: location), at: location)
            return .choice(repeated, SimplePattern(.empty, at: location), at: location)
        case .oneOrMore(let children):
            return .oneOrMore(convertGroup(children, scope, at: location), at: location)
        case .list(let children):
            return .list(convertGroup(children, scope, at: location), at: location)
        case .mixed(let children):
            return .interleave(convertGroup(children, scope, at: location), SimplePattern(.text, at: location), at: location)
        case .ref(let name):
            guard let definition = scope.defines[name] else { return SimplePattern(.notAllowed, at: location) }
            return relocated(expand(definition, at: location), to: location)
        case .parentRef(let name):
            guard let definition = scope.parent?.defines[name] else { return SimplePattern(.notAllowed, at: location) }
            return relocated(expand(definition, at: location), to: location)
        case .empty:
            return SimplePattern(.empty, at: location)
        case .text:
            return SimplePattern(.text, at: location)
        case .notAllowed:
            return SimplePattern(.notAllowed, at: location)
        case .value(let value):
            guard let datatype = try? datatypes.datatype(value.datatype, parameters: [], at: location),
                let parsed = datatype.value(of: value.lexicalValue, in: .grammar(defaultNamespace: value.namespace, prefixes: value.namespaces))
            else { return SimplePattern(.notAllowed, at: location) }
            return SimplePattern(.value(datatype, parsed, lexical: value.lexicalValue), at: location)
        case .data(let data):
            guard let datatype = try? datatypes.datatype(data.datatype, parameters: data.parameters, at: location) else {
                return SimplePattern(.notAllowed, at: location)
            }
            let except = data.except.map { fold($0, scope, at: location, SimplePattern.choice) }
            return .data(datatype, except: except, at: location)
        case .externalRef(let reference):
            return convert(reference.pattern, scope)
        case .grammar(let grammar):
            let nested = buildScope(grammar, parent: scope, report: false)
            return startPattern(of: nested)
        }
    }
}
