import DockerlintAnalysis
import DockerlintCache
import Testing

/// The dependency counts that size the download share of one-command builds, read from the
/// project's files through the COPY steps that bring them.
@Suite struct DependencyDownloadsTests {
    static let goSum = """
        github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
        github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=
        golang.org/x/sys v0.20.0 h1:Od9JTbYCk261bKm4M/mw7AklTlFYIa0bIp9BgSm1S8Y=
        golang.org/x/sys v0.20.0/go.mod h1:/VUhepiaJMQUp4+oa/7GMjgu+d56sUiZ1hMA2+SXgQc=
        golang.org/x/sys v0.19.0/go.mod h1:/VUhepiaJMQUp4+oa/7GMjgu+d56sUiZ1hMA2+SXgQc=

        """

    @Test func goCountsModuleZipsOfGoSum() {
        // Two zips (errors, sys v0.20.0); the go.mod-only entry of sys v0.19.0 is no download.
        #expect(DependencyDownloads.goSumModules(Self.goSum) == 2)
        #expect(DependencyDownloads.goModRequires("module x\n\nrequire (\n\ta v1\n\t// c\n\tb v2 // indirect\n)\nrequire c v3\n") == 3)
        let a = Analysed("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
                         files: ["go.mod": "module x\n", "go.sum": Self.goSum, "main.go": "package main\n"])
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
    }

    @Test func goWithoutGoSumCountsRequires() {
        let a = Analysed("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
                         files: ["go.mod": "module x\n\nrequire (\n\ta v1\n\tb v2\n)\n", "main.go": "package main\n"])
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
    }

    @Test func vendoredGoDownloadsNothing() {
        let files = ["go.mod": "module x\n", "go.sum": Self.goSum, "vendor/modules.txt": "# github.com/pkg/errors v0.9.1\n", "main.go": ""]
        #expect(DependencyDownloads.count(Analysed("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n", files: files).graph) == [.go: 0])
        // `-mod=mod` ignores vendor/.
        #expect(DependencyDownloads.count(Analysed("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -mod=mod -o /app .\n", files: files).graph) == [.go: 2])
    }

    @Test func goModuleInASubdirectoryThroughItsCopy() {
        let a = Analysed("FROM golang\nWORKDIR /build\nCOPY backend/ ./\nRUN go build -o /app .\n",
                         files: ["backend/go.mod": "module x\n", "backend/go.sum": Self.goSum, "go.sum": "a v1 h1:x\n"])
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
    }

    @Test func mavenCountsDeclaredDependenciesAndPluginsOfTheReactor() {
        let root = "<project><modules><module>core</module><module>web</module><!-- <module>old</module> --></modules>"
            + "<build><plugins><plugin><artifactId>a</artifactId></plugin></plugins></build></project>"
        // core declares two artifacts, web one of them again and one more: 3 distinct, plus the plugin.
        let core = "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId></dependency>"
            + "<dependency><groupId>g</groupId><artifactId>b</artifactId></dependency></dependencies></project>"
        let web = "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId></dependency>"
            + "<dependency><groupId>g</groupId><artifactId>c</artifactId></dependency></dependencies></project>"
        let a = Analysed("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn -B package\n",
                         files: ["pom.xml": root, "core/pom.xml": core, "web/pom.xml": web, "old/pom.xml": "<dependency><artifactId>z</artifactId></dependency>",
                                "core/src/A.java": ""])
        #expect(DependencyDownloads.count(a.graph) == [.maven: 4])
    }

    @Test func cargoCountsRegistryPackagesOfTheLockFile() {
        let lock = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.11\"\n"
            + "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"ryu\"\nversion = \"1.0.18\"\n"
            + "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        let a = Analysed("FROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n",
                         files: ["Cargo.toml": "[package]\nname = \"app\"\n", "Cargo.lock": lock, "src/main.rs": ""])
        #expect(DependencyDownloads.count(a.graph) == [.cargo: 2])
    }

    @Test func gradleGetsTheFixedEstimate() {
        let a = Analysed("FROM gradle\nWORKDIR /src\nCOPY . .\nRUN gradle build\n", files: ["build.gradle": "plugins { id 'java' }\n"])
        #expect(DependencyDownloads.count(a.graph) == [.gradle: DependencyDownloads.gradleEstimate])
        #expect(DependencyDownloads.count(Analysed("FROM golang\nCOPY . .\nRUN go build .\n").graph).isEmpty)
    }
}

