/// A correct RELAX NG grammar: loaded, simplified and checked, ready to validate documents.
///
/// ```swift
/// let schema = try Schema(file: "schemas/domainsnapshot.rng")
/// let problems = Validator(schema: schema).validate(file: "snapshot.xml")
/// ```
///
/// Loading fails with a ``DiagnosticError`` whose diagnostics name the file, line and column of
/// every problem found: XML that is not well-formed, the syntax of section 3, the errors of the
/// simplification in section 4 and the restrictions of section 7 of the specification.
public final class Schema: @unchecked Sendable {
    /// The grammar as written, with locations, annotations and resolved includes.
    public let grammar: LoadedGrammar
    let simplified: SimpleGrammar
    let patterns: PatternStore

    /// Loads, simplifies and checks the grammar in `file`, finding included files next to the
    /// file that names them, then along `searchPath`.
    public convenience init(file: String, searchPath: GrammarSearchPath = .standard()) throws(DiagnosticError) {
        try self.init(loader: GrammarLoader(searchPath: searchPath), file: file)
    }

    /// Loads a grammar whose files are given as text, by absolute path: what generated code
    /// embeds so that it validates without reading any file. `main` is the top-level file.
    public convenience init(embedded files: [String: String], main: String) throws(DiagnosticError) {
        try self.init(loader: GrammarLoader(searchPath: GrammarSearchPath([]), embedded: files), file: main)
    }

    private init(loader: GrammarLoader, file: String) throws(DiagnosticError) {
        // Simplifying follows references recursively, as deep as a grammar's chains of defines go.
        (grammar, simplified, patterns) = try LargeStack.run { () throws(DiagnosticError) in try Self.compile(file, with: loader) }
    }

    private init(_ parts: (LoadedGrammar, SimpleGrammar, PatternStore)) {
        (grammar, simplified, patterns) = parts
    }

    /// Loads several grammars at once, each on its own (they share nothing), as many at a time
    /// as there are processors: one outcome per file, in order.
    public static func load(files: [String], searchPath: GrammarSearchPath = .standard()) -> [Result<Schema, DiagnosticError>] {
        LargeStack.map(files) { (file) -> Result<Schema, DiagnosticError> in
            do throws(DiagnosticError) {
                return .success(Schema(try compile(file, with: GrammarLoader(searchPath: searchPath))))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Run on a large stack.
    private static func compile(_ file: String, with loader: GrammarLoader) throws(DiagnosticError) -> (LoadedGrammar, SimpleGrammar, PatternStore) {
        let grammar = try loader.load(file: file)
        let simplifier = Simplifier(datatypes: grammar.datatypes)
        let simplified = try simplifier.simplify(grammar.pattern)
        var checker = RestrictionChecker(simplified)
        let problems = checker.check()
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return (grammar, simplified, PatternStore(simplified))
    }

    /// Every file the grammar was read from, the grammar first.
    public var files: [String] { grammar.files }
}
