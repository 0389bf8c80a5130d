import DockerlintDevTools
import Foundation

// usage: swift run dockerlint-dev generate [--check]
// Reads rules/*.yaml and writes the rule catalog and registry under
// Sources/DockerlintRules/Generated/ (see GeneratedFiles).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let args = CommandLine.arguments.dropFirst()
guard args.first == "generate" else {
    FileHandle.standardError.write("usage: dockerlint-dev generate [--check]\n".data(using: .utf8)!)
    exit(2)
}
do {
    let rules = try GeneratedFiles.loadRules(root: root)
    var stale: [String] = []
    for file in GeneratedFiles.render(rules) {
        let url = root.appendingPathComponent(file.path)
        guard (try? String(contentsOf: url, encoding: .utf8)) != file.contents else { continue }
        stale.append(file.path)
        if !args.contains("--check") {
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
            print("wrote \(file.path)")
        }
    }
    if args.contains("--check") && !stale.isEmpty {
        for p in stale { print("\(p) is out of date: run `swift run dockerlint-dev generate`") }
        exit(1)
    }
    print(stale.isEmpty ? "up to date (\(rules.count) rules)" : "\(rules.count) rules")
} catch {
    FileHandle.standardError.write("dockerlint-dev: \(error)\n".data(using: .utf8)!)
    exit(2)
}
