import DockerlintSupport
import Testing
@testable import DockerlintCache

/// A snapshot updated in place keeps memoised records (a directory's children as last hashed,
/// the ancestors already dropped since the last hash): its digests after every batch of
/// changes are those of the same context built afresh, for both engines, with and without
/// ignore patterns that hide and bring back files.
@Suite("incremental source digests")
struct ContextIncrementalDigestTests {
    /// A deterministic sequence of numbers (no seeded generator in the standard library).
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let paths = ["a.txt", "b/keep", "b/x.log", "b/c/d.txt", "b/c/e.txt", "b/c/f/g.txt", "h/i.txt", "h/j/k.txt", "l", "m/n/o/p.txt"]

    func fresh(_ s: ContextSnapshot) -> ContextSnapshot {
        var out = ContextSnapshot(origin: .gitTree)
        for p in s.allPaths { if let e = s.entry(at: p), e.kind != .directory { out.setEntry(e) } }
        return out
    }

    @Test(arguments: ["", "b/*\n!b/keep\n", "*.log\nh\n!h/j\n"])
    func sameAsBuiltAfresh(ignoreText: String) throws {
        let ignore = try DockerIgnore(text: ignoreText)
        let sources: [[String]] = [["."], ["b"], ["b/c", "h"], ["m/n"]]
        var seq = Sequence(state: UInt64(ignoreText.utf8.count) + 7)
        var snap = ContextSnapshot(origin: .gitTree)
        for p in Self.paths.prefix(6) {
            snap.setEntry(ContextEntry(path: p, kind: .file, mode: 0o100644, size: 1, contentDigest: "git:0"))
        }
        for round in 0..<60 {
            for _ in 0...seq.next(4) {
                let p = Self.paths[seq.next(Self.paths.count)]
                switch seq.next(5) {
                case 0: snap.removeEntry(at: p, pruneEmptyParents: true)
                case 1: snap.setEntry(ContextEntry(path: p, kind: .file, mode: 0o100755, size: Int64(round), contentDigest: "git:\(round)"))
                case 2: snap.setEntry(ContextEntry(path: p, kind: .symlink, mode: 0o120777, linkTarget: "a.txt"))
                default: snap.setEntry(ContextEntry(path: p, kind: .file, mode: 0o100644, size: Int64(round), contentDigest: "git:\(round)"))
                }
            }
            var again = fresh(snap)
            for engine in [BuilderKind.buildkit, .classic] {
                let options = SourceHashOptions(engine: engine, ignore: ignore)
                for src in sources {
                    let kept = try snap.sourceDigest(src, options: options)
                    let built = try again.sourceDigest(src, options: options)
                    #expect(kept == built, "round \(round), \(engine), \(src)")
                }
            }
        }
    }
}
