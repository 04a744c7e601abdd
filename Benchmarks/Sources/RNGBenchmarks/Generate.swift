import Foundation
import RelaxNG
import SwiftGenerator

// Generation time: the seed grammar, and all 16 libvirt grammars into one module (what
// Examples/LibvirtXML's build plugin runs), in process; grammar loading included.

let libvirtGrammars = [
    "domain.rng", "domainsnapshot.rng", "domainbackup.rng", "domaincheckpoint.rng", "network.rng", "networkport.rng",
    "storagepool.rng", "storagevol.rng", "storagepoolcaps.rng", "secret.rng", "nwfilter.rng", "nwfilterbinding.rng",
    "nodedev.rng", "interface.rng", "capability.rng", "domaincaps.rng",
]

func configuration(_ path: String) -> GeneratorConfiguration {
    guard let data = FileManager.default.contents(atPath: path),
        let configuration = try? JSONDecoder().decode(GeneratorConfiguration.self, from: data)
    else { fail("cannot read the configuration \(path)") }
    return configuration
}

func benchmarkGeneration() {
    let seedConfiguration = configuration(projectRoot.path + "/Sources/LibvirtSnapshot/rng2swift-config.json")
    let libvirtConfiguration = configuration(projectRoot.path + "/Examples/LibvirtXML/Sources/LibvirtXML/rng2swift-config.json")
    // Lines are counted after the clock stops.
    func lineCount(_ files: [GeneratedFile]) -> Int { files.reduce(0) { $0 + $1.contents.utf8.count { $0 == UInt8(ascii: "\n") } } }
    var seedFiles: [GeneratedFile] = []
    let seed = fastest {
        do {
            let schema = try Schema(file: projectRoot.path + "/schemas/domainsnapshot.rng", searchPath: GrammarSearchPath([]))
            seedFiles = try SwiftCodeGenerator(configuration: seedConfiguration).generate(from: schema)
        } catch { fail("\(error)") }
    }
    let lines = lineCount(seedFiles)
    print("generate: schemas/domainsnapshot.rng: \(format(seed * 1000, 0)) ms (\(lines) lines)")
    var libvirtFiles: [GeneratedFile] = []
    var loading = 0.0
    let all = fastest {
        do {
            let start = ContinuousClock.now
            // As `rng2swift generate` loads them: side by side.
            let schemas = try Schema.load(files: libvirtGrammars.map { libvirtSchemas + "/" + $0 }, searchPath: GrammarSearchPath([])).map { try $0.get() }
            loading = seconds(start)
            libvirtFiles = try SwiftCodeGenerator(configuration: libvirtConfiguration).generate(from: schemas)
        } catch { fail("\(error)") }
    }
    let libvirtLines = lineCount(libvirtFiles)
    print("generate: \(libvirtGrammars.count) libvirt grammars: \(format(all * 1000, 0)) ms (loading and checking \(format(loading * 1000, 0)) ms; \(libvirtLines) lines)")
    targets.append(Target(name: "generate-libvirt", measured: "\(format(all, 2)) s", goal: "under 1.00 s", met: all < 1))
}
