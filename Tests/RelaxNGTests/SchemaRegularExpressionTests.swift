import CLibXML2
import Foundation
@testable import RelaxNG
import Testing

/// The project's pattern matcher must answer as the regular language does: as ICU's engine on
/// random expressions, and as libxml2's (which still matches what the project's does not
/// compile) on expressions of the kind libvirt writes.
@Suite("XML Schema regular expressions")
struct SchemaRegularExpressionTests {
    /// libxml2's answer, or nil when libxml2 rejects the expression.
    static func libxml2Matches(_ pattern: String, _ texts: [String]) -> [Bool]? {
        LibXML2.prepareThread()
        guard let compiled = xmlRegexpCompile(pattern) else { return nil }
        defer { xmlRegFreeRegexp(compiled) }
        return texts.map { xmlRegexpExec(compiled, $0) == 1 }
    }

    /// Strings near `samples`: each sample, and copies with characters inserted, removed or
    /// replaced by ones from `alphabet`.
    static func nearMisses(of samples: [String], alphabet: [Character], count: Int, using random: inout some RandomNumberGenerator) -> [String] {
        var result = samples + [""]
        for _ in 0..<count {
            var text = Array(samples.randomElement(using: &random) ?? "")
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0...text.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: text.insert(alphabet.randomElement(using: &random)!, at: position)
                case 1 where position < text.count: text.remove(at: position)
                default: if position < text.count { text[position] = alphabet.randomElement(using: &random)! }
                }
            }
            result.append(String(text))
        }
        return result
    }

    static let alphabet: [Character] = Array("aAfFgz09:.-_/ x\n\t\r[]^,é中") + ["\u{1F600}"]

    @Test("patterns of the kind libvirt's grammars use, on matching texts and near misses", arguments: [
        ("[a-fA-F0-9]{32}", ["0123456789abcdefABCDEF0123456789"]),
        ("[a-fA-F0-9]{8}\\-([a-fA-F0-9]{4}\\-){3}[a-fA-F0-9]{12}", ["c7a5fdbd-edaf-9455-926a-d65c16db1809"]),
        ("[a-zA-Z0-9_\\.\\-\\\\:/ ]*", ["/var/lib/a b", ""]),
        ("(0x)?[0-9a-fA-F]{1,4}", ["0x1f", "ffff", "0"]),
        ("([0-2]?[0-9]?[0-9]\\.){3}[0-2]?[0-9]?[0-9]", ["192.168.0.1", "1.2.3.4"]),
        ("([a-fA-F0-9]{0,4}:){2,7}([a-fA-F0-9]*)(([0-2]?[0-9]?[0-9]\\.){3}[0-2]?[0-9]?[0-9])?", ["fe80::1", "::ffff:10.0.0.1"]),
        ("[0]{1,2}:[0]{0,1}[2](:[a-fA-F0-9]{1,2}){4}(:[a-fA-F0-9]{1,2}){1,124}", ["00:02:aa:bb:cc:dd:ee", "0:2:1:2:3:4:5:6:7:8"]),
        ("[0-9a-zA-F -_,.:;=]{0,255}", ["Z;A=1, b:2", ""]),
        ("[^,]{0,12}", ["abc", "a b c d e f"]),
        ("\\[[^\\]]+\\] .+", ["[x] y", "[a] b]"]),
        ("[a-zA-Z0-9.\\s]{1,8}", ["a b\t.9", "        "]),
        ("([0-9]+(-[0-9]+)?|\\^[0-9]+)(,([0-9]+(-[0-9]+)?|\\^[0-9]+))*", ["0-3,^2,8", "1"]),
        ("([bB]([yY][tT][eE][sS]?)?)|([kKmMgGtTpPeE]([iI]?[bB])?)", ["bytes", "KiB", "G"]),
        ("[!#$%&'*+\\-.0-9A-Z\\^_`a-z|~]+", ["a^b|c~d"]),
        ("/.*", ["/", "/a\u{1F600}b"]),
        ("[^\\n]+", ["line", "é"]),
        ("[-a]+[b-]", ["-a-b", "a-"]),
        ("(|a)(b|)", ["", "ab", "a"]),
        ("a{0}b{2,}c{1,1}", ["bbc", "bbbbc"]),
        ("[^\\s]\\S*", ["ab", "é中"]),
    ])
    func libvirtLikePatterns(pattern: String, samples: [String]) throws {
        let matcher = try #require(SchemaRegularExpression(pattern), "the project compiles \(pattern)")
        var random = SystemRandomNumberGenerator()
        let texts = Self.nearMisses(of: samples, alphabet: Self.alphabet, count: 400, using: &random)
        let expected = try #require(Self.libxml2Matches(pattern, texts))
        for (text, libxml2) in zip(texts, expected) {
            #expect(matcher.matches(text) == libxml2, "\(pattern) on \(text.debugDescription)")
        }
        // Each sample is meant to match: a check on the samples themselves.
        for sample in samples { #expect(matcher.matches(sample), "\(pattern) on its sample \(sample.debugDescription)") }
    }

    /// A random expression over a few characters, in XML Schema's syntax and, token by token,
    /// in ICU's (`\\s` and `.` spelled out, groups not capturing): classes (negated or not,
    /// with ranges and escapes), `.`, `\\s`, groups, alternatives and every quantifier, nested.
    static func randomPattern(depth: Int, using random: inout some RandomNumberGenerator) -> (schema: String, icu: String) {
        let atoms: [(String, String)] = [
            ("a", "a"), ("b", "b"), ("-", "\\-"), (":", ":"), ("\\.", "\\."), ("\\-", "\\-"), ("é", "é"),
            ("[ab]", "[ab]"), ("[^a]", "[^a]"), ("[a-c]", "[a-c]"), ("[a-c:\\-]", "[a-c:\\-]"), ("[-b]", "[\\-b]"),
            ("[b-]", "[b\\-]"), ("[^\\s]", "[^\\t\\n\\r ]"), ("[a\\s]", "[a\\t\\n\\r ]"), ("[\\^a]", "[\\^a]"),
            (".", "[^\\n\\r]"), ("\\s", "[\\t\\n\\r ]"), ("\\S", "[^\\t\\n\\r ]"),
        ]
        let quantifiers = ["", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "{0}", "{2,3}"]
        var branches: [(String, String)] = []
        for _ in 0..<Int.random(in: 1...2, using: &random) {
            var schema = ""
            var icu = ""
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let quantifier = quantifiers.randomElement(using: &random)!
                if depth > 0, Int.random(in: 0..<4, using: &random) == 0 {
                    let inner = randomPattern(depth: depth - 1, using: &random)
                    schema += "(" + inner.schema + ")" + quantifier
                    icu += "(?:" + inner.icu + ")" + quantifier
                } else {
                    let atom = atoms.randomElement(using: &random)!
                    schema += atom.0 + quantifier
                    icu += atom.1 + quantifier
                }
            }
            branches.append((schema, icu))
        }
        return (branches.map(\.0).joined(separator: "|"), branches.map(\.1).joined(separator: "|"))
    }

    /// ICU's regular expressions (Foundation's) as the oracle for the language itself: libxml2
    /// gets counted repetitions wrong in places (see `libxml2CountingMistakes`).
    @Test("random expressions on random texts answer as the regular language does")
    func randomExpressions() throws {
        var random = SystemRandomNumberGenerator()
        let characters: [Character] = ["a", "b", "c", "-", ":", ".", " ", "\n", "é", "x"]
        for _ in 0..<1500 {
            let pattern = Self.randomPattern(depth: 2, using: &random)
            let matcher = try #require(SchemaRegularExpression(pattern.schema), "the project compiles \(pattern.schema)")
            let oracle = try NSRegularExpression(pattern: "\\A(?:" + pattern.icu + ")\\z")
            for _ in 0..<30 {
                let text = String((0..<Int.random(in: 0...7, using: &random)).map { _ in characters.randomElement(using: &random)! })
                let expected = oracle.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(matcher.matches(text) == expected, "\(pattern.schema) on \(text.debugDescription)")
            }
        }
    }

    /// Where libxml2 is wrong, and so where the project's matcher and libxml2's differ: a counted
    /// repetition of a group that can match the empty text must be allowed to repeat emptily,
    /// `{0}` matches only the empty text, and a count in one alternative does not bound
    /// another's. XML Schema's regular expressions are regular languages; these are theirs.
    @Test("counted repetitions as the language says, where libxml2 errs", arguments: [
        ("-*.{1,}(b{0}){2}", ":ccx", true),
        ("(){2,3}.?", "x", true),
        ("(|b+[a-c]{1,}\\-{2}){2}", "", true),
        ("(|b+[a-c]{1,}\\-{2}){2}", "bc--bc--", true),
        ("(|b+[a-c]{1,}\\-{2}){2}", "bc--bc--bc--", false),
        ("(a?){3}b", "ab", true),
        ("\\S{2,3}|\\S{0,2}", "-xé:", false),
        (".{0}b|\\S{2,3}.{2,3}", "-b", false),
        ("0[0-7]{3}|[0-7]{1,3}", "0777", true),
        ("0[0-7]{3}|[0-7]{1,3}", "07777", false),
    ])
    func libxml2CountingMistakes(pattern: String, text: String, matches: Bool) throws {
        let matcher = try #require(SchemaRegularExpression(pattern))
        #expect(matcher.matches(text) == matches)
    }

    @Test("constructs outside the compiled part are left to libxml2", arguments: [
        "\\d+", "\\w", "\\p{L}", "\\P{Nd}", "\\i\\c*", "[a-z-[aeiou]]", "[a\\d]", "[\\S]", "[a-z-0]", "{", "a{", "a{2,1}", "(a", "a)", "[", "[]",
    ])
    func unsupported(pattern: String) {
        #expect(SchemaRegularExpression(pattern) == nil)
    }

    @Test("a datatype with a pattern the project compiles and one it leaves to libxml2 checks both")
    func datatypeUsesBoth() throws {
        let type = try DatatypeCheck(
            library: "http://www.w3.org/2001/XMLSchema-datatypes", type: "string",
            parameters: [("pattern", "[a-z0-9]+"), ("pattern", "\\p{Ll}\\d*")])
        #expect(type.allows("a12"))
        #expect(!type.allows("A12"))
        #expect(!type.allows("ab"))
        #expect(!type.allows("a1-"))
    }
}
