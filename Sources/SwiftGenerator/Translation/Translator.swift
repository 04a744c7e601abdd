import RelaxNG

/// Turns a grammar's full-syntax model into ``GeneratedType``s, as a careful person would write
/// them by hand: an element becomes a struct, or a typed property of its parent when it holds
/// only a value; a choice of values an enum; a choice of structure an enum with associated
/// values; `optional` an Optional; repetitions arrays; shared defines shared types.
final class Translator {
    private let configuration: GeneratorConfiguration
    private let scopes = DefinitionScopes()
    var topLevel: [GeneratedType] = []
    private var takenTopLevelNames: Set<String> = []
    /// Types made for defines, by scope and name.
    private var defineTypes: [String: String] = [:]
    /// Element types made for inline elements, by scope and position, so one element is one type.
    private var inlineElementTypes: [String: GeneratedType] = [:]
    /// Types made for defines of a choice, by scope and name: one type however often referenced.
    private var choiceDefineTypes: [String: GeneratedType] = [:]
    /// Every type that refers to an inline element's or a choice define's type, which is made
    /// inside the first of them and moved out later if others are elsewhere.
    private var users: [ObjectIdentifier: (type: GeneratedType, users: [GeneratedType])] = [:]
    /// The types in `users`, in the order they were first used: every pass over them runs in
    /// that order, so that the output never depends on a dictionary's order.
    private var usedTypes: [GeneratedType] = []
    private var namesInType: [ObjectIdentifier: Set<String>] = [:]
    /// The defines (without an element of their own) whose content is being translated,
    /// innermost last: their names tell apart types that would otherwise share a name.
    private var defineContext: [String] = []
    /// How deep `defineContext` was when each type was made: only defines entered since then
    /// are inside it.
    private var contextDepth: [ObjectIdentifier: Int] = [:]
    /// Per nested type: the name it wanted, and the define-derived name it could take instead.
    private var nameHints: [ObjectIdentifier: (wanted: String, contextual: String?)] = [:]
    /// Value enumerations and restricted strings made inside a type, by owner, name and content:
    /// an attribute repeated in several alternatives is one type.
    private var valueTypesByContent: [String: String] = [:]
    /// The define each alternative flattened out of a referenced choice came from, by position.
    private var alternativeOrigins: [String: String] = [:]
    /// What `structuralChoice` and `simpleValue` found for each define: a chain of references is
    /// followed once, not once per link.
    private var structuralChoices: [String: [(PatternSyntax, DefinitionScopes.Scope)]?] = [:]
    private var simpleValues: [String: ValueShape?] = [:]
    private(set) var roots: [GeneratedType] = []

    init(configuration: GeneratorConfiguration) {
        self.configuration = configuration
    }

    /// A value shape: what an attribute or a value-only element holds.
    fileprivate indirect enum ValueShape {
        case text
        case data(DataSyntax)
        case values([ValueSyntax])
        case union([ValueShape])
        case list
        case named(DefinitionScopes.Definition, ValueShape)
    }

    // MARK: - Entry

    func translate(_ grammar: LoadedGrammar) {
        let scope = scopes.topScope(for: grammar.pattern)
        guard let start = scope.start else { return }
        // The start's elements by name, to know which root is the only one with its name; nil
        // once the start allows a root that no type stands for (a name class, another pattern).
        var startElements: [(type: String, name: QualifiedName)]? = []
        for (pattern, patternScope) in startAlternatives(start, scope) {
            switch pattern.kind {
            case .ref(let name), .parentRef(let name):
                let target = pattern.kind.isParentRef ? patternScope.parent : patternScope
                guard let definition = target?.defines[name], let element = definition.element,
                    case .name(let qualified) = element.nameClass.kind
                else {
                    startElements = nil
                    continue
                }
                let typeName = elementType(qualified, element.children, definition.scope, owner: nil, define: definition, syntax: element.pattern)
                markRoot(typeName)
                startElements?.append((typeName, qualified))
            case .element(let nameClass, let children):
                guard case .name(let qualified) = nameClass.kind else {
                    startElements = nil
                    continue
                }
                let typeName = elementType(qualified, children, patternScope, owner: nil, define: nil, syntax: pattern)
                markRoot(typeName)
                startElements?.append((typeName, qualified))
            default:
                startElements = nil
            }
        }
        for (typeName, name) in startElements ?? [] where startElements?.filter({ $0.name == name }).count == 1 {
            topLevel.first { $0.qualifiedName == typeName }?.isSoleStartElement = true
        }
        for name in configuration.roots {
            guard let definition = scope.defines[name], let element = definition.element, case .name(let qualified) = element.nameClass.kind else { continue }
            markRoot(elementType(qualified, element.children, definition.scope, owner: nil, define: definition, syntax: element.pattern))
        }
        moveSharedTypesOut()
        nameSiblingsAlike()
    }

    /// An element keeps its children's order when it, or content it holds (a choice, a group),
    /// interleaves; the order is kept on the element, which is where children are written.
    func propagateChildOrder() {
        func interleaves(_ type: GeneratedType, _ visited: inout Set<ObjectIdentifier>) -> Bool {
            guard visited.insert(ObjectIdentifier(type)).inserted else { return false }
            if type.keepsChildOrder { return true }
            let fields: [Field]
            switch type.kind {
            case .structure(let own): fields = own
            case .choice(let alternatives): fields = alternatives.flatMap(\.fields)
            default: return false
            }
            return fields.contains { field in
                guard case .content(let name, _) = field.kind, let inner = findType(name) else { return false }
                return interleaves(inner, &visited)
            }
        }
        var renames: [(old: String, new: String)] = []
        func visit(_ types: [GeneratedType]) {
            for type in types {
                var visited: Set<ObjectIdentifier> = []
                let ordered = interleaves(type, &visited)
                if type.element != nil, case .choice(let alternatives) = type.kind, ordered {
                    // An enum cannot keep the order; the element becomes a struct holding the choice.
                    let name = SwiftNames.unique("Content", in: Set(type.nested.map(\.name)))
                    let choice = GeneratedType(
                        name: name, qualifiedName: type.qualifiedName + "." + name, kind: .choice(alternatives), element: nil,
                        documentation: ["What the `<\(type.element!.localName)>` element holds: one of its alternatives."])
                    choice.isIndirect = type.isIndirect
                    for nested in type.nested {
                        renames.append((nested.qualifiedName, choice.qualifiedName + "." + nested.name))
                        nested.requalify(under: choice.qualifiedName)
                    }
                    choice.nested = type.nested
                    type.nested = [choice]
                    type.kind = .structure([Field(propertyName: "content", kind: .content(type: choice.qualifiedName, .one), documentation: [])])
                    type.keepsChildOrder = true
                } else if type.element != nil, case .structure = type.kind {
                    type.keepsChildOrder = ordered
                } else {
                    type.keepsChildOrder = false
                }
                visit(type.nested)
            }
        }
        visit(topLevel)
        applyRenames(renames)
    }

    /// Rewrites every reference to a renamed type (or to a type nested in one); the types
    /// themselves already carry their new qualified names.
    func applyRenames(_ renames: [(old: String, new: String)]) {
        guard !renames.isEmpty else { return }
        let byOldName = Dictionary(renames, uniquingKeysWith: { first, _ in first })
        // A name can only change when its outermost type's name is one that changes or encloses one.
        let outermost = Set(renames.map { $0.old.prefix { $0 != "." } })
        rewriteAll { name in
            guard outermost.contains(name.prefix { $0 != "." }) else { return name }
            // The most specific rename first: the name itself, then each enclosing type's name
            // (a nested type's new name already has its parent's).
            var prefix = Substring(name)
            while true {
                if let new = byOldName[String(prefix)] { return new + name.dropFirst(prefix.count) }
                guard let dot = prefix.lastIndex(of: ".") else { return name }
                prefix = prefix[..<dot]
            }
        }
    }

