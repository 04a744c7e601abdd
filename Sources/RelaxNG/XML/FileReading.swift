import Foundation

enum FileReading {
    /// The bytes of a regular file, or nil when it cannot be read.
    static func contents(of path: String) -> [UInt8]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return Array(data)
    }
}
