import CLibXML2

/// Process-wide libxml2 set-up, done once before the first parse, whichever thread asks first.
///
/// The external entity loader is replaced by one that refuses everything: no document or grammar
/// parsed by this project may make libxml2 open a file or a network connection on its own.
/// Grammar files that `include` or `externalRef` name are read by ``GrammarLoader`` itself.
enum LibXML2 {
    private static let setUp: Void = {
        xmlInitParser()
        xmlSchemaInitTypes()
        xmlSetExternalEntityLoader(refuseExternalEntity)
        xmlThrDefSetStructuredErrorFunc(nil, ignoreStructuredError)
    }()

    /// Sets libxml2 up if needed and keeps it from printing on the calling thread.
    static func prepareThread() {
        _ = setUp
        // libxml2 keeps its error handler per thread; errors are read from the parser context.
        xmlSetStructuredErrorFunc(nil, ignoreStructuredError)
    }
}

private func refuseExternalEntity(
    _ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    nil
}

private func ignoreStructuredError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {}
