@testable import DockerlintAnalysis
import DockerlintCache
import Testing

/// `RUN mage <target>...` read as mage runs it (`StepGraph.goBuildThroughMage`): the magefiles
/// of the folder, the target's Go source, the module that holds them; and the pre-fetch that
/// follows from it. The project is shaped like go-vikunja/vikunja (VK-1): a root magefile whose
/// `build:clean` runs `go clean ./...` through `exec.CommandContext`, a second module in build/
/// with its own magefile run from a subshell.
@Suite struct GoMageBuildTests {
    static let magefile = """
        // Project tasks.

        //go:build mage

        package main

        import (
        \t"context"
        \t"fmt"
        \t"os"
        \t"os/exec"

        \t"github.com/magefile/mage/mg"
        )

        var (
        \tExecutable = "app"
        \tLdflags    = ""
        \t// Aliases are mage aliases of targets
        \tAliases = map[string]any{
        \t\t"build": Build.Build,
        \t}
        )

        func initVars(ctx context.Context) error {
        \tout, err := exec.CommandContext(ctx, "git", "describe", "--tags").Output()
        \tif err != nil {
        \t\treturn fmt.Errorf("no version: %w", err)
        \t}
        \tLdflags = `-X "main.Version=` + string(out) + `"`
        \treturn nil
        }

        func runAndStreamOutput(ctx context.Context, cmd string, args ...string) error {
        \tc := exec.CommandContext(ctx, cmd, args...)
        \tc.Env = os.Environ()
        \tc.Stdout = os.Stdout
        \treturn c.Run()
        }

        type Build mg.Namespace

        // Clean cleans all build files
        func (Build) Clean(ctx context.Context) error {
        \tmg.Deps(initVars)
        \tif err := exec.CommandContext(ctx, "go", "clean", "./...").Run(); err != nil {
        \t\treturn err
        \t}
        \treturn os.RemoveAll("dist")
        }

        // Build builds the binary
        func (Build) Build(ctx context.Context) error {
        \tmg.Deps(initVars)
        \treturn runAndStreamOutput(ctx, "go", "build", "-ldflags", Ldflags, "-o", Executable)
        }

        type Dev mg.Namespace

        // MakeMigration writes a migration file.
        func (Dev) MakeMigration(name string) error {
        \treturn os.WriteFile(name+".go", []byte("package migration\\n"), 0o644)
        }

        """
    static let buildMagefile = """
        //go:build mage

        package main

        import (
        \t"context"
        \t"os/exec"
        \t"strings"

        \t"github.com/magefile/mage/mg"
        \t"github.com/magefile/mage/sh"
        )

        type Release mg.Namespace

        // Xgo cross-compiles one target.
        func (Release) Xgo(ctx context.Context, name, target string) error {
        \tparts := strings.Split(target, "/")
        \tcmd := exec.CommandContext(ctx, "xgo", "-targets", parts[0]+"/"+parts[1], ".")
        \tcmd.Dir = ".."
        \treturn cmd.Run()
        }

        func prepare() error {
        \treturn sh.RunV("go", "install", "example.org/xgo@latest")
        }

        """
    static let goSum = DependencyDownloadsTests.goSum
    static let run = "RUN export PATH=$PATH:$GOPATH/bin && \\\n\tmage build:clean && \\\n    (cd build && mage release:xgo app \"${TARGETOS}/${TARGETARCH}\")\n"
    static func dockerfile(_ run: String = GoMageBuildTests.run, between: String = "ARG TARGETOS TARGETARCH RELEASE_VERSION\nENV RELEASE_VERSION=$RELEASE_VERSION\n",
                           head: String = "") -> String {
        "FROM golang:1.25 AS apibuilder\nRUN go install github.com/magefile/mage@v1.17.2\nWORKDIR /go/src/app\n\(head)COPY . ./\n"
            + between + run + "\nFROM scratch\nCOPY --from=apibuilder /go/src/app/dist/app /app\n"
    }
    static func files(_ magefile: String = GoMageBuildTests.magefile, extra: [String: String] = [:]) -> [String: String] {
        var f = ["magefile.go": magefile, "go.mod": "module example.org/app\n\ngo 1.25\n", "go.sum": goSum, "main.go": "package main\n",
                 "build/magefile.go": buildMagefile, "build/go.mod": "module example.org/app/build\n\ngo 1.25\n",
                 "build/go.sum": "github.com/magefile/mage v1.17.2 h1:fyXVu1eadI8Ap1HCCNgEhJ5McIWiYhLR8uol64ZZc40=\n"]
        for (k, v) in extra { f[k] = v }
        return f
    }

