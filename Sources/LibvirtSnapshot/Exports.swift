@_exported import LibvirtSnapshotTypes
@_exported import RelaxNGRuntime
