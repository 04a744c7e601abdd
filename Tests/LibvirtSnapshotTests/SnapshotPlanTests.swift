import LibvirtSnapshot
import Testing

/// Every row of the table in libvirt's design of external system checkpoints, with each "any",
/// "omit/no" and "int/ext" expanded into the cases it stands for.
@Suite("The memory × disks × disk-only table")
struct SnapshotPlanTests {
    struct Row: CustomStringConvertible, Sendable {
        var domain: DomainActivity
        var memory: [MemoryRequest]
        var disks: [DisksRequest]
        var diskOnly: [Bool]
        var result: SnapshotPlanResult
        var description: String { "\(domain) \(memory.map(\.rawValue)) \(disks.map(\.rawValue)) disk-only \(diskOnly)" }
    }

    static let any = [false, true]
    static let off = [false]
    static let on = [true]
    static let allDisks = DisksRequest.allCases

    static func plan(_ memory: MemoryPlan, _ disks: DiskPlan, _ methods: SnapshotMethod...) -> SnapshotPlanResult {
        .plan(SnapshotPlan(memory: memory, disks: disks, methods: methods))
    }

    static let nothing = SnapshotPlanResult.invalidCombination(reason: "nothing to snapshot")
    static let noMemory = SnapshotPlanResult.invalidCombination(reason: "no memory to save")
    static let diskOnlyVersusMemory = SnapshotPlanResult.invalidCombination(reason: "disk-only vs. memory")
    static let unsupported = SnapshotPlanResult.unsupported(reason: "unsupported for now")

    static let rows: [Row] = [
        Row(domain: .offline, memory: [.omitted], disks: [.omitted], diskOnly: any, result: plan(.no, .internal, .qemuImg)),
        Row(domain: .offline, memory: [.no], disks: [.omitted], diskOnly: any, result: plan(.no, .internal, .qemuImg)),
        Row(domain: .offline, memory: [.omitted, .no], disks: [.no], diskOnly: any, result: nothing),
        Row(domain: .offline, memory: [.omitted, .no], disks: [.internal], diskOnly: any, result: plan(.no, .internal, .qemuImg)),
        Row(domain: .offline, memory: [.omitted, .no], disks: [.external], diskOnly: any, result: plan(.no, .external, .qemuImg)),
        Row(domain: .offline, memory: [.internal, .external], disks: allDisks, diskOnly: any, result: noMemory),
        Row(domain: .online, memory: [.omitted], disks: [.omitted], diskOnly: off, result: plan(.internal, .internal, .savevm)),
        Row(domain: .online, memory: [.omitted], disks: [.omitted], diskOnly: on, result: plan(.no, .default, .transaction)),
        Row(domain: .online, memory: [.omitted], disks: [.no, .external], diskOnly: off, result: unsupported),
        Row(domain: .online, memory: [.omitted], disks: [.no], diskOnly: on, result: nothing),
        Row(domain: .online, memory: [.omitted], disks: [.external], diskOnly: on, result: plan(.no, .external, .transaction)),
        Row(domain: .online, memory: [.omitted], disks: [.internal], diskOnly: off, result: plan(.internal, .internal, .savevm)),
        Row(domain: .online, memory: [.omitted], disks: [.internal], diskOnly: on, result: unsupported),
        Row(domain: .online, memory: [.no], disks: [.omitted], diskOnly: any, result: plan(.no, .default, .transaction)),
        Row(domain: .online, memory: [.no], disks: [.no], diskOnly: any, result: nothing),
        Row(domain: .online, memory: [.no], disks: [.internal], diskOnly: any, result: unsupported),
        Row(domain: .online, memory: [.no], disks: [.external], diskOnly: any, result: plan(.no, .external, .transaction)),
        Row(domain: .online, memory: [.internal, .external], disks: allDisks, diskOnly: on, result: diskOnlyVersusMemory),
        Row(domain: .online, memory: [.internal], disks: [.omitted], diskOnly: off, result: plan(.internal, .internal, .savevm)),
        Row(domain: .online, memory: [.internal], disks: [.no, .external], diskOnly: off, result: unsupported),
        Row(domain: .online, memory: [.internal], disks: [.internal], diskOnly: off, result: plan(.internal, .internal, .savevm)),
        Row(domain: .online, memory: [.external], disks: [.omitted], diskOnly: off, result: plan(.external, .default, .migrate, .transaction)),
        Row(domain: .online, memory: [.external], disks: [.no], diskOnly: off, result: plan(.external, .no, .migrate)),
        Row(domain: .online, memory: [.external], disks: [.internal], diskOnly: off, result: unsupported),
        Row(domain: .online, memory: [.external], disks: [.external], diskOnly: off, result: plan(.external, .external, .migrate, .transaction)),
    ]

    @Test("each row of the table", arguments: rows)
    func row(_ row: Row) {
        for memory in row.memory {
            for disks in row.disks {
                for diskOnly in row.diskOnly {
                    let result = SnapshotPlan.resolve(domain: row.domain, memory: memory, disks: disks, diskOnly: diskOnly)
                    #expect(result == row.result, "\(row.domain) \(memory) \(disks) disk-only=\(diskOnly)")
                }
            }
        }
    }

    @Test("the rows cover every combination exactly once")
    func coverage() {
        var seen: [String: Int] = [:]
        for row in Self.rows {
            for memory in row.memory {
                for disks in row.disks {
                    for diskOnly in row.diskOnly { seen["\(row.domain)|\(memory)|\(disks)|\(diskOnly)", default: 0] += 1 }
                }
            }
        }
        #expect(seen.count == DomainActivity.allCases.count * MemoryRequest.allCases.count * DisksRequest.allCases.count * 2)
        #expect(seen.values.allSatisfy { $0 == 1 })
    }

    @Test("a decoded snapshot is planned from its <memory> and <disks>")
    func fromDocument() throws {
        let external = try DomainSnapshot(xmlString: """
            <domainsnapshot><memory snapshot='external' file='/m'/><disks><disk name='vda' snapshot='external'/></disks></domainsnapshot>
            """)
        #expect(external.plan(domain: .online, diskOnly: false) == Self.plan(.external, .external, .migrate, .transaction))
        #expect(external.plan(domain: .offline, diskOnly: false) == Self.noMemory)
        let mixed = try DomainSnapshot(xmlString: """
            <domainsnapshot><disks><disk name='vda' snapshot='external'/><disk name='vdb' snapshot='internal'/></disks></domainsnapshot>
            """)
        #expect(mixed.plan(domain: .online, diskOnly: true) == .unsupported(reason: "disks that mix internal and external snapshots"))
    }

    @Test("without <memory>, libvirt assumes no for an inactive domain and internal for a running one")
    func memoryDefault() throws {
        let snapshot = try DomainSnapshot(xmlString: "<domainsnapshot><state>running</state></domainsnapshot>")
        #expect(snapshot.memory == nil)
        #expect(snapshot.memory(defaultFor: .offline) == .no)
        #expect(snapshot.memory(defaultFor: .online) == .internal)
        #expect(snapshot.memory(defaultFor: DomainActivity(snapshot.state!)) == .internal)
        #expect(DomainActivity(.shutoff) == .offline)
        let explicit = try DomainSnapshot(xmlString: "<domainsnapshot><memory snapshot='no'/></domainsnapshot>")
        #expect(explicit.memory(defaultFor: .online) == .no)
    }
}
