import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct SupportTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("日本語", "77710aedc74ecfa33685e33a6c7df5cc83004da1bdcef7fb280f5c2b2e97e0a5"),
    ])
    func sha256KnownVectors(input: String, digest: String) {
        #expect(SHA256Digest.hex(input) == digest)
    }

    @Test func sha256AcrossBlockBoundaries() {
        // 55, 56, 63, 64 and 65 bytes exercise every padding case; compare with python3's hashlib.
        let inputs = [55, 56, 63, 64, 65, 1000].map { String(repeating: "a", count: $0) }
        let script = "import hashlib,sys\nfor n in [55,56,63,64,65,1000]: print(hashlib.sha256(b'a'*n).hexdigest())"
        let result = try? Python.run(script)
        let expected = result?.stdout.split(separator: "\n").map(String.init) ?? []
        #expect(expected.count == inputs.count, "python3 failed: \(result?.stderr ?? "not run")")
        for (input, digest) in zip(inputs, expected) {
            #expect(SHA256Digest.hex(input) == digest)
        }
    }

    @Test func jsonSerializationEscapesAndSorts() throws {
        let value: JSONValue = ["b": 1, "a": ["x\u{1}\"\\\n\t/é\u{2028}", true, .null], "A": [:], "_": []]
        #expect(value.serialized(pretty: false)
            == #"{"A":{},"_":[],"a":["x\u0001\"\\\n\t/é\u2028",true,null],"b":1}"#)
        let parsed = try parseJSON(value.serialized()) as! [String: Any]
        #expect((parsed["a"] as! [Any])[0] as? String == "x\u{1}\"\\\n\t/é\u{2028}")
    }

    @Test func xmlEscaping() {
        #expect(XML.attribute("<&>\"'\n\t\r\u{1}x") == "&lt;&amp;&gt;&quot;&apos;&#10;&#9;&#13;\u{FFFD}x")
        #expect(XML.text("<&>\"'\n\t") == "&lt;&amp;&gt;\"'\n\t")
    }

    @Test func githubEscaping() {
        #expect(GitHubEscaping.data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
        #expect(GitHubEscaping.property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb")
        #expect(GitHubEscaping.property("%3A") == "%253A")  // escape % first, never double-decode
        #expect(GitHubEscaping.data("::error::x") == "::error::x")
    }

    @Test func markdownEscaping() {
        #expect(Markdown.cell("a|b `c` <d> & $e *f* _g_ [h](i) ~j~ \\") ==
            #"a\|b \`c\` \<d\> \& \$e \*f\* \_g\_ \[h\](i) \~j\~ \\"#)
        #expect(Markdown.cell("one\ntwo\r\nthree\rfour\tfive") == "one<br>two<br>three<br>four five")
        #expect(Markdown.destination("https://x/a b(c)<d>") == "<https://x/a%20b%28c%29%3Cd%3E>")
    }

    @Test func uriReferences() {
        #expect(uriReference(forPath: "./sub dir/Dockerfile.prod") == "sub%20dir/Dockerfile.prod")
        #expect(uriReference(forPath: "a#b?c%d\\e/日.df") == "a%23b%3Fc%25d%5Ce/%E6%97%A5.df")
        #expect(uriReference(forPath: "c:Dockerfile") == "c%3ADockerfile")
    }

    @Test func newlinesNormalise() {
        #expect(normaliseNewlines("a\r\nb\rc\n\r\n\r\r\nd") == "a\nb\nc\n\n\n\nd")
        #expect(normaliseNewlines("naïve\r") == "naïve\n")
        #expect(normaliseNewlines("plain\n") == "plain\n")
    }

    /// Lines as the parser numbers them: `\n` ends a line, a `\r` before it is dropped, a
    /// bare `\r` is text; a UTF-8 byte order mark is not part of line 1 (columns start after it).
    @Test func sourceLinesAreTheParsersLines() {
        let input = ReportInput(diagnostics: [], toolVersion: "0", source: { name in
            ["a": "a\nb\r\nc\rd\n", "b": "a\n\nb\n", "empty": "", "bom": "\u{FEFF}FROM a\nRUN b"][name]
        })
        let lines = SourceLines(input)
        #expect((1...4).map { lines.line($0, of: "a") } == ["a", "b", "c\rd", nil])
        #expect((1...4).map { lines.line($0, of: "b") } == ["a", "", "b", nil])
        #expect(lines.line(1, of: "empty") == nil)
        #expect(lines.line(1, of: "bom") == "FROM a")
        #expect(lines.line(2, of: "bom") == "RUN b")
        #expect(lines.line(1, of: "missing") == nil)
    }

    @Test func fingerprintsIgnoreLineNumbersAndIndentation() {
        let d = Diagnostic(file: "Dockerfile", code: "DL3025", name: "JSONArgsRecommended", severity: .warning,
                           message: "m", range: Fixture.range(2, 1, 2, 10))
        var moved = d
        moved.range = Fixture.range(4, 3, 4, 12)
        let before = fingerprints(["Dockerfile": "FROM a\nCMD x y\n"], [d])
        let after = fingerprints(["Dockerfile": "FROM a\n# new\n\n  CMD   x y\n"], [moved])
        #expect(before == after)
        #expect(before[0].count == 32 && before[0].allSatisfy(\.isHexDigit))
        let changed = fingerprints(["Dockerfile": "FROM a\nCMD x z\n"], [d])
        #expect(changed != before)
    }

    @Test func duplicateFindingsGetDistinctFingerprints() {
        let source = "FROM a\nRUN apt-get update\nRUN apt-get update\n"
        let ds = [2, 3].map {
            Diagnostic(file: "Dockerfile", code: "DL3009", name: "", severity: .info, message: "m",
                       range: Fixture.range($0, 1, $0, 19))
        }
        let prints = fingerprints(["Dockerfile": source], ds)
        #expect(prints.count == 2 && prints[0] != prints[1])
        // The first keeps its identity when the second goes away.
        #expect(fingerprints(["Dockerfile": source], [ds[0]]) == [prints[0]])
        // And fingerprints are unique across the fixture.
        let all = Fingerprints.compute(Fixture.input())
        #expect(Set(all).count == all.count)
    }

    /// Many findings over several files, interleaved, with repeats: the parallel paths
    /// (per-file fingerprints, chunked JSON) give exactly what the one-thread paths give.
    @Test func parallelReportsMatchTheSequentialOnes() {
        var sources: [String: String] = [:]
        var ds: [Diagnostic] = []
        for f in 0..<7 {
            let name = "dir \(f)/Dockerfile"
            sources[name] = (0..<40).map { "RUN  echo   \($0 % 5) \"x\"\t\\" }.joined(separator: "\n")
            for line in 1...40 {
                ds.append(Diagnostic(file: name, code: "DL\(3000 + line % 3)", name: "", severity: .warning,
                                     message: "m \(line % 4) \u{2028}", range: Fixture.range(line, 1, line, 5),
                                     fix: line % 9 == 0 ? Fix(title: "t", edits: [TextEdit(range: Fixture.range(line, 1, line, 2), replacement: "\"")],
                                                                applicability: .safe) : nil))
            }
        }
        ds.shuffle()
        let frozen = sources
        let input = ReportInput(diagnostics: ds, files: frozen.keys.sorted(), toolVersion: "1", source: { frozen[$0] })
        let parallel = Fingerprints.compute(input)
        let sequential = Fingerprints.compute(input.diagnostics, lines: SourceLines(input))
        #expect(parallel == sequential)
        #expect(Set(parallel).count == parallel.count)
        #expect(JSONReporter().report(input) == JSONReporter().document(input).serialized() + "\n")
        let empty = ReportInput(diagnostics: [], files: ["a"], toolVersion: "1")
        #expect(JSONReporter().report(empty) == JSONReporter().document(empty).serialized() + "\n")
    }

    private func fingerprints(_ sources: [String: String], _ ds: [Diagnostic]) -> [String] {
        Fingerprints.compute(ReportInput(diagnostics: ds, toolVersion: "0", source: { sources[$0] }))
    }
}
