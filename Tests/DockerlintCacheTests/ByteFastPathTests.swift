import Foundation
import Testing
@testable import DockerlintCache
@testable import DockerlintSupport

/// The byte versions of hot path and command helpers (taken for ASCII text) give the answers
/// of the character versions they stand in for: on every path of this repository, every line
/// of its tests and sources, and the edge cases of each (slashes, case, carriage returns).
@Suite struct ByteFastPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func paths() -> [String] {
        var out: [String] = []
        let e = FileManager.default.enumerator(atPath: root.path)
        while let p = e?.nextObject() as? String {
            if p.hasPrefix(".build") || p.hasPrefix(".git/") { continue }
            out.append(p)
        }
        return out + ["", "/", "//", "a//b/", "docs/", "Docs/x.MD", "doc/a", "requirements-dev.txt", "x/requirements.txt/",
                      ".github/workflows/ci.yml", ".gitlab-ci.yml", ".circleci/config.yml", "DOCKERFILE", "app/Dockerfile.prod",
                      "x.Dockerignore", ".dockerignore", ".GITIGNORE", "Docker-Compose.yml", "compose.yaml", "LICENSE", "ChangeLog",
                      "a.csproj", "b.gemspec", "package.json", "src/main.go", "naïve/x.md", "é.py"]
    }

    static func lines() throws -> [String] {
        var out: [String] = []
        for dir in ["Sources/DockerlintCache", "Tests/DockerlintCacheTests", "examples", "scripts"] {
            let e = FileManager.default.enumerator(atPath: root.appendingPathComponent(dir).path)
            while let p = e?.nextObject() as? String {
                guard let text = try? String(contentsOf: root.appendingPathComponent(dir + "/" + p), encoding: .utf8) else { continue }
                out += text.split(separator: "\n").map(String.init)
                out.append(text)
            }
        }
        return out + ["", " ", " \t ", "a && b", "a;;b|c", "apt-get update && \\\n apt-get install -y x", "x\r\ny; z\r", "é && b"]
    }

    @Test func editKindsAgree() {
        let paths = Self.paths()
        #expect(paths.count > 500)
        for p in paths {
            #expect(EditWeights.kind(of: p) == EditWeights.characterKind(of: p), "\(p)")
        }
    }

    @Test func commandSegmentsAgree() throws {
        let lines = try Self.lines()
        #expect(lines.count > 1000)
        for l in lines {
            #expect(CostModel.segments(l) == CostModel.characterSegments(l), "\(l)")
        }
    }

    @Test func cleanedPathsAgree() {
        func characterClean(_ path: String) -> String {
            if path.isEmpty { return "." }
            let rooted = path.hasPrefix("/")
            var out: [Substring] = []
            for comp in path.split(separator: "/", omittingEmptySubsequences: true) {
                if comp == "." { continue }
                if comp == ".." {
                    if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(comp) }
                    continue
                }
                out.append(comp)
            }
            let joined = out.joined(separator: "/")
            return rooted ? "/" + joined : (joined.isEmpty ? "." : joined)
        }
        for p in Self.paths() + ["./a/../b/", "../../x", "/../a", "a/./b//c/", "é/../x/", "./"] {
            #expect(goPathClean(p) == characterClean(p), "\(p)")
            #expect(goPathClean("./" + p + "/") == characterClean("./" + p + "/"), "\(p)")
        }
    }

    @Test func firstLinesAgree() throws {
        for l in try Self.lines() {
            var t = l.replacingOccurrences(of: "\r", with: "")
            if let nl = t.firstIndex(of: "\n") { t = String(t[..<nl]) }
            #expect(l.firstLineWithoutCarriageReturns == t)
        }
    }

    @Test func commandWordsAgree() throws {
        for l in try Self.lines() + ["a \u{301}b", "x\t y", " \r\n a"] {
            #expect(CostModel.words(l) == CostModel.characterWords(l), "\(l)")
            #expect(CostModel.lastWordIsMake(l) == (l.split(separator: " ").last == "make"), "\(l)")
            // A word without a slash is its own last component (the slashed ones go to NSString).
            for w in CostModel.words(l) where !w.contains("/") {
                #expect(CostModel.lastPathComponent(w) == (w as NSString).lastPathComponent, "\(w)")
            }
        }
        #expect(CostModel.lastWordIsMake("cd src && make  "))
        #expect(!CostModel.lastWordIsMake("make install"))
    }

    @Test func byteSearchAgrees() throws {
        let needles = ["go build", "make ", "apt-get update", "curl ", "x", "é", "\r\n", "&&", "a b c d e f g h i j k l m n o p"]
        for l in try Self.lines() {
            let bytes = Array(l.utf8)
            for n in needles { #expect(bytes.containsBytes(n) == l.containsBytes(n), "\(l) \(n)") }
        }
        #expect(Array("xgo buil".utf8).containsBytes("go build") == false)
        #expect(Array("go build".utf8).containsBytes("go build"))
        #expect(Array("".utf8).containsBytes("a") == false)
    }

    @Test func byteOrderIsTheViewsOrder() {
        let names = Self.paths().prefix(400).map { $0 } + ["", "a", "ab", "é", "e\u{301}", "Z", "\u{0}x"]
        for a in names.prefix(60) {
            for b in names {
                #expect(utf8Less(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) \(b)")
            }
        }
    }
}
