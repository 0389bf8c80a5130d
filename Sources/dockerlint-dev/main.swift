import DockerlintCore
import Foundation

// usage: swift run dockerlint-dev generate [--check]
// Reads rules/*.yaml and writes Sources/DockerlintRules/Generated/RuleCatalog+Generated.swift.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let rulesDir = root.appendingPathComponent("rules")
let output = root.appendingPathComponent("Sources/DockerlintRules/Generated/RuleCatalog+Generated.swift")
let args = CommandLine.arguments.dropFirst()
guard args.first == "generate" else {
    FileHandle.standardError.write("usage: dockerlint-dev generate [--check]\n".data(using: .utf8)!)
    exit(2)
}
do {
    let names = try FileManager.default.contentsOfDirectory(atPath: rulesDir.path).filter { $0.hasSuffix(".yaml") }.sorted()
    var rules: [RuleMetadata] = []
    for n in names {
        let text = try String(contentsOf: rulesDir.appendingPathComponent(n), encoding: .utf8)
        let r = try RuleCatalogGenerator.load(yaml: text, file: "rules/\(n)")
        guard n == r.code + ".yaml" else { throw RuleCatalogGenerator.Problem(file: "rules/\(n)", message: "file name must be \(r.code).yaml") }
        rules.append(r)
    }
    let source = RuleCatalogGenerator.swiftSource(rules)
    let current = try? String(contentsOf: output, encoding: .utf8)
    if args.contains("--check") {
        if current != source { print("\(output.path) is out of date: run `swift run dockerlint-dev generate`"); exit(1) }
        print("up to date (\(rules.count) rules)")
    } else if current != source {
        try source.write(to: output, atomically: true, encoding: .utf8)
        print("wrote \(output.path) (\(rules.count) rules)")
    } else {
        print("up to date (\(rules.count) rules)")
    }
} catch {
    FileHandle.standardError.write("dockerlint-dev: \(error)\n".data(using: .utf8)!)
    exit(2)
}
