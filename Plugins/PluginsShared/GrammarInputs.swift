import Foundation

/// What both plugins need: the configuration file, the grammar it names, every file that grammar
/// includes or references, and the name of the file generated from it.
struct GrammarInputs {
    /// The configuration file a target carries to have Swift generated for it.
    static let configurationFileName = "rng2swift-config.json"

    struct Configuration: Decodable {
        var grammar: String?
        var grammars: [String]?
        var searchPath: [String]?
        var fileName: String?
        var files: Int?
    }

    enum Problem: Error, CustomStringConvertible {
        case unreadableConfiguration(URL, String)
        case noGrammar(URL)
        case grammarNotFound(String, searched: [URL])

        var description: String {
            switch self {
            case .unreadableConfiguration(let file, let reason):
                return "\(file.path): error: cannot read the configuration: \(reason)"
            case .noGrammar(let file):
                return "\(file.path): error: the configuration must name a grammar, for example {\"grammar\": \"domainsnapshot.rng\"}, or several: {\"grammars\": [\"domain.rng\", \"network.rng\"]}"
            case .grammarNotFound(let name, let searched):
                return "error: cannot find the grammar \"\(name)\"; looked in \(searched.map(\.path).joined(separator: ", ")). Put it in the target's folder or in the package's schemas/ folder, or add its folder to \"searchPath\""
            }
        }
    }

    let configuration: URL
    /// The grammars generated into the target, in the configuration's order.
    let grammars: [URL]
    /// The first grammar, which names the output when the configuration does not.
    var grammar: URL { grammars[0] }
    /// The grammars and every file they include or reference, transitively.
    let grammarFiles: [URL]
    let searchPath: [URL]
    /// The files generation writes, as the generator names them.
    let outputFileNames: [String]
    private let baseName: String

    /// The inputs of a target, or nil when the target has no configuration file.
    init?(targetDirectory: URL, packageDirectory: URL, environment: [String: String]) throws {
        configuration = targetDirectory.appendingPathComponent(Self.configurationFileName)
        guard FileManager.default.fileExists(atPath: configuration.path) else { return nil }
        let settings: Configuration
        do {
            settings = try JSONDecoder().decode(Configuration.self, from: Data(contentsOf: configuration))
        } catch {
            throw Problem.unreadableConfiguration(configuration, "\(error)")
        }
        let names = (settings.grammar.map { [$0] } ?? []) + (settings.grammars ?? [])
        guard !names.isEmpty else { throw Problem.noGrammar(configuration) }
        var directories = [targetDirectory, packageDirectory.appendingPathComponent("schemas")]
        directories += (settings.searchPath ?? []).map { packageDirectory.appendingPathComponent($0) }
        if let extra = environment["RNG2SWIFT_SCHEMA_PATH"] {
            directories += extra.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        directories += ["/usr/share/libvirt/schemas", "/usr/local/share/libvirt/schemas", "/opt/homebrew/share/libvirt/schemas"].map { URL(fileURLWithPath: $0) }
        searchPath = directories
        var found: [URL] = []
        for name in names {
            guard let grammar = Self.locate(name, relativeTo: nil, in: directories) else {
                throw Problem.grammarNotFound(name, searched: directories)
            }
            found.append(grammar)
        }
        grammars = found
        var all: [String: URL] = [:]
        for grammar in found {
            for file in Self.closure(of: grammar, searchPath: directories) { all[file.path] = file }
        }
        grammarFiles = all.keys.sorted().map { all[$0]! }
        let base = settings.fileName ?? Self.typeName(found[0].deletingPathExtension().lastPathComponent)
        let files = max(1, settings.files ?? 1)
        baseName = base
        outputFileNames = files > 1 ? (1...files).map { "\(base)+\($0).swift" } : [base + ".swift"]
    }

    /// `href` as the generator resolves it: next to the file that names it, then along the search path.
    static func locate(_ href: String, relativeTo base: URL?, in directories: [URL]) -> URL? {
        if href.hasPrefix("/") { return FileManager.default.fileExists(atPath: href) ? URL(fileURLWithPath: href) : nil }
        var candidates: [URL] = []
        if let base { candidates.append(base.deletingLastPathComponent().appendingPathComponent(href)) }
        candidates += directories.map { $0.appendingPathComponent(href) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.standardizedFileURL
    }

    /// The grammar and the files its `include` and `externalRef` elements name, transitively,
    /// in a stable order: what the build must watch.
    static func closure(of grammar: URL, searchPath: [URL]) -> [URL] {
        var seen: Set<String> = []
        var order: [URL] = []
        var pending = [grammar.standardizedFileURL]
        let reference = try! NSRegularExpression(pattern: "<(?:[A-Za-z_][\\w.-]*:)?(?:include|externalRef)\\b[^>]*?\\bhref\\s*=\\s*([\"'])(.*?)\\1")
        while let file = pending.popLast() {
            guard seen.insert(file.path).inserted else { continue }
            order.append(file)
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let range = NSRange(text.startIndex..., in: text)
            for match in reference.matches(in: text, range: range) {
                guard let hrefRange = Range(match.range(at: 2), in: text) else { continue }
                if let found = locate(String(text[hrefRange]), relativeTo: file, in: searchPath) { pending.append(found) }
            }
        }
        return order.sorted { $0.path < $1.path }
    }

    /// `domainsnapshot` → `Domainsnapshot`, `disk-snapshot` → `DiskSnapshot`.
    static func typeName(_ text: String) -> String {
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? "Generated" : name
    }

    /// The arguments that run `rng2swift generate` for these inputs into `output`.
    func generateArguments(output: URL) -> [String] {
        var arguments = ["generate"] + grammars.map(\.path) + ["--output", output.path, "--config", configuration.path, "--file-name", baseName]
        for directory in searchPath { arguments += ["-I", directory.path] }
        return arguments
    }
}
