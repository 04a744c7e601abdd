import Foundation

/// The other RELAX NG validators the command compares with: xmllint (libxml2) and, where xmllint
/// disagrees, jing.
enum Oracles {
    /// The paths `xmllint --relaxng` validates against `schema`, from one process for all of them.
    static func xmllintValid(_ paths: [String], schema: String) throws -> Set<String> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--nonet", "--relaxng", schema] + paths
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Set(output.split(separator: "\n").compactMap { line in line.hasSuffix(" validates") ? String(line.dropLast(" validates".count)) : nil })
    }

    /// Jing's verdict on one file, or nil when jing is not installed (Debian package `jing`).
    static func jingValid(_ path: String, schema: String) -> Bool? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/jing") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/jing")
        process.arguments = [schema, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// `texts` written to a scratch folder while `body` runs, as paths in the same order.
    static func withFiles<Result>(_ texts: [String], _ body: ([String]) throws -> Result) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("libvirt-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let paths = try texts.enumerated().map { index, text in
            let path = scratch.appendingPathComponent("\(index).xml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        return try body(paths)
    }
}
