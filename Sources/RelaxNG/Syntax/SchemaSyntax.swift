/// Namespace URIs that RELAX NG gives meaning to.
public enum RelaxNGNamespaces {
    /// The namespace of RELAX NG's XML syntax.
    public static let structure = "http://relaxng.org/ns/structure/1.0"
    /// The namespace of `a:documentation` and the other compatibility annotations.
    public static let annotations = "http://relaxng.org/ns/compatibility/annotations/1.0"
    /// The XML Schema datatype library.
    public static let xmlSchemaDatatypes = "http://www.w3.org/2001/XMLSchema-datatypes"
    /// The namespace URI of namespace declarations, which may not be attribute names.
    public static let xmlns = "http://www.w3.org/2000/xmlns"
}

/// Documentation attached to a grammar element: what a code generator turns into doc comments.
public struct Annotations: Hashable, Sendable {
    /// The text of each `a:documentation` child, in order.
    public var documentation: [String] = []
    /// The XML comments written just before the element or first inside it.
    public var comments: [String] = []

    public init(documentation: [String] = [], comments: [String] = []) {
        self.documentation = documentation
        self.comments = comments
    }

    public var isEmpty: Bool { documentation.isEmpty && comments.isEmpty }
}

/// An expanded name: namespace URI (empty for none) and local name.
public struct QualifiedName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var namespace: String
    public var localName: String

    public init(namespace: String, localName: String) {
        self.namespace = namespace
        self.localName = localName
    }

    /// `local` without a namespace, `{uri}local` with one.
    public var description: String { namespace.isEmpty ? localName : "{\(namespace)}\(localName)" }

    public static func < (left: QualifiedName, right: QualifiedName) -> Bool {
        (left.namespace, left.localName) < (right.namespace, right.localName)
    }
}

/// A datatype as a grammar names it: library URI and local name.
public struct DatatypeName: Hashable, Sendable, CustomStringConvertible {
    public var library: String
    public var name: String

    public init(library: String, name: String) {
        self.library = library
        self.name = name
    }

    public var description: String {
        switch library {
        case "": return name
        case RelaxNGNamespaces.xmlSchemaDatatypes: return "xsd:\(name)"
        default: return "{\(library)}\(name)"
        }
    }
}

/// How same-named definitions merge (`combine="choice"` or `"interleave"`).
public enum Combine: String, Hashable, Sendable {
    case choice
    case interleave
}

/// A name class: which element or attribute names a pattern accepts.
public struct NameClassSyntax: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case name(QualifiedName)
        case anyName(except: NameClassSyntax?)
        case nsName(namespace: String, except: NameClassSyntax?)
        case choice([NameClassSyntax])
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// A pattern of the full syntax, as written: nothing simplified away, every source position kept.
///
/// This is the model a code generator reads: `define` names, `a:documentation`, comments and
/// the file, line and column of every pattern survive. `include` and `externalRef` are already
/// resolved to the grammars and patterns they load.
public struct PatternSyntax: Sendable {
    public indirect enum Kind: Sendable {
        case element(NameClassSyntax, [PatternSyntax])
        /// An attribute; no pattern means `text`.
        case attribute(NameClassSyntax, PatternSyntax?)
        case group([PatternSyntax])
        case interleave([PatternSyntax])
        case choice([PatternSyntax])
        case optional([PatternSyntax])
        case zeroOrMore([PatternSyntax])
        case oneOrMore([PatternSyntax])
        case list([PatternSyntax])
        case mixed([PatternSyntax])
        case ref(String)
        case parentRef(String)
        case empty
        case text
        case notAllowed
        case value(ValueSyntax)
        case data(DataSyntax)
        case externalRef(ExternalRefSyntax)
        case grammar(GrammarSyntax)
    }

    public var kind: Kind
    public var location: SourceLocation
    public var annotations: Annotations

    public init(_ kind: Kind, at location: SourceLocation, annotations: Annotations = Annotations()) {
        self.kind = kind
        self.location = location
        self.annotations = annotations
    }
}

/// `<value>`: one value of a datatype, compared in the datatype's value space.
public struct ValueSyntax: Sendable {
    public var datatype: DatatypeName
    /// The `ns` in scope, the default namespace for QName values.
    public var namespace: String
    /// Prefixes in scope at the `value` element, for QName values.
    public var namespaces: [String: String]
    public var lexicalValue: String
}

/// `<data>`: any value of a datatype, restricted by parameters and an `except` pattern.
public struct DataSyntax: Sendable {
    public var datatype: DatatypeName
    public var parameters: [ParameterSyntax]
    /// The patterns of the `except` child; nil when there is none.
    public var except: [PatternSyntax]?
}

/// `<param name="…">value</param>`.
public struct ParameterSyntax: Hashable, Sendable {
    public var name: String
    public var value: String
    public var location: SourceLocation
}

/// `<externalRef>` with the pattern it loaded.
public struct ExternalRefSyntax: Sendable {
    public var href: String
    /// The file the reference resolved to.
    public var file: String
    public var pattern: PatternSyntax
}

/// `<grammar>`: its components, with includes resolved.
public struct GrammarSyntax: Sendable {
    public var components: [GrammarComponent]
    public var location: SourceLocation
    public var annotations: Annotations
}

public enum GrammarComponent: Sendable {
    case start(StartSyntax)
    case define(DefineSyntax)
    case div(DivSyntax)
    case include(IncludeSyntax)
}

public struct StartSyntax: Sendable {
    public var combine: Combine?
    public var pattern: PatternSyntax
    public var location: SourceLocation
    public var annotations: Annotations
}

public struct DefineSyntax: Sendable {
    public var name: String
    public var combine: Combine?
    /// The children, an implicit group when there are several.
    public var patterns: [PatternSyntax]
    public var location: SourceLocation
    public var annotations: Annotations
}

public struct DivSyntax: Sendable {
    public var components: [GrammarComponent]
    public var location: SourceLocation
    public var annotations: Annotations
}

/// `<include>`: the loaded grammar (the components the include overrides already removed from
/// it) and the include's own components.
public struct IncludeSyntax: Sendable {
    public var href: String
    public var file: String
    public var grammar: GrammarSyntax
    public var components: [GrammarComponent]
    public var location: SourceLocation
    public var annotations: Annotations
}

extension GrammarComponent {
    /// Components of a grammar in the specification's sense: these, and those of every `div`
    /// and (already resolved) `include` inside.
    public static func flattened(_ components: [GrammarComponent]) -> [GrammarComponent] {
        var result: [GrammarComponent] = []
        for component in components {
            switch component {
            case .start, .define: result.append(component)
            case .div(let div): result += flattened(div.components)
            case .include(let include): result += flattened(include.grammar.components) + flattened(include.components)
            }
        }
        return result
    }
}
