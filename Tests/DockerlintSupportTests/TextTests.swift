import DockerlintSupport
import Foundation
import Testing

@Suite struct DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("日本語", "77710aedc74ecfa33685e33a6c7df5cc83004da1bdcef7fb280f5c2b2e97e0a5"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256Hex.of(input) == digest)
        #expect(SHA256Hex.of(Array(input.utf8), digits: 32) == String(digest.prefix(32)))
        var h = SHA256Hex.Hasher()
        let bytes = Array(input.utf8)
        h.update(Array(bytes.prefix(2)))
        bytes.dropFirst(2).withUnsafeBytes { h.update($0) }
        #expect(h.finalize() == digest)
    }

    /// Every padding case, and the NUL-separated parts the cache keys use, against python3's hashlib.
    @Test func agreesWithPython() throws {
        let script = """
            import hashlib
            for n in [55, 56, 63, 64, 65, 1000]: print(hashlib.sha256(b'a' * n).hexdigest())
            print(hashlib.sha256(b'ab\\0c\\0').hexdigest())
            print(hashlib.sha256(b'').hexdigest())
            """
        let python = try #require(ExecutableSearch.find("python3"), "python3 is needed")
        let r = try Subprocess.run(python, ["-c", script])
        let expected = r.stdoutText.split(separator: "\n").map(String.init)
        let ours = [55, 56, 63, 64, 65, 1000].map { SHA256Hex.of(String(repeating: "a", count: $0)) }
            + [SHA256Hex.of(parts: ["ab", "c"]), SHA256Hex.of(parts: [])]
        #expect(ours == expected)
        #expect(SHA256Hex.of(parts: ["a", "bc"]) != SHA256Hex.of(parts: ["ab", "c"]))
    }
}

@Suite struct JSONTests {
    @Test func valueEscapesAndSortsKeys() throws {
        let value: JSONValue = ["b": 1, "a": ["x\u{1}\"\\\n\t/é\u{2028}\u{8}\u{C}\u{7F}", true, .null], "A": [:], "_": []]
        #expect(value.serialized(pretty: false)
            == #"{"A":{},"_":[],"a":["x\u0001\"\\\n\t/é\u2028\b\f\u007f",true,null],"b":1}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(value.serialized().utf8)) as! [String: Any]
        #expect((parsed["a"] as! [Any])[0] as? String == "x\u{1}\"\\\n\t/é\u{2028}\u{8}\u{C}\u{7F}")
        #expect(JSONValue.object(["k": .array([])]).serialized() == "{\n  \"k\": []\n}")
    }

    /// The streaming writer escapes exactly as the value tree does and keeps the written order.
    @Test func writerMatchesTheValueSerialization() throws {
        let text = "tab\t \u{8}\u{C} quote\" back\\ \u{2029} ✓"
        var w = JSONWriter()
        w.beginObject()
        w.field("z", text)
        w.field("a", 2)
        w.field("n", nil as String?)
        w.key("list"); w.beginArray(); w.bool(true); w.double(1.5); w.double(3); w.double(.nan); w.value(["x": 1]); w.endArray()
        w.endObject()
        var quoted = ""
        JSONValue.writeString(text, to: &quoted)
        #expect(w.output == #"{"z":"# + quoted + #","a":2,"n":null,"list":[true,1.5,3,null,{"x":1}]}"#)
        #expect(JSONValue.string(text).serialized(pretty: false) == quoted)
        let parsed = try JSONSerialization.jsonObject(with: Data(w.output.utf8)) as! [String: Any]
        #expect(parsed["z"] as? String == text)
    }
}

@Suite struct EscapingTests {
    @Test func xml() {
        #expect(XML.attribute("<&>\"'\n\t\r\u{1}x") == "&lt;&amp;&gt;&quot;&apos;&#10;&#9;&#13;\u{FFFD}x")
        #expect(XML.text("<&>\"'\n\t") == "&lt;&amp;&gt;\"'\n\t")
    }

    @Test func html() {
        #expect(HTML.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
    }

    @Test func github() {
        #expect(GitHubEscaping.data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
        #expect(GitHubEscaping.property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb")
        #expect(GitHubEscaping.property("%3A") == "%253A")  // escape % first, never double-decode
        #expect(GitHubEscaping.data("::error::x") == "::error::x")
    }

    @Test func markdown() {
        #expect(Markdown.cell("a|b `c` <d> & $e *f* _g_ [h](i) ~j~ \\") ==
            #"a\|b \`c\` \<d\> \& \$e \*f\* \_g\_ \[h\](i) \~j\~ \\"#)
        #expect(Markdown.cell("one\ntwo\r\nthree\rfour\tfive") == "one<br>two<br>three<br>four five")
        #expect(Markdown.destination("https://x/a b(c)<d>") == "<https://x/a%20b%28c%29%3Cd%3E>")
        #expect(Markdown.codeCell("RUN a | b") == #"`RUN a \| b`"#)
        #expect(Markdown.codeCell("echo `x`\ny") == "``echo `x` y``")
        #expect(Markdown.codeCell("`a`") == "`` `a` ``")
        #expect(Markdown.inline("Use `a | b`\nor *c*\r\nnow") == #"Use `a \| b` or *c* now"#)
    }

    @Test func uriReferences() {
        #expect(uriReference(forPath: "./sub dir/Dockerfile.prod") == "sub%20dir/Dockerfile.prod")
        #expect(uriReference(forPath: "a#b?c%d\\e/日.df") == "a%23b%3Fc%25d%5Ce/%E6%97%A5.df")
        #expect(uriReference(forPath: "c:Dockerfile") == "c%3ADockerfile")
    }
}

