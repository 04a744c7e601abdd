/// Why a disk could not be found in a snapshot.
public enum DiskLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No disk has that target name or source path.
    case notFound(String)
    /// Several disks have that path: one file can back more than one disk, so a path names a disk
    /// only when it is unambiguous. The positions are indexes into `disks`.
    case ambiguous(String, positions: [Int])

    public var description: String {
        switch self {
        case .notFound(let name): return "no disk has the target or source path \"\(name)\""
        case .ambiguous(let name, let positions):
            return "\"\(name)\" is the path of \(positions.count) disks (positions \(positions.map(String.init).joined(separator: ", "))); name the disk by its target instead"
        }
    }
}

extension DiskSnapshot {
    /// The target name (`vda`), when the disk is named by its target.
    public var target: String? {
        if case .diskTarget(let target) = name { return target.rawValue }
        return nil
    }

    /// The paths that name the disk: a path given as its name, and its new source file.
    public var paths: [String] {
        var result: [String] = []
        if case .absFilePath(let path) = name { result.append(path.rawValue) }
        if case .external(_, _, let source) = snapshot, let file = source?.file { result.append(file.rawValue) }
        return result
    }
}

extension DomainSnapshot {
    /// The disk named `nameOrPath`: by its target name (`vda`, unique within a domain) or by a
    /// path (its name, when it is named by path, or its new source file), which must be
    /// unambiguous — as libvirt accepts either form wherever it takes a disk.
    public func disk(_ nameOrPath: String) throws(DiskLookupError) -> DiskSnapshot {
        let disks = self.disks ?? []
        if let byTarget = disks.first(where: { $0.target == nameOrPath }) { return byTarget }
        let positions = disks.indices.filter { disks[$0].paths.contains(nameOrPath) }
        switch positions.count {
        case 0: throw .notFound(nameOrPath)
        case 1: return disks[positions[0]]
        default: throw .ambiguous(nameOrPath, positions: positions)
        }
    }
}
