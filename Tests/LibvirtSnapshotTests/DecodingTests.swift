import Foundation
import LibvirtSnapshot
import Testing

/// Snapshot documents written for these tests: together they take every branch of the seed
/// grammar (schemas/domainsnapshot.rng).
enum Fixtures {
    static let full = """
        <domainsnapshot>
          <name>before-upgrade</name>
          <description>Taken before the kernel upgrade &amp; reboot</description>
          <state>running</state>
          <parent>
            <name>base</name>
          </parent>
          <creationTime>1386087221</creationTime>
          <memory snapshot='external' file='/var/lib/libvirt/qemu/snapshot/memory.save'/>
          <disks>
            <disk name='vda' snapshot='external'>
              <driver type='qcow2'/>
              <source file='/var/lib/libvirt/images/vda.snap'/>
            </disk>
            <disk name='vdb' snapshot='internal'/>
            <disk name='/var/lib/libvirt/images/scratch.img' snapshot='no'/>
            <disk name='hdc'>
              <source/>
            </disk>
          </disks>
          <active>1</active>
          <domain>
            <uuid>9d37b878-a7cc-9f9a-b78f-49b3abad25a8</uuid>
          </domain>
        </domainsnapshot>
        """

    static let memoryWithoutSnapshotAttribute = """
        <domainsnapshot>
          <memory file='/tmp/memory.save'/>
        </domainsnapshot>
        """

    static let internalMemoryAndFullDomain = """
        <domainsnapshot>
          <memory snapshot='internal'/>
          <state>disk-snapshot</state>
          <active>0</active>
          <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
            <name>guest</name>
            <uuid>9d37b878a7cc9f9ab78f49b3abad25a8</uuid>
            <qemu:commandline>
              <qemu:arg value='-S'/>
            </qemu:commandline>
          </domain>
        </domainsnapshot>
        """

    static let noMemory = """
        <domainsnapshot>
          <memory snapshot='no'/>
          <disks/>
          <domain>
            <uuid>9d37b878a7cc9f9ab78f49b3abad25a8</uuid>
          </domain>
        </domainsnapshot>
        """

    static let all = [full, memoryWithoutSnapshotAttribute, internalMemoryAndFullDomain, noMemory]
}

@Suite("Decoding snapshot documents")
struct DecodingTests {
    @Test("every part of the full document decodes to its typed value")
    func full() throws {
        let snapshot = try DomainSnapshot(xmlString: Fixtures.full)
        #expect(snapshot.name == "before-upgrade")
        #expect(snapshot.description == "Taken before the kernel upgrade & reboot")
        #expect(snapshot.state == .running)
        #expect(snapshot.parent?.name == "base")
        #expect(snapshot.creationTime == "1386087221")
        #expect(snapshot.memory == .external(file: "/var/lib/libvirt/qemu/snapshot/memory.save"))
        #expect(snapshot.active == ._1)
        #expect(snapshot.domain == .uuid(.init(uuid: "9d37b878-a7cc-9f9a-b78f-49b3abad25a8")))
        let disks = try #require(snapshot.disks)
        #expect(disks.count == 4)
        #expect(disks[0].name == .diskTarget("vda"))
        #expect(disks[0].snapshot == .external(driver: .init(type: .qcow2), source: .init(file: "/var/lib/libvirt/images/vda.snap")))
        #expect(disks[1].snapshot == .internal)
        #expect(disks[2].name == .absFilePath("/var/lib/libvirt/images/scratch.img"))
        #expect(disks[2].snapshot == .no)
        // No snapshot attribute: the grammar's third alternative, with the attribute left out.
        #expect(disks[3].snapshot == .external(snapshot: false, driver: nil, source: .init(file: nil)))
    }