@Suite struct NumberFormatTests {
    /// The same digits as Foundation's String(format:), which the text outputs used before.
    @Test func fixedAndGeneralMatchPrintf() {
        for v in [0, 0.05, 0.25, 0.35, 1.25, 2.5, 12.345, 99.95, 1e-7, 123456789.5, -3.75] {
            for places in 0...3 {
                #expect(NumberFormat.fixed(v, places) == String(format: "%.\(places)f", v))
            }
            #expect(NumberFormat.general(v) == String(format: "%g", v))
        }
    }

    @Test func units() {
        #expect(NumberFormat.bytes(512) == "512 B")
        #expect(NumberFormat.bytes(1536) == "1.5 KiB")
        #expect(NumberFormat.bytes(20 * 1_048_576) == "20.0 MiB")
        #expect(NumberFormat.bytes(3 * 1_073_741_824 / 2) == "1.5 GiB")
        #expect(NumberFormat.seconds(0) == "0 s")
        #expect(NumberFormat.seconds(2.54) == "2.5 s")
        #expect(NumberFormat.seconds(42.4) == "42 s")
        #expect(NumberFormat.seconds(750) == "12.5 min")
        #expect(NumberFormat.percent(0.004) == "0.4%")
        #expect(NumberFormat.percent(0) == "0%")
        #expect(NumberFormat.percent(0.126) == "13%")
        #expect(NumberFormat.number(3) == "3")
        #expect(NumberFormat.number(0.25) == "0.25")
    }
}

@Suite struct SourceTextTests {
    /// Lines as BuildKit's scanner reads them: `\n` ends a line, a `\r` before it is dropped,
    /// a bare `\r` is text; columns count scalars after a byte order mark.
    @Test func linesAndPositions() {
        let t = SourceText("\u{FEFF}FROM a\r\nLABEL x=\"1\r2\"\nRUN é b")
        #expect(t.lineCount == 3)
        #expect((1...3).map(t.lineText) == ["FROM a", "LABEL x=\"1\r2\"", "RUN é b"])
        #expect(t.position(at: 3) == SourcePosition(line: 1, column: 1, offset: 3))
        let run = t.lineStarts[2]
        #expect(t.position(at: run + 7) == SourcePosition(line: 3, column: 7, offset: run + 7))  // after the 2-byte é
        #expect(t.lineText(4) == "" && t.lineText(0) == "")
        #expect(SourceText("").lineCount == 1 && SourceText("a\n").lineCount == 1)
    }
}

@Suite struct ParallelTests {
    @Test func parallelMapKeepsOrder() {
        #expect(parallelMap(1000) { $0 * 2 } == (0..<1000).map { $0 * 2 })
        #expect(parallelMap(0) { $0 }.isEmpty)
        #expect(groupedIndices(["a", "b", "a", "c", "b"]) { $0 } == [[0, 2], [1, 4], [3]])
    }
}

/// The byte searches that stand in for Foundation's `contains` on hot paths give its answers.
@Suite struct ByteSearchTests {
    static let texts = ["", "a", "ab", "--build-arg SHA=${{ github.sha }}", "  tags: ${GITHUB_SHA::7}", "日本 github.sh", "$(date +%s)",
                        "x`date`y", "steps.meta.outputs.labels", "needs", "needs.build.outputs.tag", "ÄRG=$ÄRG", "git rev-parse HEAD"]
    static let needles = ["github.sha", "GITHUB_SHA", "$(date", "`date", "steps.", "needs.", "$ÄRG", "ÄRG", "a", "git rev-parse", "日本"]

    @Test func containsBytesAgreesWithFoundation() {
        for t in Self.texts {
            for n in Self.needles {
                #expect(t.containsBytes(n) == t.contains(n), "\(t) / \(n)")
                #expect(Substring(t).containsBytes(n) == t.contains(n), "\(t) / \(n)")
            }
            #expect(!t.containsBytes(""))
        }
    }

    @Test func needlesAgreeWithFoundation() {
        let sets = [Self.needles, ["steps."], ["zzz", "needs."], ["日本", "`date"]]
        for set in sets {
            let search = ByteNeedles(set)
            for t in Self.texts {
                #expect(search.occur(in: t) == set.contains { t.contains($0) }, "\(t) / \(set)")
                #expect(search.occur(in: Substring(t)) == set.contains { t.contains($0) }, "\(t) / \(set)")
            }
        }
    }

    @Test func bytesKeyHashesAndComparesByBytes() {
        let a = BytesKey(Array("FROM a\n".utf8)), b = BytesKey(Array("FROM a\n".utf8)), c = BytesKey(Array("FROM b\n".utf8))
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a != c)
        let table: [BytesKey: Int] = [a: 1, c: 2]
        #expect(table[b] == 1 && table[BytesKey([])] == nil)
    }
}

@Suite struct NewlineSplitTests {
    @Test func linesAreTheCharacterSplit() {
        let texts = ["", "a", "\n", "a\n", "a\r\nb", "a\rb\n\nc", "\r\n\r\n", "x\u{0B}y\u{0C}z", "é\u{0085}f", "g\u{2028}h\u{2029}i",
                     "日本\n語\r", "a\r", "\u{E2}x", "tail \u{00C2}", "e\u{301}\n\u{301}x", "\r\n\u{301}", "\u{2020}\u{2027}\u{00A0}\u{2028}", "k: v\r\n  - x: ${{ github.sha }}\n"]
        for t in texts {
            #expect(t.linesSplitAtNewlines() == t.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline), "\(t.debugDescription)")
        }
    }
}
