import Testing
@testable import DockerlintCache

/// `.dockerignore` matching at scale: patterns compiled once, only the patterns that can
/// match a path are tried, and repeated wildcards do not lengthen the program.
@Suite("dockerignore at scale")
struct DockerIgnoreScaleTests {
    /// patternmatcher's loops, pattern by pattern (what the index must agree with).
    static func reference(_ ig: DockerIgnore, _ path: String) throws -> Bool {
        let file = Array(path.unicodeScalars)
        let parents = DockerIgnore.parentPrefixes(file)
        var matched = false
        for p in ig.patterns {
            if p.isException != matched { continue }
            var m = try p.matches(file)
            if !m { for parent in parents where (try? p.matches(parent)) == true { m = true; break } }
            if m { matched = !p.isException }
        }
        return matched
    }

    static func referenceWalk(_ ig: DockerIgnore, _ path: String, _ parent: IgnoreMatchInfo) throws -> (Bool, IgnoreMatchInfo) {
        let file = Array(path.unicodeScalars)
        var info = IgnoreMatchInfo()
        info.parentMatched = [Bool](repeating: false, count: ig.patterns.count)
        var matched = false
        for (i, p) in ig.patterns.enumerated() {
            var m = parent.parentMatched.isEmpty ? false : parent.parentMatched[i]
            if !m {
                if p.isException != matched { continue }
                m = try p.matches(file)
                if !m && parent.parentMatched.isEmpty {
                    for q in DockerIgnore.parentPrefixes(file) where (try? p.matches(q)) == true { m = true; break }
                }
            }
            info.parentMatched[i] = m
            if m { matched = !p.isException }
        }
        return (matched, info)
    }

    /// A deterministic generator (the same cases on every run).
    struct Rng {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test func indexedMatchingAgreesWithThePatternByPatternLoop() throws {
        var rng = Rng(state: 19)
        let atoms = ["a", "b", "ab", "src", "*", "**", "?", "[ab]", "[^a]", ".", "x.go", "\\*"]
        let names = ["a", "b", "ab", "src", "x.go", "*", "ba", "a.b"]
        for _ in 0..<300 {
            var lines: [String] = []
            for _ in 0..<(1 + rng.next(6)) {
                var p = (0..<(1 + rng.next(3))).map { _ in (0..<(1 + rng.next(2))).map { _ in atoms[rng.next(atoms.count)] }.joined() }.joined(separator: "/")
                if rng.next(4) == 0 { p = "!" + p }
                lines.append(p)
            }
            guard let ig = try? DockerIgnore(text: lines.joined(separator: "\n")) else { continue }
            for _ in 0..<20 {
                let path = (0..<(1 + rng.next(3))).map { _ in names[rng.next(names.count)] }.joined(separator: "/")
                let want = try? Self.reference(ig, path)
                let got = try? ig.matchesOrParentMatches(path)
                #expect(got == want, "\(lines) \(path)")
                // The walker form, from the root down.
                var info = IgnoreMatchInfo(), refInfo = IgnoreMatchInfo()
                var prefix = ""
                for part in path.split(separator: "/") {
                    prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
                    let a = try? ig.matchesUsingParentResults(prefix, parent: info)
                    let b = try? Self.referenceWalk(ig, prefix, refInfo)
                    #expect(a?.0 == b?.0 && a?.1 == b?.1, "\(lines) \(prefix)")
                    guard let a, let b else { break }
                    info = a.1
                    refInfo = b.1
                }
            }
        }
    }

    @Test func repeatedWildcardsCompileToOne() throws {
        let stars = try DockerIgnore(text: String(repeating: "*", count: 5000) + "b")
        let p = stars.patterns[0]
        #expect(p.kind == .regexp)
        #expect(p.regex!.program.count < 20, "\(p.regex!.program.count) instructions")
        // `**` then `b`: `(.*/)?b`, the same language as 2,500 copies of `(.*/)?` before `b`.
        #expect(try p.matches("b") && p.matches("a/b") && p.matches("x/y/b") && !p.matches("x/y/zb") && !p.matches("a/c"))
        let odd = try DockerIgnore(text: String(repeating: "*", count: 4999) + "/b.txt")
        #expect(odd.patterns[0].regex!.program.count < 30)
        #expect(try odd.patterns[0].matches("x/b.txt") && !odd.patterns[0].matches("b.tx"))
        // 3,001 stars: 1,500 `**` and one `*`, `(.*/)?[^/]*`: any depth under a/.
        let deep = try DockerIgnore(text: "a/" + String(repeating: "*", count: 3001) + ".txt")
        #expect(deep.patterns[0].regex!.program.count < 30)
        #expect(try deep.patterns[0].matches("a/x.txt") && deep.patterns[0].matches("a/x/y.txt") && !deep.patterns[0].matches("b/x.txt"))
    }

    @Test func thousandsOfPatternsTryOnlyTheirCandidates() throws {
        let text = (0..<2000).map { "dir\($0)/file*.txt" }.joined(separator: "\n") + "\n**/*.log\n"
        let ig = try DockerIgnore(text: text)
        #expect(ig.index.candidates(Array("dir7/file1.txt".unicodeScalars)) == [7])
        #expect(ig.index.candidates(Array("other/x".unicodeScalars)) == [])
        #expect(ig.index.candidates(Array("other/x.log".unicodeScalars)) == [2000])
        #expect(try ig.matchesOrParentMatches("dir1999/file.txt"))
        #expect(try ig.matchesOrParentMatches("a/b.log"))
        #expect(try !ig.matchesOrParentMatches("dir1999/other.txt"))
    }

    @Test func patternsStartingWithAWildcardAreFoundByTheirEnd() throws {
        let text = (0..<2000).map { "*.ext\($0)" }.joined(separator: "\n") + "\n**/name7\n*\n"
        let ig = try DockerIgnore(text: text)
        let all = 2001  // `*` ends in a wildcard: a candidate everywhere
        #expect(ig.index.candidates(Array("a/b.ext12".unicodeScalars)) == [12, all])
        // A parent that ends like the pattern: its match excludes the path under it.
        #expect(ig.index.candidates(Array("x.ext5/y/z".unicodeScalars)) == [5, all])
        #expect(ig.index.candidates(Array("q/name7".unicodeScalars)) == [2000, all])
        let ext = try DockerIgnore(text: "*.ext5\n")
        #expect(try ext.matchesOrParentMatches("x.ext5/y/z") && !ext.matchesOrParentMatches("q/x.ext5"))
    }

    @Test func malformedPatternsSayWhy() {
        func message(_ text: String) -> String {
            do { _ = try DockerIgnore(text: text); return "" } catch { return DockerIgnoreLoadError(path: "./.dockerignore", error: error).description }
        }
        #expect(message("src/[a") == ".dockerignore:1:1: error: bad pattern \"src/[a\": unterminated character class")
        #expect(message("ok\n[]a]") == ".dockerignore:2:1: error: bad pattern \"[]a]\": empty character class")
        #expect(message("a[b-]") == ".dockerignore:1:1: error: bad pattern \"a[b-]\": bad range in character class")
        #expect(message("x\n\n!") == ".dockerignore:3:1: error: illegal exclusion pattern: \"!\"")
    }
}
