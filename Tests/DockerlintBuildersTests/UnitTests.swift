import Foundation
import Testing
@testable import DockerlintBuilders

// MARK: - helpers

/// Runs a program with an argument array and returns (status, stdout+stderr).
@discardableResult
func run(_ exe: String, _ args: [String], cwd: URL? = nil) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = cwd }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

func makeTempDir(_ tag: String) throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-\(tag)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

/// Feeds captured JSON lines through the same path `EngineClient.build` uses for traces.
func accumulate(_ jsonLines: String) throws -> (BuildKitTraceAccumulator, imageID: String?, error: String?) {
    var acc = BuildKitTraceAccumulator()
    var imageID: String?
    var error: String?
    for line in jsonLines.split(separator: "\n") {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        if obj["id"] as? String == "moby.buildkit.trace", let aux = obj["aux"] as? String {
            acc.add(try TraceStatus.decode(base64: aux))
        } else if let aux = obj["aux"] as? [String: Any] {
            imageID = aux["ID"] as? String
        } else if let e = obj["error"] as? String {
            error = e
        }
    }
    return (acc, imageID, error)
}

// MARK: - protobuf / BuildKit trace

@Suite struct ProtobufDecoderTests {
    @Test func decodesWireTypes() throws {
        // field 1 varint 150 (08 96 01), field 2 string "hi" (12 02 68 69), field 3 fixed32, field 4 fixed64
        let bytes: [UInt8] = [0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 0, 0, 0, 0x21, 2, 0, 0, 0, 0, 0, 0, 0]
        let f = try ProtoDecoder.fields(bytes)
        #expect(f.count == 4)
        #expect(f[0] == ProtoField(number: 1, value: .varint(150)))
        #expect(f[1].string == "hi")
        #expect(f[2] == ProtoField(number: 3, value: .fixed32(1)))
        #expect(f[3] == ProtoField(number: 4, value: .fixed64(2)))
    }

    @Test func rejectsTruncatedInput() {
        #expect(throws: BuilderError.self) { try ProtoDecoder.fields([0x12, 0x05, 0x61]) }   // length past end
        #expect(throws: BuilderError.self) { try ProtoDecoder.fields([0x08, 0x80]) }         // varint cut
    }

    @Test func firstCapturedMessageIsTheContextVertex() throws {
        let first = try #require(BuildKitFixtures.cold.split(separator: "\n").first)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let status = try TraceStatus.decode(base64: try #require(obj["aux"] as? String))
        #expect(status.vertexes.count == 1)
        let v = try #require(status.vertexes.first)
        #expect(v.digest.hasPrefix("sha256:"))
        #expect(v.name == "[internal] load remote build context")
        #expect(v.started == nil && v.completed == nil && !v.cached)
    }