/// `make <goals>` read as a Go build where the Makefile is read exactly.
@Suite struct GoMakeBuildTests {
    static let dockerfile = "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make app\n"
    func made(_ makefile: String, _ dockerfile: String = GoMakeBuildTests.dockerfile) -> GoMakeBuild? {
        let a = Analysed(dockerfile, files: ["Makefile": makefile, "go.mod": "module x\n", "go.sum": DependencyDownloadsTests.goSum])
        return a.graph.goBuildThroughMake(a.at(4))
    }

    @Test func plainTargetWithGoBuildRecipe() {
        let m = made("APP := app\n\napp:\n\t@ CGO_ENABLED=0 go build -o $(APP)\n\t-go install ./cmd/tool\n\ntest: app\n\tgo test ./...\n")
        #expect(m == GoMakeBuild(target: "app", workdir: "/src", recipe: ["CGO_ENABLED=0 go build -o $(APP)", "go install ./cmd/tool"],
                                 assignments: ["CGO_ENABLED": "0"], start: 0))
        // The count of its modules and the command the cost model is told about.
        let a = Analysed(Self.dockerfile, files: ["Makefile": "app:\n\tgo build -o app\n", "go.mod": "module x\n", "go.sum": DependencyDownloadsTests.goSum])
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
        #expect(DependencyDownloads.scriptedBuilds(a.graph) == ["make app": .go])
    }

    /// apache/answer's shape (ANS-2): `make clean build` after tool installs in the same RUN;
    /// `build` needs `generate` (go get/install of the generators, go generate, go mod tidy),
    /// the go command comes through `$(GO_ENV) "$(shell which go)"`, the version from git.
    static let answerMakefile = """
        .PHONY: build clean ui

        VERSION=2.0.2
        BIN=answer
        DIR_SRC=./cmd/answer

        GO_ENV=CGO_ENABLED=0 GO111MODULE=on
        Revision=$(shell git rev-parse --short HEAD 2>/dev/null || echo "")
        GO_FLAGS=-ldflags="-X example.org/cmd.Version=$(VERSION) -X 'example.org/cmd.Revision=$(Revision)' -X 'example.org/cmd.Time=`date +%s`' -extldflags -static"
        GO=$(GO_ENV) "$(shell which go)"

        GOLANGCI_VERSION ?= v2.6.2
        TOOLS_BIN := $(shell mkdir -p build/tools && realpath build/tools)

        GOLANGCI = $(TOOLS_BIN)/golangci-lint-$(GOLANGCI_VERSION)
        $(GOLANGCI):
        \trm -f $(TOOLS_BIN)/golangci-lint*
        \tcurl -sSfL https://example.org/install.sh | sh -s -- -b $(TOOLS_BIN) $(GOLANGCI_VERSION)

        build: generate
        \t@$(GO) build $(GO_FLAGS) -o $(BIN) $(DIR_SRC)

        generate:
        \t@$(GO) get github.com/swaggo/swag/cmd/swag@v1.16.3
        \t@$(GO) install github.com/swaggo/swag/cmd/swag@v1.16.3
        \t@$(GO) generate ./...
        \t@$(GO) mod tidy

        test:
        \t@$(GO) test ./internal/repo/repo_test

        # clean all build result
        clean:
        \t@$(GO) clean ./...
        \t@rm -f $(BIN)

        ui:
        \t@cd ui && pnpm pre-install && pnpm build && cd -

        lint: generate $(GOLANGCI)
        \t@bash ./script/check-asf-header.sh
        \t$(GOLANGCI) run

        """
    static let answerDockerfile = "FROM golang:1.25-alpine AS builder\nENV BUILD_DIR /go/src/example.org/answer\nCOPY . ${BUILD_DIR}\nWORKDIR ${BUILD_DIR}\n"
        + "RUN apk --no-cache add build-base git bash nodejs npm && npm install -g pnpm@9.7.0 \\\n    && make clean build\n"

    func answer(_ makefile: String = GoMakeBuildTests.answerMakefile, run: String? = nil) -> GoMakeBuild? {
        let dockerfile = run.map { "FROM golang:1.25-alpine AS builder\nENV BUILD_DIR /go/src/example.org/answer\nCOPY . ${BUILD_DIR}\nWORKDIR ${BUILD_DIR}\n\($0)\n" }
            ?? Self.answerDockerfile
        let a = Analysed(dockerfile, files: ["Makefile": makefile, "go.mod": "module example.org/answer\n", "go.sum": DependencyDownloadsTests.goSum,
                                             "cmd/answer/main.go": "package main\n", "build/.gitkeep": ""])
        return a.graph.goBuildThroughMake(a.at(5))
    }

    @Test func goalsWithPrerequisitesAndVariables() throws {
        let m = try #require(answer())
        #expect(m.target == "clean build")
        #expect(m.workdir == "/go/src/example.org/answer")
        // clean, then build's prerequisite generate, then build: as make runs them.
        #expect(m.recipe == ["$(GO) clean ./...", "rm -f $(BIN)", "$(GO) get github.com/swaggo/swag/cmd/swag@v1.16.3",
                             "$(GO) install github.com/swaggo/swag/cmd/swag@v1.16.3", "$(GO) generate ./...", "$(GO) mod tidy",
                             "$(GO) build $(GO_FLAGS) -o $(BIN) $(DIR_SRC)"])
        #expect(m.assignments == ["CGO_ENABLED": "0", "GO111MODULE": "on"])
        // The pre-fetch is found, but the RUN installs tools before make: alone it is not offered.
        let a = Analysed(Self.answerDockerfile, files: ["Makefile": Self.answerMakefile, "go.mod": "module example.org/answer\n",
                                                         "go.sum": DependencyDownloadsTests.goSum, "cmd/answer/main.go": "package main\n"])
        let pre = try #require(a.moves.prefetch(copy: a.at(3), run: a.at(5)))
        #expect(!pre.verdict.isSafe)
        #expect(pre.verdict.reason?.contains("apk") == true)
        // With the tool installs lifted above the COPY by a split, it is.
        let split = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(5)))
        #expect(split.toolsOnly && split.verdict.isSafe)
        let after = try #require(a.moves.prefetch(copy: a.at(3), run: a.at(5), lifted: split.splitOffset))
        #expect(after.verdict.isSafe)
        #expect(after.command == "cd /go/src/example.org/answer && go mod download")
        #expect(after.makeTarget == "clean build")
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
    }

    @Test func whatMakeCannotBeReadExactlyIsNotKnown() {
        let base = Self.answerMakefile
        #expect(answer(base) != nil)
        // Includes, conditionals, recursive make, a script, module settings.
        #expect(answer("include common.mk\n" + base) == nil)
        #expect(answer("ifeq ($(OS),Windows_NT)\nBIN=answer.exe\nendif\n" + base) == nil)
        #expect(answer(base.replacingOccurrences(of: "\t@$(GO) mod tidy", with: "\t$(MAKE) -C plugins all")) == nil)
        #expect(answer(base.replacingOccurrences(of: "\t@$(GO) mod tidy", with: "\t./script/gen.sh")) == nil)
        #expect(answer(base.replacingOccurrences(of: "VERSION=2.0.2", with: "VERSION=2.0.2\nexport GOFLAGS=-mod=vendor")) == nil)
        #expect(answer(base.replacingOccurrences(of: "$(GO) build $(GO_FLAGS)", with: "$(GO) build -mod=mod $(GO_FLAGS)")) == nil)
        // A `$(shell ...)` that is no known read-only command, in a value the build uses.
        #expect(answer(base.replacingOccurrences(of: "git rev-parse --short HEAD", with: "./script/revision.sh")) == nil)
        // ... and one make runs while reading (`:=`), even in a value nothing uses.
        #expect(answer("X := $(shell ./script/setup.sh)\n" + base) == nil)
        // A cycle, a missing prerequisite, a goal with no rule.
        #expect(answer(base.replacingOccurrences(of: "generate:\n", with: "generate: build\n")) == nil)
        #expect(answer(base.replacingOccurrences(of: "build: generate", with: "build: generate swagger")) == nil)
        #expect(answer(run: "RUN make clean release") == nil)
        // A second recipe for a target, a target that exists as a file and is not .PHONY.
        #expect(answer(base + "clean:\n\trm -rf dist\n") == nil)
        #expect(answer(base.replacingOccurrences(of: ".PHONY: build clean ui", with: ".PHONY: clean ui")) == nil)
        // `make -C dir`, options, overrides, make after `cd`, make in a pipeline.
        #expect(answer(run: "RUN make -C . clean build") == nil)
        #expect(answer(run: "RUN make BIN=x clean build") == nil)
        #expect(answer(run: "RUN cd /go/src/example.org/answer && make clean build") == nil)
        #expect(answer(run: "RUN make clean build | tee build.log") == nil)
        // Removing the module's files, or the module cache.
        #expect(answer(base.replacingOccurrences(of: "rm -f $(BIN)", with: "rm -f go.sum")) == nil)
        #expect(answer(base.replacingOccurrences(of: "$(GO) clean ./...", with: "$(GO) clean -modcache")) == nil)
        // A target whose rule line comes from a value not known may be any goal.
        #expect(answer(base.replacingOccurrences(of: "$(GOLANGCI):", with: "$(shell cat targets.txt):")) == nil)
        // Nothing that builds: `make clean` alone.
        #expect(answer(run: "RUN make clean") == nil)
        // The default goal: the first target (here `.PHONY` is special, `$(GOLANGCI)` not read).
        #expect(answer("all: build\n" + base, run: "RUN make")?.target == "all")
    }

    @Test func anythingElseIsNotRead() {
        #expect(made("app:\n\t./scripts/build.sh\n") == nil)
        #expect(made("export GOFLAGS := -mod=mod\napp:\n\tgo build -o app\n") == nil)
        #expect(made("include common.mk\napp:\n\tgo build -o app\n") == nil)
        #expect(made("app:\n\tgo build -o app\n", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make -j4 app\n") == nil)
        #expect(made("app:\n\tgo build -o app\n", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make app | tee log\n") == nil)
        #expect(made("app:\n\tgo test ./... && go build -o app\n") == nil)   // go test runs the tests' programs: not read
        #expect(made("app: app\n\tgo build -o app\n") == nil)                 // a cycle
        #expect(made("app:\n\tgo build -o app\nAPP := x\n\tgo build\n") == nil)  // a tab line after an assignment
        // Read now: prerequisites, and more Go commands than the build.
        #expect(made("app: generate\n\tgo build -o app\ngenerate:\n\tgo generate ./...\n")?.recipe == ["go generate ./...", "go build -o app"])
        #expect(made("app:\n\tgo generate ./... && go build -o app\n") != nil)
        #expect(made("app:\n\tgo build -o app\n", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make app && ./app --version\n") != nil)
    }
}

