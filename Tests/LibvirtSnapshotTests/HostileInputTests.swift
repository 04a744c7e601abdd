import Foundation
import LibvirtSnapshot
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Attacks and broken input against the generated decoder: each is rejected with a clear error
/// at a file:line:column, or decoded, within bounded time; no file a document names is read and no
/// connection is made.
@Suite("Hostile and broken input")
struct HostileInputTests {
    /// A TCP listener on loopback that documents name; it must never see a connection.
    final class LoopbackListener {
        let socket: Int32
        let port: UInt16

        init() throws {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(bound == 0 && listen(socket, 16) == 0, "cannot listen on loopback")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
            }
            _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
            self.socket = socket
            port = UInt16(bigEndian: address.sin_port)
        }

        /// Whether anyone connected (a pending connection is accepted to tell).
        var wasContacted: Bool {
            let connection = accept(socket, nil, nil)
            if connection >= 0 { close(connection) }
            return connection >= 0
        }

        deinit { close(socket) }
    }

    static let secret = "TOP-SECRET-\(UUID().uuidString)"

    /// A file whose content must never appear anywhere.
    static let secretFile: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rng2swift-secret-\(UUID().uuidString).txt").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(secret.utf8))
        return path
    }()

    /// What decoding `bytes` gives: the value's XML, or the error's text.
    func outcome(_ bytes: [UInt8], name: String) -> (decoded: String?, error: String?) {
        do {
            return (try DomainSnapshot(xmlBytes: bytes, displayName: name).xmlString(), nil)
        } catch {
            return (nil, "\(error)")
        }
    }

    @Test("documents naming local files and loopback URLs never read them or connect")
    func nothingIsFetched() throws {
        let listener = try LoopbackListener()
        let url = "http://127.0.0.1:\(listener.port)/x"
        let file = "file://" + Self.secretFile
        let documents: [(String, String)] = [
            ("external entity (file)", "<!DOCTYPE domainsnapshot [<!ENTITY e SYSTEM \"\(file)\">]><domainsnapshot><description>&e;</description></domainsnapshot>"),
            ("external entity (network)", "<!DOCTYPE domainsnapshot [<!ENTITY e SYSTEM \"\(url)\">]><domainsnapshot><description>&e;</description></domainsnapshot>"),
            ("external DTD (file)", "<!DOCTYPE domainsnapshot SYSTEM \"\(file)\"><domainsnapshot/>"),
            ("external DTD (network)", "<!DOCTYPE domainsnapshot SYSTEM \"\(url)\"><domainsnapshot/>"),
            ("parameter entity (file)", "<!DOCTYPE domainsnapshot [<!ENTITY % p SYSTEM \"\(file)\"> %p;]><domainsnapshot/>"),
            ("parameter entity (network)", "<!DOCTYPE domainsnapshot [<!ENTITY % p SYSTEM \"\(url)\"> %p;]><domainsnapshot/>"),
            ("XInclude (file)", "<domainsnapshot xmlns:xi='http://www.w3.org/2001/XInclude'><description><xi:include href='\(file)' parse='text'/></description></domainsnapshot>"),
            ("XInclude (network)", "<domainsnapshot xmlns:xi='http://www.w3.org/2001/XInclude'><xi:include href='\(url)'/></domainsnapshot>"),
            ("unparsed entity", "<!DOCTYPE domainsnapshot [<!NOTATION n SYSTEM \"\(url)\"><!ENTITY u SYSTEM \"\(url)\" NDATA n>]><domainsnapshot/>"),
        ]
        for (name, text) in documents {
            let result = outcome(Array(text.utf8), name: "attack.xml")
            if name.hasPrefix("external DTD") {
                // The external subset is never loaded, so `<domainsnapshot/>` is what it is: valid.
                #expect(result.decoded == "<domainsnapshot/>\n", "\(name): \(result)")
                continue
            }
            #expect(result.decoded == nil, "\(name): accepted")
            let error = result.error ?? ""
            #expect(!error.contains(Self.secret), "\(name): the secret leaked")
            #expect(error.hasPrefix("attack.xml:"), "\(name): \(error)")
        }
        #expect(!listener.wasContacted, "a document made a network connection")
    }

    @Test("entity expansion, depth, size and malformed bytes are rejected with clear errors", arguments: [
        ("billion laughs", HostileDocuments.billionLaughs, "entities expand beyond libxml2's limits"),
        ("quadratic blow-up", HostileDocuments.quadraticBlowUp, "entities expand beyond libxml2's limits"),
        ("100,000 levels deep", HostileDocuments.deep, "Excessive depth in document"),
        ("50,000 attributes", HostileDocuments.manyAttributes, "an element has more than 10000 attributes"),
        ("50,000 attributes through an entity", HostileDocuments.manyAttributesInEntity, "an entity value holds more than 10000 attributes"),
        ("20 MB attribute value", HostileDocuments.hugeAttribute, "not well-formed"),
        ("invalid UTF-8", HostileDocuments.invalidUTF8, "Input is not proper UTF-8"),
        ("NUL byte", HostileDocuments.nul, "NUL character"),
        ("truncated", HostileDocuments.truncated, "Premature end of data"),
        ("two roots", HostileDocuments.twoRoots, "Extra content at the end of the document"),
        ("empty file", HostileDocuments.empty, "the document is empty"),
    ])
    func rejected(_ name: String, _ bytes: @Sendable () -> [UInt8], _ message: String) {
        let result = outcome(bytes(), name: "hostile.xml")
        #expect(result.decoded == nil, "\(name): accepted")
        let error = result.error ?? ""
        #expect(error.range(of: #"^hostile\.xml:\d+:\d+: error: "#, options: .regularExpression) != nil, "\(name): \(error.prefix(300))")
        #expect(error.contains(message), "\(name): \(error.prefix(300))")
    }

    @Test("a 20 MB text value is decoded whole")
    func largeText() throws {
        let text = String(repeating: "x", count: 20_000_000)
        let snapshot = try DomainSnapshot(xmlString: "<domainsnapshot><description>\(text)</description></domainsnapshot>")
        #expect(snapshot.description?.count == 20_000_000)
    }

    @Test("decoding from many threads at once gives every thread the same values")
    func concurrentDecoding() async throws {
        let document = """
            <domainsnapshot>
              <name>concurrent</name>
              <memory snapshot='external' file='/var/lib/libvirt/memory.save'/>
              <disks>
                <disk name='vda' snapshot='external'><source file='/var/lib/libvirt/images/vda.qcow2'/></disk>
                <disk name='vdb' snapshot='no'/>
              </disks>
            </domainsnapshot>
            """
        let expected = try DomainSnapshot(xmlString: document)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    // Every other task also fails a decode, so that error paths run concurrently too.
                    if index.isMultiple(of: 2) { _ = try? DomainSnapshot(xmlString: "<domainsnapshot><bogus/></domainsnapshot>") }
                    var same = true
                    for _ in 0..<50 { same = try same && DomainSnapshot(xmlString: document) == expected }
                    return same
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }

    @Test("open content read for the first time on many threads at once gives every thread the same tree and locations")
    func concurrentFirstReads() async throws {
        let document = Array("""
            <domainsnapshot>
              <domain type='kvm'><name>guest</name>
                <devices><disk type='file' device='disk'><target dev='vda'/></disk></devices>
              </domain>
              <name>concurrent</name>
              <description>open content, read late</description>
            </domainsnapshot>
            """.utf8)
        let expected = try XMLElement.parse(bytes: document, displayName: "doc.xml").elements.map(\.outline)
        // Read last to first on one thread: each location is found after a later one.
        var cursor = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
        #expect(cursor.remainingElements().reversed().map(\.outline) == expected.reversed())
        for _ in 0..<20 {
            // Unread elements of one document, each read first by whichever task comes first, in a
            // different order in every task, so that their locations are counted from anywhere.
            cursor = try DomainSnapshot.grammar.validatedCursor(bytes: document, displayName: "doc.xml")
            let unread = cursor.remainingElements()
            let outlines = await withTaskGroup(of: [String].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        let order = task.isMultiple(of: 2) ? Array(unread.indices) : unread.indices.reversed()
                        var outlines = Array(repeating: "", count: unread.count)
                        for index in order { outlines[index] = unread[index].outline }
                        return outlines
                    }
                }
                return await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(outlines.count == 8 && outlines.allSatisfy { $0 == expected })
        }
    }

    @Test("documents that share a reused parser's names are freed on other threads while parses add new names")
    func sharedParserDictionaries() async throws {
        // Each document's open <domain> has names no other document has, so every parse adds to
        // the dictionary of the parser it reuses; its unread elements keep the document alive
        // until a task of the second group, parsing too, reads and drops them.
        @Sendable func document(_ task: Int, _ round: Int) -> [UInt8] {
            let names = (0..<40).map { "<n\(task)x\(round)x\($0) a\($0)='v\(task)'/>" }.joined()
            return Array("<domainsnapshot><domain type='kvm'>\(names)</domain><name>t\(task)</name></domainsnapshot>".utf8)
        }
        @Sendable func expectedOutline(_ task: Int, _ round: Int) -> String {
            try! XMLElement.parse(bytes: document(task, round), displayName: "d.xml").elements[0].outline
        }
        let kept = try await withThrowingTaskGroup(of: [(Int, Int, XMLElement)].self) { group in
            for task in 0..<8 {
                group.addTask {
                    try (0..<25).map { round in
                        var cursor = try DomainSnapshot.grammar.validatedCursor(bytes: document(task, round), displayName: "d.xml")
                        return (task, round, cursor.remainingElements()[0])
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for slice in 0..<8 {
                let mine = kept.enumerated().filter { $0.offset % 8 == slice }.map(\.element)
                group.addTask {
                    var mismatches = 0
                    for (task, round, element) in mine {
                        _ = try DomainSnapshot.grammar.validatedCursor(bytes: document(task + 8, round), displayName: "d.xml")
                        if element.outline != expectedOutline(task, round) { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(kept.count == 200 && mismatches == 0)
    }

}

/// The attack documents, made when a test asks for one.
enum HostileDocuments {
    static func billionLaughs() -> [UInt8] {
        var text = "<!DOCTYPE domainsnapshot [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            text += "<!ENTITY lol\(level) \"\(String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10))\">\n"
        }
        return Array((text + "]>\n<domainsnapshot><description>&lol9;</description></domainsnapshot>\n").utf8)
    }

    static func quadraticBlowUp() -> [UInt8] {
        let value = String(repeating: "A", count: 100_000)
        let references = String(repeating: "&big;", count: 20_000)
        return Array("<!DOCTYPE domainsnapshot [<!ENTITY big \"\(value)\">]>\n<domainsnapshot><description>\(references)</description></domainsnapshot>\n".utf8)
    }

    static func deep() -> [UInt8] {
        Array(("<domainsnapshot>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</domainsnapshot>").utf8)
    }

    static func manyAttributes() -> [UInt8] {
        Array(("<domainsnapshot " + (0..<50_000).map { "a\($0)='1'" }.joined(separator: " ") + "/>").utf8)
    }

    static func manyAttributesInEntity() -> [UInt8] {
        let element = "<a " + (0..<50_000).map { "a\($0)='1'" }.joined(separator: " ") + "/>"
        return Array("<!DOCTYPE domainsnapshot [<!ENTITY many \"\(element)\">]><domainsnapshot><description>&many;</description></domainsnapshot>".utf8)
    }

    static func hugeAttribute() -> [UInt8] {
        Array("<domainsnapshot><memory snapshot='external' file='/\(String(repeating: "x", count: 20_000_000))'/></domainsnapshot>".utf8)
    }

    static func invalidUTF8() -> [UInt8] {
        Array("<domainsnapshot><description>".utf8) + [0xFF, 0xFE] + Array("</description></domainsnapshot>".utf8)
    }

    static func nul() -> [UInt8] {
        Array("<domainsnapshot><description>a".utf8) + [0] + Array("b</description></domainsnapshot>".utf8)
    }

    static func truncated() -> [UInt8] { Array("<domainsnapshot><description>x</descr".utf8) }
    static func twoRoots() -> [UInt8] { Array("<domainsnapshot/><domainsnapshot/>".utf8) }
    static func empty() -> [UInt8] { [] }
}

extension XMLElement {
    /// The element with what equality leaves out, locations and prefixes, written out.
    var outline: String {
        let start = location.map { "\($0.line):\($0.column)" } ?? "?"
        let attributes = attributes.map { " \($0.qualifiedName)=\($0.value)" }.joined()
        let children = children.map { child in
            switch child {
            case .element(let element): return element.outline
            case .text(let text): return text.debugDescription
            }
        }
        return "<\(qualifiedName)@\(start)\(attributes)>\(children.joined())</>"
    }
}
