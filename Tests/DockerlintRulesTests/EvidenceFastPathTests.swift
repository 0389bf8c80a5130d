import DockerlintCache
import DockerlintModel
import DockerlintSyntax
import Foundation
import Testing
@testable import DockerlintAnalysis
@testable import DockerlintRules

/// The byte versions the cache evidence takes for ASCII text give the answers of the
/// character versions they stand in for, on every Dockerfile and fixture of this repository
/// and on the edge cases of each (carriage returns, line continuations, quotes, accents).
@Suite struct EvidenceFastPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Dockerfiles of the repository's tests and examples, and some made-up ones.
    static func dockerfiles() -> [[UInt8]] {
        var out: [[UInt8]] = []
        for dir in ["Tests", "examples"] {
            let e = FileManager.default.enumerator(atPath: root.appendingPathComponent(dir).path)
            while let p = e?.nextObject() as? String {
                guard p.hasSuffix("Dockerfile") || p.contains("Dockerfile."),
                      let data = FileManager.default.contents(atPath: root.appendingPathComponent(dir + "/" + p).path) else { continue }
                out.append(Array(data))
            }
        }
        let extra = ["FROM a\r\nRUN ./build.sh \\\r\n  && make\r\n", "FROM a\nCOPY ./src/ /app/\nRUN \"./x.sh\" 'y.sh'\n",
                     "FROM é\nRUN echo naïve && ./a.sh\n", "FROM a\nRUN a\r\n./b\n", "FROM a\nRUN \\\n\tx \\\\ y\n",
                     "FROM a\nCOPY [\"package.json\", \"./\"]\nRUN npm ci\n", "FROM a\nRUN " + String(repeating: "apt-get install -y x ", count: 20) + "\\\n"]
        return out + extra.map { Array($0.utf8) }
    }

    @Test func normalisedTextsAgree() {
        let files = Self.dockerfiles()
        #expect(files.count > 50)
        for bytes in files {
            let model = DockerfileModel.build(DockerfileParser.parse(bytes))
            for mi in model.allInstructions {
                let t = mi.syntax.original
                #expect(CacheEvidence.norm(t) == CacheEvidence.characterNorm(t), "\(t)")
                #expect(mi.shortText == mi.characterShortText, "\(t)")
                #expect(DependencyDownloads.mayRunScript(t) == DependencyDownloads.characterMayRunScript(t), "\(t)")
            }
        }
    }

    @Test func mentionedNamesAgree() throws {
        // A context with files and folders the Dockerfiles name (and names of every length).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-names-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        for p in ["package.json", "src/app/main.py", "src/x.sh", "build.sh", "x.sh", "app/Dockerfile", "a/b/c/requirements.txt", "naïve/é.md"] {
            let url = dir.appendingPathComponent(p)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        let files = PlausibleEdits.Files(try ContextSnapshot.scan(directory: dir.path, hashContents: false))
        var found = 0
        for bytes in Self.dockerfiles() + [Array("COPY ./src/app/ ./ src//x.sh a/b/c/ naïve/é.md\n".utf8)] {
            let names = CacheEvidence.mentionedNames(bytes, among: files)
            #expect(names == CacheEvidence.mentionedNames(bytes).filter { files.names(Substring($0)) })
            found += names.count
        }
        #expect(found > 10)
    }
}