    /// Types made more than once for one define — reached again through another scope, as
    /// domaincheckpoint.rng's nested grammar reaches all of domain.rng — become the first of
    /// them wherever they come out the same, copies referring to copies included. `textOf`
    /// renders a type for the comparison.
    func unifyCopies(textOf: (GeneratedType) -> String) {
        let position = Dictionary(topLevel.enumerated().map { ($1.qualifiedName, $0) }, uniquingKeysWith: min)
        var madeFor: [Substring: Set<String>] = [:]
        for (key, made) in defineTypes where position[made] != nil {
            guard let separator = key.range(of: "|define|") else { continue }
            madeFor[key[separator.upperBound...], default: []].insert(made)
        }
        // Assume every copy is the same as the first, then drop what the texts disprove, until
        // nothing changes: what is left is the largest set of copies consistent with each other.
        var copies: [String: String] = [:]
        for names in madeFor.values where names.count > 1 {
            let ordered = names.sorted { position[$0]! < position[$1]! }
            for copy in ordered.dropFirst() { copies[copy] = ordered[0] }
        }
        guard !copies.isEmpty else { return }
        var texts: [String: String] = [:]
        func text(_ name: String) -> String {
            if let known = texts[name] { return known }
            let made = textOf(topLevel[position[name]!])
            texts[name] = made
            return made
        }
        // A copy's mapped text changes only when a copy it names is disproved: after the first
        // round, only pairs whose texts name a disproved copy are compared again.
        var mapped: [String: String] = [:]
        func mappedText(_ name: String) -> String {
            if let known = mapped[name] { return known }
            let made = SwiftNames.replacingIdentifiers(in: text(name), copies)
            mapped[name] = made
            return made
        }
        var namedBy: [String: Set<String>] = [:]
        for name in Set(copies.keys).union(copies.values) {
            for identifier in SwiftNames.identifiers(in: text(name)) where copies[identifier] != nil { namedBy[identifier, default: []].insert(name) }
        }
        var pending = Set(copies.keys)
        while !pending.isEmpty {
            let disproved = pending.filter { copy in copies[copy].map { mappedText(copy) != mappedText($0) } ?? false }
            for copy in disproved { copies[copy] = nil }
            pending = []
            for copy in disproved {
                for name in namedBy[copy] ?? [] { mapped[name] = nil }
            }
            let changed = Set(disproved.flatMap { namedBy[$0] ?? [] })
            for (copy, original) in copies where changed.contains(copy) || changed.contains(original) { pending.insert(copy) }
        }
        for (copy, original) in copies.sorted(by: { position[$0.key]! < position[$1.key]! }) where topLevel[position[copy]!].isDocumentRoot {
            markRoot(original)
        }
        roots.removeAll { copies[$0.qualifiedName] != nil }
        topLevel.removeAll { copies[$0.qualifiedName] != nil }
        applyRenames(copies.map { ($0.key, $0.value) })
    }

    /// Applies `rewrite` to every type reference and define type of this translation.
    func rewriteAll(_ rewrite: (String) -> String) {
        func visit(_ types: [GeneratedType]) {
            for type in types {
                type.rewriteTypeReferences(rewrite)
                visit(type.nested)
            }
        }
        visit(topLevel)
        for key in defineTypes.keys { defineTypes[key] = defineTypes[key].map(rewrite) }
    }

    /// Every type of this translation, nested ones included, top-level types first in order.
    var allTypes: [GeneratedType] {
        var all: [GeneratedType] = []
        func gather(_ types: [GeneratedType]) {
            for type in types {
                all.append(type)
                gather(type.nested)
            }
        }
        gather(topLevel)
        return all
    }

    /// Breaks cycles of types that Swift cannot lay out: an enum on a cycle becomes `indirect`,
    /// a struct's property on a cycle is stored out of line.
    func breakCycles() {
        let all = allTypes
        var byName: [String: GeneratedType] = [:]
        for type in all { byName[type.qualifiedName] = type }
        func edges(_ type: GeneratedType) -> [String] {
            switch type.kind {
            case .structure(let fields): return fields.compactMap(\.inlineTypeName)
            case .choice(let alternatives): return alternatives.flatMap(\.fields).compactMap(\.inlineTypeName)
            case .valueUnion(let members):
                return members.compactMap { if case .type(let name) = $0.kind { return name } else { return nil } }
            default: return []
            }
        }
        // Tarjan's strongly connected components, iteratively over the type graph.
        var index = 0
        var indexes: [String: Int] = [:]
        var lowLinks: [String: Int] = [:]
        var onStack: Set<String> = []
        var stack: [String] = []
        var component: [String: Int] = [:]
        var componentSizes: [Int: Int] = [:]
        var componentCount = 0
        for root in all.map(\.qualifiedName) where indexes[root] == nil {
            func successors(_ node: String) -> [String] { byName[node].map(edges)?.filter { byName[$0] != nil } ?? [] }
            var work: [(node: String, successors: [String], next: Int)] = [(root, successors(root), 0)]
            indexes[root] = index; lowLinks[root] = index; index += 1
            stack.append(root); onStack.insert(root)
            while var frame = work.popLast() {
                if frame.next < frame.successors.count {
                    let successor = frame.successors[frame.next]
                    frame.next += 1
                    work.append(frame)
                    if indexes[successor] == nil {
                        indexes[successor] = index; lowLinks[successor] = index; index += 1
                        stack.append(successor); onStack.insert(successor)
                        work.append((successor, successors(successor), 0))
                    } else if onStack.contains(successor) {
                        lowLinks[frame.node] = min(lowLinks[frame.node]!, indexes[successor]!)
                    }
                    continue
                }
                if let parent = work.last {
                    lowLinks[parent.node] = min(lowLinks[parent.node]!, lowLinks[frame.node]!)
                }
                if lowLinks[frame.node] == indexes[frame.node] {
                    while let member = stack.popLast() {
                        onStack.remove(member)
                        component[member] = componentCount
                        componentSizes[componentCount, default: 0] += 1
                        if member == frame.node { break }
                    }
                    componentCount += 1
                }
            }
        }
        func onCycle(_ from: String, _ to: String) -> Bool {
            guard let first = component[from], let second = component[to], first == second else { return false }
            return componentSizes[first, default: 0] > 1 || from == to
        }
        for type in all {
            switch type.kind {
            case .structure(var fields):
                for index in fields.indices {
                    if let target = fields[index].inlineTypeName, onCycle(type.qualifiedName, target) { fields[index].isBoxed = true }
                }
                type.kind = .structure(fields)
            case .choice(let alternatives):
                if alternatives.flatMap(\.fields).contains(where: { $0.inlineTypeName.map { onCycle(type.qualifiedName, $0) } ?? false }) {
                    type.isIndirect = true
                }
            case .valueUnion(let members):
                if members.contains(where: { if case .type(let name) = $0.kind { return onCycle(type.qualifiedName, name) } else { return false } }) {
                    type.isIndirect = true
                }
            default:
                break
            }
        }
    }

