import Foundation
import PackagePlugin

/// `swift package generate-rng-swift [--target NAME]...`: writes the Swift that the build-tool
/// plugin generates into `Generated/<target>/`, for reading and reviewing; files whose bytes do
/// not change are left alone.
@main
struct RNG2SwiftCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = Set(extractor.extractOption(named: "target"))
        let generator = try context.tool(named: "rng2swift")
        var generated = 0
        for target in context.package.targets {
            guard let target = target as? SourceModuleTarget, names.isEmpty || names.contains(target.name) else { continue }
            let found: GrammarInputs?
            do {
                found = try GrammarInputs(
                    targetDirectory: target.directoryURL, packageDirectory: context.package.directoryURL,
                    environment: ProcessInfo.processInfo.environment)
            } catch {
                Diagnostics.error("\(error)")
                throw error
            }
            guard let inputs = found else { continue }
            let output = context.package.directoryURL.appendingPathComponent("Generated").appendingPathComponent(target.name)
            let process = Process()
            process.executableURL = generator.url
            process.arguments = inputs.generateArguments(output: output)
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                Diagnostics.error("rng2swift failed for target \(target.name) (exit \(process.terminationStatus))")
                throw ExitStatus(code: process.terminationStatus)
            }
            // Generated/<target>/ belongs to the plugin: Swift files generation no longer writes go.
            let expected = Set(inputs.outputFileNames)
            for stale in (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? [] where stale.hasSuffix(".swift") && !expected.contains(stale) {
                try FileManager.default.removeItem(at: output.appendingPathComponent(stale))
                print("removed Generated/\(target.name)/\(stale)")
            }
            for name in inputs.outputFileNames { print("Generated/\(target.name)/\(name) from \(inputs.grammar.lastPathComponent)") }
            generated += 1
        }
        if generated == 0 {
            Diagnostics.warning("no target has \(GrammarInputs.configurationFileName)\(names.isEmpty ? "" : " among \(names.sorted().joined(separator: ", "))")")
        }
    }
}

struct ExitStatus: Error, CustomStringConvertible {
    var code: Int32
    var description: String { "exit status \(code)" }
}
