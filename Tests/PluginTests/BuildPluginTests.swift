import Foundation
import Testing

/// The build-tool plugin in a package of its own (a copy of Examples/Greetings): generation on
/// the first build, nothing on a build without changes, regeneration when the grammar or a file
/// it includes changes, and types that come and go with their defines.
@Suite("Build-tool plugin", .serialized, .timeLimit(.minutes(20)))
struct BuildPluginTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    final class TestPackage {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("rng2swift-plugin-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: BuildPluginTests.packageRoot.appendingPathComponent("Examples/Greetings"), to: directory)
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(".build"))
            let manifest = directory.appendingPathComponent("Package.swift")
            let text = try String(contentsOf: manifest, encoding: .utf8)
                .replacingOccurrences(of: "path: \"../..\"", with: "path: \"\(BuildPluginTests.packageRoot.path)\"")
            try Data(text.utf8).write(to: manifest)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// `swift build`'s output; fails when the build fails.
        func build() throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift", "build", "--package-path", directory.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus != 0 { throw BuildFailure(output: text) }
            return text
        }

        func edit(_ file: String, _ change: (String) -> String) throws {
            let url = directory.appendingPathComponent("Sources/Greetings/" + file)
            try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        }

        var generated: String {
            get throws {
                let outputs = directory.appendingPathComponent(".build/plugins/outputs")
                let enumerator = FileManager.default.enumerator(at: outputs, includingPropertiesForKeys: nil)
                while let url = enumerator?.nextObject() as? URL {
                    if url.lastPathComponent == "Greetings.swift" { return try String(contentsOf: url, encoding: .utf8) }
                }
                throw BuildFailure(output: "no generated Greetings.swift under \(outputs.path)")
            }
        }
    }

    struct BuildFailure: Error, CustomStringConvertible {
        var output: String
        var description: String { output }
    }

    @Test("generates once, does nothing without changes, regenerates on every grammar change")
    func regeneration() throws {
        let package = try TestPackage()
        let first = try package.build()
        #expect(first.contains("Generating Swift for Greetings from greetings.rng"))
        #expect(try package.generated.contains("public struct Greeting: Hashable, Sendable, Codable"))

        // SwiftPM links the plugin's tool once more on the next build; the output is rewritten
        // only when its bytes change, so nothing is compiled again.
        let settling = try package.build()
        #expect(!settling.contains("Compiling Greetings"), "\(settling)")
        let unchanged = try package.build()
        #expect(!unchanged.contains("Generating Swift"), "\(unchanged)")
        #expect(!unchanged.contains("Compiling Greetings") && !unchanged.contains("Linking"), "\(unchanged)")

        try package.edit("greetings.rng") { $0.replacingOccurrences(of: "<text/>", with: "<optional><attribute name=\"mood\"/></optional><text/>") }
        let afterGrammar = try package.build()
        #expect(afterGrammar.contains("Generating Swift for Greetings"))
        #expect(try package.generated.contains("public var mood: String?"))

        // A new define in the included file, used: its type appears.
        try package.edit("common.rng") {
            $0.replacingOccurrences(of: "</grammar>", with: "<define name=\"region\"><element name=\"region\"><attribute name=\"code\"/></element></define></grammar>")
        }
        try package.edit("greetings.rng") { $0.replacingOccurrences(of: "<text/>", with: "<optional><ref name=\"region\"/></optional><text/>") }
        _ = try package.build()
        #expect(try package.generated.contains("public struct Region: Hashable, Sendable, Codable"))

        // Only the included file changes: generation runs again.
        try package.edit("common.rng") { $0.replacingOccurrences(of: "[a-z]{2}(-[A-Z]{2})?", with: "[a-z]{2,3}") }
        let afterInclude = try package.build()
        #expect(afterInclude.contains("Generating Swift for Greetings"), "\(afterInclude)")
        #expect(try package.generated.contains("[a-z]{2,3}"))

        // The define no longer used: its type is gone.
        try package.edit("greetings.rng") { $0.replacingOccurrences(of: "<optional><ref name=\"region\"/></optional>", with: "") }
        _ = try package.build()
        #expect(try !package.generated.contains("Region"))
    }

    @Test("names the generated decoders use for themselves (cursor, found, item, …) build as fields and in alternatives")
    func namesOfThePlumbing() throws {
        let package = try TestPackage()
        // Interleaved children make a struct whose decoder holds every field in a local; the
        // choice's alternatives hold theirs in locals too, and its encoder binds them.
        let plumbing = ["cursor", "found", "next", "item", "element", "value", "choice", "childWalk", "childTable", "attributeWalk", "attributeTable"]
        // And locals of its own: why a child failed (`_<field>Error`, `_ignoredError`).
        let children = (plumbing + ["fooError", "ignoredError"]).map { "<optional><element name=\"\($0)\"><text/></element></optional>" }.joined()
            + "<element name=\"foo\"><text/></element>"
        let attributes = plumbing.map { "<attribute name=\"\($0)\"/>" }.joined()
        try package.edit("greetings.rng") {
            $0.replacingOccurrences(of: "<zeroOrMore>\n        <ref name=\"greeting\"/>", with: """
                <interleave>\(children)<choice><element name="a">\(attributes)</element><element name="b"><empty/></element></choice></interleave>
                      <zeroOrMore>
                        <ref name="greeting"/>
                """)
        }
        _ = try package.build()
        #expect(try package.generated.contains("var cursor_: String? = nil"))
    }

    @Test("an incorrect grammar fails the build with file:line:column errors")
    func diagnostics() throws {
        let package = try TestPackage()
        try package.edit("greetings.rng") { $0.replacingOccurrences(of: "<ref name=\"languageCode\"/>", with: "<ref name=\"noSuchDefine\"/>") }
        do {
            _ = try package.build()
            Issue.record("the build succeeded")
        } catch let failure as BuildFailure {
            #expect(failure.output.contains("greetings.rng:20:9: error: no define named \"noSuchDefine\" in this grammar"), "\(failure.output)")
        }
    }
}
