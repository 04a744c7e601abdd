/// What a user steers in generation, read from a JSON file (`rng2swift-config.json`); the JSON
/// Schema for it is `Sources/SwiftGenerator/GeneratorConfiguration.schema.json`.
public struct GeneratorConfiguration: Codable, Hashable, Sendable {
    /// The access level of the generated API: `public` (the default), `package` or `internal`.
    public var accessLevel: AccessLevel
    /// Type names by define name, for the defines whose names do not read well as Swift types:
    /// `{"disksnapshot": "DiskSnapshot"}`.
    public var typeNames: [String: String]
    /// Property names by the define (or, for an element written inline, the element name) of
    /// the type that holds them, then by attribute or element name:
    /// `{"disksnapshot": {"name": "target"}}`.
    public var propertyNames: [String: [String: String]]
    /// Defines whose element becomes a document root type (decodable from a whole document), in
    /// addition to the elements `start` allows.
    public var roots: [String]
    /// The name of the generated file, without `.swift`; by default the grammar's name in PascalCase.
    public var fileName: String?
    /// How many files to spread the generated types over (`Name+1.swift`…), so that the compiler
    /// works on them in parallel; 1, the default, writes one `Name.swift`.
    public var files: Int
    /// For the build-tool plugin: the grammar to generate from, found in the target's folder,
    /// the package's `schemas/` folder or along the search path.
    public var grammar: String?
    /// For the build-tool plugin: several grammars generated into one target, sharing the types
    /// they have in common.
    public var grammars: [String]
    /// For the build-tool plugin: more folders to look for included grammars in, relative to the package.
    public var searchPath: [String]

    public init(
        accessLevel: AccessLevel = .public, typeNames: [String: String] = [:], propertyNames: [String: [String: String]] = [:],
        roots: [String] = [], fileName: String? = nil, files: Int = 1, grammar: String? = nil, grammars: [String] = [],
        searchPath: [String] = []
    ) {
        self.grammars = grammars
        self.files = max(1, files)
        self.grammar = grammar
        self.searchPath = searchPath
        self.accessLevel = accessLevel
        self.typeNames = typeNames
        self.propertyNames = propertyNames
        self.roots = roots
        self.fileName = fileName
    }

    enum CodingKeys: String, CodingKey {
        case accessLevel, typeNames, propertyNames, roots, fileName, files, grammar, grammars, searchPath
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessLevel = try container.decodeIfPresent(AccessLevel.self, forKey: .accessLevel) ?? .public
        typeNames = try container.decodeIfPresent([String: String].self, forKey: .typeNames) ?? [:]
        propertyNames = try container.decodeIfPresent([String: [String: String]].self, forKey: .propertyNames) ?? [:]
        roots = try container.decodeIfPresent([String].self, forKey: .roots) ?? []
        fileName = try container.decodeIfPresent(String.self, forKey: .fileName)
        files = max(1, try container.decodeIfPresent(Int.self, forKey: .files) ?? 1)
        grammar = try container.decodeIfPresent(String.self, forKey: .grammar)
        grammars = try container.decodeIfPresent([String].self, forKey: .grammars) ?? []
        searchPath = try container.decodeIfPresent([String].self, forKey: .searchPath) ?? []
    }
}
