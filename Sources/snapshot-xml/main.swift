import LibvirtSnapshot
for path in CommandLine.arguments.dropFirst() {
    do {
        let snapshot = try DomainSnapshot(contentsOfFile: path)
        print(snapshot.xmlString())
        print(snapshot)
    } catch {
        print("ERR \(error)")
    }
}
