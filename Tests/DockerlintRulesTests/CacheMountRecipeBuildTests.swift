import DockerlintCore
import DockerlintRules
import DockerlintSupport
import Foundation
import Testing

/// DC1007's recipes, followed as the message words them and built twice on a real BuildKit
/// (Docker 26 or 20.10 of scripts/setup-builders, with the local python:3.10.5 image, a
/// Debian 12 rootfs): the second build must reuse what the first downloaded. apt packages
/// come from the Debian mirror; pip packages from an index served by the test (a wheel made
/// here, served with the cache headers PyPI sends). Images are labelled and removed, and the
/// cache mounts, each with an id of its own, are pruned by id.
@Suite("DC1007 recipes on a real BuildKit", .serialized,
       .enabled(if: recipeEngineSocket != nil, "a Docker engine with the python:3.10.5 image (scripts/setup-builders)"))
struct CacheMountRecipes {
    static let docker = "/usr/bin/docker"
    static let image = "python:3.10.5"

    static var socket: String? { recipeEngineSocket }
}

/// The first engine that answers and has the base image.
let recipeEngineSocket: String? = {
        let docker = CacheMountRecipes.docker, image = CacheMountRecipes.image
        guard FileManager.default.isExecutableFile(atPath: docker) else { return nil }
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["DOCKERLINT_D26_SOCK"] ?? "/var/run/docker26.sock", "/var/run/docker.sock"]
        for s in candidates where FileManager.default.fileExists(atPath: s) {
            if let r = try? CacheMountRecipes.run([docker, "image", "inspect", "-f", "{{.Id}}", image], socket: s), r.status == 0 { return s }
        }
        return nil
    }()

extension CacheMountRecipes {

    struct Output { var status: Int32; var text: String }

    static func run(_ args: [String], socket: String, cwd: String? = nil, timeout: Double = 300) throws -> Output {
        // docker build takes the context folder as an argument; cwd is only for readability of logs.
        var a = Array(args.dropFirst())
        if let cwd, let dot = a.lastIndex(of: ".") { a[dot] = cwd }
        let r = try Subprocess.run(args[0], a, environment: .inheritAdding(["DOCKER_HOST": "unix://" + socket, "DOCKER_BUILDKIT": "1"]),
                                   standardError: .mergeWithOutput, timeout: timeout)
        return Output(status: r.timedOut ? -1 : r.status.code, text: r.stdoutText)
    }

