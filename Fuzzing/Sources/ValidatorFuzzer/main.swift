import Foundation
import RelaxNG

// Validates fuzzer-made bytes against the seed grammar: never a crash, and every diagnostic names
// a file, line and column. The grammar is ../schemas/domainsnapshot.rng, or RNG2SWIFT_FUZZ_GRAMMAR.

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzer(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) let validator: Validator = {
    let path = ProcessInfo.processInfo.environment["RNG2SWIFT_FUZZ_GRAMMAR"] ?? "../schemas/domainsnapshot.rng"
    do {
        return Validator(schema: try Schema(file: path, searchPath: GrammarSearchPath([])))
    } catch {
        fatalError("cannot load \(path): \(error)")
    }
}()

func validateOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for problem in validator.validate(bytes: bytes, displayName: "fuzz.xml") {
        precondition(problem.location != nil, "a diagnostic without a location: \(problem)")
    }
    return 0
}

_ = validator
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzer(&argc, &argv, validateOne))
