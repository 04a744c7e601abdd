import RelaxNG

/// The definitions of each grammar in a schema, merged by `combine`, found by name from where a
/// `ref` or `parentRef` is written: what the translator walks instead of the simplified form,
/// so that define names and annotations survive into type names and doc comments.
final class DefinitionScopes {
    final class Scope {
        let id: Int
        let parent: Scope?
        var defines: [String: Definition] = [:]
        var start: PatternSyntax?

        init(id: Int, parent: Scope?) {
            self.id = id
            self.parent = parent
        }
    }

    final class Definition {
        let name: String
        unowned let scope: Scope
        /// The merged body: one pattern (a group of the define's children; a choice or
        /// interleave of several defines).
        var body: PatternSyntax
        var annotations: Annotations
        var location: SourceLocation

        init(name: String, scope: Scope, body: PatternSyntax, annotations: Annotations, location: SourceLocation) {
            self.name = name
            self.scope = scope
            self.body = body
            self.annotations = annotations
            self.location = location
        }

        /// The element a define consists of, when it is exactly one element (an `empty` beside
        /// it, as in libvirt's `alias`, changes nothing).
        var element: (nameClass: NameClassSyntax, children: [PatternSyntax], pattern: PatternSyntax)? {
            var pattern = body
            if case .group(let children) = body.kind {
                let meaningful = children.filter { if case .empty = $0.kind { return false } else { return true } }
                guard meaningful.count == 1 else { return nil }
                pattern = meaningful[0]
            }
            if case .element(let nameClass, let children) = pattern.kind { return (nameClass, children, pattern) }
            return nil
        }
    }

    private(set) var scopes: [Scope] = []
    private var nestedScopes: [String: Scope] = [:]

    /// The scope of the top-level grammar (or of a bare pattern, as its start).
    func topScope(for pattern: PatternSyntax) -> Scope {
        if case .grammar(let grammar) = pattern.kind { return scope(for: grammar, parent: nil) }
        let scope = Scope(id: scopes.count, parent: nil)
        scope.start = pattern
        scopes.append(scope)
        return scope
    }

    /// The scope of a nested grammar, made once for each place it appears.
    func scope(for grammar: GrammarSyntax, parent: Scope?) -> Scope {
        let key = "\(parent?.id ?? -1)|\(grammar.location)"
        if let known = nestedScopes[key] { return known }
        let scope = Scope(id: scopes.count, parent: parent)
        scopes.append(scope)
        nestedScopes[key] = scope
        var bodies: [String: [(PatternSyntax, Combine?, Annotations, SourceLocation)]] = [:]
        var order: [String] = []
        var starts: [(PatternSyntax, Combine?)] = []
        for component in GrammarComponent.flattened(grammar.components) {
            switch component {
            case .start(let start): starts.append((start.pattern, start.combine))
            case .define(let define):
                let body = define.patterns.count == 1 ? define.patterns[0] : PatternSyntax(.group(define.patterns), at: define.location)
                if bodies[define.name] == nil { order.append(define.name) }
                bodies[define.name, default: []].append((body, define.combine, define.annotations, define.location))
            default: break
            }
        }
        for name in order {
            let parts = bodies[name]!
            let combine = parts.compactMap(\.1).first ?? .choice
            let body: PatternSyntax
            if parts.count == 1 {
                body = parts[0].0
            } else {
                let members = parts.map(\.0)
                body = PatternSyntax(combine == .choice ? .choice(members) : .interleave(members), at: parts[0].3)
            }
            let annotations = parts.reduce(Annotations()) { merged, part in
                Annotations(documentation: merged.documentation + part.2.documentation, comments: merged.comments + part.2.comments)
            }
            scope.defines[name] = Definition(name: name, scope: scope, body: body, annotations: annotations, location: parts[0].3)
        }
        if starts.count == 1 {
            scope.start = starts[0].0
        } else if let first = starts.first {
            let combine = starts.compactMap(\.1).first ?? .choice
            let members = starts.map(\.0)
            scope.start = PatternSyntax(combine == .choice ? .choice(members) : .interleave(members), at: first.0.location)
        }
        return scope
    }
}
