import Foundation
import RelaxNG
import Testing

/// James Clark's RELAX NG test suite, split one folder per case: every incorrect grammar must
/// be rejected, every correct one accepted, every valid document accepted and every invalid one
/// rejected.
@Suite("RELAX NG specification test suite", .enabled(if: SharedData.exists(SharedData.specTestSuite), Comment(rawValue: SharedData.missing("the RELAX NG test suite"))))
struct SpecTestSuiteTests {
    struct Outcome {
        var checks = 0
        var failures: [String] = []
    }

    /// Documents whose file name contradicts the specification. testX006's grammar requires an
    /// element `b` whose content is `notAllowed` (section 4.20 does not propagate notAllowed
    /// through `element`), so `<foo><a>moo</a></foo>` lacks `b`; `xmllint --relaxng` rejects it too.
    static let invalidDespiteName: Set<String> = ["testX006/valid.xml"]

    /// Runs every case in the folders under `root`.
    static func run(_ root: String) throws -> Outcome {
        var outcome = Outcome()
        let manager = FileManager.default
        let cases = try manager.contentsOfDirectory(atPath: root).sorted()
        for name in cases {
            let folder = (root as NSString).appendingPathComponent(name)
            let files = try manager.contentsOfDirectory(atPath: folder).sorted()
            for grammar in files where grammar.hasSuffix(".rng") && grammar.contains("correct") {
                let path = (folder as NSString).appendingPathComponent(grammar)
                let shouldLoad = !grammar.hasPrefix("incorrect")
                outcome.checks += 1
                let schema: Schema
                do {
                    schema = try Schema(file: path, searchPath: GrammarSearchPath([]))
                    if !shouldLoad {
                        outcome.failures.append("\(name)/\(grammar): incorrect grammar accepted")
                        continue
                    }
                } catch {
                    if shouldLoad { outcome.failures.append("\(name)/\(grammar): correct grammar rejected: \(error)") }
                    continue
                }
                let validator = Validator(schema: schema)
                for document in files where document.hasSuffix(".xml") {
                    let expectValid = document.hasPrefix("valid") && !invalidDespiteName.contains("\(name)/\(document)")
                    outcome.checks += 1
                    let problems = validator.validate(file: (folder as NSString).appendingPathComponent(document))
                    if problems.isEmpty != expectValid {
                        let detail = problems.first.map { ": \($0)" } ?? ""
                        outcome.failures.append("\(name)/\(document): expected \(expectValid ? "valid" : "invalid")\(detail)")
                    }
                }
            }
        }
        return outcome
    }

    @Test("all 965 checks of spectest.xml pass")
    func specificationSuite() throws {
        let outcome = try Self.run(SharedData.path(SharedData.specTestSuite + "/split"))
        #expect(outcome.checks == 965)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.count) of \(outcome.checks) failed:\n\(outcome.failures.joined(separator: "\n"))")
    }

    @Test("the additional cases pass")
    func additionalCases() throws {
        let outcome = try Self.run(SharedData.path(SharedData.specTestSuite + "/additional"))
        #expect(outcome.checks > 0)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.joined(separator: "\n"))")
    }
}
