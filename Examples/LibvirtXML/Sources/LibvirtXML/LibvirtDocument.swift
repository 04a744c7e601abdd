@_exported import RelaxNGRuntime

/// Any libvirt document, decoded by its root element into the type its grammar gives it.
public enum LibvirtDocument: Hashable, Sendable {
    case domain(Domain)
    case domainSnapshot(Domainsnapshot)
    case domainBackup(Domainbackup)
    case domainCheckpoint(Domaincheckpoint)
    case network(Network)
    case networkPort(Networkport)
    case storagePool(Pool)
    case storageVolume(Vol)
    case storagePoolCapabilities(StoragepoolCapabilities)
    case secret(Secret)
    case networkFilter(Filter)
    case networkFilterBinding(Filterbinding)
    case nodeDevice(Device)
    case ethernetInterface(EthernetInterface)
    case bridgeInterface(BridgeInterface)
    case bondInterface(BondInterface)
    case vlanInterface(VlanInterface)
    case capabilities(Capabilities)
    case domainCapabilities(DomainCapabilities)

    /// Decodes a document whose root element names its format (`<domain>`, `<pool>`, …).
    ///
    /// With `validating` false, the document is parsed into a tree in Swift and decoded without
    /// validation, by the generated decoders alone: they accept what the grammar accepts and give
    /// the same value, which `libvirt-xml corpus` checks.
    public init(xmlBytes bytes: [UInt8], displayName: String, validating: Bool = true) throws {
        let tree = validating ? nil : try XMLElement.parse(bytes: bytes, displayName: displayName)
        let root = try tree?.localName ?? Self.rootName(of: bytes, displayName: displayName)
        func decode<T: XMLDocumentRoot>(_ type: T.Type) throws -> T {
            if let tree { return try T(xml: tree) }
            return try T(xmlBytes: bytes, displayName: displayName)
        }
        switch root {
        case "domain": self = .domain(try decode(Domain.self))
        case "domainsnapshot": self = .domainSnapshot(try decode(Domainsnapshot.self))
        case "domainbackup": self = .domainBackup(try decode(Domainbackup.self))
        case "domaincheckpoint": self = .domainCheckpoint(try decode(Domaincheckpoint.self))
        case "network": self = .network(try decode(Network.self))
        case "networkport": self = .networkPort(try decode(Networkport.self))
        case "pool": self = .storagePool(try decode(Pool.self))
        case "volume": self = .storageVolume(try decode(Vol.self))
        case "storagepoolCapabilities": self = .storagePoolCapabilities(try decode(StoragepoolCapabilities.self))
        case "secret": self = .secret(try decode(Secret.self))
        case "filter": self = .networkFilter(try decode(Filter.self))
        case "filterbinding": self = .networkFilterBinding(try decode(Filterbinding.self))
        case "device": self = .nodeDevice(try decode(Device.self))
        case "capabilities": self = .capabilities(try decode(Capabilities.self))
        case "domainCapabilities": self = .domainCapabilities(try decode(DomainCapabilities.self))
        case "interface":
            // Four grammars' roots are <interface>; the document is the first that fits.
            var firstError: (any Error)?
            do { self = .ethernetInterface(try decode(EthernetInterface.self)); return } catch { firstError = error }
            if let value = try? decode(BridgeInterface.self) { self = .bridgeInterface(value); return }
            if let value = try? decode(BondInterface.self) { self = .bondInterface(value); return }
            if let value = try? decode(VlanInterface.self) { self = .vlanInterface(value); return }
            throw firstError!
        default:
            throw XMLDecodingError("<\(root)> is not the root of a libvirt format", at: XMLLocation(file: displayName, line: 1, column: 1))
        }
    }

    /// The document as libvirt writes it.
    public func xmlString() -> String {
        switch self {
        case .domain(let value): return value.xmlString()
        case .domainSnapshot(let value): return value.xmlString()
        case .domainBackup(let value): return value.xmlString()
        case .domainCheckpoint(let value): return value.xmlString()
        case .network(let value): return value.xmlString()
        case .networkPort(let value): return value.xmlString()
        case .storagePool(let value): return value.xmlString()
        case .storageVolume(let value): return value.xmlString()
        case .storagePoolCapabilities(let value): return value.xmlString()
        case .secret(let value): return value.xmlString()
        case .networkFilter(let value): return value.xmlString()
        case .networkFilterBinding(let value): return value.xmlString()
        case .nodeDevice(let value): return value.xmlString()
        case .ethernetInterface(let value): return value.xmlString()
        case .bridgeInterface(let value): return value.xmlString()
        case .bondInterface(let value): return value.xmlString()
        case .vlanInterface(let value): return value.xmlString()
        case .capabilities(let value): return value.xmlString()
        case .domainCapabilities(let value): return value.xmlString()
        }
    }

    /// The local name of the root element, read without decoding the document.
    static func rootName(of bytes: [UInt8], displayName: String) throws -> String {
        try XMLElement.parse(bytes: bytes, displayName: displayName).localName
    }
}
