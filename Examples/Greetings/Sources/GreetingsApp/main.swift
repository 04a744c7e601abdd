import Greetings

let document = """
    <greetings>
      <greeting language='en' tone='casual' repeat='2'>Hello</greeting>
      <greeting language='fr-FR' tone='formal'>Bonjour</greeting>
    </greetings>
    """
do {
    let greetings = try Greetings(xmlString: document, displayName: "greetings.xml")
    for greeting in greetings.greetings {
        print("\(greeting.language) (\(greeting.tone?.rawValue ?? "plain")): \(greeting.spoken)")
    }
    print(greetings.xmlString(), terminator: "")
    _ = try Greetings(xmlString: "<greetings><greeting language='english'>Hi</greeting></greetings>", displayName: "bad.xml")
} catch {
    print(error)
}
