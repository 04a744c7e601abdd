import Foundation
import RelaxNG
import Testing

/// A temporary directory holding the grammar files and documents of one test.
final class GrammarFixture {
    let directory: URL

    init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rng2swift-tests-\(UUID().uuidString)", isDirectory: true)
        for (name, content) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func schema(_ name: String = "main.rng", searchPath: [String] = []) throws -> Schema {
        try Schema(file: path(name), searchPath: GrammarSearchPath(searchPath))
    }
}

let rng = "xmlns=\"http://relaxng.org/ns/structure/1.0\""
let xsd = "datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\""

/// Loads a one-file grammar.
func schema(_ grammar: String, files: [String: String] = [:]) throws -> Schema {
    var all = files
    all["main.rng"] = grammar
    let fixture = try GrammarFixture(all)
    return try fixture.schema()
}

/// The diagnostics of loading a grammar that must be incorrect; records an issue when it loads.
func errors(_ grammar: String, files: [String: String] = [:], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
    do {
        _ = try schema(grammar, files: files)
        Issue.record("the grammar was accepted", sourceLocation: sourceLocation)
        return []
    } catch let error as DiagnosticError {
        return error.diagnostics
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return []
    }
}

/// Whether any diagnostic's message contains `text`.
func mentions(_ diagnostics: [Diagnostic], _ text: String) -> Bool {
    diagnostics.contains { $0.message.contains(text) }
}

extension Schema {
    func accepts(_ document: String) -> Bool {
        Validator(schema: self).validate(string: document, displayName: "doc.xml").isEmpty
    }

    func problems(_ document: String) -> [Diagnostic] {
        Validator(schema: self).validate(string: document, displayName: "doc.xml")
    }
}