    /// Renames nested types whose names would hide a top-level type of the same name, which
    /// code inside them refers to unqualified.
    func avoidShadowing(alsoTopLevel others: Set<String> = []) {
        let topNames = Set(topLevel.map(\.name)).union(others)
        var renames: [(old: String, new: String)] = []
        func visit(_ types: [GeneratedType], parentQualified: String?) {
            for type in types {
                var name = type.name
                if parentQualified != nil, topNames.contains(name) {
                    var taken = Set(types.map(\.name))
                    taken.formUnion(topNames)
                    let suffix: String
                    switch type.kind {
                    case .choice: suffix = type.element == nil ? "Choice" : "Element"
                    case .structure: suffix = type.element == nil ? "Group" : "Element"
                    default: suffix = "Value"
                    }
                    name = SwiftNames.unique(name + suffix, in: taken)
                }
                // A top-level type keeps its qualified name: it may live in a grammar's namespace.
                let qualified = parentQualified.map { $0 + "." + name } ?? type.qualifiedName
                if qualified != type.qualifiedName { renames.append((type.qualifiedName, qualified)) }
                type.rename(to: name, qualifiedName: qualified)
                visit(type.nested, parentQualified: qualified)
            }
        }
        visit(topLevel, parentQualified: nil)
        applyRenames(renames)
    }

    private func markRoot(_ qualifiedName: String) {
        guard let type = topLevel.first(where: { $0.qualifiedName == qualifiedName }), !roots.contains(where: { $0 === type }) else { return }
        type.isDocumentRoot = true
        roots.append(type)
    }

    private func startAlternatives(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope) -> [(PatternSyntax, DefinitionScopes.Scope)] {
        switch pattern.kind {
        case .choice(let children): return children.flatMap { startAlternatives($0, scope) }
        case .externalRef(let reference): return startAlternatives(reference.pattern, scope)
        case .grammar(let grammar):
            let nested = scopes.scope(for: grammar, parent: scope)
            return nested.start.map { startAlternatives($0, nested) } ?? []
        case .ref(let name):
            if let definition = scope.defines[name], definition.element == nil {
                return startAlternatives(definition.body, definition.scope)
            }
            return [(pattern, scope)]
        default:
            return [(pattern, scope)]
        }
    }

    // MARK: - Naming

    private func configuredName(for definition: DefinitionScopes.Definition?) -> String? {
        definition.flatMap { configuration.typeNames[$0.name] }
    }

    /// Registers a type at the top level or inside `owner`, with a name unique there.
    private func makeType(
        _ baseName: String, owner: GeneratedType?, kind: GeneratedType.Kind, element: QualifiedName?, documentation: [String],
        distinguishingValue: String? = nil
    ) -> GeneratedType {
        if let owner {
            var taken = namesInType[ObjectIdentifier(owner), default: []]
            taken.insert(owner.name)
            let wanted = baseName == owner.name ? baseName + "Element" : baseName
            let contextual = contextualName(wanted, base: baseName, owner: owner, taken: taken, distinguishingValue: distinguishingValue)
            let name = taken.contains(wanted) ? contextual ?? SwiftNames.unique(wanted, in: taken) : wanted
            namesInType[ObjectIdentifier(owner), default: []].insert(name)
            let type = GeneratedType(name: name, qualifiedName: owner.qualifiedName + "." + name, kind: kind, element: element, documentation: documentation)
            owner.nested.append(type)
            contextDepth[ObjectIdentifier(type)] = defineContext.count
            nameHints[ObjectIdentifier(type)] = (wanted, contextual)
            return type
        }
        let name = SwiftNames.unique(baseName, in: takenTopLevelNames)
        takenTopLevelNames.insert(name)
        let type = GeneratedType(name: name, qualifiedName: name, kind: kind, element: element, documentation: documentation)
        topLevel.append(type)
        contextDepth[ObjectIdentifier(type)] = defineContext.count
        return type
    }

    /// A name for a type inside `owner` taken from the innermost define (or alternative's
    /// value) entered within the owner — `diskSourceFile` gives `SourceFile` inside `Disk`,
    /// `type='bridge'` gives `BridgeSource` — or from the value of the element's own fixed
    /// attribute (`VirtualportOpenvswitch`); nil when none gives a free name other than `wanted`.
    private func contextualName(_ wanted: String, base: String, owner: GeneratedType, taken: Set<String>, distinguishingValue: String?) -> String? {
        var candidates: [String] = []
        for define in definesEntered(since: owner).reversed() {
            var name = SwiftNames.typeName(define)
            for prefix in [owner.name, nameHints[ObjectIdentifier(owner)]?.wanted].compactMap({ $0 }) {
                guard name.lowercased().hasPrefix(prefix.lowercased()), name.count > prefix.count else { continue }
                name = SwiftNames.typeName(String(name.dropFirst(prefix.count)))
                break
            }
            candidates.append(name.contains(base) ? name : String(name.trimmingPrefix("_")) + base)
        }
        if let distinguishingValue {
            candidates.append(base + String(SwiftNames.typeName(distinguishingValue).trimmingPrefix("_")))
        }
        return candidates.first { $0 != wanted && $0 != owner.name && !taken.contains($0) }
    }

    /// Translates `body` with `names` (defines, distinguishing values) entered, for naming what it makes.
    private func within<Result>(_ names: [String], _ body: () -> Result) -> Result {
        defineContext += names
        defer { defineContext.removeLast(names.count) }
        return body()
    }

    /// The names entered since `owner` was made, innermost last.
    private func definesEntered(since owner: GeneratedType) -> ArraySlice<String> {
        defineContext[min(contextDepth[ObjectIdentifier(owner)] ?? 0, defineContext.count)...]
    }

    private func noteUse(of type: GeneratedType, by user: GeneratedType) {
        if users[ObjectIdentifier(type)] == nil { usedTypes.append(type) }
        users[ObjectIdentifier(type), default: (type, [])].users.append(user)
    }

    /// A type made inside the first type that used it, and used from others elsewhere too,
    /// moves to the innermost type that encloses all its users — to the top level when none
    /// does — so that `FileSource` is not found inside the first `<nvram>` that had a disk source.
    private func moveSharedTypesOut() {
        var parents: [ObjectIdentifier: GeneratedType] = [:]
        func remember(_ types: [GeneratedType], parent: GeneratedType?) {
            for type in types {
                if let parent { parents[ObjectIdentifier(type)] = parent }
                remember(type.nested, parent: type)
            }
        }
        remember(topLevel, parent: nil)
        func enclosing(_ type: GeneratedType) -> [GeneratedType] {
            var chain = [type]
            while let parent = parents[ObjectIdentifier(chain.last!)] { chain.append(parent) }
            return chain
        }
        // Outer types first: where an inner one goes depends on where its users went.
        let shared = usedTypes.compactMap { users[ObjectIdentifier($0)] }.filter { Set($0.users.map(ObjectIdentifier.init)).count > 1 }
            .enumerated().sorted { ($0.element.type.qualifiedName.split(separator: ".").count, $0.offset) < ($1.element.type.qualifiedName.split(separator: ".").count, $1.offset) }
            .map(\.element)
        var moved = true
        renamingInPlace {
            while moved {
                moved = false
                for (type, typeUsers) in shared {
                    guard let current = parents[ObjectIdentifier(type)] else { continue }
                    var common = enclosing(typeUsers[0])
                    for user in typeUsers.dropFirst() {
                        let around = Set(enclosing(user).map(ObjectIdentifier.init))
                        common.removeAll { !around.contains(ObjectIdentifier($0)) }
                    }
                    // Not inside itself (a type that is its own user's ancestor).
                    let target = common.first { candidate in !enclosing(candidate).contains { $0 === type } }
                    if target === current { continue }
                    current.nested.removeAll { $0 === type }
                    let siblings = target.map { $0.nested.map(\.name) + [$0.name] } ?? topLevel.map(\.name) + Array(takenTopLevelNames)
                    let name = SwiftNames.unique(type.name, in: Set(siblings))
                    type.rename(to: name, qualifiedName: target.map { $0.qualifiedName + "." + name } ?? name)
                    for nested in type.nested { nested.requalify(under: type.qualifiedName) }
                    if let target {
                        target.nested.append(type)
                        parents[ObjectIdentifier(type)] = target
                    } else {
                        topLevel.append(type)
                        takenTopLevelNames.insert(name)
                        parents[ObjectIdentifier(type)] = nil
                    }
                    moved = true
                }
            }
        }
    }

