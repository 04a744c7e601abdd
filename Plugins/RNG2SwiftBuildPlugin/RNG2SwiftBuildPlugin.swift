import Foundation
import PackagePlugin

/// Generates Swift at build time for a target that carries `rng2swift-config.json`. The
/// command's inputs are the grammar, every file it includes or references, the configuration
/// and the generator, so editing any of them regenerates and a build without changes runs nothing.
@main
struct RNG2SwiftBuildPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let inputs: GrammarInputs
        do {
            guard let found = try GrammarInputs(
                targetDirectory: target.directoryURL, packageDirectory: context.package.directoryURL,
                environment: ProcessInfo.processInfo.environment)
            else {
                Diagnostics.warning("target \(target.name) has no \(GrammarInputs.configurationFileName); nothing to generate")
                return []
            }
            inputs = found
        } catch {
            Diagnostics.error("\(error)")
            throw error
        }
        let generator = try context.tool(named: "rng2swift")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("GeneratedSources")
        return [
            .buildCommand(
                displayName: "Generating Swift for \(target.name) from \(inputs.grammars.map(\.lastPathComponent).joined(separator: ", "))",
                executable: generator.url,
                arguments: inputs.generateArguments(output: output),
                environment: [:],
                inputFiles: inputs.grammarFiles + [inputs.configuration, generator.url],
                outputFiles: inputs.outputFileNames.map { output.appendingPathComponent($0) })
        ]
    }
}