    /// The line of the RUN in `dockerfile()`: after FROM, RUN, WORKDIR, the head, COPY, the lines between.
    static func runLine(head: String = "", between: String = "ARG TARGETOS TARGETARCH RELEASE_VERSION\nENV RELEASE_VERSION=$RELEASE_VERSION\n") -> Int {
        5 + head.split(separator: "\n").count + between.split(separator: "\n").count
    }

    func read(_ run: String = GoMageBuildTests.run, magefile: String = GoMageBuildTests.magefile, extra: [String: String] = [:],
              between: String = "ARG TARGETOS TARGETARCH RELEASE_VERSION\nENV RELEASE_VERSION=$RELEASE_VERSION\n", head: String = "",
              env: String = "") -> (Analysed, GoMageBuild?) {
        let a = Analysed(Self.dockerfile(run, between: between + env, head: head), files: Self.files(magefile, extra: extra))
        return (a, a.graph.goBuildThroughMage(a.at(Self.runLine(head: head, between: between + env))))
    }

    @Test func vikunjaShape() throws {
        let (a, m) = read()
        let made = try #require(m)
        #expect(made == GoMageBuild(targets: "build:clean release:xgo", module: "/go/src/app", otherModules: ["/go/src/app/build"],
                                    target: "build:clean", goCommand: "go clean ./...", location: "magefile.go:46",
                                    commands: ["mage build:clean", "mage release:xgo app ${TARGETOS}/${TARGETARCH}"]))
        // The pre-fetch: both modules, in their folders; the ARG and ENV between set nothing Go reads.
        let pre = try #require(a.moves.prefetch(copy: a.at(4), run: a.at(7)))
        #expect(pre.verdict.isSafe, "\(pre.verdict)")
        #expect(pre.command == "go mod download && (cd build && go mod download)")
        #expect(pre.files.map(\.contextPath) == ["go.mod", "go.sum", "build/go.mod", "build/go.sum"])
        #expect(pre.mage?.target == "build:clean")
        // What the cost model is told: the RUN and each mage command download Go modules
        // (go.sum's two zips); `go install tool@version` above downloads none of the project's.
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
        let builds = DependencyDownloads.scriptedBuilds(a.graph)
        #expect(builds["mage build:clean"] == .go)
        #expect(CostModel.downloads("go install github.com/magefile/mage@v1.17.2").build.isEmpty)
        #expect(CostModel.downloads("go install ./cmd/app").build == [.go])
    }

    /// Two RUNs run mage in the same folder, and the cost model asks for each RUN again: each
    /// magefile is read (and parsed) once per lint of the file.
    @Test func magefilesAreReadOncePerFile() throws {
        let a = Analysed("FROM scratch\n", files: Self.files())
        let files = CountingFiles(root: try #require(a.directory))
        let graph = files.graph("FROM golang:1.25\nWORKDIR /go/src/app\nCOPY . ./\nRUN mage build:clean\nRUN mage build:build\n")
        let one = StepID(stage: 0, index: 2), two = StepID(stage: 0, index: 3)
        #expect(graph.goBuildThroughMage(one)?.goCommand == "go clean ./...")
        #expect(graph.goBuildThroughMage(two)?.goCommand == "go build -ldflags … -o …")
        #expect(DependencyDownloads.count(graph) == [.go: 2])
        #expect(DependencyDownloads.scriptedBuilds(graph)["mage build:build"] == .go)
        #expect(graph.goBuildThroughMage(one)?.target == "build:clean")
        #expect(files.reads["magefile.go"] == 1 && files.reads["build/magefile.go"] == nil, "\(files.reads)")
    }

    /// A `.go` file over 1 MiB in the magefiles' folder is left out without being read: its
    /// size is asked first (the disk's answer is the file's status).
    @Test func aHugeGoFileIsNotRead() throws {
        let huge = "//go:build mage\n\npackage main\n\n" + String(repeating: "// padding\n", count: 100_000)
        let a = Analysed("FROM scratch\n", files: Self.files(extra: ["zz_huge.go": huge, "small.go": "package main\n"]))
        let files = CountingFiles(root: try #require(a.directory))
        #expect(files.size("zz_huge.go") == huge.utf8.count && files.size("small.go") == 13)
        #expect(files.size("build") == nil && files.size("absent.go") == nil)
        let graph = files.graph("FROM golang:1.25\nWORKDIR /go/src/app\nCOPY . ./\nRUN mage build:clean\n")
        #expect(graph.goBuildThroughMage(StepID(stage: 0, index: 2))?.goCommand == "go clean ./...")
        #expect(files.reads["zz_huge.go"] == nil && files.reads["small.go"] == 1 && files.reads["magefile.go"] == 1, "\(files.reads)")
        // Once read, the size is the bytes'.
        #expect(files.disk.read("small.go")?.count == 13 && files.disk.size("small.go") == 13)
    }

    /// The build tag is read from the lines before the package clause, and only those.
    @Test func theMageTagComesBeforeThePackageClause() {
        #expect(GoFile.hasMageTag("// Tasks.\n\n//go:build mage\n\npackage main\n"))
        #expect(GoFile.hasMageTag("// +build mage\n\npackage main\n"))
        #expect(GoFile.hasMageTag("//go:build mage && linux\npackage main"))
        #expect(GoFile.hasMageTag("  //go:build mage"))
        #expect(!GoFile.hasMageTag("//go:build !mage\npackage main\n"))
        #expect(!GoFile.hasMageTag("package main\n\n//go:build mage\n"))
        #expect(!GoFile.hasMageTag("//go:build linux\npackage main\n//go:build mage\n"))
        #expect(!GoFile.hasMageTag(""))
        #expect(!GoFile.hasMageTag("\n\n"))
    }

    @Test func targetsAreReadThroughHelpersAliasesAndDeps() throws {
        // A helper that passes its parameters to exec.CommandContext; an alias; a namespace
        // target case-insensitively; a plain function target reached through mg.Deps.
        #expect(read("RUN mage build:build").1?.goCommand == "go build -ldflags … -o …")
        #expect(read("RUN mage build").1?.target == "build")
        #expect(read("RUN mage BUILD:CLEAN").1?.goCommand == "go clean ./...")
        let withAll = Self.magefile + "\n// All does everything.\nfunc All() {\n\tmg.SerialDeps(Build.Clean, Build.Build)\n}\n"
        #expect(read("RUN mage all", magefile: withAll).1?.goCommand == "go clean ./...")
        // sh.RunV("go", "build", ...) and the magefiles/ folder (no build tag needed there).
        let folder = "package main\n\nimport \"github.com/magefile/mage/sh\"\n\n// Build builds.\nfunc Build() error {\n\treturn sh.RunV(\"go\", \"build\", \"-o\", \"app\", \".\")\n}\n"
        var f = Self.files(extra: ["magefiles/build.go": folder])
        f.removeValue(forKey: "magefile.go")
        let a = Analysed(Self.dockerfile("RUN mage build"), files: f)
        #expect(a.graph.goBuildThroughMage(a.at(7))?.goCommand == "go build -o app .")
        // Options that change nothing: -v, -f, -t.
        #expect(read("RUN mage -v -t 30m build:clean").1 != nil)
    }

    @Test func whatIsNotKnownGivesNothing() {
        // No target that loads the module's packages: a target writing a file, one running
        // another program, a go command in a branch, after an early return, in a closure,
        // in another folder, `go install tool@version`.
        #expect(read("RUN mage dev:makeMigration x").1 == nil)
        #expect(read("RUN cd build && mage release:xgo app linux/amd64").1 == nil)
        let branch = Self.magefile.replacingOccurrences(of: "\tif err := exec.CommandContext(ctx, \"go\", \"clean\", \"./...\").Run(); err != nil {\n\t\treturn err\n\t}",
                                                        with: "\tif os.Getenv(\"CLEAN\") != \"\" {\n\t\t_ = exec.CommandContext(ctx, \"go\", \"clean\", \"./...\").Run()\n\t}")
        #expect(branch != Self.magefile)
        #expect(read("RUN mage build:clean", magefile: branch).1 == nil)
        let early = Self.magefile.replacingOccurrences(of: "\tmg.Deps(initVars)\n\tif err", with: "\tif os.Getenv(\"SKIP\") == \"1\" {\n\t\treturn nil\n\t}\n\tif err")
        #expect(early != Self.magefile)
        #expect(read("RUN mage build:clean", magefile: early).1 == nil)
        let dir = Self.magefile.replacingOccurrences(of: "\tc.Env = os.Environ()", with: "\tc.Dir = \"tools\"")
        #expect(read("RUN mage build:build", magefile: dir).1 == nil)
        let remote = Self.magefile.replacingOccurrences(of: "\"go\", \"clean\", \"./...\"", with: "\"go\", \"install\", \"example.org/tool@v1\"")
        #expect(read("RUN mage build:clean", magefile: remote).1 == nil)
        // Module settings in the magefiles, a change of directory, mage's go command.
        for swap in ["c.Env = append(os.Environ(), \"GOFLAGS=-mod=vendor\")", "c.Env = append(os.Environ(), \"GOPROXY=off\")",
                     "os.Chdir(\"..\")", "c.Env = append(os.Environ(), \"GOMODCACHE=/cache\")",
                     // (GOAUTH was read before the readers shared `Moves.goModuleSettings`.)
                     "c.Env = append(os.Environ(), \"GOAUTH=netrc\")"] {
            #expect(read("RUN mage build:build", magefile: Self.magefile.replacingOccurrences(of: "c.Env = os.Environ()", with: swap)).1 == nil, "\(swap)")
        }
        // mage options that move the magefiles, the targets' folder or the go command, compile only.
        for run in ["RUN mage -d build release:xgo app x", "RUN mage -w /tmp build:clean", "RUN mage -compile /out/mage",
                    "RUN mage -gocmd go1.22 build:clean", "RUN mage"] {
            #expect(read(run).1 == nil, "\(run)")
        }
        // A target not found, wrong arity, `go run mage.go` (zero-install: another program).
        #expect(read("RUN mage build:nothing").1 == nil)
        #expect(read("RUN mage build:clean extra").1 == nil)
        #expect(read("RUN go run mage.go build:clean").1 == nil)
        // The RUN: mage in a pipeline, after `||`, behind a wrapper, after commands that change
        // what it runs with, with a variable assignment, MAGEFILE_GOCMD in the environment.
        for run in ["RUN mage build:clean | tee log", "RUN true || mage build:clean", "RUN sudo mage build:clean",
                    "RUN git config --global url.x.insteadOf y && mage build:clean", "RUN export GOFLAGS=-mod=mod && mage build:clean",
                    "RUN GOFLAGS=-mod=vendor mage build:clean", "RUN cd $DIR && mage build:clean"] {
            #expect(read(run).1 == nil, "\(run)")
        }
        #expect(read("RUN mage build:clean", env: "ENV MAGEFILE_GOCMD=go1.22\n").1 == nil)
        // No magefile in the folder (untagged file), both a magefiles/ folder and a tagged file.
        #expect(read("RUN mage build:clean", magefile: Self.magefile.replacingOccurrences(of: "//go:build mage\n", with: "")).1 == nil)
        #expect(read("RUN mage build:clean", magefile: Self.magefile.replacingOccurrences(of: "//go:build mage", with: "//go:build !mage")).1 == nil)
        #expect(read("RUN mage build:clean", extra: ["magefiles/other.go": "package main\n"]).1 == nil)
    }

    @Test func theExistingBackOffsApply() throws {
        func prefetch(_ run: String = "RUN mage build:clean", extra: [String: String] = [:], between: String = "", head: String = "") -> Prefetch? {
            let a = Analysed(Self.dockerfile(run, between: between, head: head), files: Self.files(extra: extra))
            return a.moves.prefetch(copy: a.at(4 + head.split(separator: "\n").count), run: a.at(Self.runLine(head: head, between: between)))
        }
        #expect(prefetch()?.verdict.isSafe == true)
        #expect(prefetch()?.command == "go mod download")
        // Vendored modules, a workspace, a local replace the COPY does not send.
        #expect(prefetch(extra: ["vendor/modules.txt": "# example.org/x v1\n"])?.verdict.isSafe == false)
        #expect(prefetch(extra: ["go.work": "go 1.25\nuse .\n"])?.verdict.isSafe == false)
        // Go settings between the COPY and the build, another user, a cache mount, a secret.
        for between in ["ENV GOFLAGS=-mod=mod\n", "ENV GOPROXY=direct\n", "ARG GOPRIVATE\n", "USER app\n", "ENV HOME=/home/app\n",
                        "RUN git config --global url.x.insteadOf y\n"] {
            #expect(prefetch(between: between)?.verdict.isSafe == false, "\(between)")
        }
        #expect(prefetch("RUN --mount=type=cache,target=/go/pkg/mod mage build:clean")?.verdict.isSafe == false)
        #expect(prefetch("RUN --mount=type=secret,id=netrc,target=/root/.netrc mage build:clean")?.verdict.isSafe == false)
        // Other ENV and ARG lines are no obstacle (the download reads none of them).
        #expect(prefetch(between: "ARG TARGETOS\nENV APP_VERSION=1\n")?.verdict.isSafe == true)
    }
}
