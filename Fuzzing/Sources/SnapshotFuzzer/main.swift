import Foundation
import LibvirtSnapshot

// Decodes fuzzer-made bytes as a domain snapshot: they either decode or throw, never crash; what
// decodes must encode and decode again to an equal value.

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzer(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

func decodeOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let snapshot = try? DomainSnapshot(xmlBytes: bytes, displayName: "fuzz.xml") else { return 0 }
    let again = try? DomainSnapshot(xmlString: snapshot.xmlString(), displayName: "re-encoded.xml")
    precondition(again == snapshot, "a decoded snapshot does not survive encoding: \(snapshot.xmlString())")
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzer(&argc, &argv, decodeOne))