    /// Sibling types that wanted the same name and got names from their defines: the one that
    /// came first and took the plain name takes its define's name too, so that all read alike
    /// (`SourceFile`, `SourceBlock`, … rather than `Source`, `SourceBlock`, …).
    private func nameSiblingsAlike() {
        func visit(_ types: [GeneratedType], parentQualified: String?) {
            var names = Set(types.map(\.name))
            let hinted = types.filter { nameHints[ObjectIdentifier($0)] != nil }
            let groups = Dictionary(grouping: hinted) { nameHints[ObjectIdentifier($0)]!.wanted }
            // In the order the types were made, not the dictionary's.
            let wantedInOrder = hinted.map { nameHints[ObjectIdentifier($0)]!.wanted }.reduce(into: [String]()) { order, wanted in
                if !order.contains(wanted) { order.append(wanted) }
            }
            for wanted in wantedInOrder {
                guard let group = groups[wanted], group.count > 1 else { continue }
                guard let parentQualified, let plain = group.first(where: { $0.name == wanted }),
                    let contextual = nameHints[ObjectIdentifier(plain)]?.contextual, !names.contains(contextual)
                else { continue }
                // Only when the others are named by their defines too, not numbered.
                let others = group.filter { $0 !== plain }
                guard others.allSatisfy({ $0.name == nameHints[ObjectIdentifier($0)]?.contextual }) else { continue }
                names.remove(plain.name)
                names.insert(contextual)
                let qualified = parentQualified + "." + contextual
                plain.rename(to: contextual, qualifiedName: qualified)
                for nested in plain.nested { nested.requalify(under: qualified) }
            }
            for type in types { visit(type.nested, parentQualified: type.qualifiedName) }
        }
        renamingInPlace { visit(topLevel, parentQualified: nil) }
    }

    /// Runs `body`, which renames and moves types in place, then rewrites every reference: each
    /// type's name before `body` is the old name (a type inside a renamed one is renamed too, and
    /// references name it as it was).
    private func renamingInPlace(_ body: () -> Void) {
        var before: [(type: GeneratedType, qualifiedName: String)] = []
        func remember(_ types: [GeneratedType]) {
            for type in types {
                before.append((type, type.qualifiedName))
                remember(type.nested)
            }
        }
        remember(topLevel)
        body()
        applyRenames(before.filter { $0.type.qualifiedName != $0.qualifiedName }.map { ($0.qualifiedName, $0.type.qualifiedName) })
    }

