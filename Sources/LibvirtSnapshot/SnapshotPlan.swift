/// Whether the domain runs when the snapshot is taken.
public enum DomainActivity: String, Hashable, Sendable, Codable, CaseIterable {
    /// Shut off: only disk images can be snapshotted, with qemu-img.
    case offline
    /// Running (or paused): memory can be saved too.
    case online

    /// The activity a snapshot's recorded `<state>` implies: a domain that has a process
    /// (running, blocked, paused, shutting down, or taken disk-only while running) is online.
    public init(_ state: State) {
        switch state {
        case .running, .blocked, .paused, .shutdown, .diskSnapshot: self = .online
        case .shutoff, .crashed, .nostate: self = .offline
        }
    }
}

/// What a snapshot request asks of the memory: the `<memory>` element, or its absence.
public enum MemoryRequest: String, Hashable, Sendable, Codable, CaseIterable {
    case omitted
    case no
    case `internal`
    case external

    public init(_ memory: DomainSnapshot.Memory?) {
        switch memory {
        case nil: self = .omitted
        case .no?: self = .no
        case .internal?: self = .internal
        case .external?: self = .external
        }
    }
}

/// What a snapshot request asks of the disks: no `<disks>` element, or the kind of snapshot
/// its disks ask for.
public enum DisksRequest: String, Hashable, Sendable, Codable, CaseIterable {
    case omitted
    /// Every disk listed with `snapshot='no'`.
    case no
    case `internal`
    case external

    /// The request a `<disks>` list makes; nil when it mixes internal and external disks, which
    /// the table has no row for.
    public init?(_ disks: [DiskSnapshot]?) {
        guard let disks else {
            self = .omitted
            return
        }
        let kinds = Set(disks.map(\.snapshot.kind))
        switch kinds {
        case []: self = .omitted
        case [.no]: self = .no
        case [.internal], [.internal, .no]: self = .internal
        case [.external], [.external, .no]: self = .external
        default: return nil
        }
    }
}

/// How the memory is handled in the plan.
public enum MemoryPlan: String, Hashable, Sendable, Codable {
    case no
    case `internal`
    case external
}

/// How the disks are handled in the plan.
public enum DiskPlan: String, Hashable, Sendable, Codable {
    case no
    case `internal`
    case external
    /// Each disk as its domain definition says.
    case `default`
}

/// The qemu mechanisms that carry out a snapshot.
public enum SnapshotMethod: String, Hashable, Sendable, Codable {
    /// Offline snapshots of disk images, internal or external.
    case qemuImg = "qemu-img"
    /// Online internal snapshot of memory and disks.
    case savevm
    /// Online external snapshot of the memory.
    case migrate
    /// Online external snapshot of disks.
    case transaction
}

/// What a snapshot will do.
public struct SnapshotPlan: Hashable, Sendable, Codable {
    public var memory: MemoryPlan
    public var disks: DiskPlan
    /// The mechanisms, in the order they run.
    public var methods: [SnapshotMethod]

    public init(memory: MemoryPlan, disks: DiskPlan, methods: [SnapshotMethod]) {
        self.memory = memory
        self.disks = disks
        self.methods = methods
    }
}

/// The answer of the combination table: a plan, or why there is none.
public enum SnapshotPlanResult: Hashable, Sendable, Codable {
    case plan(SnapshotPlan)
    /// The request contradicts itself; the reason is the table's.
    case invalidCombination(reason: String)
    /// A valid request that libvirt did not implement.
    case unsupported(reason: String)
}

extension SnapshotPlan {
    static let nothingToSnapshot = "nothing to snapshot"
    static let noMemoryToSave = "no memory to save"
    static let diskOnlyVersusMemory = "disk-only vs. memory"
    static let notYet = "unsupported for now"

    /// The table of domain state × `<memory>` × `<disks>` × disk-only flag from libvirt's
    /// design of external system checkpoints (libvirt 1.0.1).
    public static func resolve(domain: DomainActivity, memory: MemoryRequest, disks: DisksRequest, diskOnly: Bool) -> SnapshotPlanResult {
        func plan(_ memory: MemoryPlan, _ disks: DiskPlan, _ methods: SnapshotMethod...) -> SnapshotPlanResult {
            .plan(SnapshotPlan(memory: memory, disks: disks, methods: methods))
        }
        switch domain {
        case .offline:
            switch (memory, disks) {
            case (.internal, _), (.external, _): return .invalidCombination(reason: noMemoryToSave)
            case (.omitted, .omitted), (.no, .omitted): return plan(.no, .internal, .qemuImg)
            case (_, .no): return .invalidCombination(reason: nothingToSnapshot)
            case (_, .internal): return plan(.no, .internal, .qemuImg)
            case (_, .external): return plan(.no, .external, .qemuImg)
            }
        case .online:
            switch memory {
            case .omitted:
                switch (disks, diskOnly) {
                case (.omitted, false): return plan(.internal, .internal, .savevm)
                case (.omitted, true): return plan(.no, .default, .transaction)
                case (.no, false), (.external, false): return .unsupported(reason: notYet)
                case (.no, true): return .invalidCombination(reason: nothingToSnapshot)
                case (.external, true): return plan(.no, .external, .transaction)
                case (.internal, false): return plan(.internal, .internal, .savevm)
                case (.internal, true): return .unsupported(reason: notYet)
                }
            case .no:
                switch disks {
                case .omitted: return plan(.no, .default, .transaction)
                case .no: return .invalidCombination(reason: nothingToSnapshot)
                case .internal: return .unsupported(reason: notYet)
                case .external: return plan(.no, .external, .transaction)
                }
            case .internal, .external:
                if diskOnly { return .invalidCombination(reason: diskOnlyVersusMemory) }
                switch (memory, disks) {
                case (.internal, .omitted), (.internal, .internal): return plan(.internal, .internal, .savevm)
                case (.internal, _): return .unsupported(reason: notYet)
                case (_, .omitted): return plan(.external, .default, .migrate, .transaction)
                case (_, .no): return plan(.external, .no, .migrate)
                case (_, .internal): return .unsupported(reason: notYet)
                default: return plan(.external, .external, .migrate, .transaction)
                }
            }
        }
    }
}

extension DomainSnapshot {
    /// The `<memory>` the snapshot asks for, or the one libvirt assumes when it is absent: for
    /// back-compatibility, "no" for a domain that is not running and "internal" for one that is.
    public func memory(defaultFor domain: DomainActivity) -> DomainSnapshot.Memory {
        if let memory { return memory }
        return domain == .online ? .internal : .no
    }

    /// The plan for taking this snapshot of a domain; `diskOnly` is virsh's `--disk-only`.
    public func plan(domain: DomainActivity, diskOnly: Bool) -> SnapshotPlanResult {
        guard let disks = DisksRequest(self.disks) else {
            return .unsupported(reason: "disks that mix internal and external snapshots")
        }
        return SnapshotPlan.resolve(domain: domain, memory: MemoryRequest(memory), disks: disks, diskOnly: diskOnly)
    }
}

extension DiskSnapshot.Snapshot {
    /// The kind of snapshot, without its details.
    public var kind: DisksRequest {
        switch self {
        case .no: return .no
        case .internal: return .internal
        case .external: return .external
        }
    }
}
