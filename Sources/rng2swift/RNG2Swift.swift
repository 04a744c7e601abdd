import ArgumentParser
import Foundation
import RelaxNG

@main
struct RNG2Swift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rng2swift",
        abstract: "Check RELAX NG grammars and validate XML documents against them.",
        subcommands: [Check.self, Validate.self]
    )
}

/// Options shared by every subcommand that loads a grammar.
struct GrammarOptions: ParsableArguments {
    @Argument(help: "The grammar, in RELAX NG's XML syntax.")
    var grammar: String

    @Option(
        name: [.customShort("I"), .customLong("include-path")],
        help: ArgumentHelp(
            "A directory to search for included grammars (repeatable); then $\(GrammarSearchPath.environmentVariable), then libvirt's usual directories.",
            valueName: "dir"))
    var includePath: [String] = []

    var searchPath: GrammarSearchPath { .standard(adding: includePath) }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the grammar is correct; otherwise print its errors and exit 1.")

    @OptionGroup var options: GrammarOptions

    func run() throws {
        do {
            _ = try Schema(file: options.grammar, searchPath: options.searchPath)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate documents: one line per document on stdout, errors on stderr.",
        discussion: "Exit 0 when every document is valid, 1 when any is invalid, 2 when the grammar is incorrect or unreadable.")

    @OptionGroup var options: GrammarOptions

    @Argument(help: "The documents to validate.")
    var documents: [String] = []

    func run() throws {
        let schema: Schema
        do {
            schema = try Schema(file: options.grammar, searchPath: options.searchPath)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(2)
        }
        let validator = Validator(schema: schema)
        var allValid = true
        for document in documents {
            let problems = validator.validate(file: document)
            if problems.isEmpty {
                print("\(document): valid")
            } else {
                allValid = false
                print("\(document): invalid")
                for problem in problems { printError(problem.description) }
            }
        }
        if !allValid { throw ExitCode(1) }
    }
}