    /// The DC1007 message on `line` of a Dockerfile (linted without evidence).
    static func advice(_ dockerfile: String, line: Int) throws -> String {
        let bytes = Array(dockerfile.utf8)
        let out = Linter(rules: BuiltinRules.ruleSet).lint(Linter.Input(path: "Dockerfile", bytes: bytes, configuration: Configuration()))
        let d = try #require(out.diagnostics.first { $0.code == "DC1007" && $0.relatedLines.contains(line) },
                             "no DC1007 on line \(line): \(out.diagnostics.map { "\($0.code) \($0.message)" })")
        return d.message
    }

    /// The text between `after` and the next backtick.
    static func quoted(_ message: String, after: String) -> String? {
        guard let r = message.range(of: after) else { return nil }
        let rest = message[r.upperBound...]
        return rest.firstIndex(of: "`").map { String(rest[..<$0]) }
    }

    /// Builds `dockerfile` twice (N=1, N=2: the RUN re-runs), returns the second build's log.
    static func buildTwice(_ dockerfile: String, files: [String: Data] = [:], tag: String, socket: String) throws -> (String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-recipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try dockerfile.write(to: dir.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        for (name, data) in files { try data.write(to: dir.appendingPathComponent(name)) }
        var logs: [String] = []
        for n in 1...2 {
            let r = try run([docker, "build", "--progress=plain", "--label", "dockerlint.test=cachemount-recipe", "-t", tag,
                             "--build-arg", "N=\(n)", "."], socket: socket, cwd: dir.path)
            #expect(r.status == 0, "build \(n) failed:\n\(r.text.suffix(3000))")
            logs.append(r.text)
        }
        return (logs[0], logs[1])
    }

    /// Removes the images of this suite and the build-cache records whose description names `marker`.
    static func clean(tag: String, marker: String, socket: String) {
        _ = try? run([docker, "rmi", "-f", tag], socket: socket)
        // Two passes: the layers of the steps go once the cache mounts they hold are gone.
        for _ in 0..<2 { pruneRecords(marker: marker, socket: socket) }
    }

    static func pruneRecords(marker: String, socket: String) {
        guard let df = try? run(["/usr/bin/curl", "-s", "--max-time", "30", "--unix-socket", socket, "http://localhost/v1.41/system/df?type=build-cache"], socket: socket),
              let json = try? JSONSerialization.jsonObject(with: Data(df.text.utf8)) as? [String: Any],
              let records = json["BuildCache"] as? [[String: Any]] else { return }
        for r in records {
            guard let id = r["ID"] as? String, (r["Description"] as? String)?.contains(marker) == true else { continue }
            _ = try? run([docker, "builder", "prune", "-af", "--filter", "id=\(id)"], socket: socket)
        }
    }

    /// Debian's official images delete downloaded packages after every install; the local
    /// image is a plain debootstrap, so the test adds the same hook.
    static let dockerClean = """
        RUN printf '%s\\n' 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
        'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
        'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' > /etc/apt/apt.conf.d/docker-clean

        """

    /// Gives each cache mount of a recipe an id of its own (the cache stays private to the test).
    static func isolated(_ mounts: String, _ marker: String) -> String {
        var k = 0
        return mounts.split(separator: " ").map { m -> String in
            k += 1
            return m.hasPrefix("--mount=type=cache") ? "\(m),id=\(marker)-\(k)" : String(m)
        }.joined(separator: " ")
    }

    @Test(arguments: ["apt-get", "apt"])
    func aptRecipeKeepsDownloads(_ tool: String) throws {
        let socket = try #require(Self.socket)
        let marker = "dlrecipe-\(UUID().uuidString.prefix(8).lowercased())"
        let tag = "dockerlint-recipe-test:\(marker)"
        defer { Self.clean(tag: tag, marker: marker, socket: socket) }
        let body = "\(tool) update && \(tool) install -y --no-install-recommends jq && \(tool) clean && rm -rf /var/lib/apt/lists/*"
        let original = "FROM \(Self.image)\n" + Self.dockerClean + "ARG N\nRUN echo build $N && " + body + "\n"
        let message = try Self.advice(original, line: original.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        // Follow the message: its mounts, what it says to remove, how it says to keep packages.
        let mounts = try #require(Self.quoted(message, after: "add `RUN "), "\(message)")
        let afterRemove = try #require(message.range(of: "`, remove ").map { message[$0.upperBound...] }, "\(message)")
        let removeClause = String(afterRemove[..<(afterRemove.range(of: " (they would")?.lowerBound ?? afterRemove.endIndex)])
        var script = "echo build $N && " + body
        for piece in removeClause.components(separatedBy: "`").enumerated() where piece.offset % 2 == 1 {
            script = script.replacingOccurrences(of: " && " + piece.element, with: "")
        }
        var prefix = try #require(Self.quoted(message, after: "start the RUN with `"), "\(message)")
        if let keep = Self.quoted(message, after: "tell `apt` to keep them (`") { prefix += " && " + keep }
        let recipe = "FROM \(Self.image)\n" + Self.dockerClean + "ARG N\nRUN \(Self.isolated(mounts, marker)) \(prefix) && \(script)\n"
        let (first, second) = try Self.buildTwice(recipe, tag: tag, socket: socket)
        #expect(first.contains("Need to get") && !first.contains("Need to get 0 B/"), "\(first.suffix(2000))")
        // The second build downloads no package and no package list.
        #expect(second.contains("Need to get 0 B/"), "recipe:\n\(recipe)\n\(second.suffix(2000))")
        #expect(!second.contains("amd64 Packages ["), "\(second.suffix(2000))")
        // The mounts alone, the rest of the RUN as it was: the cleanups and the hook empty them.
        let naive = "FROM \(Self.image)\n" + Self.dockerClean + "ARG N\nRUN \(Self.isolated(mounts, marker + "n")) echo build $N && \(body)\n"
        let (_, naiveSecond) = try Self.buildTwice(naive, tag: tag, socket: socket)
        Self.clean(tag: tag, marker: marker + "n", socket: socket)
        #expect(!naiveSecond.contains("Need to get 0 B/"), "\(naiveSecond.suffix(2000))")
    }

    /// A package index on the host, with PyPI's cache headers, serving one wheel made here.
    final class Index {
        let process: ChildProcess
        let root: URL
        let port: Int
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-index-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            port = 20000 + Int.random(in: 0..<20000)
            let script = """
                import base64, hashlib, http.server, os, sys, zipfile
                root, port = sys.argv[1], int(sys.argv[2])
                os.makedirs(root + "/files", exist_ok=True); os.makedirs(root + "/simple/dlrecipedemo", exist_ok=True)
                name = "dlrecipedemo-1.0-py3-none-any.whl"
                files = {"dlrecipedemo.py": b"VALUE = 1\\n",
                         "dlrecipedemo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: dlrecipedemo\\nVersion: 1.0\\n",
                         "dlrecipedemo-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
                record = "".join("%s,sha256=%s,%d\\n" % (p, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b"=").decode(), len(d)) for p, d in files.items())
                record += "dlrecipedemo-1.0.dist-info/RECORD,,\\n"
                with zipfile.ZipFile(root + "/files/" + name, "w") as z:
                    for p, d in files.items(): z.writestr(p, d)
                    z.writestr("dlrecipedemo-1.0.dist-info/RECORD", record)
                open(root + "/simple/dlrecipedemo/index.html", "w").write('<a href="/files/%s">%s</a>' % (name, name))
                os.chdir(root)
                class H(http.server.SimpleHTTPRequestHandler):
                    def end_headers(self):
                        self.send_header("Cache-Control", "max-age=365000000, immutable, public" if self.path.startswith("/files/") else "max-age=600, public")
                        super().end_headers()
                    def log_message(self, *a): pass
                http.server.ThreadingHTTPServer(("0.0.0.0", port), H).serve_forever()
                """
            try script.write(to: root.appendingPathComponent("serve.py"), atomically: true, encoding: .utf8)
            process = try ChildProcess("/usr/bin/env", ["python3", root.appendingPathComponent("serve.py").path, root.path, "\(port)"],
                                       output: false, standardError: .discard)
            // Ready when the index answers.
            for _ in 0..<50 {
                if let r = try? CacheMountRecipes.run(["/usr/bin/curl", "-sf", "--max-time", "2", "http://127.0.0.1:\(port)/simple/dlrecipedemo/"], socket: "", timeout: 5), r.status == 0 { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        func stop() {
            process.terminate(); _ = process.wait()
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// The gateway of the engine's default bridge: where containers reach the host.
    static func gateway(_ socket: String) throws -> String {
        let r = try run([docker, "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge"], socket: socket)
        return r.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["root", "app"])
    func pipRecipeKeepsDownloads(_ user: String) throws {
        let socket = try #require(Self.socket)
        let index = try Index()
        defer { index.stop() }
        let gw = try Self.gateway(socket)
        let marker = "dlrecipe-\(UUID().uuidString.prefix(8).lowercased())"
        let tag = "dockerlint-recipe-test:\(marker)"
        defer { Self.clean(tag: tag, marker: marker, socket: socket) }
        let head = "FROM \(Self.image)\nENV PIP_INDEX_URL=http://\(gw):\(index.port)/simple PIP_TRUSTED_HOST=\(gw)\n"
            + (user == "app" ? "RUN useradd -m -u 1000 app\nUSER app\n" : "") + "ARG N\n"
        let install = "pip install \(user == "app" ? "--user " : "")--no-cache-dir dlrecipedemo==1.0"
        let original = head + "RUN echo build $N && \(install)\n"
        let message = try Self.advice(original, line: original.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        let mount = try #require(Self.quoted(message, after: "add `RUN "), "\(message)")
        if user == "app" { #expect(mount.contains("target=/home/app/.cache/pip,uid=1000"), "\(message)") }
        #expect(message.contains("drop `--no-cache-dir`"))
        let recipe = head + "RUN \(Self.isolated(mount, marker)) echo build $N && \(install.replacingOccurrences(of: " --no-cache-dir", with: ""))\n"
        let (first, second) = try Self.buildTwice(recipe, tag: tag, socket: socket)
        #expect(first.contains("Downloading http://"), "\(first.suffix(2000))")
        #expect(second.contains("Using cached http://") && !second.contains("Downloading http://"), "recipe:\n\(recipe)\n\(second.suffix(2000))")
        if user == "app" {
            // Without `uid=` the mount is root's: pip disables its cache and downloads again.
            let rootOwned = head + "RUN \(Self.isolated(mount.replacingOccurrences(of: ",uid=1000", with: ""), marker + "u")) echo build $N && \(install.replacingOccurrences(of: " --no-cache-dir", with: ""))\n"
            let (_, again) = try Self.buildTwice(rootOwned, tag: tag, socket: socket)
            Self.clean(tag: tag, marker: marker + "u", socket: socket)
            #expect(again.contains("Downloading http://") && again.contains("The cache has been disabled"), "\(again.suffix(2000))")
        }
    }
}
