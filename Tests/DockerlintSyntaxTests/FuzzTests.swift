import Testing
@testable import DockerlintSyntax

/// A small deterministic PRNG (SplitMix64) so that a failing case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutation fuzzing of the parser: random and mutated inputs must never crash or hang,
/// and every range the parser reports must lie inside the file and be ordered.
/// `DOCKERLINT_FUZZ_ITERATIONS` raises the count (CI runs the default).
@Suite struct ParserFuzz {
    static let seeds: [String] = [
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.20 AS build\nRUN apk add --no-cache git `\n  make\n",
        "FROM a\nRUN <<EOF\necho hi\nEOF\nCOPY <<-\"X\" /a\n\tbody\n\tX\n",
        "FROM a\nENV A=1 B=\"two words\" C\\ D=e\nLABEL x y z\nARG V=1 W\n",
        "FROM --platform=$BUILDPLATFORM golang AS b\nCOPY --from=b [\"/a\", \"/b\"]\nCMD [\"x\", 1]\n",
        "FROM a\nONBUILD ONBUILD RUN x\nHEALTHCHECK --interval=5s CMD [\"curl\"]\nEXPOSE 80/tcp 1-2/UDP\n",
        "\u{FEFF}FROM a\r\nRUN a \\\r\n# c\r\n\r\n  b\r\n",
        "FROM a\nRUN --mount=type=cache,target=/x,sharing=locked \"quoted \\\" arg\" 'single' \\\\\n",
    ]
    static let tokens: [String] = [
        "\\", "`", "\n", "\r\n", "\"", "'", "[", "]", "{", "}", ",", "=", "--", "--mount=", "<<", "<<-", "<<EOF", "EOF",
        "$", "${", "}", "#", "# escape=`\n", "RUN ", "FROM ", "ONBUILD ", "ENV ", "COPY ", " AS ", "\t", " ", "\u{0}",
        "\u{A0}", "é", "\u{1F600}", "\u{FEFF}", "1e999", "\\u", "\\ud800",
    ]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        let ops = Int.random(in: 1...8, using: &rng)
        for _ in 0..<ops {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: // random byte
                let at = b.isEmpty ? 0 : Int.random(in: 0...b.count, using: &rng)
                b.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            case 1: // token
                let t = Array(tokens.randomElement(using: &rng)!.utf8)
                let at = b.isEmpty ? 0 : Int.random(in: 0...b.count, using: &rng)
                b.insert(contentsOf: t, at: at)
            case 2: // delete a span
                if !b.isEmpty {
                    let s = Int.random(in: 0..<b.count, using: &rng)
                    let e = min(b.count, s + Int.random(in: 1...16, using: &rng))
                    b.removeSubrange(s..<e)
                }
            case 3: // duplicate a span
                if !b.isEmpty {
                    let s = Int.random(in: 0..<b.count, using: &rng)
                    let e = min(b.count, s + Int.random(in: 1...64, using: &rng))
                    b.insert(contentsOf: b[s..<e], at: Int.random(in: 0...b.count, using: &rng))
                }
            case 4: // flip a byte
                if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
            default: // splice another seed
                let other = Array(seeds.randomElement(using: &rng)!.utf8)
                b.insert(contentsOf: other, at: Int.random(in: 0...b.count, using: &rng))
            }
        }
        return b
    }

    static func check(_ bytes: [UInt8]) {
        let f = DockerfileParser.parse(bytes)
        let n = bytes.count
        func valid(_ r: SourceRange) -> Bool {
            r.start.offset >= 0 && r.end.offset <= n && r.start.offset <= r.end.offset && r.start.line >= 1 &&
                r.end.line <= max(1, f.source.lineCount) && r.start.column >= 1
        }
        var previousEnd = -1
        func checkInstruction(_ i: Instruction) {
            #expect(valid(i.range) && valid(i.keywordRange) && valid(i.argumentsRange))
            for a in i.arguments { #expect(valid(a.range)) }
            for fl in i.flags { #expect(valid(fl.range)) }
            for h in i.heredocs { #expect(valid(h.bodyRange) && valid(h.terminatorRange)) }
            if let c = i.child?.value { checkInstruction(c) }
        }
        for i in f.instructions {
            checkInstruction(i)
            #expect(i.range.start.offset >= previousEnd)
            previousEnd = i.range.end.offset
        }
        for e in f.errors { #expect(valid(e.range)) }
        if f.isValid { _ = f.buildkitDump() }
    }

    @Test func mutatedInputs() {
        let iterations = Int(Self.environment("DOCKERLINT_FUZZ_ITERATIONS") ?? "") ?? 3000
        var rng = SplitMix64(seed: 0xD0C4E5)
        for k in 0..<iterations {
            let seed = Array(Self.seeds[k % Self.seeds.count].utf8)
            Self.check(Self.mutate(seed, &rng))
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let len = Int.random(in: 0..<512, using: &rng)
            Self.check((0..<len).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    static func environment(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        return String(cString: p)
    }
}

#if canImport(Glibc)
import Glibc
#endif