    @Test func coldCaptureGivesExecutedSteps() throws {
        let (acc, imageID, error) = try accumulate(BuildKitFixtures.cold)
        #expect(error == nil)
        #expect(imageID?.hasPrefix("sha256:") == true)
        let steps = acc.steps
        #expect(steps.map(\.index) == [1, 2, 3, 4, 5])
        #expect(steps.allSatisfy { $0.total == 5 })
        #expect(steps.map(\.instruction) == ["FROM docker.io/local/busybox", "RUN echo a-27093", "RUN sleep 1",
                                             "COPY a.txt /a.txt", "RUN cat /a.txt"])
        #expect(steps.map(\.status) == [.hit, .miss, .miss, .miss, .miss])
        let sleep = steps[2]
        #expect(sleep.seconds >= 1.0 && sleep.seconds < 5, "RUN sleep 1 took \(sleep.seconds)s")
        // internal vertices are not steps, but they are kept
        #expect(acc.allVertices.contains { $0.name == "copy /context /" })
        // container output of RUN cat /a.txt
        #expect(acc.logs.contains { String(decoding: $0.message, as: UTF8.self).contains("v1") })
    }

    @Test func warmCaptureIsAllCached() throws {
        let (acc, _, _) = try accumulate(BuildKitFixtures.warm)
        #expect(acc.steps.map(\.status) == [.hit, .hit, .hit, .hit, .hit])
        #expect(acc.steps.dropFirst().allSatisfy { $0.seconds < 0.5 })
    }

    @Test func failingCaptureCarriesTheError() throws {
        let (acc, imageID, error) = try accumulate(BuildKitFixtures.failing)
        #expect(imageID == nil)
        #expect(error?.contains("exit code: 3") == true)
        let run = try #require(acc.steps.first { $0.index == 2 })
        #expect(run.status == .miss)
        #expect(run.error?.contains("exit code: 3") == true)
        #expect(acc.logs.contains { $0.stream == 2 && String(decoding: $0.message, as: UTF8.self).contains("to-stderr") })
    }

    @Test func stepNames() {
        #expect(StepName("[2/5] RUN echo a") == StepName("[2/5] RUN echo a"))
        let s = StepName("[builder 3/4] COPY --from=x / /")
        #expect(s?.stage == "builder" && s?.index == 3 && s?.total == 4 && s?.instruction == "COPY --from=x / /")
        #expect(StepName("[internal] load build definition from Dockerfile") == nil)
        #expect(StepName("exporting to image") == nil)
        #expect(StepName("copy /context /") == nil)
    }

    @Test func mergeHandlesRestartedVertex() {
        var acc = BuildKitTraceAccumulator()
        func v(_ started: Double?, _ completed: Double?, cached: Bool = false) -> TraceStatus {
            TraceStatus(vertexes: [TraceVertex(digest: "sha256:x", inputs: [], name: "[2/2] RUN x", cached: cached,
                                               started: started, completed: completed, error: nil)], logs: [])
        }
        acc.add(v(nil, nil))
        acc.add(v(10, 11))
        acc.add(v(12, nil))
        #expect(acc.steps.first?.status == .notRun)
        acc.add(v(12, 14.5))
        #expect(acc.steps.first?.status == .miss)
        #expect(acc.steps.first?.seconds == 2.5)
    }
}

// MARK: - HTTP framing

@Suite struct ChunkedDecodingTests {
    @Test func decodesAcrossArbitrarySplits() throws {
        let wire = Array("4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\n".utf8)
        for split in 1...wire.count {
            var dec = ChunkedDecoder()
            var out: [UInt8] = []
            var i = 0
            while i < wire.count {
                let j = min(wire.count, i + split)
                out += try dec.decode(wire[i..<j])
                i = j
            }
            #expect(String(decoding: out, as: UTF8.self) == "Wikipedia in \r\n\r\nchunks.", "split \(split)")
            #expect(dec.isComplete)
        }
    }

    @Test func incompleteUntilTerminatingChunk() throws {
        var dec = ChunkedDecoder()
        let out = try dec.decode(Array("3\r\nabc\r\n".utf8))
        #expect(out == Array("abc".utf8))
        #expect(!dec.isComplete)
        _ = try dec.decode(Array("0\r\n\r\n".utf8))
        #expect(dec.isComplete)
    }

    @Test func rejectsGarbage() {
        var dec = ChunkedDecoder()
        #expect(throws: BuilderError.self) { try dec.decode(Array("zz\r\n".utf8)) }
        var dec2 = ChunkedDecoder()
        #expect(throws: BuilderError.self) { try dec2.decode(Array("1\r\nabX".utf8)) }
    }

    @Test func encodeRoundTrips() throws {
        var wire: [UInt8] = []
        for s in ["hello ", String(repeating: "x", count: 300), ""] {
            wire += Array(s.utf8).withUnsafeBytes { ChunkedDecoder.encodeChunk($0) }
        }
        var dec = ChunkedDecoder()
        let out = try dec.decode(wire)
        #expect(out.count == 306)
        #expect(dec.isComplete)
    }

