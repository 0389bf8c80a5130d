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

/// `make <target>` read as a Go build only in its plain form.
@Suite struct GoMakeBuildTests {
    static let dockerfile = "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make app\n"
    func made(_ makefile: String, _ dockerfile: String = GoMakeBuildTests.dockerfile) -> GoMakeBuild? {
        let a = Analysed(dockerfile, files: ["Makefile": makefile, "go.mod": "module x\n", "go.sum": DependencyDownloadsTests.goSum])
        return a.graph.goBuildThroughMake(a.at(4))
    }

    @Test func plainTargetWithGoBuildRecipe() {
        let m = made("APP := app\n\napp:\n\t@ CGO_ENABLED=0 go build -o $(APP)\n\t-go install ./cmd/tool\n\ntest: app\n\tgo test ./...\n")
        #expect(m == GoMakeBuild(target: "app", workdir: "/src", recipe: ["CGO_ENABLED=0 go build -o $(APP)", "go install ./cmd/tool"]))
        // The count of its modules and the command the cost model is told about.
        let a = Analysed(Self.dockerfile, files: ["Makefile": "app:\n\tgo build -o app\n", "go.mod": "module x\n", "go.sum": DependencyDownloadsTests.goSum])
        #expect(DependencyDownloads.count(a.graph) == [.go: 2])
        #expect(DependencyDownloads.scriptedBuilds(a.graph) == ["make app": .go])
    }

    @Test func anythingElseIsNotRead() {
        #expect(made("app: generate\n\tgo build -o app\n") == nil)                  // prerequisites
        #expect(made("app:\n\tgo generate ./... && go build -o app\n") == nil)     // more than a build
        #expect(made("app:\n\t./scripts/build.sh\n") == nil)
        #expect(made("export GOFLAGS := -mod=mod\napp:\n\tgo build -o app\n") == nil)
        #expect(made("include common.mk\napp:\n\tgo build -o app\n") == nil)
        #expect(made("app:\n\tgo build -o app\n", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make -j4 app\n") == nil)
        #expect(made("app:\n\tgo build -o app\n", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN make app && ./app --version\n") == nil)
    }
}
