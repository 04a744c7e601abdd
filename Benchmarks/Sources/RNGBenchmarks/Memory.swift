import Foundation
import LibvirtSnapshot

// Peak memory for decoding one large document, next to libxml2's tree for it: each measured in
// a child process of this benchmark, whose peak resident size less that of a child that only
// reads the bytes is what the decoding took.

/// A domain snapshot with `disks` disks: larger than any in libvirt's tests, and valid.
func largeSnapshot(disks: Int) -> String {
    var text = "<domainsnapshot>\n  <name>large</name>\n  <memory snapshot='no'/>\n  <disks>\n"
    for index in 0..<disks {
        text += "    <disk name='vd\(index)' snapshot='external'>\n      <driver type='qcow2'/>\n      <source file='/var/lib/libvirt/images/disk\(index).qcow2'/>\n    </disk>\n"
    }
    return text + "  </disks>\n</domainsnapshot>\n"
}

/// Run in the child: read, do `mode`, report the peak resident size in KiB.
func memoryChild(mode: String, path: String) -> Never {
    let bytes = read(path)
    var kept: Any?
    switch mode {
    case "ours": kept = (try? DomainSnapshot(xmlBytes: bytes)).map { $0 as Any }
    case "libxml2": kept = LibXML2Floor.parse(bytes).map { $0 as Any }
    default: kept = bytes.count
    }
    // The high-water mark of this process image: getrusage's ru_maxrss would carry the parent's
    // over the exec.
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    let kib = line.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
    print(kib, kept == nil ? "failed" : "ok")
    exit(0)
}

func benchmarkMemory() {
    let text = largeSnapshot(disks: 20_000)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rng2swift-large-snapshot.xml").path
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fail("cannot write \(path)") }
    defer { try? FileManager.default.removeItem(atPath: path) }
    func peak(_ mode: String) -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--memory-child", mode, path]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { fail("cannot run a child: \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard fields.count == 2, fields[1].hasPrefix("ok"), let kib = Int(fields[0]) else { fail("the \(mode) child failed: \(String(decoding: data, as: UTF8.self))") }
        return kib
    }
    let baseline = (0..<3).map { _ in peak("none") }.min()!
    let ours = (0..<3).map { _ in peak("ours") }.min()! - baseline
    let libxml2 = (0..<3).map { _ in peak("libxml2") }.min()! - baseline
    print("memory: one snapshot with 20,000 disks, \(format(Double(text.utf8.count) / 1e6)) MB; peak resident size beyond reading the bytes")
    print("  libxml2 tree                       \(libxml2 / 1024) MiB")
    print("  rng2swift DomainSnapshot           \(ours / 1024) MiB (\(format(Double(ours) / Double(max(libxml2, 1))))x libxml2's tree)")
}