    @Test func responseParserChunkedAndLength() throws {
        var p = HTTPResponseParser(requestMethod: "GET")
        var body: [UInt8] = []
        let wire = Array("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n".utf8)
        for b in wire { try p.feed([b][...], onBody: { body += $0 }) }
        #expect(p.head?.status == 200)
        #expect(p.head?.headers["api-version"] == "1.41")
        #expect(String(decoding: body, as: UTF8.self) == "{\"a\":1}")
        #expect(p.isComplete)

        var q = HTTPResponseParser(requestMethod: "GET")
        body = []
        try q.feed(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabcEXTRA".utf8)[...], onBody: { body += $0 })
        #expect(q.head?.status == 404)
        #expect(body == Array("abc".utf8))
        #expect(q.isComplete)
    }

    @Test func lineSplitter() {
        var s = LineSplitter()
        #expect(s.feed(Array("a\r\nb".utf8)) == [Array("a".utf8)])
        #expect(s.feed(Array("c\nd".utf8)) == [Array("bc".utf8)])
        #expect(s.finish() == Array("d".utf8))
    }

    @Test func endpoints() throws {
        #expect(try EngineEndpoint(parsing: "unix:///var/run/docker.sock") == .unix(path: "/var/run/docker.sock"))
        #expect(try EngineEndpoint(parsing: "tcp://127.0.0.1:2375") == .tcp(host: "127.0.0.1", port: 2375))
        #expect(try EngineEndpoint(parsing: "tcp://[::1]:2376") == .tcp(host: "::1", port: 2376))
        #expect(throws: BuilderError.self) { try EngineEndpoint(parsing: "ssh://host") }
        #expect(EngineEndpoint.fromEnvironment(["DOCKER_HOST": "unix:///tmp/x.sock"]) == .unix(path: "/tmp/x.sock"))
        #expect(EngineEndpoint.candidates([:]) == [.defaultSocket])
        #expect(queryEscape("{\"label\":[\"a=b\"]}") == "%7B%22label%22%3A%5B%22a%3Db%22%5D%7D")
    }
}

// MARK: - tar

@Suite struct TarWriterTests {
    @Test func extractsWithGNUTar() throws {
        let src = try makeTempDir("tar-src")
        let dst = try makeTempDir("tar-dst")
        defer { try? FileManager.default.removeItem(at: src); try? FileManager.default.removeItem(at: dst) }
        let fm = FileManager.default
        try Data("hello\n".utf8).write(to: src.appendingPathComponent("a.txt"))
        try fm.createDirectory(at: src.appendingPathComponent("dir/sub"), withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 70_000).write(to: src.appendingPathComponent("dir/sub/big.bin"))
        try Data().write(to: src.appendingPathComponent("dir/empty"))
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: src.appendingPathComponent("a.txt").path)
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: src.appendingPathComponent("dir/sub").path)
        try fm.createSymbolicLink(atPath: src.appendingPathComponent("link").path, withDestinationPath: "a.txt")
        // > 100 bytes (pax), and > 256 bytes (cannot fit ustar prefix+name at all)
        let longDir = String(repeating: "d", count: 120)
        let longFile = String(repeating: "f", count: 140)
        try fm.createDirectory(at: src.appendingPathComponent("\(longDir)/\(longDir)"), withIntermediateDirectories: true)
        try Data("deep".utf8).write(to: src.appendingPathComponent("\(longDir)/\(longDir)/\(longFile)"))
        let longTarget = String(repeating: "t", count: 150)
        try fm.createSymbolicLink(atPath: src.appendingPathComponent("longlink").path, withDestinationPath: longTarget)
        try Data("ünïcødé".utf8).write(to: src.appendingPathComponent("ünï.txt"))

        let bytes = try TarWriter(directory: src).archive()
        #expect(bytes.count % 512 == 0)
        let tarFile = dst.appendingPathComponent("../\(dst.lastPathComponent).tar")
        try Data(bytes).write(to: tarFile)
        defer { try? fm.removeItem(at: tarFile) }

        let (lst, listing) = try run("/bin/tar", ["-tvf", tarFile.path, "--numeric-owner"])
        #expect(lst == 0, "\(listing)")
        #expect(listing.contains("0/0"))
        let (st, out) = try run("/bin/tar", ["-xf", tarFile.path, "-C", dst.path])
        #expect(st == 0, "tar -x failed: \(out)")
        #expect(!out.contains("Ignoring unknown extended header"), "\(out)")

