@testable import DockerlintKit
import Foundation
import Testing

/// The context a Dockerfile is linted with: command line, configuration, the project's build
/// files (workflows, bake, compose, scripts), else the Dockerfile's folder.
@Suite struct ContextDiscoveryTests {
    static func project(_ files: [String: String]) throws -> URL {
        let dir = try CLI.tempDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (path, text) in files { try CLI.write(text, to: dir.appendingPathComponent(path)) }
        return dir
    }

    static func choose(_ dir: URL, _ dockerfile: String) -> ContextChoice {
        ContextDiscovery.choose(dockerfile: dir.appendingPathComponent(dockerfile).path, explicit: nil, configured: nil)
    }

    static let dockerfile = "FROM alpine:3.20\nCOPY . /src\n"

    @Test func buildPushActionWithMatrix() throws {
        let dir = try Self.project([
            "backend/docker/Dockerfile": Self.dockerfile,
            ".github/workflows/docker.yml": """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    component: [ 'backend', 'frontend' ]
                steps:
                  - uses: actions/checkout@v4
                  - uses: docker/build-push-action@v6
                    with:
                      file: ${{ matrix.component}}/docker/Dockerfile
                      context: .
            """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "backend/docker/Dockerfile")
        #expect(c.source == .workflow)
        #expect(c.path == ContextDiscovery.realPath(dir.path))
        #expect(c.reason == ".github/workflows/docker.yml:10: docker/build-push-action context: ., file: backend/docker/Dockerfile", "\(c)")
    }

    @Test func dockerBuildLineInARunStep() throws {
        let dir = try Self.project([
            "docker/Dockerfile": Self.dockerfile,
            ".github/workflows/ci.yml": """
            jobs:
              image:
                steps:
                  - run: |
                      docker build --build-arg A=1 \\
                        -f docker/Dockerfile -t app .
            """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "docker/Dockerfile")
        #expect(c.source == .workflow)
        #expect(c.path == ContextDiscovery.realPath(dir.path))
        #expect(c.reason.hasSuffix("docker build -f docker/Dockerfile ."), "\(c)")
    }

    @Test func composeInTheDockerfilesFolder() throws {
        let dir = try Self.project([
            "docker/Dockerfile": Self.dockerfile,
            "docker/docker-compose.yml": "services:\n  web:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "docker/Dockerfile")
        #expect(c.source == .compose)
        #expect(c.path == ContextDiscovery.realPath(dir.path))
    }

    @Test func bakeHCL() throws {
        let dir = try Self.project([
            "build/app.Dockerfile": Self.dockerfile,
            "docker-bake.hcl": """
            group "default" { targets = ["app"] }
            target "app" {
              context = "."
              dockerfile = "build/app.Dockerfile" # the image
            }
            """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "build/app.Dockerfile")
        #expect(c.source == .bake)
        #expect(c.reason == "docker-bake.hcl:2: bake target app context: ., dockerfile: build/app.Dockerfile")
    }

    @Test func bakeJSONSkipsTargetsOfAnotherShape() throws {
        let dir = try Self.project([
            "build/app.Dockerfile": Self.dockerfile,
            "docker-bake.json": """
            {"group": {"default": {"targets": ["app"]}},
             "target": {"broken": 3, "app": {"context": ".", "dockerfile": "build/app.Dockerfile", "tags": ["x"]}}}
            """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "build/app.Dockerfile")
        #expect(c.source == .bake)
        #expect(c.reason == "docker-bake.json:1: bake target app context: ., dockerfile: build/app.Dockerfile")
    }

    @Test func packageScriptWithDockerBuild() throws {
        let dir = try Self.project([
            "docker/Dockerfile": Self.dockerfile,
            "package.json": """
            {"name": "x", "scripts": {"test": 1, "docker": "docker build -f docker/Dockerfile ."}}
            """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "docker/Dockerfile")
        #expect(c.source == .script)
        #expect(c.reason.hasPrefix("package.json:1: script docker: "), "\(c.reason)")
    }

    @Test func nothingNamesItThenTheFolder() throws {
        let dir = try Self.project([
            "docker/Dockerfile": Self.dockerfile,
            "docker-compose.yml": "services:\n  web:\n    build: .\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Self.choose(dir, "docker/Dockerfile")
        #expect(c.source == .dockerfileFolder)
    }

    /// A build file that is not a regular file (a named pipe planted as compose.yaml, a
    /// workflow or package.json) is skipped, never waited on.
    @Test func namedPipesAreNotWaitedOn() throws {
        let dir = try Self.project(["Dockerfile": Self.dockerfile, ".github/workflows/.keep": ""])
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["compose.yaml", ".github/workflows/ci.yml", "package.json", "docker-bake.hcl", "docker-bake.json"] {
            #expect(mkfifo(dir.appendingPathComponent(name).path, 0o644) == 0)
        }
        let c = Self.choose(dir, "Dockerfile")
        #expect(c.source == .dockerfileFolder)
    }

    @Test func parentOfARealPath() {
        #expect(ContextDiscovery.parent(of: "/a/b/c") == "/a/b")
        #expect(ContextDiscovery.parent(of: "/a") == "/")
        #expect(ContextDiscovery.parent(of: "/") == "/")
    }

    /// End to end: `lint -v` says which context and why, JSON carries it, `--context` and the
    /// `context` key win, and DC1004 judges the root's .dockerignore, not the folder's absence.
    @Test func lintUsesAndReportsTheContext() throws {
        let dir = try Self.project([
            "docker/Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n",
            "requirements.txt": "flask\n",
            ".dockerignore": ".git\n",
            ".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          file: docker/Dockerfile\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["-v", "-f", "json", "docker/Dockerfile"], cwd: dir.path)
        #expect(r.stderr.contains("docker/Dockerfile: context . (workflow: .github/workflows/ci.yml:4: docker/build-push-action (no context: the repository root), file: docker/Dockerfile)"),
                "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let ctx = (doc?["contexts"] as? [String: Any])?["docker/Dockerfile"] as? [String: String]
        #expect(ctx?["path"] == "." && ctx?["source"] == "workflow", "\(r.stdout)")
        // The root's .dockerignore is the one that counts: it exists (no "there is no
        // .dockerignore"), and it lets in docker/Dockerfile, which `COPY . /app` copies.
        #expect(!r.stdout.contains("there is no .dockerignore"), "the root's .dockerignore is the one that counts")
        #expect(r.stdout.contains("docker/Dockerfile is copied too"), "\(r.stdout)")
        let explicit = try CLI.run(["-v", "--context", "docker", "docker/Dockerfile"], cwd: dir.path)
        #expect(explicit.stderr.contains("context docker (command-line: --context)"), "\(explicit.stderr)")
        try CLI.write("context: docker\n", to: dir.appendingPathComponent(".dockerlint.yaml"))
        let configured = try CLI.run(["-v", "docker/Dockerfile"], cwd: dir.path)
        #expect(configured.stderr.contains("context ./docker (configuration: the context key of the configuration)")
                || configured.stderr.contains("context docker (configuration"), "\(configured.stderr)")
    }
}
