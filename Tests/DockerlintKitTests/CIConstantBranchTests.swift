import Foundation
import Testing

/// History evidence does not price a build CI never runs: the cargo build sits in the `else`
/// of `if [ "$USE_RELEASE" = "true" ]`, and the project's CI builds pass `USE_RELEASE=true`.
@Suite struct CIConstantBranch {
    static let dockerfile = """
        FROM rust:slim-bookworm AS builder
        ARG USE_RELEASE=false
        WORKDIR /app
        COPY . .
        RUN if [ "${USE_RELEASE}" = "true" ]; then \\
            curl -sL --fail --output app.tar.gz https://example.com/app.tar.gz && tar -xzf app.tar.gz app; \\
          else \\
            cargo build --release && cp target/release/app app; \\
          fi && ./app --version
        FROM debian:12
        COPY --from=builder /app/app /bin/app

        """

    static func step(_ args: String, file: String? = nil) -> String {
        var s = "      - uses: docker/build-push-action@v6\n        with:\n          context: .\n"
        if let file { s += "          file: \(file)\n" }
        if !args.isEmpty { s += "          build-args: |\n" + args.split(separator: "\n").map { "            \($0)\n" }.joined() }
        return s
    }

    /// A cargo project whose history edits the source 5 times; `workflows` by file name.
    static func repository(_ workflows: [String: String]) throws -> String {
        let dir = try CLI.tempDirectory().path
        let root = URL(fileURLWithPath: dir)
        try EvidenceJSON.git(dir, "init", "-q", "-b", "main")
        try CLI.write(dockerfile, to: root.appendingPathComponent("Dockerfile"))
        try CLI.write("[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\nregex = \"1\"\n",
                      to: root.appendingPathComponent("Cargo.toml"))
        let crates = ["app", "serde", "regex", "aho-corasick", "memchr", "regex-syntax", "serde_derive", "proc-macro2", "quote", "syn", "unicode-ident"]
        try CLI.write("version = 3\n" + crates.map {
            "\n[[package]]\nname = \"\($0)\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        }.joined(), to: root.appendingPathComponent("Cargo.lock"))
        try CLI.write("fn main() {}\n", to: root.appendingPathComponent("src/main.rs"))
        for (name, text) in workflows {
            try CLI.write("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n" + text,
                          to: root.appendingPathComponent(".github/workflows/" + name))
        }
        try EvidenceJSON.git(dir, "add", "-A"); try EvidenceJSON.git(dir, "commit", "-qm", "initial")
        for k in 1...5 {
            try CLI.write("fn main() { println!(\"\(k)\"); }\n", to: root.appendingPathComponent("src/main.rs"))
            try EvidenceJSON.git(dir, "commit", "-qam", "source \(k)")
        }
        return dir
    }

    /// The codes of the DC findings `lint` reports in `dir` with `history` commits replayed.
    static func codes(_ dir: String, history: Int) throws -> [String] {
        let r = try CLI.run(["lint", "-f", "json", "--no-fail", "--history", "\(history)", "--context", ".", "Dockerfile"],
                            environment: ["CI": ""], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        return (doc["diagnostics"] as! [[String: Any]]).compactMap { $0["code"] as? String }.filter { $0.hasPrefix("DC") }.sorted()
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git"))
    func constantFromCIDropsTheUntakenBuild() throws {
        let dir = try Self.repository(["release.yml": Self.step("USE_RELEASE=true\nAPP_VERSION=${{ github.ref_name }}")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.codes(dir, history: 100) == [])
        // Without history (a local build takes the default: the cargo build runs) it stays.
        #expect(try Self.codes(dir, history: 0).contains("DC1007"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git"))
    func disagreeingWorkflowsKeepTheFindings() throws {
        let dir = try Self.repository(["release.yml": Self.step("USE_RELEASE=true"),
                                       "nightly.yml": Self.step("USE_RELEASE=false", file: "./Dockerfile")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.codes(dir, history: 100) == ["DC1001", "DC1007"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git"))
    func argumentCIDoesNotPassKeepsTheFindings() throws {
        let dir = try Self.repository(["release.yml": Self.step("APP_VERSION=1.0")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.codes(dir, history: 100) == ["DC1001", "DC1007"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git"))
    func anotherDockerfilesConstantDoesNotCount() throws {
        let dir = try Self.repository(["release.yml": Self.step("USE_RELEASE=true", file: "docker/Dockerfile.release")])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.codes(dir, history: 100) == ["DC1001", "DC1007"])
    }
}