    @Test("<memory> is .no, .internal or .external(file:), remembering whether snapshot= was written")
    func memory() throws {
        #expect(try DomainSnapshot(xmlString: Fixtures.noMemory).memory == .no)
        #expect(try DomainSnapshot(xmlString: Fixtures.internalMemoryAndFullDomain).memory == .internal)
        let bare = try DomainSnapshot(xmlString: Fixtures.memoryWithoutSnapshotAttribute)
        #expect(bare.memory == .external(snapshot: false, file: "/tmp/memory.save"))
        #expect(bare.xmlString().contains("<memory file='/tmp/memory.save'/>"))
    }

    @Test("a full domain definition is kept as XML, namespaces and all")
    func openDomain() throws {
        let snapshot = try DomainSnapshot(xmlString: Fixtures.internalMemoryAndFullDomain)
        guard case .domain(let domain)? = snapshot.domain else {
            Issue.record("expected the open domain alternative, got \(String(describing: snapshot.domain))")
            return
        }
        #expect(domain.attribute("type") == "kvm")
        #expect(domain.elements.map(\.localName) == ["name", "uuid", "commandline"])
        #expect(domain.elements[2].namespace == "http://libvirt.org/schemas/domain/qemu/1.0")
        #expect(snapshot.state == .diskSnapshot)
        #expect(snapshot.active == ._0)
    }

    @Test("an empty <disks/> is an empty list, an absent one nil")
    func disksPresence() throws {
        #expect(try DomainSnapshot(xmlString: Fixtures.noMemory).disks == [])
        #expect(try DomainSnapshot(xmlString: Fixtures.memoryWithoutSnapshotAttribute).disks == nil)
    }

    @Test("decoding from bytes and from a file gives the same value")
    func entryPoints() throws {
        let fromString = try DomainSnapshot(xmlString: Fixtures.full)
        let fromBytes = try DomainSnapshot(xmlBytes: Array(Fixtures.full.utf8))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString).xml")
        try Data(Fixtures.full.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try DomainSnapshot(contentsOfFile: file.path)
        #expect(fromString == fromBytes)
        #expect(fromString == fromFile)
    }

    @Test("a document gives the same value decoded validated and decoded from a tree parsed in Swift")
    func validatedAndUnvalidated() throws {
        // Validated, values that validation checked are not checked again; a tree parsed in Swift
        // was never validated, and every value of it is checked.
        var documents = Fixtures.all
        if XmllintAgreementTests.hasCorpus {
            documents += try XmllintAgreementTests.corpusDocuments().compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        }
        var compared = 0
        for text in documents {
            guard let validated = try? DomainSnapshot(xmlString: text) else { continue }
            let tree = try XMLElement.parse(bytes: Array(text.utf8), displayName: "snapshot.xml")
            #expect(try DomainSnapshot(xml: tree) == validated, "\(text)")
            compared += 1
        }
        #expect(compared >= Fixtures.all.count)
    }

    @Test("values built in Swift encode to XML the grammar accepts")
    func buildAndEncode() throws {
        let snapshot = DomainSnapshot(
            name: "nightly", memory: .external(file: "/save/memory"),
            disks: [DiskSnapshot(name: .diskTarget("vda"), snapshot: .external(source: .init(file: "/save/vda.qcow2")))])
        let xml = snapshot.xmlString()
        #expect(xml == """
            <domainsnapshot>
              <name>nightly</name>
              <memory snapshot='external' file='/save/memory'/>
              <disks>
                <disk name='vda' snapshot='external'>
                  <source file='/save/vda.qcow2'/>
                </disk>
              </disks>
            </domainsnapshot>

            """)
        #expect(try DomainSnapshot(xmlString: xml) == snapshot)
    }

    @Test("restricted strings refuse values the grammar does not allow")
    func checkedValues() {
        #expect(AbsFilePath(rawValue: "/ok/path") != nil)
        #expect(AbsFilePath(rawValue: "relative/path") == nil)
        #expect(DiskTarget(rawValue: "vda") != nil)
        #expect(DiskTarget(rawValue: "eth0") == nil)
        #expect(DomainUUID(rawValue: "9d37b878-a7cc-9f9a-b78f-49b3abad25a8") != nil)
        #expect(DomainUUID(rawValue: "not-a-uuid") == nil)
    }
}
