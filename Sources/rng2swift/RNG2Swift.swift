import ArgumentParser
import Foundation
import RelaxNG
import SwiftGenerator

@main
struct RNG2Swift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rng2swift",
        abstract: "Generate Swift from RELAX NG grammars; check grammars and validate documents.",
        subcommands: [Check.self, Validate.self, Generate.self]
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

extension AccessLevel: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write Swift types, with XML decoders and encoders, for one grammar or several.",
        discussion: "Files are rewritten only when their bytes change. Exit 1 when the grammar is incorrect.")

    @OptionGroup var options: GrammarOptions

    @Argument(help: "More grammars, generated into the same module with the first: types they share are shared.")
    var moreGrammars: [String] = []

    @Option(name: .long, help: ArgumentHelp("The directory to write the Swift files to.", valueName: "dir"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("A JSON configuration file (see the README).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: "The access level of the generated API: public, package or internal.")
    var access: AccessLevel?

    @Option(name: .customLong("file-name"), help: ArgumentHelp("The generated file's name, without .swift.", valueName: "name"))
    var fileName: String?

    func run() throws {
        var configuration = GeneratorConfiguration()
        if let config {
            guard let data = FileManager.default.contents(atPath: config) else {
                printError("\(config): error: cannot read the configuration file")
                throw ExitCode(1)
            }
            do {
                configuration = try JSONDecoder().decode(GeneratorConfiguration.self, from: data)
            } catch {
                printError("\(config): error: not a valid configuration: \(error)")
                throw ExitCode(1)
            }
        }
        if let access { configuration.accessLevel = access }
        if let fileName { configuration.fileName = fileName }
        var schemas: [Schema] = []
        var failed = false
        for loaded in Schema.load(files: [options.grammar] + moreGrammars, searchPath: options.searchPath) {
            switch loaded {
            case .success(let schema): schemas.append(schema)
            case .failure(let error):
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
        let files = try SwiftCodeGenerator(configuration: configuration).generate(from: schemas)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for file in files {
            let path = (output as NSString).appendingPathComponent(file.name)
            let bytes = Data(file.contents.utf8)
            if FileManager.default.contents(atPath: path) != bytes {
                try bytes.write(to: URL(fileURLWithPath: path))
            }
        }
    }
}
