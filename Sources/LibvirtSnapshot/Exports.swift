@_exported import RelaxNGRuntime