    private func documentation(_ annotations: [Annotations], source: String) -> [String] {
        var lines: [String] = []
        for annotation in annotations {
            for text in annotation.documentation + annotation.comments {
                lines += text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces }
            }
        }
        if !lines.isEmpty { lines.append("") }
        lines.append(source)
        return lines
    }

    private func sourceNote(_ what: String, _ location: SourceLocation) -> String {
        let file = location.file.split(separator: "/").last.map(String.init) ?? location.file
        return "Generated from \(what) at \(file):\(location.line)."
    }

    // MARK: - Elements

    /// The type of an element, made once per define or per inline element.
    private func elementType(
        _ name: QualifiedName, _ children: [PatternSyntax], _ scope: DefinitionScopes.Scope, owner: GeneratedType?,
        define: DefinitionScopes.Definition?, syntax: PatternSyntax, preferredName: String? = nil
    ) -> String {
        let key = define.map { "\(scope.id)|define|\($0.name)" } ?? "\(scope.id)|\(syntax.location)"
        if define != nil, let known = defineTypes[key] { return known }
        if define == nil, let known = inlineElementTypes[key] {
            if let owner { noteUse(of: known, by: owner) }
            return known.qualifiedName
        }
        let baseName = configuredName(for: define) ?? preferredName ?? SwiftNames.typeName(define?.name ?? name.localName)
        var annotations = [syntax.annotations]
        if let define { annotations.insert(define.annotations, at: 0) }
        let docs = documentation(annotations, source: sourceNote("`<element name=\"\(name.localName)\">`" + (define.map { " (define `\($0.name)`)" } ?? ""), syntax.location))
        let distinguishing = define == nil ? fixedAttributeValue(PatternSyntax(.group(children), at: syntax.location), scope, depth: 0) : nil
        let type = makeType(baseName, owner: define == nil ? owner : nil, kind: .structure([]), element: name, documentation: docs, distinguishingValue: distinguishing)
        if define != nil {
            defineTypes[key] = type.qualifiedName
        } else {
            inlineElementTypes[key] = type
            if let owner { noteUse(of: type, by: owner) }
        }

        let meaningful = children.filter { if case .empty = $0.kind { return false } else { return true } }
        if meaningful.count == 1, let alternatives = structuralChoice(meaningful[0], scope) {
            type.kind = .choice(self.alternatives(alternatives, owner: type))
        } else {
            var fields: [Field] = []
            for child in children { collect(child, scope, owner: type, optional: false, into: &fields) }
            type.kind = .structure(uniqueFieldNames(renamed(fields, in: define?.name ?? name.localName)))
        }
        return type.qualifiedName
    }

    /// Fields with the property names the configuration gives for their owner.
    private func renamed(_ fields: [Field], in owner: String) -> [Field] {
        guard let names = configuration.propertyNames[owner] else { return fields }
        return fields.map { field in
            var field = field
            let xmlName: String?
            switch field.kind {
            case .attribute(let name, _, _), .fixedAttribute(let name, _), .flagAttribute(let name, _), .valueElement(let name, _, _),
                .emptyElement(let name, _), .fixedValueElement(let name, _, _), .element(let name, _, _), .elementList(let name, _, _, _),
                .rawElement(let name, _):
                xmlName = name.localName
            default:
                xmlName = nil
            }
            if let xmlName, let configured = names[xmlName] { field.propertyName = configured }
            return field
        }
    }

    /// The alternatives of a choice of structure (not of values), flattened; nil otherwise.
    private func structuralChoice(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope) -> [(PatternSyntax, DefinitionScopes.Scope)]? {
        switch pattern.kind {
        case .choice(let children):
            if simpleValue(pattern, scope) != nil { return nil }
            let alternatives = children.flatMap { flattenChoice($0, scope) }
            // A choice left with one possible alternative is that alternative, not an enum.
            return alternatives.count > 1 ? alternatives : nil
        case .ref(let name):
            guard let definition = scope.defines[name], definition.element == nil else { return nil }
            let key = "\(definition.scope.id)|\(name)"
            if let known = structuralChoices[key] { return known }
            let found = structuralChoice(definition.body, definition.scope)
            structuralChoices[key] = .some(found)
            return found
        case .group(let children) where children.count == 1:
            return structuralChoice(children[0], scope)
        default:
            return nil
        }
    }

    private func flattenChoice(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope) -> [(PatternSyntax, DefinitionScopes.Scope)] {
        if isNotAllowed(pattern, scope, visited: []) { return [] }
        switch pattern.kind {
        case .choice(let children):
            return children.flatMap { flattenChoice($0, scope) }
        case .ref(let name):
            if let definition = scope.defines[name], definition.element == nil, case .choice = definition.body.kind,
                simpleValue(definition.body, definition.scope) == nil
            {
                let alternatives = flattenChoice(definition.body, definition.scope)
                for (alternative, alternativeScope) in alternatives where alternativeOrigins["\(alternativeScope.id)|\(alternative.location)"] == nil {
                    alternativeOrigins["\(alternativeScope.id)|\(alternative.location)"] = name
                }
                return alternatives
            }
            return [(pattern, scope)]
        case .attribute(let nameClass, let content):
            // An attribute with a choice of values is one alternative per value.
            if case .name = nameClass.kind, let content, let shape = simpleValue(content, scope), case .values(let values) = shape.unnamed, values.count > 1 {
                return values.map { value in
                    (PatternSyntax(.attribute(nameClass, PatternSyntax(.value(value), at: content.location)), at: pattern.location), scope)
                }
            }
            return [(pattern, scope)]
        default:
            return [(pattern, scope)]
        }
    }

    /// Whether a pattern can match nothing at all (section 4.20's `notAllowed`, propagated):
    /// such alternatives are left out of the types.
    private func isNotAllowed(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope, visited: Set<String>) -> Bool {
        switch pattern.kind {
        case .notAllowed: return true
        case .group(let children), .interleave(let children), .oneOrMore(let children), .list(let children), .mixed(let children):
            return children.contains { isNotAllowed($0, scope, visited: visited) }
        case .choice(let children):
            return children.allSatisfy { isNotAllowed($0, scope, visited: visited) }
        case .attribute(_, let content):
            return content.map { isNotAllowed($0, scope, visited: visited) } ?? false
        case .ref(let name), .parentRef(let name):
            let target = pattern.kind.isParentRef ? scope.parent : scope
            guard let definition = target?.defines[name], definition.element == nil else { return false }
            let key = "\(definition.scope.id)|\(name)"
            if visited.contains(key) { return false }
            return isNotAllowed(definition.body, definition.scope, visited: visited.union([key]))
        case .externalRef(let reference):
            return isNotAllowed(reference.pattern, scope, visited: visited)
        default:
            return false
        }
    }

    private func alternatives(_ patterns: [(PatternSyntax, DefinitionScopes.Scope)], owner: GeneratedType) -> [Alternative] {
        var result: [Alternative] = []
        var primaryNames: [String] = []
        var secondaryNames: [String] = []
        for (pattern, scope) in patterns {
            var fields: [Field] = []
            // The define the alternative came from, and the value that tells it apart
            // (`type='bridge'`), name what it holds.
            let names = [alternativeOrigins["\(scope.id)|\(pattern.location)"], fixedAttributeValue(pattern, scope, depth: 0)].compactMap { $0 }
            within(names) { collect(pattern, scope, owner: owner, optional: false, into: &fields) }
            fields = uniqueFieldNames(fields)
            let (primary, secondary) = caseNames(pattern, scope, fields)
            primaryNames.append(primary)
            secondaryNames.append(secondary)
            result.append(Alternative(caseName: primary, fields: fields, documentation: documentation([pattern.annotations], source: sourceNote("this alternative", pattern.location))))
        }
        var taken: Set<String> = []
        for index in result.indices {
            var name = primaryNames[index]
            if primaryNames.filter({ $0 == name }).count > 1 { name = secondaryNames[index] }
            name = SwiftNames.unique(name, in: taken)
            taken.insert(name)
            result[index].caseName = name
        }
        return result
    }

    /// The value of an attribute with one possible value at the top of `pattern`, if any.
    private func fixedAttributeValue(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope, depth: Int) -> String? {
        guard depth < 4 else { return nil }
        switch pattern.kind {
        case .attribute(let nameClass, let content):
            guard case .name = nameClass.kind, let content, let shape = simpleValue(content, scope),
                case .values(let values) = shape.unnamed, values.count == 1
            else { return nil }
            let value = GrammarValues.normalized(values[0])
            return SwiftNames.words(value).isEmpty ? nil : value
        case .group(let children), .interleave(let children):
            return children.lazy.compactMap { self.fixedAttributeValue($0, scope, depth: depth + 1) }.first
        case .ref(let name):
            guard let definition = scope.defines[name], definition.element == nil else { return nil }
            return fixedAttributeValue(definition.body, definition.scope, depth: depth + 1)
        default:
            return nil
        }
    }

    /// A case name for an alternative, and a second one for when the first is not unique.
    private func caseNames(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope, _ fields: [Field]) -> (String, String) {
        for field in fields {
            switch field.kind {
            case .fixedAttribute(_, let value), .flagAttribute(_, let value):
                return (SwiftNames.caseName(value), SwiftNames.caseName(value))
            default: continue
            }
        }
        switch pattern.kind {
        case .element(let nameClass, _):
            let elementName = nameClass.kind.localName.map(SwiftNames.propertyName) ?? "element"
            let inner = fields.first.flatMap { field -> String? in
                guard case .element(_, let type, _) = field.kind, let nested = findType(type), case .structure(let innerFields) = nested.kind,
                    innerFields.count == 1
                else { return nil }
                return innerFields[0].propertyName
            }
            return (elementName, inner ?? elementName)
        case .ref(let name), .parentRef(let name):
            let fieldName = fields.first?.propertyName ?? SwiftNames.propertyName(name)
            return (fieldName, SwiftNames.propertyName(name))
        default:
            let name = fields.first?.propertyName ?? "empty"
            return (name, name)
        }
    }

    func findType(_ qualifiedName: String) -> GeneratedType? {
        // A nested type's qualified name starts with its parent's: only that parent is searched.
        func search(_ types: [GeneratedType]) -> GeneratedType? {
            for type in types {
                if type.qualifiedName == qualifiedName { return type }
                if qualifiedName.utf8.count > type.qualifiedName.utf8.count, qualifiedName.hasPrefix(type.qualifiedName + "."),
                    let found = search(type.nested)
                {
                    return found
                }
            }
            return nil
        }
        return search(topLevel)
    }

    // MARK: - Fields

    private func collect(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope, owner: GeneratedType, optional: Bool, into fields: inout [Field]) {
        func add(_ field: Field) { fields.append(optional ? field.optional : field) }
        let docs = documentation([pattern.annotations], source: "")
        let fieldDocs = Array(docs.dropLast(docs.count > 1 ? 2 : 1))
        switch pattern.kind {
        case .attribute(let nameClass, let content):
            guard case .name(let name) = nameClass.kind else {
                if !fields.contains(where: { if case .anyAttributes = $0.kind { return true } else { return false } }) {
                    fields.append(Field(propertyName: "otherAttributes", kind: .anyAttributes, documentation: fieldDocs))
                }
                return
            }
            let contentPattern = content ?? PatternSyntax(.text, at: pattern.location)
            let shape = simpleValue(contentPattern, scope) ?? .text
            let propertyName = SwiftNames.propertyName(name.localName)
            if case .values(let values) = shape, values.count == 1 {
                add(Field(propertyName: propertyName, kind: .fixedAttribute(name, value: GrammarValues.normalized(values[0])), documentation: fieldDocs))
                return
            }
            let type = valueType(shape, nameHint: name.localName, owner: owner)
            add(Field(propertyName: propertyName, kind: .attribute(name, valueType: type, optional: false), documentation: fieldDocs))
        case .element(let nameClass, let children):
            guard case .name(let name) = nameClass.kind else {
                if !fields.contains(where: { if case .anyElements = $0.kind { return true } else { return false } }) {
                    fields.append(Field(propertyName: "otherElements", kind: .anyElements, documentation: fieldDocs))
                }
                return
            }
            add(elementField(name, children, scope, owner: owner, define: nil, syntax: pattern, repetition: .one, documentation: fieldDocs))
        case .ref(let name), .parentRef(let name):
            let target = pattern.kind.isParentRef ? scope.parent : scope
            guard let definition = target?.defines[name] else { return }
            if let element = definition.element {
                guard case .name(let qualified) = element.nameClass.kind else {
                    fields.append(Field(propertyName: "otherElements", kind: .anyElements, documentation: fieldDocs))
                    return
                }
                add(elementField(qualified, element.children, definition.scope, owner: owner, define: definition, syntax: element.pattern, repetition: .one, documentation: fieldDocs))
            } else if let alternatives = structuralChoice(definition.body, definition.scope) {
                add(choiceField(alternatives, hint: definition.name, owner: owner, define: definition, repetition: .one))
            } else {
                within([definition.name]) { collect(definition.body, definition.scope, owner: owner, optional: optional, into: &fields) }
            }
        case .group(let children), .interleave(let children):
            if case .interleave = pattern.kind { owner.keepsChildOrder = true }
            for child in children { collect(child, scope, owner: owner, optional: optional, into: &fields) }
        case .optional(let children):
            let inner = children.count == 1 ? children[0] : PatternSyntax(.group(children), at: pattern.location)
            collect(inner, scope, owner: owner, optional: true, into: &fields)
        case .zeroOrMore(let children), .oneOrMore(let children):
            let inner = children.count == 1 ? children[0] : PatternSyntax(.group(children), at: pattern.location)
            fields.append(repeatedField(inner, scope, owner: owner, documentation: fieldDocs))
        case .choice(let children):
            if let alternatives = structuralChoice(pattern, scope) {
                add(choiceField(alternatives, hint: nil, owner: owner, define: nil, repetition: .one))
            } else if simpleValue(pattern, scope) == nil {
                // At most one alternative can match anything: it is the content.
                let possible = children.flatMap { flattenChoice($0, scope) }
                if possible.count == 1 { collect(possible[0].0, possible[0].1, owner: owner, optional: optional, into: &fields) }
            } else if let shape = simpleValue(pattern, scope) {
                add(textField(shape, owner: owner, documentation: fieldDocs))
            }
        case .mixed(let children):
            for child in children { collect(child, scope, owner: owner, optional: optional, into: &fields) }
            fields.append(Field(propertyName: "text", kind: .text(valueType: "String", optional: false), documentation: []))
        case .text:
            add(Field(propertyName: "text", kind: .text(valueType: "String", optional: false), documentation: fieldDocs))
        case .data, .value, .list:
            add(textField(simpleValue(pattern, scope) ?? .text, owner: owner, documentation: fieldDocs))
        case .externalRef(let reference):
            collect(reference.pattern, scope, owner: owner, optional: optional, into: &fields)
        case .grammar(let grammar):
            let nested = scopes.scope(for: grammar, parent: scope)
            if let start = nested.start { collect(start, nested, owner: owner, optional: optional, into: &fields) }
        case .empty, .notAllowed:
            break
        }
    }

    /// The field for an element's text of this shape: one allowed value is fixed text, with no
    /// property; any other shape is a `value` property of its type.
    private func textField(_ shape: ValueShape, owner: GeneratedType, documentation: [String]) -> Field {
        if case .values(let values) = shape, values.count == 1 {
            return Field(propertyName: "value", kind: .fixedText(value: GrammarValues.normalized(values[0])), documentation: documentation)
        }
        return Field(propertyName: "value", kind: .text(valueType: valueType(shape, nameHint: "value", owner: owner), optional: false), documentation: documentation)
    }

    private func elementField(
        _ name: QualifiedName, _ children: [PatternSyntax], _ scope: DefinitionScopes.Scope, owner: GeneratedType,
        define: DefinitionScopes.Definition?, syntax: PatternSyntax, repetition: Repetition, documentation: [String]
    ) -> Field {
        let propertyName = SwiftNames.propertyName(name.localName)
        let meaningful = children.filter { if case .empty = $0.kind { return false } else { return true } }
        if meaningful.isEmpty && repetition != .many {
            return Field(propertyName: propertyName, kind: .emptyElement(name, optional: repetition == .optional), documentation: documentation)
        }
        if isOpenContent(meaningful, scope, visited: []) {
            return Field(propertyName: propertyName, kind: .rawElement(name, repetition), documentation: documentation)
        }
        if meaningful.count == 1, let shape = simpleValue(meaningful[0], scope), configuredName(for: define) == nil {
            if case .values(let values) = shape, values.count == 1, repetition != .many {
                return Field(
                    propertyName: propertyName, kind: .fixedValueElement(name, value: GrammarValues.normalized(values[0]), optional: repetition == .optional),
                    documentation: documentation)
            }
            let type = valueType(shape, nameHint: define?.name ?? name.localName, owner: define == nil ? owner : nil)
            return Field(propertyName: propertyName, kind: .valueElement(name, valueType: type, repetition), documentation: documentation)
        }
        if repetition != .many, configuredName(for: define) == nil, meaningful.count == 1, let item = listItem(meaningful[0], scope, owner: owner) {
            return Field(propertyName: propertyName, kind: .elementList(name, item: item.name, itemType: item.type, optional: repetition == .optional), documentation: documentation)
        }
        let type = elementType(name, children, scope, owner: owner, define: define, syntax: syntax)
        return Field(propertyName: propertyName, kind: .element(name, type: type, repetition), documentation: documentation)
    }

    /// The element type that content consisting only of a repeated element repeats.
    private func listItem(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope, owner: GeneratedType) -> (name: QualifiedName, type: String)? {
        switch pattern.kind {
        case .zeroOrMore(let children), .oneOrMore(let children):
            guard children.count == 1 else { return nil }
            let field = repeatedField(children[0], scope, owner: owner, documentation: [])
            if case .element(let name, let type, .many) = field.kind { return (name, type) }
            return nil
        default:
            return nil
        }
    }

    /// Whether content accepts any attributes, elements and text: then it is kept as XML.
    private func isOpenContent(_ patterns: [PatternSyntax], _ scope: DefinitionScopes.Scope, visited: Set<String>) -> Bool {
        var hasAny = false
        func open(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope, _ visited: Set<String>) -> Bool {
            switch pattern.kind {
            case .attribute(let nameClass, _), .element(let nameClass, _):
                if case .name = nameClass.kind { return false }
                hasAny = true
                return true
            case .text, .empty: return true
            case .zeroOrMore(let children), .oneOrMore(let children), .optional(let children), .choice(let children),
                .group(let children), .interleave(let children), .mixed(let children):
                return children.allSatisfy { open($0, scope, visited) }
            case .ref(let name), .parentRef(let name):
                let target = pattern.kind.isParentRef ? scope.parent : scope
                guard let definition = target?.defines[name] else { return false }
                let key = "\(definition.scope.id)|\(name)"
                if visited.contains(key) { return true }
                return open(definition.body, definition.scope, visited.union([key]))
            default: return false
            }
        }
        let result = patterns.allSatisfy { open($0, scope, visited) }
        return result && hasAny
    }

    private func repeatedField(_ inner: PatternSyntax, _ scope: DefinitionScopes.Scope, owner: GeneratedType, documentation: [String]) -> Field {
        switch inner.kind {
        case .element(let nameClass, let children):
            if case .name(let name) = nameClass.kind {
                var field = elementField(name, children, scope, owner: owner, define: nil, syntax: inner, repetition: .many, documentation: documentation)
                field.propertyName = plural(field.propertyName)
                return field
            }
            return Field(propertyName: "otherElements", kind: .anyElements, documentation: documentation)
        case .ref(let name), .parentRef(let name):
            let target = inner.kind.isParentRef ? scope.parent : scope
            if let definition = target?.defines[name] {
                if let element = definition.element {
                    guard case .name(let qualified) = element.nameClass.kind else {
                        return Field(propertyName: "otherElements", kind: .anyElements, documentation: documentation)
                    }
                    var field = elementField(qualified, element.children, definition.scope, owner: owner, define: definition, syntax: element.pattern, repetition: .many, documentation: documentation)
                    field.propertyName = plural(field.propertyName)
                    return field
                }
                return within([definition.name]) { repeatedField(definition.body, definition.scope, owner: owner, documentation: documentation) }
            }
        case .choice:
            if let alternatives = structuralChoice(inner, scope) {
                var field = choiceField(alternatives, hint: nil, owner: owner, define: nil, repetition: .many)
                field.propertyName = plural(field.propertyName)
                return field
            }
        case .group(let children) where children.count == 1:
            return repeatedField(children[0], scope, owner: owner, documentation: documentation)
        default:
            break
        }
        // A repeated group: a struct of its own, read again and again from the same element.
        let type = makeType("Item", owner: owner, kind: .structure([]), element: nil, documentation: [sourceNote("a repeated group", inner.location)])
        var fields: [Field] = []
        collect(inner, scope, owner: type, optional: false, into: &fields)
        type.kind = .structure(uniqueFieldNames(fields))
        return Field(propertyName: "items", kind: .content(type: type.qualifiedName, .many), documentation: documentation)
    }

    private func choiceField(
        _ alternatives: [(PatternSyntax, DefinitionScopes.Scope)], hint: String?, owner: GeneratedType,
        define: DefinitionScopes.Definition?, repetition: Repetition
    ) -> Field {
        let baseName = hint ?? commonName(alternatives) ?? definesEntered(since: owner).last ?? "Choice"
        let key = define.map { "\($0.scope.id)|define|\($0.name)" }
        if let key, let known = choiceDefineTypes[key] {
            noteUse(of: known, by: owner)
            return Field(propertyName: SwiftNames.propertyName(baseName), kind: .content(type: known.qualifiedName, repetition), documentation: [])
        }
        let docs = documentation(define.map { [$0.annotations] } ?? [], source: sourceNote("a choice" + (define.map { " (define `\($0.name)`)" } ?? ""), alternatives.first?.0.location ?? SourceLocation(file: "", line: 0, column: 0)))
        let type = makeType(configuredName(for: define) ?? SwiftNames.typeName(baseName), owner: owner, kind: .choice([]), element: nil, documentation: docs)
        if let key {
            choiceDefineTypes[key] = type
            defineTypes[key] = type.qualifiedName
            noteUse(of: type, by: owner)
        }
        type.kind = .choice(self.alternatives(alternatives, owner: type))
        return Field(propertyName: SwiftNames.propertyName(baseName), kind: .content(type: type.qualifiedName, repetition), documentation: [])
    }

    /// The attribute or element name that the alternatives share, for naming their enum.
    private func commonName(_ alternatives: [(PatternSyntax, DefinitionScopes.Scope)]) -> String? {
        var counts: [String: Int] = [:]
        var order: [String] = []
        func visit(_ pattern: PatternSyntax, depth: Int) {
            guard depth < 4 else { return }
            switch pattern.kind {
            case .attribute(let nameClass, _), .element(let nameClass, _):
                if let local = nameClass.kind.localName {
                    if counts[local] == nil { order.append(local) }
                    counts[local, default: 0] += 1
                }
            case .group(let children), .interleave(let children), .optional(let children):
                children.forEach { visit($0, depth: depth + 1) }
            case .ref(let name):
                if counts[name] == nil { order.append(name) }
                counts[name, default: 0] += 1
            default: break
            }
        }
        for (pattern, _) in alternatives { visit(pattern, depth: 0) }
        // A name only one alternative has names that alternative, not the choice.
        guard let best = order.max(by: { (counts[$0] ?? 0) < (counts[$1] ?? 0) }), counts[best]! > 1 || alternatives.count == 1 else { return nil }
        return best
    }

    private func plural(_ name: String) -> String {
        if name.hasSuffix("s") || name.hasSuffix("Elements") || name == "items" { return name }
        if name.hasSuffix("y"), let last = name.dropLast().last, !"aeiou".contains(last) { return name.dropLast() + "ies" }
        return name + "s"
    }

    private func uniqueFieldNames(_ fields: [Field]) -> [Field] {
        var taken: Set<String> = []
        return fields.map { field in
            var field = field
            if taken.contains(field.propertyName), case .attribute = field.kind {
                field.propertyName += "Attribute"
            }
            field.propertyName = SwiftNames.unique(field.propertyName, in: taken)
            taken.insert(field.propertyName)
            return field
        }
    }

    // MARK: - Values

    /// The value a pattern holds when it holds nothing but a value.
    private func simpleValue(_ pattern: PatternSyntax, _ scope: DefinitionScopes.Scope) -> ValueShape? {
        switch pattern.kind {
        case .text: return .text
        case .data(let data): return .data(data)
        case .value(let value): return .values([value])
        case .list: return .list
        case .choice(let children):
            var shapes: [ValueShape] = []
            for child in children {
                guard let shape = simpleValue(child, scope) else { return nil }
                shapes.append(shape)
            }
            let values = shapes.compactMap { shape -> [ValueSyntax]? in
                if case .values(let values) = shape.unnamed, !shape.isNamed { return values } else { return nil }
            }
            if values.count == shapes.count { return .values(values.flatMap { $0 }) }
            return .union(shapes)
        case .ref(let name), .parentRef(let name):
            let target = pattern.kind.isParentRef ? scope.parent : scope
            guard let definition = target?.defines[name], definition.element == nil else { return nil }
            let key = "\(definition.scope.id)|\(name)"
            if let known = simpleValues[key] { return known }
            let found = simpleValue(definition.body, definition.scope).map { ValueShape.named(definition, $0) }
            simpleValues[key] = .some(found)
            return found
        case .group(let children) where children.count == 1:
            return simpleValue(children[0], scope)
        case .externalRef(let reference):
            return simpleValue(reference.pattern, scope)
        default:
            return nil
        }
    }

    /// The Swift type of a value shape, making the enum or wrapper it needs.
    private func valueType(_ shape: ValueShape, nameHint: String, owner: GeneratedType?) -> String {
        switch shape {
        case .text, .list:
            return "String"
        case .data(let data):
            if let builtin = Self.builtinType(data) { return builtin }
            let checks = [DatatypeCheckSpec(type: data.datatype.name, parameters: data.parameters.map { ParameterPair(name: $0.name, value: $0.value) })]
            if owner != nil, data.parameters.isEmpty, data.except == nil {
                // A datatype as it is (`xsd:dateTime`, `xsd:anyURI`): one checked type for the module.
                let key = "datatype|\(data.datatype.library)|\(data.datatype.name)"
                if let known = defineTypes[key] { return known }
                let type = makeType(SwiftNames.typeName(data.datatype.name), owner: nil, kind: .wrapper(checks), element: nil, documentation: ["A string that is a valid \(Self.describe(data))."])
                defineTypes[key] = type.qualifiedName
                return type.qualifiedName
            }
            return sharedValueType(nameHint, owner: owner, content: "\(checks)") {
                makeType(SwiftNames.typeName(nameHint), owner: owner, kind: .wrapper(checks), element: nil, documentation: ["A string restricted to \(Self.describe(data))."])
            }
        case .values(let values):
            if values.count == 1 { return "String" }
            var taken: Set<String> = []
            let cases = values.map { value -> ValueCase in
                let name = SwiftNames.unique(SwiftNames.caseName(GrammarValues.normalized(value)), in: taken)
                taken.insert(name)
                return ValueCase(name: name, value: GrammarValues.normalized(value), documentation: [])
            }
            return sharedValueType(nameHint, owner: owner, content: "\(cases.map(\.value))") {
                makeType(SwiftNames.typeName(nameHint), owner: owner, kind: .valueEnumeration(cases), element: nil, documentation: ["The values of `\(nameHint)`."])
            }
        case .union(let shapes):
            // Alternatives that are all restricted strings are one string type valid when any allows it.
            let dataOnly = shapes.compactMap { shape -> DataSyntax? in
                if case .data(let data) = shape, data.except == nil, Self.builtinType(data) == nil || Self.builtinType(data) == "String" { return data }
                return nil
            }
            if dataOnly.count == shapes.count {
                let checks = dataOnly.map { DatatypeCheckSpec(type: $0.datatype.name, parameters: $0.parameters.map { ParameterPair(name: $0.name, value: $0.value) }) }
                let described = dataOnly.map(Self.describe).joined(separator: " or ")
                return sharedValueType(nameHint, owner: owner, content: "\(checks)") {
                    makeType(SwiftNames.typeName(nameHint), owner: owner, kind: .wrapper(checks), element: nil, documentation: ["A string restricted to \(described)."])
                }
            }
            let type = makeType(SwiftNames.typeName(nameHint), owner: owner, kind: .valueUnion([]), element: nil, documentation: ["One of several kinds of value for `\(nameHint)`; decoding takes the first that fits."])
            var members: [UnionMember] = []
            var taken: Set<String> = []
            for shape in shapes {
                if case .values(let values) = shape, !shape.isNamed {
                    for value in values {
                        let name = SwiftNames.unique(SwiftNames.caseName(GrammarValues.normalized(value)), in: taken)
                        taken.insert(name)
                        members.append(UnionMember(caseName: name, kind: .value(GrammarValues.normalized(value))))
                    }
                } else {
                    let memberType = valueType(shape, nameHint: shape.name ?? "other", owner: shape.isNamed ? nil : type)
                    let name = SwiftNames.unique(SwiftNames.propertyName(shape.name ?? Self.caseHint(memberType)), in: taken)
                    taken.insert(name)
                    members.append(UnionMember(caseName: name, kind: .type(memberType)))
                }
            }
            type.kind = .valueUnion(members)
            return type.qualifiedName
        case .named(let definition, let inner):
            let key = "\(definition.scope.id)|define|\(definition.name)"
            if let known = defineTypes[key] { return known }
            let name = configuredName(for: definition) ?? SwiftNames.typeName(definition.name)
            let docs = documentation([definition.annotations], source: sourceNote("define `\(definition.name)`", definition.location))
            switch inner {
            case .text, .list:
                let type = makeType(name, owner: nil, kind: .alias("String"), element: nil, documentation: docs)
                defineTypes[key] = type.qualifiedName
                return type.qualifiedName
            case .data(let data) where Self.builtinType(data) != nil:
                let type = makeType(name, owner: nil, kind: .alias(Self.builtinType(data)!), element: nil, documentation: docs)
                defineTypes[key] = type.qualifiedName
                return type.qualifiedName
            case .named(_, _):
                let target = valueType(inner, nameHint: definition.name, owner: nil)
                let type = makeType(name, owner: nil, kind: .alias(target), element: nil, documentation: docs)
                defineTypes[key] = type.qualifiedName
                return type.qualifiedName
            default:
                let made = valueType(inner, nameHint: name, owner: nil)
                if let type = findType(made) {
                    type.documentation = docs
                }
                defineTypes[key] = made
                return made
            }
        }
    }

    /// The value type `make` makes, or the one made before inside the same owner for the same
    /// name and content.
    private func sharedValueType(_ nameHint: String, owner: GeneratedType?, content: String, make: () -> GeneratedType) -> String {
        guard let owner else { return make().qualifiedName }
        let key = "\(ObjectIdentifier(owner))|\(nameHint)|\(content)"
        if let known = valueTypesByContent[key] { return known }
        let made = make().qualifiedName
        valueTypesByContent[key] = made
        return made
    }

    private static func caseHint(_ type: String) -> String {
        type.split(separator: ".").last.map(String.init) ?? type
    }

    private static func describe(_ data: DataSyntax) -> String {
        let parameters = data.parameters.map { "\($0.name) `\($0.value)`" }.joined(separator: ", ")
        return "`\(data.datatype)`" + (parameters.isEmpty ? "" : " with \(parameters)")
    }

    /// The Swift type for an XML Schema or built-in datatype without parameters.
    static func builtinType(_ data: DataSyntax) -> String? {
        if data.except != nil { return nil }
        let name = data.datatype.name
        let facetsOnlyBound = data.parameters.allSatisfy { ["minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "totalDigits", "fractionDigits"].contains($0.name) }
        if data.datatype.library.isEmpty { return data.parameters.isEmpty ? "String" : nil }
        let numeric: [String: String] = [
            "int": "Int32", "unsignedInt": "UInt32", "long": "Int64", "unsignedLong": "UInt64", "short": "Int16",
            "unsignedShort": "UInt16", "byte": "Int8", "unsignedByte": "UInt8", "integer": "Int64",
            "nonPositiveInteger": "Int64", "negativeInteger": "Int64", "nonNegativeInteger": "UInt64",
            "positiveInteger": "UInt64", "double": "Double", "float": "Float",
        ]
        if let swift = numeric[name], facetsOnlyBound { return swift }
        if name == "boolean" && data.parameters.isEmpty { return "Bool" }
        // Every string is a `string`, and a `token` or `normalizedString` once collapsed; the
        // other datatypes have a lexical space of their own, which a checked type keeps.
        return data.parameters.isEmpty && ["string", "token", "normalizedString"].contains(name) ? "String" : nil
    }
}

extension PatternSyntax.Kind {
    var isParentRef: Bool { if case .parentRef = self { return true } else { return false } }
}

extension NameClassSyntax.Kind {
    var localName: String? { if case .name(let name) = self { return name.localName } else { return nil } }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}

extension Translator.ValueShape {
    var isNamed: Bool { if case .named = self { return true } else { return false } }

    /// The shape behind any define names.
    var unnamed: Translator.ValueShape {
        if case .named(_, let inner) = self { return inner.unnamed }
        return self
    }

    /// The define name, for naming a union's case.
    var name: String? { if case .named(let definition, _) = self { return definition.name } else { return nil } }
}

enum GrammarValues {
    /// A grammar value as its datatype compares it: kept for `string`, collapsed otherwise.
    static func normalized(_ value: ValueSyntax) -> String {
        let preserves = value.datatype.name == "string"
        guard !preserves else { return value.lexicalValue }
        return value.lexicalValue.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}
