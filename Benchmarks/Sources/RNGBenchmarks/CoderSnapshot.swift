import XMLCoder

// The domain snapshot format written by hand for XMLCoder: what a Swift user would write
// instead of generating types. It reads the same documents, names and values as the generated
// `DomainSnapshot` (the `<domain>` inside only for its UUID, as the seed grammar's short form).

struct CoderSnapshot: Codable, DynamicNodeEncoding {
    var name: String?
    var description: String?
    var state: String?
    var creationTime: String?
    var memory: Memory?
    var disks: Disks?
    var active: String?
    var parent: Parent?
    var domain: Domain?

    struct Memory: Codable, DynamicNodeEncoding {
        var snapshot: String
        var file: String?
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
    }

    struct Disks: Codable {
        var disk: [Disk]
    }

    struct Disk: Codable, DynamicNodeEncoding {
        var name: String
        var snapshot: String?
        var type: String?
        var driver: Driver?
        var source: Source?
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding {
            ["name", "snapshot", "type"].contains(key.stringValue) ? .attribute : .element
        }
    }

    struct Driver: Codable, DynamicNodeEncoding {
        var type: String?
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
    }

    struct Source: Codable, DynamicNodeEncoding {
        var file: String?
        static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .attribute }
    }

    struct Parent: Codable {
        var name: String
    }

    struct Domain: Codable {
        var uuid: String?
    }

    static func nodeEncoding(for key: any CodingKey) -> XMLEncoder.NodeEncoding { .element }
}