/// `make` whose goals run a target of dependency installs (thomiceli/opengist's shape, OG-1):
/// `all: clean install build`, `install` runs `npm ci` and `go mod download`, each with a
/// failure branch that reports and fails.
@Suite struct MakeInstallTests {
    static let makefile = """
        .PHONY: all install build_frontend build_backend build clean

        BINARY_NAME := opengist
        GIT_TAG := $(shell git describe --tags)
        VERSION_PKG := example.org/opengist/internal/config.OpengistVersion

        all: clean install build

        install:
        \t@echo "Installing NPM dependencies..."
        \t@npm ci || (echo "Error: Failed to install NPM dependencies." && exit 1)
        \t@echo "Installing Go dependencies..."
        \t@go mod download || (echo "Error: Failed to install Go dependencies." && exit 1)

        build_frontend:
        \t@echo "Building frontend assets..."
        \tnpx vite -c public/vite.config.js build

        build_backend:
        \tgo build -tags fs_embed -ldflags "-X $(VERSION_PKG)=$(GIT_TAG)" -o $(BINARY_NAME) .

        build: build_frontend build_backend

        clean:
        \t@echo "Cleaning up build artifacts..."
        \t@rm -f $(BINARY_NAME)
        \t@rm -rf public/assets public/.vite build

        """
    static let dockerfile = "FROM node:22-alpine\nRUN apk add --no-cache make go git\nWORKDIR /opengist\nCOPY . .\nRUN make\n"
    static let files = ["package.json": "{\"name\": \"x\", \"version\": \"1.0.0\", \"devDependencies\": {\"vite\": \"^5.0.0\"}}\n",
                        "package-lock.json": "{\"name\": \"x\", \"lockfileVersion\": 3, \"packages\": {}}\n",
                        "go.mod": "module example.org/opengist\n\ngo 1.22\n", "go.sum": DependencyDownloadsTests.goSum,
                        "opengist.go": "package main\n", "public/vite.config.js": "export default {}\n"]