        #expect(try String(contentsOf: dst.appendingPathComponent("a.txt"), encoding: .utf8) == "hello\n")
        #expect(try Data(contentsOf: dst.appendingPathComponent("dir/sub/big.bin")) == Data(repeating: 0x41, count: 70_000))
        #expect(try Data(contentsOf: dst.appendingPathComponent("dir/empty")).isEmpty)
        #expect(try String(contentsOf: dst.appendingPathComponent("\(longDir)/\(longDir)/\(longFile)"), encoding: .utf8) == "deep")
        #expect(try String(contentsOf: dst.appendingPathComponent("ünï.txt"), encoding: .utf8) == "ünïcødé")
        #expect(try fm.destinationOfSymbolicLink(atPath: dst.appendingPathComponent("link").path) == "a.txt")
        #expect(try fm.destinationOfSymbolicLink(atPath: dst.appendingPathComponent("longlink").path) == longTarget)
        let mode = { (p: String) throws -> Int in
            (try fm.attributesOfItem(atPath: dst.appendingPathComponent(p).path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode("a.txt") == 0o755)
        #expect(try mode("dir/sub") == 0o700)

        // byte-for-byte the same tree, by GNU diff
        let (dst2, diff) = try run("/usr/bin/diff", ["-r", "--no-dereference", src.path, dst.path])
        #expect(dst2 == 0, "\(diff)")
    }

    @Test func paxRecordLengthCountsItself() {
        let r = String(decoding: TarWriter.paxRecord("path", String(repeating: "a", count: 93)), as: UTF8.self)
        // " path=" (6) + 93 + "\n" (1) = 100 → with 3 length digits = 103
        #expect(r.hasPrefix("103 path="))
        #expect(r.utf8.count == 103)
        #expect(TarWriter.splitUstarName(String(repeating: "x", count: 100))?.0 == "")
        let split = TarWriter.splitUstarName(String(repeating: "p", count: 150) + "/" + "n")
        #expect(split?.0 == String(repeating: "p", count: 150) && split?.1 == "n")
        #expect(TarWriter.splitUstarName(String(repeating: "x", count: 101)) == nil)
    }
}

// MARK: - text logs

@Suite struct StepLogParserTests {
    @Test func classicStreamWithSplitHeadersAndInjectedLabel() {
        var p = ClassicStreamParser()
        let frames: [(String, Double)] = [
            ("Step 1/4 : FROM local/busybox", 0.0), ("\n", 0.0), (" ---> 97eb7945049f\n", 0.01),
            ("Step 2/4 : RUN echo a", 0.02), ("\n", 0.02), (" ---> Using cache\n", 0.03), (" ---> cbe2f51ba7d8\n", 0.03),
            ("Step 3/4 : RUN sleep 1", 0.05), ("\n", 0.05), (" ---> Running in 8c71c0a9319d\n", 0.1),
            ("\u{1b}[91moops\n\u{1b}[0m", 0.2),
            ("Removing intermediate container 8c71c0a9319d\n", 1.3), (" ---> 1691b5091382\n", 1.35),
            ("Step 4/4 : LABEL dev.dockerlint.bench=r1", 1.4), ("\n", 1.4), (" ---> Running in a5acdf9702f6\n", 1.45),
            (" ---> 0ee5c4344126\n", 1.5),
        ]
        for (f, t) in frames { p.feed(f, at: t) }
        let steps = EngineClient.dropInjectedLabelStep(p.finish(at: 1.6, error: nil))
        #expect(steps.map(\.index) == [1, 2, 3])
        #expect(steps.allSatisfy { $0.total == 3 })
        #expect(steps.map(\.status) == [.hit, .hit, .miss])
        #expect(abs(steps[2].seconds - 1.35) < 1e-9)
        #expect(p.log.contains("oops"))
    }

