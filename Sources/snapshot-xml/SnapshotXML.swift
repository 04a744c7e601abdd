import ArgumentParser
import Foundation
import LibvirtSnapshot

@main
struct SnapshotXML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot-xml",
        abstract: "Read libvirt domain snapshot XML with the typed snapshot API.",
        subcommands: [Format.self]
    )
}

struct Format: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a snapshot document and print it re-encoded; on error print FILE:line:col: error: … and exit 1.")

    @Argument(help: "The domain snapshot document.")
    var file: String

    func run() throws {
        do {
            let snapshot = try DomainSnapshot(contentsOfFile: file)
            print(snapshot.xmlString(), terminator: "")
        } catch let error as XMLDecodingError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
