import CLibXML2
import Foundation

/// A grammar file read into the full-syntax model, with every file it includes or references.
public struct LoadedGrammar: Sendable {
    /// The top-level pattern (usually a `grammar`).
    public var pattern: PatternSyntax
    /// The file the grammar was loaded from, as given.
    public var file: String
    /// Every file read, the grammar first: what a build system must watch.
    public var files: [String]
    let datatypes: DatatypeLibraries
}

/// Reads RELAX NG grammars in the XML syntax into ``PatternSyntax``, applying the parts of the
/// specification's simplification that belong to reading (sections 4.1 to 4.11 and 4.16):
/// annotations set aside, whitespace removed, `datatypeLibrary` and `ns` inherited, QNames
/// resolved, `include` and `externalRef` loaded, and the syntax of section 3 checked.
///
/// Every problem is collected with its file, line and column; loading fails when there is any.
final class GrammarLoader {
    private let searchPath: GrammarSearchPath
    /// Grammar files given as text instead of on disk, by path (see ``Schema/init(embedded:main:)``).
    private let embedded: [String: String]
    private var diagnostics: [Diagnostic] = []
    private var documents: [String: XMLDocument] = [:]
    private var filesRead: [String] = []
    private var loadingStack: [String] = []
    let datatypes = DatatypeLibraries()

    init(searchPath: GrammarSearchPath, embedded: [String: String] = [:]) {
        self.searchPath = searchPath
        self.embedded = embedded
    }

    private func fileExists(_ path: String) -> Bool {
        embedded[path] != nil || (embedded.isEmpty && FileManager.default.fileExists(atPath: path))
    }

    /// What is inherited from ancestors: the `ns` and `datatypeLibrary` in scope.
    private struct Scope {
        var document: XMLDocument
        var namespace: String
        var datatypeLibrary: String
    }

    /// An element's RELAX NG children, annotations and text, foreign elements set aside.
    private struct Content {
        var elements: [(node: XMLNode, comments: [String])] = []
        var annotations = Annotations()
        var text = ""
    }

    func load(file path: String) throws(DiagnosticError) -> LoadedGrammar {
        var pattern: PatternSyntax?
        if let document = readDocument(path, displayName: path, requestedAt: nil) {
            loadingStack.append(canonicalPath(path))
            if let root = document.root {
                let scope = Scope(document: document, namespace: "", datatypeLibrary: "")
                if root.namespaceURI == RelaxNGNamespaces.structure {
                    pattern = self.pattern(root, scope, comments: [])
                } else {
                    error("the root element <\(root.qualifiedName)> is not a RELAX NG pattern (namespace \(RelaxNGNamespaces.structure))", root, scope)
                }
            }
            loadingStack.removeLast()
        }
        guard diagnostics.isEmpty, let pattern else {
            throw DiagnosticError(diagnostics.isEmpty ? [Diagnostic(.error, "no grammar loaded", at: nil)] : diagnostics)
        }
        return LoadedGrammar(pattern: pattern, file: path, files: filesRead, datatypes: datatypes)
    }

    // MARK: - Files