    @Test func classicFailureAndCutShort() {
        var p = ClassicStreamParser()
        p.feed("Step 1/2 : FROM local/busybox\n ---> 97eb7945049f\nStep 2/2 : RUN exit 3\n ---> Running in abc\n", at: 0)
        let steps = p.finish(at: 1, error: "The command '/bin/sh -c exit 3' returned a non-zero code: 3")
        #expect(steps.last?.status == .miss)
        #expect(steps.last?.error?.contains("non-zero code: 3") == true)

        var q = ClassicStreamParser()
        q.feed("Step 1/2 : FROM local/nope\n", at: 0)
        q.notePull()
        #expect(q.finish(at: 1, error: "pull access denied").first?.status == .miss)
    }

    @Test func buildahOutput() {
        // docs/BUILDERS.md §4, rebuild after editing a.txt
        let text = """
        STEP 1/6: FROM local/busybox
        STEP 2/6: RUN echo step1 > /s1
        --> Using cache 35ad54d8095040fe25ca69b72d46fa49fa316b4726c384ad89f817a1642f08b0
        --> 35ad54d8095
        STEP 3/6: RUN sleep 1
        --> Using cache d89a14029b146076317bfcee4dd3d833a861ed51c82a4b2db425591a54d605b7
        --> d89a14029b1
        STEP 4/6: COPY a.txt /a.txt
        --> c95288eacfe
        STEP 5/6: RUN cat /a.txt && sleep 2
        v2
        --> ad6c9d46862
        STEP 6/6: CMD ["sh"]
        COMMIT t:1
        --> abf88dde9f7
        Successfully tagged localhost/t:1
        abf88dde9f7cd4cac001d3dc3dae3dd141d7c81a05707678f286af2ab653593a
        """
        var p = BuildahOutputParser()
        for (i, l) in text.split(separator: "\n").enumerated() { p.feed(line: String(l), at: Double(i)) }
        let steps = p.finish(at: 20, exitStatus: 0)
        #expect(steps.map(\.status) == [.hit, .hit, .hit, .miss, .miss, .miss])
        #expect(steps[4].instruction == "RUN cat /a.txt && sleep 2")
        #expect(p.imageID == "sha256:abf88dde9f7cd4cac001d3dc3dae3dd141d7c81a05707678f286af2ab653593a")
        #expect(p.log.contains("v2"))

        var f = BuildahOutputParser()
        f.feed(line: "STEP 1/2: FROM local/busybox", at: 0)
        f.feed(line: "STEP 2/2: RUN echo to-stderr >&2; exit 3", at: 1)
        f.feed(line: "to-stderr", at: 1.2)
        f.feed(line: "Error: building at STEP \"RUN echo to-stderr >&2; exit 3\": exit status 3", at: 1.5)
        let fs = f.finish(at: 1.6, exitStatus: 3)
        #expect(fs.last?.status == .miss)
        #expect(fs.last?.error?.contains("exit status 3") == true)
    }

    @Test func cliArgumentsAreAnArray() throws {
        let b = try CLIImageBuilder(kind: .buildah, executable: URL(fileURLWithPath: "/usr/bin/buildah"))
        let args = b.buildArguments(context: URL(fileURLWithPath: "/ctx dir"),
                                    request: BuildRequest(runID: "r 1", tag: "t:1", buildArgs: ["A": "x y"]))
        #expect(args.prefix(6) == ["--root", "/var/lib/dockerlint-bench/ovl", "--runroot", "/run/dockerlint-bench/ovl",
                                   "--storage-driver", "overlay"])
        #expect(args.contains("bud") && args.contains("--layers"))
        #expect(args.contains("A=x y"))
        #expect(args.contains("dev.dockerlint.bench=r 1"))
        #expect(args.last == "/ctx dir")
    }

    @Test func stripsANSI() {
        #expect(stripANSI("\u{1b}[91mred\u{1b}[0m") == "red")
    }
}

