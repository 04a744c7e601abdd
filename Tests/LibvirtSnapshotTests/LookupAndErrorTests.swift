import Foundation
import LibvirtSnapshot
import Testing

@Suite("Finding disks")
struct DiskLookupTests {
    static let document = """
        <domainsnapshot>
          <disks>
            <disk name='vda' snapshot='external'><source file='/images/shared.qcow2'/></disk>
            <disk name='vdb' snapshot='external'><source file='/images/shared.qcow2'/></disk>
            <disk name='/images/data.img' snapshot='no'/>
            <disk name='vdc' snapshot='external'><source file='/images/vdc.qcow2'/></disk>
          </disks>
        </domainsnapshot>
        """

    @Test("by target name, by path, unambiguous or not")
    func lookup() throws {
        let snapshot = try DomainSnapshot(xmlString: Self.document)
        #expect(try snapshot.disk("vdb").target == "vdb")
        #expect(try snapshot.disk("/images/data.img").snapshot == .no)
        #expect(try snapshot.disk("/images/vdc.qcow2").target == "vdc")
        #expect(throws: DiskLookupError.ambiguous("/images/shared.qcow2", positions: [0, 1])) { try snapshot.disk("/images/shared.qcow2") }
        #expect(throws: DiskLookupError.notFound("vdz")) { try snapshot.disk("vdz") }
        #expect(DiskLookupError.ambiguous("/x", positions: [0, 1]).description.contains("name the disk by its target"))
    }
}

/// Bad snapshot documents and the errors they get: where, and what was expected.
@Suite("Rejected documents")
struct RejectionTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var document: String
        var line: Int
        var column: Int
        var path: String
        var message: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "wrong enum value", document: "<domainsnapshot>\n  <state>asleep</state>\n</domainsnapshot>",
             line: 2, column: 3, path: "/domainsnapshot/state", message: "text \"asleep\" is not allowed here; expected one of \"nostate\""),
        Case(name: "missing required attribute", document: "<domainsnapshot>\n  <disks>\n    <disk snapshot='no'/>\n  </disks>\n</domainsnapshot>",
             line: 3, column: 5, path: "/domainsnapshot/disks/disk", message: "missing a required attribute: \"name\""),
        Case(name: "unknown element", document: "<domainsnapshot>\n  <cookie/>\n</domainsnapshot>",
             line: 2, column: 3, path: "/domainsnapshot/cookie", message: "element <cookie> is not allowed here"),
        Case(name: "unknown attribute", document: "<domainsnapshot>\n  <memory snapshot='no' size='1'/>\n</domainsnapshot>",
             line: 2, column: 25, path: "/domainsnapshot/memory/@size", message: "attribute \"size\" is not allowed on <memory>"),
        Case(name: "duplicated element", document: "<domainsnapshot>\n  <name>a</name>\n  <name>b</name>\n</domainsnapshot>",
             line: 3, column: 3, path: "/domainsnapshot/name[2]", message: "element <name> is not allowed here"),
        Case(name: "invalid pattern", document: "<domainsnapshot>\n  <memory snapshot='external' file='relative'/>\n</domainsnapshot>",
             line: 2, column: 31, path: "/domainsnapshot/memory/@file", message: "\"relative\" is not a valid value of attribute \"file\""),
        Case(name: "text where none is allowed", document: "<domainsnapshot>\n  <disks>oops</disks>\n</domainsnapshot>",
             line: 2, column: 3, path: "/domainsnapshot/disks", message: "text \"oops\" is not allowed here"),
        Case(name: "wrong value in the ambiguous snapshot attribute",
             document: "<domainsnapshot>\n  <disks>\n    <disk name='vda' snapshot='maybe'/>\n  </disks>\n</domainsnapshot>",
             line: 3, column: 22, path: "/domainsnapshot/disks/disk/@snapshot", message: "expected one of \"no\", \"internal\", \"external\""),
    ]

    @Test("each bad document is rejected with file, line, column, path and what was expected", arguments: cases)
    func rejected(_ bad: Case) {
        do {
            _ = try DomainSnapshot(xmlString: bad.document, displayName: "bad.xml")
            Issue.record("accepted")
        } catch let error as XMLDecodingError {
            #expect(error.location == XMLLocation(file: "bad.xml", line: bad.line, column: bad.column), "\(error)")
            #expect(error.path == bad.path, "\(error)")
            #expect(error.message.contains(bad.message), "\(error)")
            #expect(error.description.hasPrefix("bad.xml:\(bad.line):\(bad.column): error: \(bad.path): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("not well-formed XML and other roots are rejected too")
    func notSnapshots() {
        #expect(throws: XMLDecodingError.self) { try DomainSnapshot(xmlString: "<domainsnapshot>") }
        #expect(throws: XMLDecodingError.self) { try DomainSnapshot(xmlString: "<domain/>") }
        #expect(throws: XMLDecodingError.self) { try DomainSnapshot(xmlString: "") }
    }
}