    private func canonicalPath(_ path: String) -> String {
        if !embedded.isEmpty { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private func readDocument(_ path: String, displayName: String, requestedAt location: SourceLocation?) -> XMLDocument? {
        let key = canonicalPath(path)
        if let known = documents[key] { return known }
        let bytes = embedded.isEmpty ? FileReading.contents(of: path) : embedded[path].map { Array($0.utf8) }
        guard let bytes else {
            let what = embedded.isEmpty ? "cannot read grammar file" : "no embedded grammar file"
            diagnostics.append(Diagnostic(.error, "\(what) \(displayName)", at: location))
            return nil
        }
        do {
            let document = try XMLDocument.parse(bytes, displayName: displayName, baseURI: path)
            documents[key] = document
            filesRead.append(path)
            return document
        } catch {
            diagnostics += error.diagnostics
            return nil
        }
    }

    /// Resolves an `href` against the element's base URI, then along the search path; only local
    /// files are ever opened.
    private func resolve(href rawHref: String, at node: XMLNode, _ scope: Scope) -> String? {
        let href = URIReference.escapingDisallowedCharacters(rawHref)
        guard URIReference.isValid(href) else {
            error("href \"\(rawHref)\" is not a URI reference", node, scope, attribute: "href")
            return nil
        }
        if href.contains("#") {
            error("href \"\(rawHref)\" must not have a fragment identifier", node, scope, attribute: "href")
            return nil
        }
        let base = node.baseURI ?? scope.document.source.displayName
        guard let resolved = URIReference.resolve(href, against: base) else {
            error("cannot resolve href \"\(rawHref)\" against \(base)", node, scope, attribute: "href")
            return nil
        }
        guard let path = URIReference.localPath(resolved) else {
            error("href \"\(rawHref)\" names \(resolved), which is not a local file; grammars are never fetched from the network", node, scope, attribute: "href")
            return nil
        }
        if fileExists(path) { return path }
        if embedded.isEmpty, URIReference.isRelative(href), let relative = URIReference.unescaped(href) {
            for directory in searchPath.directories {
                let candidate = (directory as NSString).appendingPathComponent(relative)
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
        }
        var message = "cannot find \"\(rawHref)\" (looked for \(path)"
        if URIReference.isRelative(href), !searchPath.directories.isEmpty {
            message += " and in \(searchPath.directories.joined(separator: ", "))"
        }
        message += "); add its directory with -I or \(GrammarSearchPath.environmentVariable)"
        error(message, node, scope, attribute: "href")
        return nil
    }

    /// Loads the file an `include` or `externalRef` names, refusing loops.
    private func loadReferenced(href: String, at node: XMLNode, _ scope: Scope, body: (XMLNode, XMLDocument) -> Void) -> String? {
        guard let path = resolve(href: href, at: node, scope) else { return nil }
        let key = canonicalPath(path)
        if loadingStack.contains(key) {
            error("\"\(href)\" refers back to \(path), which is already being loaded: a loop of includes or external references", node, scope, attribute: "href")
            return nil
        }
        guard let document = readDocument(path, displayName: path, requestedAt: scope.document.location(ofAttribute: "href", of: node)) else {
            return nil
        }
        guard let root = document.root else { return nil }
        loadingStack.append(key)
        body(root, document)
        loadingStack.removeLast()
        return path
    }

    // MARK: - Diagnostics

    private func error(_ message: String, _ node: XMLNode, _ scope: Scope, attribute: String? = nil) {
        let location = attribute.map { scope.document.location(ofAttribute: $0, of: node) } ?? scope.document.location(of: node)
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    private func location(_ node: XMLNode, _ scope: Scope) -> SourceLocation {
        scope.document.location(of: node)
    }

    // MARK: - Attributes and children

    private static let attributesByElement: [String: Set<String>] = [
        "element": ["name"], "attribute": ["name"], "ref": ["name"], "parentRef": ["name"],
        "value": ["type"], "data": ["type"], "param": ["name"], "externalRef": ["href"],
        "start": ["combine"], "define": ["name", "combine"], "include": ["href"],
    ]

    /// Checks the attributes of a RELAX NG element and applies `ns` and `datatypeLibrary`.
    private func enter(_ node: XMLNode, _ scope: Scope) -> Scope {
        var scope = scope
        let allowed = Self.attributesByElement[node.localName, default: []]
        for attribute in node.attributes {
            if attribute.namespaceURI.isEmpty {
                switch attribute.localName {
                case "ns":
                    scope.namespace = attribute.value
                case "datatypeLibrary":
                    let escaped = URIReference.escapingDisallowedCharacters(attribute.value)
                    if !escaped.isEmpty && !URIReference.isAbsoluteWithoutFragment(escaped) {
                        error("datatypeLibrary \"\(attribute.value)\" must be an absolute URI without a fragment identifier, or empty", node, scope, attribute: "datatypeLibrary")
                    }
                    scope.datatypeLibrary = escaped
                default:
                    if !allowed.contains(attribute.localName) {
                        error("attribute \"\(attribute.localName)\" is not allowed on <\(node.localName)>", node, scope, attribute: attribute.qualifiedName)
                    }
                }
            } else if attribute.namespaceURI == RelaxNGNamespaces.structure {
                error("attribute \"\(attribute.qualifiedName)\" in the RELAX NG namespace is not allowed", node, scope, attribute: attribute.qualifiedName)
            }
        }
        return scope
    }

    /// The RELAX NG children of `node`; text is an error unless `allowsText` (value, param, name).
    private func content(of node: XMLNode, _ scope: Scope, allowsText: Bool = false) -> Content {
        var content = Content()
        var pendingComments: [String] = []
        for child in node.children {
            switch child.type {
            case XML_ELEMENT_NODE:
                if child.namespaceURI == RelaxNGNamespaces.structure {
                    if allowsText {
                        error("<\(child.localName)> is not allowed inside <\(node.localName)>, which holds a string", child, scope)
                    } else {
                        content.elements.append((child, pendingComments))
                    }
                    pendingComments = []
                } else if allowsText {
                    error("element <\(child.qualifiedName)> is not allowed inside <\(node.localName)>", child, scope)
                } else if child.namespaceURI == RelaxNGNamespaces.annotations && child.localName == "documentation" {
                    content.annotations.documentation.append(Self.documentationText(child.textContent))
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if allowsText {
                    content.text += child.content
                } else if !XMLNames.isWhitespace(child.content) {
                    error("text is not allowed inside <\(node.localName)>", node, scope)
                }
            case XML_COMMENT_NODE:
                let text = XMLNames.trimmed(child.content)
                if !text.isEmpty { pendingComments.append(text) }
            default:
                break
            }
        }
        if content.elements.isEmpty { content.annotations.comments += pendingComments }
        return content
    }

    /// Documentation text with common indentation removed, as a doc comment wants it.
    static func documentationText(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let meaningful = lines.filter { !XMLNames.isWhitespace($0) }
        let indent = meaningful.map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }.min() ?? 0
        var result = lines.map { XMLNames.isWhitespace($0) ? "" : String($0.dropFirst(indent)) }
        while result.first == "" { result.removeFirst() }
        while result.last == "" { result.removeLast() }
        return result.joined(separator: "\n")
    }

    private func annotations(_ content: Content, comments: [String]) -> Annotations {
        Annotations(documentation: content.annotations.documentation, comments: comments + content.annotations.comments)
    }

    private func requiredName(_ node: XMLNode, _ scope: Scope, attribute: String = "name") -> String? {
        guard let raw = node.attribute(attribute) else {
            error("<\(node.localName)> needs a \"\(attribute)\" attribute", node, scope)
            return nil
        }
        let name = XMLNames.trimmed(raw)
        guard XMLNames.isNCName(name) else {
            error("\(attribute) \"\(raw)\" of <\(node.localName)> is not an NCName", node, scope, attribute: attribute)
            return nil
        }
        return name
    }

    private func combine(_ node: XMLNode, _ scope: Scope) -> Combine? {
        guard let raw = node.attribute("combine") else { return nil }
        guard let value = Combine(rawValue: XMLNames.trimmed(raw)) else {
            error("combine must be \"choice\" or \"interleave\", not \"\(raw)\"", node, scope, attribute: "combine")
            return nil
        }
        return value
    }

    // MARK: - Patterns

    private static let patternNames: Set<String> = [
        "element", "attribute", "group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore",
        "list", "mixed", "ref", "parentRef", "empty", "text", "value", "data", "notAllowed", "externalRef", "grammar",
    ]

    private func patterns(_ elements: [(node: XMLNode, comments: [String])], _ scope: Scope) -> [PatternSyntax] {
        elements.compactMap { pattern($0.node, scope, comments: $0.comments) }
    }

    private func pattern(_ node: XMLNode, _ outer: Scope, comments: [String]) -> PatternSyntax? {
        let name = node.localName
        guard Self.patternNames.contains(name) else {
            error("<\(name)> is not a RELAX NG pattern", node, outer)
            return nil
        }
        let scope = enter(node, outer)
        let here = location(node, scope)
        switch name {
        case "element", "attribute":
            return elementOrAttribute(node, scope, comments: comments)
        case "group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore", "list", "mixed":
            let content = self.content(of: node, scope)
            let children = patterns(content.elements, scope)
            if content.elements.isEmpty {
                error("<\(name)> needs at least one pattern", node, scope)
                return nil
            }
            let kind: PatternSyntax.Kind
            switch name {
            case "group": kind = .group(children)
            case "interleave": kind = .interleave(children)
            case "choice": kind = .choice(children)
            case "optional": kind = .optional(children)
            case "zeroOrMore": kind = .zeroOrMore(children)
            case "oneOrMore": kind = .oneOrMore(children)
            case "list": kind = .list(children)
            default: kind = .mixed(children)
            }
            return PatternSyntax(kind, at: here, annotations: annotations(content, comments: comments))
        case "ref", "parentRef":
            let content = self.content(of: node, scope)
            expectNoChildren(content, node, scope)
            guard let target = requiredName(node, scope) else { return nil }
            return PatternSyntax(name == "ref" ? .ref(target) : .parentRef(target), at: here, annotations: annotations(content, comments: comments))
        case "empty", "text", "notAllowed":
            let content = self.content(of: node, scope)
            expectNoChildren(content, node, scope)
            let kind: PatternSyntax.Kind = name == "empty" ? .empty : name == "text" ? .text : .notAllowed
            return PatternSyntax(kind, at: here, annotations: annotations(content, comments: comments))
        case "value":
            return value(node, scope, comments: comments)
        case "data":
            return data(node, scope, comments: comments)
        case "externalRef":
            return externalRef(node, scope, comments: comments)
        default:
            return grammar(node, scope, comments: comments).map {
                PatternSyntax(.grammar($0), at: here, annotations: $0.annotations)
            }
        }
    }

    private func expectNoChildren(_ content: Content, _ node: XMLNode, _ scope: Scope) {
        if let child = content.elements.first {
            error("<\(node.localName)> must be empty, but has <\(child.node.localName)>", child.node, scope)
        }
    }

    private func elementOrAttribute(_ node: XMLNode, _ scope: Scope, comments: [String]) -> PatternSyntax? {
        let isAttribute = node.localName == "attribute"
        let content = self.content(of: node, scope)
        var elements = content.elements
        let nameClass: NameClassSyntax
        if let raw = node.attribute("name") {
            // An attribute's unprefixed name is in no namespace unless the attribute itself has `ns`.
            let defaultNamespace = isAttribute ? (node.attribute("ns") ?? "") : scope.namespace
            guard let qualified = resolveQName(raw, at: node, scope, defaultNamespace: defaultNamespace, attribute: "name") else { return nil }
            nameClass = NameClassSyntax(.name(qualified), at: location(node, scope))
        } else {
            guard let first = elements.first else {
                error("<\(node.localName)> needs a name attribute or a name class", node, scope)
                return nil
            }
            elements.removeFirst()
            guard let parsed = self.nameClass(first.node, scope, inExcept: nil) else { return nil }
            nameClass = parsed
        }
        let children = patterns(elements, scope)
        let here = location(node, scope)
        let annotations = self.annotations(content, comments: comments)
        if isAttribute {
            checkAttributeName(nameClass, scope)
            if elements.count > 1 {
                error("<attribute> has at most one pattern, but has \(elements.count)", elements[1].node, scope)
                return nil
            }
            return PatternSyntax(.attribute(nameClass, children.first), at: here, annotations: annotations)
        }
        if elements.isEmpty {
            error("<element> needs at least one pattern", node, scope)
            return nil
        }
        return PatternSyntax(.element(nameClass, children), at: here, annotations: annotations)
    }

    /// Section 4.16: `xmlns` and the xmlns namespace are not attribute names.
    private func checkAttributeName(_ nameClass: NameClassSyntax, _ scope: Scope) {
        switch nameClass.kind {
        case .name(let name):
            if name.namespace.isEmpty && name.localName == "xmlns" {
                diagnostics.append(Diagnostic(.error, "\"xmlns\" cannot be an attribute name: it declares a namespace", at: nameClass.location))
            } else if name.namespace == RelaxNGNamespaces.xmlns {
                diagnostics.append(Diagnostic(.error, "attribute names cannot be in the namespace \(RelaxNGNamespaces.xmlns)", at: nameClass.location))
            }
        case .nsName(let namespace, let except):
            if namespace == RelaxNGNamespaces.xmlns {
                diagnostics.append(Diagnostic(.error, "attribute names cannot be in the namespace \(RelaxNGNamespaces.xmlns)", at: nameClass.location))
            }
            if let except { checkAttributeName(except, scope) }
        case .anyName(let except):
            if let except { checkAttributeName(except, scope) }
        case .choice(let choices):
            choices.forEach { checkAttributeName($0, scope) }
        }
    }

    private func resolveQName(_ raw: String, at node: XMLNode, _ scope: Scope, defaultNamespace: String, attribute: String?) -> QualifiedName? {
        let text = XMLNames.trimmed(raw)
        guard XMLNames.isQName(text) else {
            error("\"\(raw)\" is not a QName", node, scope, attribute: attribute)
            return nil
        }
        let (prefix, local) = XMLNames.split(qualifiedName: text)
        guard let prefix else { return QualifiedName(namespace: defaultNamespace, localName: local) }
        guard let namespace = node.namespaceURI(forPrefix: prefix) else {
            error("the prefix \"\(prefix)\" of \"\(text)\" is not declared", node, scope, attribute: attribute)
            return nil
        }
        return QualifiedName(namespace: namespace, localName: local)
    }

    // MARK: - Name classes

    /// `inExcept` is the name class whose `except` is being read, for section 4.16's checks.
    private func nameClass(_ node: XMLNode, _ outer: Scope, inExcept: String?) -> NameClassSyntax? {
        let scope = enter(node, outer)
        let here = location(node, scope)
        switch node.localName {
        case "name":
            let content = self.content(of: node, scope, allowsText: true)
            guard let name = resolveQName(content.text, at: node, scope, defaultNamespace: scope.namespace, attribute: nil) else { return nil }
            return NameClassSyntax(.name(name), at: here)
        case "anyName", "nsName":
            let isAny = node.localName == "anyName"
            if let outer = inExcept {
                if isAny {
                    error("<anyName> cannot occur inside the except of <\(outer)>", node, scope)
                } else if outer == "nsName" {
                    error("<nsName> cannot occur inside the except of <nsName>", node, scope)
                }
            }
            let content = self.content(of: node, scope)
            var except: NameClassSyntax?
            for (index, child) in content.elements.enumerated() {
                guard index == 0, child.node.localName == "except" else {
                    error("<\(node.localName)> may contain only one <except>", child.node, scope)
                    continue
                }
                except = exceptNameClass(child.node, scope, of: inExcept ?? node.localName, here: here)
            }
            return NameClassSyntax(isAny ? .anyName(except: except) : .nsName(namespace: scope.namespace, except: except), at: here)
        case "choice":
            let content = self.content(of: node, scope)
            guard !content.elements.isEmpty else {
                error("<choice> needs at least one name class", node, scope)
                return nil
            }
            let choices = content.elements.compactMap { nameClass($0.node, scope, inExcept: inExcept) }
            return NameClassSyntax(choices.count == 1 ? choices[0].kind : .choice(choices), at: here)
        default:
            error("<\(node.localName)> is not a name class (name, anyName, nsName or choice)", node, scope)
            return nil
        }
    }

    private func exceptNameClass(_ node: XMLNode, _ outer: Scope, of owner: String, here: SourceLocation) -> NameClassSyntax? {
        let scope = enter(node, outer)
        let content = self.content(of: node, scope)
        guard !content.elements.isEmpty else {
            error("<except> needs at least one name class", node, scope)
            return nil
        }
        let choices = content.elements.compactMap { nameClass($0.node, scope, inExcept: owner) }
        return choices.count == 1 ? choices[0] : NameClassSyntax(.choice(choices), at: location(node, scope))
    }

    // MARK: - Datatypes

    private func value(_ node: XMLNode, _ scope: Scope, comments: [String]) -> PatternSyntax? {
        let content = self.content(of: node, scope, allowsText: true)
        let datatypeName: DatatypeName
        if let raw = node.attribute("type") {
            let type = XMLNames.trimmed(raw)
            guard XMLNames.isNCName(type) else {
                error("type \"\(raw)\" is not an NCName", node, scope, attribute: "type")
                return nil
            }
            datatypeName = DatatypeName(library: scope.datatypeLibrary, name: type)
        } else {
            datatypeName = DatatypeName(library: "", name: "token")
        }
        let here = location(node, scope)
        let syntax = ValueSyntax(datatype: datatypeName, namespace: scope.namespace, namespaces: node.namespaceMap, lexicalValue: content.text)
        do {
            let datatype = try datatypes.datatype(datatypeName, parameters: [], at: here)
            let context = ValueContext.grammar(defaultNamespace: syntax.namespace, prefixes: syntax.namespaces)
            if !datatype.allows(content.text, in: context) {
                error("\"\(content.text)\" is not a value of \(datatype.summary)", node, scope)
            }
        } catch {
            diagnostics.append(Diagnostic(.error, error.message, at: error.location ?? here))
        }
        return PatternSyntax(.value(syntax), at: here, annotations: Annotations(comments: comments))
    }

    private func data(_ node: XMLNode, _ scope: Scope, comments: [String]) -> PatternSyntax? {
        let content = self.content(of: node, scope)
        guard let type = requiredName(node, scope, attribute: "type") else { return nil }
        var parameters: [ParameterSyntax] = []
        var except: [PatternSyntax]?
        for child in content.elements {
            switch child.node.localName {
            case "param":
                if except != nil {
                    error("<param> must come before <except>", child.node, scope)
                }
                let parameterScope = enter(child.node, scope)
                let parameterContent = self.content(of: child.node, parameterScope, allowsText: true)
                guard let name = requiredName(child.node, parameterScope) else { continue }
                parameters.append(ParameterSyntax(name: name, value: parameterContent.text, location: location(child.node, parameterScope)))
            case "except":
                if except != nil {
                    error("<data> may have only one <except>", child.node, scope)
                }
                let exceptScope = enter(child.node, scope)
                let exceptContent = self.content(of: child.node, exceptScope)
                if exceptContent.elements.isEmpty {
                    error("<except> needs at least one pattern", child.node, exceptScope)
                }
                except = patterns(exceptContent.elements, exceptScope)
            default:
                error("<\(child.node.localName)> is not allowed inside <data>; only <param> and <except>", child.node, scope)
            }
        }
        let here = location(node, scope)
        let name = DatatypeName(library: scope.datatypeLibrary, name: type)
        do {
            _ = try datatypes.datatype(name, parameters: parameters, at: here)
        } catch {
            diagnostics.append(Diagnostic(.error, error.message, at: error.location ?? here))
        }
        return PatternSyntax(.data(DataSyntax(datatype: name, parameters: parameters, except: except)), at: here, annotations: annotations(content, comments: comments))
    }

    // MARK: - External references and grammars

    private func externalRef(_ node: XMLNode, _ scope: Scope, comments: [String]) -> PatternSyntax? {
        let content = self.content(of: node, scope)
        expectNoChildren(content, node, scope)
        guard let href = node.attribute("href") else {
            error("<externalRef> needs an \"href\" attribute", node, scope)
            return nil
        }
        var referenced: PatternSyntax?
        let path = loadReferenced(href: href, at: node, scope) { root, document in
            // ns is inherited into the referenced file; datatypeLibrary is not.
            let inner = Scope(document: document, namespace: scope.namespace, datatypeLibrary: "")
            guard root.namespaceURI == RelaxNGNamespaces.structure, Self.patternNames.contains(root.localName) else {
                error("\(href) must contain a RELAX NG pattern, not <\(root.qualifiedName)>", node, scope, attribute: "href")
                return
            }
            referenced = pattern(root, inner, comments: [])
        }
        guard let path, let referenced else { return nil }
        return PatternSyntax(
            .externalRef(ExternalRefSyntax(href: href, file: path, pattern: referenced)), at: location(node, scope),
            annotations: annotations(content, comments: comments))
    }

    private func grammar(_ node: XMLNode, _ scope: Scope, comments: [String]) -> GrammarSyntax? {
        let content = self.content(of: node, scope)
        let components = grammarContent(content, scope, inInclude: false)
        return GrammarSyntax(components: components, location: location(node, scope), annotations: annotations(content, comments: comments))
    }

    private func grammarContent(_ content: Content, _ scope: Scope, inInclude: Bool) -> [GrammarComponent] {
        var components: [GrammarComponent] = []
        for (child, comments) in content.elements {
            let inner = enter(child, scope)
            let here = location(child, inner)
            switch child.localName {
            case "start":
                let childContent = self.content(of: child, inner)
                guard childContent.elements.count == 1 else {
                    error("<start> must contain exactly one pattern, but has \(childContent.elements.count)", child, inner)
                    continue
                }
                let combine = self.combine(child, inner)
                guard let pattern = patterns(childContent.elements, inner).first else { continue }
                components.append(.start(StartSyntax(combine: combine, pattern: pattern, location: here, annotations: annotations(childContent, comments: comments))))
            case "define":
                let childContent = self.content(of: child, inner)
                guard let name = requiredName(child, inner) else { continue }
                let combine = self.combine(child, inner)
                guard !childContent.elements.isEmpty else {
                    error("<define name=\"\(name)\"> needs at least one pattern", child, inner)
                    continue
                }
                let body = patterns(childContent.elements, inner)
                components.append(.define(DefineSyntax(name: name, combine: combine, patterns: body, location: here, annotations: annotations(childContent, comments: comments))))
            case "div":
                let childContent = self.content(of: child, inner)
                let inside = grammarContent(childContent, inner, inInclude: inInclude)
                components.append(.div(DivSyntax(components: inside, location: here, annotations: annotations(childContent, comments: comments))))
            case "include" where !inInclude:
                if let include = include(child, inner, comments: comments) { components.append(.include(include)) }
            default:
                let place = inInclude ? "<include>" : "<grammar>"
                error("<\(child.localName)> is not allowed in \(place); only start, define, div\(inInclude ? "" : " and include")", child, inner)
            }
        }
        return components
    }

    private func include(_ node: XMLNode, _ scope: Scope, comments: [String]) -> IncludeSyntax? {
        let content = self.content(of: node, scope)
        guard let href = node.attribute("href") else {
            error("<include> needs an \"href\" attribute", node, scope)
            return nil
        }
        var included: GrammarSyntax?
        let path = loadReferenced(href: href, at: node, scope) { root, document in
            let inner = Scope(document: document, namespace: scope.namespace, datatypeLibrary: "")
            guard root.namespaceURI == RelaxNGNamespaces.structure, root.localName == "grammar" else {
                error("\(href) must contain a <grammar>, not <\(root.qualifiedName)>", node, scope, attribute: "href")
                return
            }
            included = grammar(root, enter(root, inner), comments: [])
        }
        let overrides = grammarContent(content, scope, inInclude: true)
        guard let path, var grammar = included else { return nil }
        let here = location(node, scope)
        let own = GrammarComponent.flattened(overrides)
        let theirs = GrammarComponent.flattened(grammar.components)
        let overridesStart = own.contains { if case .start = $0 { return true } else { return false } }
        let overriddenDefines = Set(own.compactMap { component -> String? in
            if case .define(let define) = component { return define.name } else { return nil }
        })
        if overridesStart && !theirs.contains(where: { if case .start = $0 { return true } else { return false } }) {
            diagnostics.append(Diagnostic(.error, "the include overrides <start>, but \(href) has none", at: here))
        }
        let theirDefines = Set(theirs.compactMap { component -> String? in
            if case .define(let define) = component { return define.name } else { return nil }
        })
        for name in overriddenDefines.sorted() where !theirDefines.contains(name) {
            diagnostics.append(Diagnostic(.error, "the include overrides define \"\(name)\", but \(href) has no define of that name", at: here))
        }
        grammar.components = Self.removing(overridesStart: overridesStart, defines: overriddenDefines, from: grammar.components)
        return IncludeSyntax(href: href, file: path, grammar: grammar, components: overrides, location: here, annotations: annotations(content, comments: comments))
    }

    /// The components with overridden `start` and `define`s removed, through `div`s and includes.
    private static func removing(overridesStart: Bool, defines: Set<String>, from components: [GrammarComponent]) -> [GrammarComponent] {
        components.compactMap { component in
            switch component {
            case .start: return overridesStart ? nil : component
            case .define(let define): return defines.contains(define.name) ? nil : component
            case .div(var div):
                div.components = removing(overridesStart: overridesStart, defines: defines, from: div.components)
                return .div(div)
            case .include(var include):
                include.grammar.components = removing(overridesStart: overridesStart, defines: defines, from: include.grammar.components)
                include.components = removing(overridesStart: overridesStart, defines: defines, from: include.components)
                return .include(include)
            }
        }
    }
}