/// `CLIImageBuilder.parseLayerSizes`: captured `podman image inspect` / `podman history --format
/// json` of a buildah build (busybox base, RUN, COPY, CMD, injected LABEL).
@Suite struct PodmanLayerSizesTests {
    static let inspect = """
    [
         {
              "Id": "92d687606c1ef254868570862ddcb470aa60ea4a8a0464452e895c7a203e2a2f",
              "RootFS": {
                   "Type": "layers",
                   "Layers": [
                        "sha256:038639f50183e29e000cb8524bac6dcf14dbd7e2ec9f4adf212a6bff8e70c0e5",
                        "sha256:6f5359e2abcb67880625e66de6427451d0353dceb67754189633e6ff4c72c88a",
                        "sha256:db9c4fec8add881b3d9d3431deca65f0c683fa330e1844f8211c333b27c63bb7"
                   ]
              },
              "History": [
                   { "created": "2026-11-29T19:03:27.597715232Z", "created_by": "/bin/sh" },
                   { "created": "2026-11-29T20:22:01.024492748Z", "created_by": "/bin/sh -c echo hi > /x", "comment": "FROM localhost/local/busybox:latest" },
                   { "created": "2026-11-29T20:22:01.508618846Z", "created_by": "/bin/sh -c #(nop) COPY file:a6bd in /a.txt ", "comment": "FROM 69b23574f627" },
                   { "created": "2026-11-29T20:22:01.742760406Z", "created_by": "/bin/sh -c #(nop) CMD [\\"sh\\"]", "comment": "FROM 43fa17a4ce69", "empty_layer": true },
                   { "created": "2026-11-29T20:22:01.765100606Z", "created_by": "/bin/sh -c #(nop) LABEL x=y", "comment": "FROM cfa3b1c53fff", "empty_layer": true }
              ]
         }
    ]
    """
    static let history = """
    [{"id":"43fa","CreatedBy":"/bin/sh -c #(nop) LABEL x=y","size":0},{"id":"<missing>","CreatedBy":"/bin/sh -c #(nop) CMD [\\"sh\\"]","size":0},{"id":"<missing>","CreatedBy":"/bin/sh -c #(nop) COPY file:a6bd in /a.txt ","size":2048},{"id":"69b2","CreatedBy":"/bin/sh -c echo hi > /x","size":6144},{"id":"6749","CreatedBy":"/bin/sh","size":2125312}]
    """

    @Test func layersGetTheirHistorySizes() throws {
        let l = try CLIImageBuilder.parseLayerSizes(inspectJSON: Self.inspect, historyJSON: Self.history)
        #expect(l.map(\.size) == [2125312, 6144, 2048])
        #expect(l.map { String($0.digest.prefix(13)) } == ["sha256:038639", "sha256:6f5359", "sha256:db9c4f"])
    }

    @Test func mismatchedListsThrow() {
        #expect(throws: BuilderError.self) {
            try CLIImageBuilder.parseLayerSizes(inspectJSON: Self.inspect, historyJSON: "[]")
        }
        #expect(throws: BuilderError.self) {
            try CLIImageBuilder.parseLayerSizes(inspectJSON: "[]", historyJSON: Self.history)
        }
    }
}

@Suite struct TraceLineFastPathTests {
    @Test func extractsBase64OfTraceLines() {
        let line = Array(#"{"id":"moby.buildkit.trace","aux":"Cm8KR3No+/="}"#.utf8)
        #expect(EngineClient.traceBase64(line) == "Cm8KR3No+/=")
        #expect(EngineClient.traceBase64(line + [0x0D, 0x0A]) == "Cm8KR3No+/=")
    }
    @Test func leavesEverythingElseToJSON() {
        for s in [#"{"aux":{"ID":"sha256:abc"}}"#, #"{"stream":"Step 1/2"}"#, #"{"id":"moby.buildkit.trace","aux":"a\/b"}"#,
                  #"{"id":"moby.buildkit.trace","aux":"ab","x":1}"#, #"{"id":"moby.buildkit.trace","aux":""#] {
            #expect(EngineClient.traceBase64(Array(s.utf8)) == nil, "\(s)")
        }
    }
}