    func reading(_ makefile: String = MakeInstallTests.makefile, run: String = "RUN make", files extra: [String: String] = [:]) -> MakeInstall? {
        let dockerfile = Self.dockerfile.replacingOccurrences(of: "RUN make\n", with: run + "\n")
        let a = Analysed(dockerfile, files: Self.files.merging(["Makefile": makefile].merging(extra) { $1 }) { $1 })
        return a.graph.installThroughMake(a.at(5))
    }

    @Test func installTargetOfTheDefaultGoal() throws {
        let m = try #require(reading())
        #expect(m == MakeInstall(command: "make", workdir: "/opengist", installTargets: ["install"], installs: ["npm ci", "go mod download"],
                                 before: ["clean"], rest: ["clean", "build"], verdict: .safe, start: 0))
        #expect(m.installText == "npm ci && go mod download")
        #expect(m.restCommand == "make clean build")
        // Named goals, and the install alone (nothing stays below).
        #expect(reading(run: "RUN make all")?.restCommand == "make clean build")
        #expect(reading(run: "RUN make install")?.rest == [])
        #expect(reading(run: "RUN make install")?.restCommand == nil)
        // Other managers' installs from manifests: pip, composer, bundle, yarn, pnpm.
        let others = "all: deps build\ndeps:\n\tpip install -r requirements.txt\n\tcomposer install --no-dev\n\tbundle install\n"
            + "\tyarn install --frozen-lockfile && pnpm install --frozen-lockfile\nbuild:\n\t./build.sh\n"
        let o = try #require(reading(others))
        #expect(o.installs == ["pip install -r requirements.txt", "composer install --no-dev", "bundle install",
                               "yarn install --frozen-lockfile", "pnpm install --frozen-lockfile"])
        #expect(o.verdict == .safe && o.rest == ["build"] && o.before == [])
        // The same commands written in the RUN are what the analysis judges: a split of
        // `RUN npm ci && go mod download && make clean build` copies the four manifests first.
        let direct = Self.dockerfile.replacingOccurrences(of: "RUN make\n", with: "RUN \(m.installText) && \(m.restCommand!)\n")
        let a = Analysed(direct, files: Self.files.merging(["Makefile": Self.makefile]) { $1 })
        let split = try #require(a.moves.runSplit(copy: a.at(4), run: a.at(5)))
        #expect(split.verdict.isSafe)
        #expect(split.installText == "npm ci && go mod download" && split.restText == "make clean build")
        #expect(Set(split.files.map(\.contextPath)) == ["package.json", "package-lock.json", "go.mod", "go.sum"])
    }

    /// `clean` before `install`: what it removes decides. The moved install runs before it,
    /// so a clean that removes node_modules or the module cache deletes its output.
    @Test func cleanThatRemovesTheInstallsOutputIsUnsafe() {
        let rmModules = reading(Self.makefile.replacingOccurrences(of: "public/.vite build", with: "public/.vite build node_modules"))
        #expect(rmModules?.verdict == .unsafe("`clean`, which make runs before the install, removes node_modules, which the install writes or reads"))
        let rmNested = reading(Self.makefile.replacingOccurrences(of: "public/.vite build", with: "./web/node_modules"))
        #expect(rmNested?.verdict.isSafe == false)
        let modcache = reading(Self.makefile.replacingOccurrences(of: "\t@rm -f $(BINARY_NAME)", with: "\tgo clean -modcache"))
        #expect(modcache?.verdict == .unsafe("`clean`, which make runs before the install, removes Go's module cache (`go clean -modcache`), which `go mod download` fills"))
        let lock = reading(Self.makefile.replacingOccurrences(of: "public/.vite build", with: "package-lock.json"))
        #expect(lock?.verdict.isSafe == false)
        let glob = reading(Self.makefile.replacingOccurrences(of: "public/.vite build", with: "*"))
        #expect(glob?.verdict.isSafe == false)
        // A clean that runs a program the reading does not know: not known.
        let script = reading(Self.makefile.replacingOccurrences(of: "\t@rm -f $(BINARY_NAME)", with: "\t./scripts/clean.sh"))
        #expect(script?.verdict == .unknown("`clean`, which make runs before the install, runs `./scripts/clean.sh`, which is not read"))
        // Clean after the install: whatever it removes, the order against the install is kept.
        let after = reading(Self.makefile.replacingOccurrences(of: "all: clean install build", with: "all: install clean build")
            .replacingOccurrences(of: "public/.vite build", with: "node_modules"))
        #expect(after?.verdict == .safe && after?.before == [] && after?.rest == ["clean", "build"])
    }

    @Test func installsMakeChangesAreNotKnown() {
        let base = Self.makefile
        // Environment the recipe or the Makefile gives the install.
        #expect(reading(base.replacingOccurrences(of: "@npm ci ||", with: "@NODE_ENV=production npm ci ||"))?.verdict.isSafe == false)
        #expect(reading("export NODE_ENV = production\n" + base)?.verdict
                == .unknown("the Makefile exports NODE_ENV to the install's environment, which the install run apart would not have"))
        // An install whose failure is ignored, redirected, or in a pipe.
        #expect(reading(base.replacingOccurrences(of: "(echo \"Error: Failed to install NPM dependencies.\" && exit 1)", with: "true"))?.verdict.isSafe == false)
        #expect(reading(base.replacingOccurrences(of: "@npm ci ||", with: "@npm ci > npm.log ||"))?.verdict.isSafe == false)
        // Other commands in the install target.
        #expect(reading(base.replacingOccurrences(of: "\t@echo \"Installing Go dependencies...\"", with: "\tnpx patch-package"))?.verdict
                == .unknown("the install target `install` runs `npx patch-package` besides its installs"))
        // The install needs another target; a goal with a recipe of its own needs the install;
        // a remaining target needs it (make would run it again).
        #expect(reading(base.replacingOccurrences(of: "install:\n", with: "install: clean\n"))?.verdict.isSafe == false)
        #expect(reading(base.replacingOccurrences(of: "all: clean install build\n", with: "all: clean install build\n\t./scripts/post.sh\n"))?.verdict.isSafe == false)
        #expect(reading(base.replacingOccurrences(of: "build_frontend:\n", with: "build_frontend: install\n"))?.verdict
                == .unknown("`build_frontend` needs the install and has a recipe of its own: make cannot run it without the install"))
        // (A goal with no recipe that needs it stands for its other prerequisites.)
        #expect(reading(base.replacingOccurrences(of: "build: build_frontend build_backend", with: "build: install build_frontend build_backend"))?
                .rest == ["clean", "build_frontend", "build_backend"])
        // A target between two install targets.
        #expect(reading(base.replacingOccurrences(of: "all: clean install build", with: "all: install clean deps build") + "deps:\n\tpip install -r requirements.txt\n")?
                .verdict == .unknown("make runs `clean` between the install targets, which would run after them all"))
        // What make cannot read exactly: no reading at all.
        #expect(reading("ifeq ($(CI),true)\nNPM=npm ci\nendif\n" + base) == nil)
        #expect(reading("include common.mk\n" + base) == nil)
        #expect(reading(base.replacingOccurrences(of: "git describe --tags", with: "./scripts/version.sh")) == nil)
        #expect(reading(base.replacingOccurrences(of: "@npm ci ||", with: "@$(NPM) ci ||")
                        .replacingOccurrences(of: "go mod download ||", with: "$(shell cat tool.txt) mod download ||")) == nil)
        #expect(reading(run: "RUN make -j2") == nil)
        #expect(reading(run: "RUN cd /opengist && make") == nil)
        // No install among the goals.
        #expect(reading(run: "RUN make clean build") == nil)
        // `npm install <package>` installs a named package, not the manifests: not an install target.
        #expect(reading(base.replacingOccurrences(of: "@npm ci ||", with: "@npm install left-pad ||")
                        .replacingOccurrences(of: "\t@go mod download || (echo \"Error: Failed to install Go dependencies.\" && exit 1)\n", with: "")) == nil)
    }
}
