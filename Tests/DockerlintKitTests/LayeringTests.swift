import Foundation
import Testing

/// The executable is the thin layer Package.swift declares: it sees ArgumentParser and Kit
/// only (SwiftPM would let it import any module Kit depends on).
@Suite struct Layering {
    @Test func commandLineImportsOnlyKit() throws {
        let dir = benchRepoRoot.appendingPathComponent("Sources/dockerlint")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        let allowed: Set<String> = ["ArgumentParser", "DockerlintKit", "Foundation", "Glibc", "Musl", "Darwin"]
        for f in files {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.contains(" import ") {
                let words = line.split(separator: " ")
                guard let k = words.firstIndex(of: "import"), k + 1 < words.count else { continue }
                let module = String(words[k + 1])
                #expect(allowed.contains(module), "\(f): \(line)")
            }
        }
    }
}
