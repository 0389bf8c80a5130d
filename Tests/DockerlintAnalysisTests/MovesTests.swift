import DockerlintAnalysis
import DockerlintModel
import Testing

/// Which reorders keep the image, on the failure classes seen in real projects.
@Suite struct MovesTests {
    @Test func unrelatedCopyMovesBelowSystemInstall() {
        let a = Analysed("FROM debian\nWORKDIR /app\nCOPY src/ ./src/\nRUN apt-get update && apt-get install -y curl\n",
                         files: ["src/main.py": "print(1)\n"])
        #expect(a.moves.moveBelow(a.at(3), a.at(4)) == .safe)
    }

    @Test func aCopyOverridingAFileOfACopiedTreeKeepsItsPlace() {
        // snipe-it: `COPY docker/docker.env /var/www/html/.env` overrides the tree's `.env` on
        // purpose. The checkout has none, but a working copy may (git ignores it, the
        // .dockerignore does not): swapped, that `.env` would ship instead.
        let text = "FROM debian\nCOPY . /var/www/html\nCOPY docker/docker.env /var/www/html/.env\n"
        let a = Analysed(text, files: ["index.php": "<?php\n", "docker/docker.env": "A=1\n"])
        let v = a.moves.moveBelow(a.at(2), a.at(3))
        #expect(!v.isSafe)
        #expect(v.reason?.contains("/var/www/html/.env") == true, "\(String(describing: v.reason))")
        // Excluded by the .dockerignore: the tree can never hold it.
        let b = Analysed(text, files: ["index.php": "<?php\n", "docker/docker.env": "A=1\n", ".dockerignore": ".env\n"])
        #expect(b.moves.moveBelow(b.at(2), b.at(3)) == .safe)
    }

    @Test func aRunWritingAFileOfACopiedTreeKeepsItsPlace() {
        // Tautulli: the RUN writes version files from build args into the copied folder; a
        // working copy holds its own (gitignored, not dockerignored) that would win if the
        // COPY moved below the RUN.
        let text = "FROM alpine\nARG COMMIT\nCOPY . /app\nRUN echo $COMMIT > /app/version.txt\n"
        let a = Analysed(text, files: ["Tautulli.py": "print(1)\n"], buildArgs: ["COMMIT": "abc"])
        let v = a.moves.moveBelow(a.at(3), a.at(4))
        #expect(!v.isSafe)
        #expect(v.reason?.contains("/app/version.txt") == true, "\(String(describing: v.reason))")
        let b = Analysed(text, files: ["Tautulli.py": "print(1)\n", ".dockerignore": "version.txt\n"], buildArgs: ["COMMIT": "abc"])
        #expect(b.moves.moveBelow(b.at(3), b.at(4)) == .safe)
    }

    @Test func copyDoesNotMoveBelowAStepReadingItThroughAVariable() {
        // DC1002 on a real project: `RUN chmod +x $APP_HOME/run.sh` reads the copied run.sh.
        let a = Analysed("FROM alpine\nENV APP_HOME=/opt/app\nWORKDIR $APP_HOME\nCOPY run.sh ./\nRUN chmod +x $APP_HOME/run.sh\n",
                         files: ["run.sh": "#!/bin/sh\n"])
        let v = a.moves.moveBelow(a.at(4), a.at(5))
        #expect(!v.isSafe)
        #expect(v.reason?.contains("/opt/app/run.sh") == true)
    }

    @Test func aValueFromAnUnsetBuildArgumentIsNotKnown() {
        // `ARG APP_DIR` has no default: `$APP_HOME` is /srv only when the build passes no
        // `--build-arg APP_DIR`; with `APP_DIR=/opt/app` the RUN reads the copied run.sh.
        let text = "FROM alpine\nARG APP_DIR\nENV APP_HOME=${APP_DIR:-/srv}\nWORKDIR /opt/app\nCOPY run.sh ./\nRUN chmod +x $APP_HOME/run.sh\n"
        let a = Analysed(text, files: ["run.sh": "#!/bin/sh\n"])
        #expect(!a.moves.moveBelow(a.at(5), a.at(6)).isSafe)
        // A value the build is given, or a default the file writes, is known.
        let b = Analysed(text, files: ["run.sh": "#!/bin/sh\n"], buildArgs: ["APP_DIR": "/srv"])
        #expect(b.moves.moveBelow(b.at(5), b.at(6)) == .safe)
        // A COPY into such a folder writes where the build says.
        let c = Analysed("FROM alpine\nARG APP_DIR\nENV APP_HOME=${APP_DIR:-/srv}\nCOPY run.sh $APP_HOME/\nRUN chmod +x /opt/app/run.sh\n",
                         files: ["run.sh": "#!/bin/sh\n"])
        #expect(!c.moves.moveBelow(c.at(4), c.at(5)).isSafe)
    }

    @Test func aWorkdirAndACopyMakingItsFolderDoNotCommuteUnderANonRootUser() {
        // BuildKit (v0.8, v0.13) and buildah make a WORKDIR's missing folders owned by the
        // USER; a COPY without --chown makes them owned by root (docs/CACHE-SEMANTICS.md §3):
        // the one that runs first decides the folder's owner.
        let files = ["src/a.txt": "", "x": ""]
        let a = Analysed("FROM alpine\nUSER app\nCOPY src/ /srv/app/\nWORKDIR /srv/app\n", files: files)
        #expect(a.moves.moveAbove(a.at(4), a.at(3)).reason?.contains("owner") == true)
        let u = Analysed("FROM alpine\nUSER 1000:1000\nWORKDIR /srv/app\nCOPY src/ /srv/app/\nRUN true\n", files: files)
        #expect(!u.moves.moveBelow(u.at(3), u.at(4)).isSafe)
        // As root both make it owned by root.
        let b = Analysed("FROM alpine\nCOPY src/ /srv/app/\nWORKDIR /srv/app\n", files: files)
        #expect(b.moves.moveAbove(b.at(3), b.at(2)) == .safe)
        let r = Analysed("FROM alpine\nUSER root:root\nCOPY src/ /srv/app/\nWORKDIR /srv/app\n", files: files)
        #expect(r.moves.moveAbove(r.at(4), r.at(3)) == .safe)
        // A folder an earlier step made keeps its owner whichever comes first.
        let c = Analysed("FROM alpine\nCOPY x /srv/app/x\nUSER app\nCOPY src/ /srv/app/\nWORKDIR /srv/app\n", files: files)
        #expect(c.moves.moveAbove(c.at(5), c.at(4)) == .safe)
    }

    @Test func argDoesNotMoveBelowAStepThatMayReadTheEnvironment() {
        // DC1003 on a real project: the Makefile has `VERSION ?= dev`.
        let a = Analysed("FROM golang\nARG VERSION\nCOPY . .\nRUN make release-binary\n",
                         files: ["Makefile": "VERSION ?= dev\n", "main.go": ""])
        let v = a.moves.moveBelow(a.at(2), a.at(4))
        #expect(!v.isSafe)
        #expect(v.reason?.contains("VERSION") == true)
        // A system install does not read it.
        let b = Analysed("FROM debian\nARG VERSION\nRUN apt-get update && apt-get install -y curl\nRUN echo $VERSION > /v\n")
        #expect(b.moves.moveBelow(b.at(2), b.at(3)) == .safe)
        #expect(!b.moves.moveBelow(b.at(2), b.at(4)).isSafe)
    }

    @Test func patchesStayAboveAnInstallWhosePostinstallRunsPatchPackage() {
        let files = ["package.json": #"{"name":"x","scripts":{"postinstall":"yarn patch-package"}}"#, "yarn.lock": "",
                     "patches/left-pad+1.0.0.patch": "diff\n"]
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY ./patches ./patches\nRUN yarn install --frozen-lockfile\n",
                         files: files)
        let v = a.moves.moveBelow(a.at(4), a.at(5))
        #expect(!v.isSafe)
        #expect(a.step(5).installs.first?.files.contains("/app/patches") == true)
        #expect(a.step(5).installs.first?.complete == true)
    }

    @Test func manifestSplitOfANpmProjectWithoutScripts() {
        let files = ["package.json": #"{"name":"x","dependencies":{"a":"1"}}"#, "package-lock.json": "{}", "src/index.js": "",
                     ".dockerignore": "node_modules\n"]
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\",\"src/index.js\"]\n", files: files)
        let split = a.moves.manifestSplit(copy: a.at(3), install: a.at(4))
        #expect(split?.verdict == .safe)
        #expect(split?.files.map(\.contextPath) == ["package.json", "package-lock.json"])
    }

    @Test func manifestSplitIsUnsafeWhenTheContextSendsNodeModules() {
        let files = ["package.json": #"{"name":"x"}"#, "package-lock.json": "{}", "node_modules/a/index.js": ""]
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", files: files)
        let split = a.moves.manifestSplit(copy: a.at(3), install: a.at(4))
        #expect(split.map { !$0.verdict.isSafe } == true)
        #expect(split?.verdict.reason?.contains("node_modules") == true)
    }

    @Test func postinstallScriptInAFolderMakesTheSplitUnsafe() {
        let files = ["package.json": #"{"scripts":{"postinstall":"node tools/postinstall.js"}}"#, "package-lock.json": "{}",
                     "tools/postinstall.js": "require('fs')\n", ".dockerignore": "node_modules\n"]
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY tools ./tools\nRUN npm ci\n", files: files)
        #expect(!a.moves.moveBelow(a.at(3), a.at(4)).isSafe)
        let b = Analysed("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n", files: files)
        let split = b.moves.manifestSplit(copy: b.at(3), install: b.at(4))
        #expect(split.map { !$0.verdict.isSafe } == true)
    }

    @Test func yarnBerryWorkspaceSplitCopiesEverythingYarnReads() {
        let files = [
            "package.json": #"{"name":"root","private":true,"workspaces":["packages/*"],"packageManager":"yarn@4.1.0"}"#,
            "yarn.lock": "", ".yarnrc.yml": "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.1.0.cjs\n",
            ".yarn/releases/yarn-4.1.0.cjs": "", ".yarn/plugins/plugin.cjs": "", ".yarn/patches/a.patch": "",
            "packages/web/package.json": #"{"name":"web"}"#, "packages/web/src/a.ts": "",
            "packages/api/package.json": #"{"name":"api","dependencies":{"b":"patch:b@npm%3A1.0.0#~/.yarn/patches/a.patch"}}"#,
            ".dockerignore": "node_modules\n**/node_modules\n",
        ]
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\nRUN yarn build\n", files: files)
        let split = a.moves.manifestSplit(copy: a.at(3), install: a.at(4))
        let copied = Set(split?.files.map(\.contextPath) ?? [])
        #expect(split?.verdict == .safe)
        for f in ["package.json", "yarn.lock", ".yarnrc.yml", ".yarn/releases", ".yarn/plugins",
                  ".yarn/patches", "packages/web/package.json", "packages/api/package.json"] {
            #expect(copied.contains(f), "missing \(f)")
        }
        #expect(!copied.contains("packages/web/src/a.ts"))
    }

    @Test func rubyVersionFileReadByTheGemfile() {
        let files = ["Gemfile": "source \"https://rubygems.org\"\nruby file: \".ruby-version\"\ngem \"rails\"\n", "Gemfile.lock": "",
                     ".ruby-version": "3.3.0\n"]
        let a = Analysed("FROM ruby\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nCOPY .ruby-version ./\nRUN bundle install\n", files: files)
        #expect(!a.moves.moveBelow(a.at(4), a.at(5)).isSafe)
        let b = Analysed("FROM ruby\nWORKDIR /app\nCOPY . .\nRUN bundle install\n", files: files)
        let split = b.moves.manifestSplit(copy: b.at(3), install: b.at(4))
        #expect(split?.files.map(\.contextPath).contains(".ruby-version") == true)
        #expect(split?.verdict == .safe)
    }

    @Test func goReplaceWithALocalModule() {
        let files = ["go.mod": "module x\n\nreplace example.com/lib => ./lib\n", "go.sum": "", "lib/go.mod": "module example.com/lib\n",
                     "main.go": ""]
        let a = Analysed("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go mod download\n", files: files)
        let split = a.moves.manifestSplit(copy: a.at(3), install: a.at(4))
        #expect(split?.files.map(\.contextPath) == ["go.mod", "go.sum", "lib/go.mod"])
        #expect(split?.verdict == .safe)
    }

    @Test func pipIncludesAndEditableInstalls() {
        let files = ["requirements.txt": "-r requirements/base.txt\nflask==3.0.3\n", "requirements/base.txt": "-c constraints.txt\nrequests\n",
                     "requirements/constraints.txt": "", "app.py": ""]
        let a = Analysed("FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n", files: files)
        let split = a.moves.manifestSplit(copy: a.at(3), install: a.at(4))
        #expect(split?.files.map(\.contextPath) == ["requirements.txt", "requirements/base.txt", "requirements/constraints.txt"])
        #expect(split?.verdict == .safe)
        let b = Analysed("FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
                         files: ["requirements.txt": "-e .\n", "setup.py": ""])
        #expect(b.moves.manifestSplit(copy: b.at(3), install: b.at(4)).map { !$0.verdict.isSafe } == true)
    }

    @Test func withoutAContextJavaScriptInstallsAreUnknown() {
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n")
        let split = a.moves.manifestSplit(copy: a.at(3), install: a.at(4))
        #expect(split.map { !$0.verdict.isSafe } == true)
    }
}

/// `go mod download` above the source COPY: offered only when it fetches what the build
/// downloads and cannot fail where the build succeeds.
@Suite struct PrefetchTests {
    static let module = ["go.mod": "module x\n\ngo 1.23\n", "go.sum": "", "main.go": "package main\n"]

    func prefetch(_ dockerfile: String, _ files: [String: String] = PrefetchTests.module, copy: Int = 3, run: Int = 4) -> Prefetch? {
        let a = Analysed(dockerfile, files: files)
        return a.moves.prefetch(copy: a.at(copy), run: a.at(run))
    }

    @Test func plainBuildInTheCopysDirectory() {
        let p = prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n")
        #expect(p?.verdict == .safe)
        #expect(p?.command == "go mod download")
        #expect(p?.files.map(\.contextPath) == ["go.mod", "go.sum"])
    }

    @Test func buildInAnotherDirectoryIsReachedWithCd() {
        let p = prefetch("FROM golang\nCOPY . /go/src/app\nWORKDIR /go/src/app\nRUN go build -o /app .\n", copy: 2)
        #expect(p?.verdict == .safe)
        #expect(p?.command == "cd /go/src/app && go mod download")
    }

    @Test func stepsBetweenTheCopyAndTheBuild() {
        // An ENV the download would not see (GOPROXY, GOPRIVATE, ...), a USER, a RUN.
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nENV GOPRIVATE=example.com\nRUN go build -o /app .\n", run: 5)?.verdict.isSafe == false)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nUSER nobody\nRUN go build -o /app .\n", run: 5)?.verdict.isSafe == false)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN apk add git\nRUN go build -o /app .\n", run: 5)?.verdict.isSafe == false)
    }

    @Test func nothingToDownload() {
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -mod=vendor -o /app .\n")?.verdict.isSafe == false)
        #expect(prefetch("FROM golang\nENV GOPROXY=off\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n", copy: 4, run: 5)?.verdict.isSafe == false)
        var vendored = Self.module
        vendored["vendor/modules.txt"] = "# example.com/m v1.0.0\n"
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n", vendored)?.verdict.isSafe == false)
        // -mod=mod downloads despite vendor/.
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -mod=mod -o /app .\n", vendored)?.verdict == .safe)
    }

    @Test func versionFromGitBeforeTheBuild() {
        // gitleaks: a version read from git before the build sets a name Go does not read.
        let gitleaks = prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN VERSION=$(git describe --tags --abbrev=0) && \\\n"
            + "CGO_ENABLED=0 go build -o bin/app -ldflags \"-X=example.com/x/version.Version=${VERSION}\"\n")
        #expect(gitleaks?.verdict == .safe)
        #expect(gitleaks?.command == "go mod download")
        // Exported, several names, quoted substitutions, static values, the read-only commands make's $(shell) allows.
        let exported = prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN export COMMIT=\"$(git rev-parse --short HEAD)\" "
            + "DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) CHANNEL=stable; RELEASE=$(cat VERSION) "
            + "&& go build -ldflags \"-X main.commit=$COMMIT -X main.release=$RELEASE\" -o /app .\n")
        #expect(exported?.verdict == .safe)
    }

    @Test func commandsBeforeTheBuildThatStillBackOff() {
        func why(_ run: String) -> String? {
            guard case .unknown(let reason)? = prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN \(run)\n")?.verdict else { return nil }
            return reason
        }
        // Names the go command reads: the download step above would not have them.
        #expect(why("GOFLAGS=-mod=mod && go build -o /app .")?.contains("sets GOFLAGS") == true)
        #expect(why("export GOPROXY=https://proxy.example VERSION=1 && go build -o /app .")?.contains("sets GOPROXY") == true)
        #expect(why("HOME=/tmp && go build -o /app .")?.contains("sets HOME") == true)
        // A substitution running a command not known to be read-only, or changing directory.
        #expect(why("VERSION=$(./scripts/version.sh) && go build -o /app .")?.contains("version.sh") == true)
        #expect(why("VERSION=$(git fetch --tags && git describe) && go build -o /app .")?.contains("`git`") == true)
        // (A `cd` inside the substitution is taken as a change of the build's directory, whose go.mod the COPY does not bring: no pre-fetch at all.)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN VERSION=$(cd /elsewhere && git describe) && go build -o /app .\n")?.verdict.isSafe != true)
        // A value from a parameter expansion or an array: not read.
        #expect(why("VERSION=${TAG:=dev} && go build -o /app .") != nil)
        #expect(why("FLAGS=(-trimpath) && go build -o /app .") != nil)
        // Before make: an assigned or exported name may be one of the Makefile's variables, so make is not read at all.
        var made = Self.module
        made["Makefile"] = "app:\n\tgo build -o app\n"
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN make app\n", made)?.verdict == .safe)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN export VERSION=$(git describe) && make app\n", made) == nil)
        // `cd` elsewhere before the build: the COPY did not bring that directory's module.
        let elsewhere = prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN VERSION=$(git describe) && cd /elsewhere && go build -o /app .\n")
        #expect(elsewhere?.verdict.isSafe != true)
    }

    @Test func workspaceAndPrivateModules() {
        var work = Self.module
        work["go.work"] = "go 1.23\n\nuse .\n"
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n", work)?.verdict.isSafe == false)
        // GOWORK=off for the whole stage reaches the download step too; on the build's command line it would not.
        #expect(prefetch("FROM golang\nENV GOWORK=off\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n", work, copy: 4, run: 5)?.verdict == .safe)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN GOWORK=off go build -o /app .\n", work)?.verdict.isSafe == false)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN GOPROXY=https://goproxy.example go build -o /app .\n")?.verdict.isSafe == false)
        // Every module setting Go documents (as `Moves.goModuleSettings`); GOENV and GOAUTH were
        // missing before the readers shared one list. GONOSUMCHECK is no Go setting.
        for name in ["GOFLAGS", "GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOVCS", "GOAUTH", "GOWORK",
                     "GOMODCACHE", "GOPATH", "GOENV", "GOTOOLCHAIN", "HOME", "GIT_SSH_COMMAND"] {
            #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN \(name)=x go build -o /app .\n")?.verdict
                    == .unknown("the build sets \(name) on its command line, which the download step would not have"), "\(name)")
        }
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN GONOSUMCHECK=x go build -o /app .\n")?.verdict == .safe)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN --mount=type=ssh go build -o /app .\n")?.verdict.isSafe == false)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n")?.verdict.isSafe == false)
        #expect(prefetch("FROM golang\nWORKDIR /src\nCOPY . .\nRUN echo \"machine example.com\" > ~/.netrc && go build -o /app .\n")?.verdict.isSafe == false)
    }
}

/// Issue 20: the pre-fetch of the one-command builds of Maven, Gradle and Cargo: offered only
/// for a Maven project whose go-offline cannot fail where the build succeeds; for the others
/// (and Maven reactors whose modules depend on each other) the reason it is not.
@Suite struct BuildPrefetchTests {
    static func pom(_ artifact: String, modules: [String] = [], deps: [String] = [], parent: Bool = false) -> String {
        "<project>\n" + (parent ? "<parent><groupId>g</groupId><artifactId>root</artifactId><version>1-SNAPSHOT</version></parent>\n" : "<groupId>g</groupId>\n")
            + "<artifactId>\(artifact)</artifactId><version>1-SNAPSHOT</version>\n"
            + (modules.isEmpty ? "" : "<modules>" + modules.map { "<module>\($0)</module>" }.joined() + "</modules>\n")
            + "<dependencies>" + deps.map { "<dependency><groupId>g</groupId><artifactId>\($0)</artifactId></dependency>" }.joined() + "</dependencies>\n</project>\n"
    }

    func prefetch(_ dockerfile: String, _ files: [String: String], copy: Int = 3, run: Int = 4) -> Prefetch? {
        let a = Analysed(dockerfile, files: files)
        return a.moves.buildPrefetch(copy: a.at(copy), run: a.at(run))
    }

    @Test func singleModuleMavenGetsGoOffline() {
        let p = prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn -B package -DskipTests\n", ["pom.xml": Self.pom("app", deps: ["lib"]), "src/A.java": ""])
        #expect(p?.verdict == .safe)
        #expect(p?.command == "mvn dependency:go-offline")
        #expect(p?.files.map(\.contextPath) == ["pom.xml"])
        #expect(p?.ecosystem == .maven && p?.dependencyCache == "/root/.m2")
    }

    @Test func theMavenWrapperIsCopiedFirst() {
        let p = prefetch("FROM eclipse-temurin:21\nWORKDIR /src\nCOPY . .\nRUN ./mvnw -B package\n",
                         ["pom.xml": Self.pom("app"), "mvnw": "#!/bin/sh\n", ".mvn/wrapper/maven-wrapper.properties": "", "src/A.java": ""])
        #expect(p?.verdict == .safe)
        #expect(p?.command == "./mvnw dependency:go-offline")
        #expect(Set(p?.files.map(\.contextPath) ?? []) == ["pom.xml", ".mvn", "mvnw"], "\(String(describing: p?.files))")
    }

    @Test func buildsThatDownloadNothingGetNoFinding() {
        let pom = ["pom.xml": Self.pom("app")]
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn -o package\n", pom) == nil)
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/root/.m2 mvn package\n", pom) == nil)
        let crate = ["Cargo.toml": "[package]\nname = \"a\"\n", "Cargo.lock": ""]
        #expect(prefetch("FROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build --frozen\n", crate) == nil)
        var vendored = crate
        vendored[".cargo/config.toml"] = "[source.crates-io]\nreplace-with = \"vendored-sources\"\n"
        #expect(prefetch("FROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n", vendored) == nil)
        #expect(prefetch("FROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n", crate) != nil)
    }

    @Test func platformProfilesGetNone() {
        let pom = "<project><artifactId>app</artifactId><profiles><profile><id>arm</id><activation><os><arch>aarch64</arch></os></activation>"
            + "</profile></profiles></project>"
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn package\n", ["pom.xml": pom])?.verdict.isSafe == false)
    }

    @Test func reactorWhoseModulesDependOnEachOtherGetsNone() {
        let files = ["pom.xml": Self.pom("root", modules: ["common", "server"]), "common/pom.xml": Self.pom("common", parent: true),
                     "server/pom.xml": Self.pom("server", deps: ["common"], parent: true)]
        let p = prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn package\n", files)
        #expect(p?.verdict.reason?.contains("depend on each other") == true, "\(String(describing: p?.verdict))")
        #expect(Set(p?.files.map(\.contextPath) ?? []) == ["pom.xml", "common/pom.xml", "server/pom.xml"])
        // Independent modules: go-offline is fine.
        var independent = files
        independent["server/pom.xml"] = Self.pom("server", deps: ["guava"], parent: true)
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn package\n", independent)?.verdict == .safe)
    }

    @Test func mavenOptionsPluginsAndOfflineBuildsGetNone() {
        let files = ["pom.xml": Self.pom("app")]
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn -Pnative package\n", files)?.verdict.isSafe == false)
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn -s settings.xml package\n", files)?.verdict.isSafe == false)
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn package spring-boot:repackage\n", files)?.verdict.isSafe == false)
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN ./fetch-secrets.sh && mvn package\n", files)?.verdict.isSafe == false)
        let frontend = ["pom.xml": "<project><artifactId>app</artifactId><build><plugins><plugin><groupId>com.github.eirslett</groupId>"
            + "<artifactId>frontend-maven-plugin</artifactId></plugin></plugins></build></project>"]
        #expect(prefetch("FROM maven\nWORKDIR /src\nCOPY . .\nRUN mvn package\n", frontend)?.verdict.isSafe == false)
    }

    @Test func goalsFromAVariableAreRead() {
        let a = Analysed("FROM maven\nWORKDIR /src\nARG MVN_ARGS='clean install -DskipTests'\nCOPY . .\nRUN mvn $MVN_ARGS\n", files: ["pom.xml": Self.pom("app")])
        let ins = a.graph.step(a.at(5)).installs.first
        #expect(ins?.command.action == .build)
        #expect(ins?.command.operands.compactMap(\.staticValue) == ["clean", "install"])
        #expect(a.moves.buildPrefetch(copy: a.at(4), run: a.at(5))?.verdict == .safe)
    }

    @Test func gradleAndCargoAreNeverOffered() {
        let g = prefetch("FROM gradle\nWORKDIR /src\nCOPY . .\nRUN gradle build\n",
                         ["settings.gradle": "include 'lib'\n", "build.gradle": "", "lib/build.gradle": "", "lib/src/L.java": ""])
        #expect(g?.verdict.reason?.contains("runs the build scripts") == true)
        #expect(g?.files.map(\.contextPath).contains("lib/build.gradle") == true, "\(String(describing: g?.files))")
        let c = prefetch("FROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n",
                         ["Cargo.toml": "[workspace]\nmembers = [\"app\"]\n", "Cargo.lock": "", "app/Cargo.toml": "[package]\nname = \"app\"\n"])
        #expect(c?.verdict.reason?.contains("needs every package's targets") == true)
        #expect(c?.files.map(\.contextPath) == ["Cargo.toml", "Cargo.lock", "app/Cargo.toml"])
        // The official rust image keeps CARGO_HOME in /usr/local/cargo; other bases do not say.
        #expect(c?.dependencyCache == "/usr/local/cargo/registry")
        let other = prefetch("FROM debian\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n", ["Cargo.toml": "[package]\nname = \"a\"\n", "Cargo.lock": ""])
        #expect(other != nil && other?.dependencyCache == nil)
        // The gradle image's /root/.gradle is a symlink to a VOLUME: no folder is certain.
        #expect(g?.dependencyCache == nil)
        let plain = prefetch("FROM eclipse-temurin:21\nWORKDIR /src\nCOPY . .\nRUN ./gradlew build\n", ["build.gradle": "", "gradlew": ""])
        #expect(plain?.dependencyCache == "/root/.gradle")
    }

    @Test func stageExportsOfTheLocalRepository() {
        let m = DockerfileModel.parse("FROM maven AS build\nRUN mvn package\nFROM maven AS dev\nCOPY --from=build /root/.m2 /root/.m2\n"
            + "FROM alpine\nCOPY --from=build /src/target/app.jar /app.jar\n")
        #expect(StageExports.copies(from: 0, path: "/root/.m2", m))
        #expect(!StageExports.copies(from: 0, path: "/root/.cargo/registry", m))
        #expect(StageExports.copies(from: 0, path: "/root/.m2/repository", DockerfileModel.parse("FROM maven AS b\nFROM alpine\nCOPY --from=b / /\n")))
    }
}

/// An install from manifests without a lock file resolves the newest versions allowed: split,
/// that resolution is reused from the cache until the manifests change. The split stays safe
/// (as the composer one without composer.lock) and its notes say so.
@Suite struct UnlockedResolutionNotes {
    @Test func unpinnedRequirementsAreNamedPinnedOnesAreNot() throws {
        let a = Analysed("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
                         files: ["requirements.txt": "# web\nflask>=2\nrequests\n", "app.py": "print(1)"])
        let s = try #require(a.moves.manifestSplit(copy: a.at(3), install: a.at(4)))
        #expect(s.verdict == .safe)
        #expect(s.notes == ["requirements.txt does not pin `flask>=2`: split, the version pip resolves is reused from the cache until the file changes"])
        let b = Analysed("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n",
                         files: ["requirements.txt": "flask==3.0.3\n--hash=sha256:00\n", "app.py": "print(1)"])
        #expect(try #require(b.moves.manifestSplit(copy: b.at(3), install: b.at(4))).notes.isEmpty)
    }

    @Test func npmInstallWithoutALockFileIsNamedWithOneItIsNot() throws {
        let pkg = #"{"name": "a", "dependencies": {"left-pad": "^1.3.0"}}"#
        let a = Analysed("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\n", files: ["package.json": pkg, "index.js": "1"])
        let s = try #require(a.moves.manifestSplit(copy: a.at(3), install: a.at(4)))
        #expect(s.verdict == .safe)
        #expect(s.notes.contains { $0.hasPrefix("without package-lock.json the install resolves the newest versions") })
        let b = Analysed("FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\n", files: ["package.json": pkg, "package-lock.json": "{}", "index.js": "1"])
        #expect(try #require(b.moves.manifestSplit(copy: b.at(3), install: b.at(4))).notes.isEmpty)
    }
}

/// Composer installs split in two runs: `--no-scripts --no-autoloader` above the source COPY,
/// as written below it (where they install nothing and write the autoloader and run the scripts).
@Suite struct ComposerRunSplitTests {
    static let json = #"{"require": {"monolog/monolog": "^3"}, "autoload": {"psr-4": {"App\\": "src/"}}, "scripts": {"post-autoload-dump": ["@php artisan package:discover"]}}"#
    static let lock = #"{"packages": [{"name": "monolog/monolog", "type": "library"}], "packages-dev": []}"#

    @Test func installRunsTwiceAndSourceReadersStayBelow() throws {
        let a = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN apk add git && cp .env.example .env && composer install --no-dev && php artisan optimize\n",
                         files: ["composer.json": Self.json, "composer.lock": Self.lock, ".env.example": "A=1", "src/A.php": "<?php"])
        let s = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(4)))
        #expect(s.verdict == .safe)
        #expect(s.deferred)
        #expect(s.installText == "apk add git && composer install --no-dev --no-scripts --no-autoloader")
        #expect(s.restText == "cp .env.example .env && composer install --no-dev && php artisan optimize")
        #expect(s.files.map(\.contextPath) == ["composer.json", "composer.lock"])
    }

    /// No composer.lock sent (here a local one the .dockerignore excludes): the first run
    /// resolves and writes the lock the second installs from; the project under /var (a tree
    /// apk reads and writes) does not keep the install below the COPY.
    @Test func withoutALockTheFirstRunResolvesAndTheMessageSaysSo() throws {
        let json = #"{"require": {"php": "^8.3", "monolog/monolog": "^3"}, "autoload": {"psr-4": {"App\\": "src/"}, "files": ["helpers.php"]}, "#
            + #""config": {"allow-plugins": {"composer/package-versions-deprecated": true, "acme/off": false}}}"#
        let a = Analysed("FROM php:8.3\nWORKDIR /var/www/html\nCOPY . .\nRUN apk add git && composer install --no-dev -o\n",
                         files: ["composer.json": json, "composer.lock": Self.lock, ".dockerignore": "composer.lock\n", "src/A.php": "<?php", "helpers.php": "<?php"])
        let s = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(4)))
        #expect(s.verdict == .safe)
        #expect(s.deferred)
        #expect(s.files.map(\.contextPath) == ["composer.json"])
        #expect(s.installText == "apk add git && composer install --no-dev -o --no-scripts --no-autoloader")
        #expect(s.notes.contains { $0.contains("reused from the cache until composer.json changes") })
    }

    /// `COPY --from` of the composer binary between the source COPY and the RUN: copied above
    /// for the install and kept in place; a trailing `composer clear-cache` stays with the install.
    @Test func theToolsCopyIsCopiedAboveAndKeptAndClearCacheStaysWithTheInstall() throws {
        let a = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY . .\nCOPY --from=composer:2 /usr/bin/composer ./composer.phar\n"
                         + "RUN php composer.phar install --no-dev && php composer.phar clear-cache && php artisan optimize\n",
                         files: ["composer.json": Self.json, "composer.lock": Self.lock, "src/A.php": "<?php"])
        let s = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(5)))
        #expect(s.verdict == .safe)
        #expect(s.moveUp == [a.at(4)])
        #expect(s.copiedUp == [a.at(4)])
        #expect(s.installText == "php composer.phar install --no-dev --no-scripts --no-autoloader && php composer.phar clear-cache")
        #expect(s.restText == "php composer.phar install --no-dev && php artisan optimize")
    }

    @Test(arguments: [
        (#""scripts": {"post-update-cmd": "php bin/warm.php"}"#, "post-update-cmd"),
        (#""scripts": {"post-install-cmd": "php bin/warm.php"}"#, "post-install-cmd"),
        (#""config": {"allow-plugins": {"acme/installer": true}}"#, "acme/installer"),
        (#""config": {"allow-plugins": {"acme/*": true}}"#, "acme/*"),
        (#""config": {"allow-plugins": true}"#, "every Composer plugin"),
        (#""config": {"allow-plugins": {"php-http/discovery": true}}"#, "update events"),
        (#""config": {"allow-plugins": {"wikimedia/composer-merge-plugin": true}}"#, "merges other composer.json"),
        (#""config": {"lock": false}"#, "config.lock"),
        (#""require-dev": {"app/contracts": "self.version"}"#, "self.version"),
        (#""repositories": [{"type": "path", "url": "packages/billing"}]"#, "path repositories"),
    ])
    func withoutALockEachDoubtMakesTheSplitUnsafe(_ member: String, _ named: String) throws {
        let json = #"{"require": {"monolog/monolog": "^3"}, "autoload": {"psr-4": {"App\\": "src/"}}, "# + member + "}"
        let a = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev -o\n",
                         files: ["composer.json": json, "src/A.php": "<?php", "packages/billing/composer.json": #"{"name": "app/billing"}"#])
        let s = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(4)))
        #expect(!s.verdict.isSafe)
        #expect(s.onlyIncomplete)
        #expect(s.verdict.reason?.contains(named) == true)
    }

    @Test func aPluginThatActsWhilePackagesInstallLeavesOnlyADoubt() throws {
        let lock = #"{"packages": [{"name": "symfony/flex", "type": "composer-plugin"}], "packages-dev": []}"#
        let a = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install\n",
                         files: ["composer.json": Self.json, "composer.lock": lock, "symfony.lock": "{}"])
        let s = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(4)))
        #expect(!s.verdict.isSafe)
        #expect(s.onlyIncomplete)
        #expect(s.verdict.reason?.contains("symfony/flex") == true)
    }

    @Test func aDevOnlyPluginDoesNotCountWithNoDev() throws {
        let lock = #"{"packages": [], "packages-dev": [{"name": "cweagans/composer-patches", "type": "composer-plugin"}]}"#
        let a = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev\n",
                         files: ["composer.json": Self.json, "composer.lock": lock])
        #expect(a.moves.runSplit(copy: a.at(3), run: a.at(4))?.verdict == .safe)
        let b = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY . .\nRUN composer install\n",
                         files: ["composer.json": Self.json, "composer.lock": lock])
        #expect(b.moves.runSplit(copy: b.at(3), run: b.at(4))?.verdict.isSafe == false)
    }

    @Test func aRecursiveChownOfTheProjectAboveTheInstallBlocksTheMove() throws {
        let a = Analysed("FROM php:8.3\nCOPY . /app\nRUN chown -R www-data /app\nUSER www-data\nRUN composer install --working-dir=/app\n",
                         files: ["composer.json": Self.json, "composer.lock": Self.lock])
        let s = try #require(a.moves.runSplit(copy: a.at(2), run: a.at(5)))
        #expect(!s.verdict.isSafe)
        #expect(s.blockedBetween != nil)
    }

    @Test func noSecondSplitOnceTheFirstRunIsAbove() {
        let a = Analysed("FROM php:8.3\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-scripts --no-autoloader\nCOPY . .\nRUN composer install\n",
                         files: ["composer.json": Self.json, "composer.lock": Self.lock])
        #expect(a.moves.runSplit(copy: a.at(5), run: a.at(6)) == nil)
    }

    static let pnpmPackage = #"{"name": "site", "private": true, "scripts": {"build": "next build"}}"#

    @Test func anInstallUnderATestOfAVariableSplitsWithTheTestInBothParts() throws {
        let a = Analysed("FROM node:22\nWORKDIR /app\nCOPY . .\nARG SKIP\nENV SKIP=$SKIP\nRUN if [ \"$SKIP\" != yes ]; then pnpm install --frozen-lockfile && pnpm run build; else echo skipped; fi\n",
                         files: ["package.json": Self.pnpmPackage, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "src/a.js": "1"])
        let s = try #require(a.moves.runSplit(copy: a.at(3), run: a.at(6)))
        #expect(s.verdict == .safe, "\(s.verdict)")
        #expect(s.condition == "[ \"$SKIP\" != yes ]")
        #expect(s.installText == "if [ \"$SKIP\" != yes ]; then pnpm install --frozen-lockfile; fi")
        #expect(s.restText == "if [ \"$SKIP\" != yes ]; then pnpm run build; else echo skipped; fi")
        // The ENV the test reads moves up, and the ARG that ENV reads.
        #expect(s.moveUp == [a.at(4), a.at(5)])
    }

    @Test func joinedContinuationLinesLoseTheirIndentationOnly() {
        #expect(Moves.collapsingBlanks("  A=1 \t   B='x   y'   cmd \"a  b\"  ") == "A=1 B='x   y' cmd \"a  b\"")
    }

    @Test func aTestOfAFileOrAnInstallInTheOtherBranchIsNotSplit() {
        let files = ["package.json": Self.pnpmPackage, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n", "src/a.js": "1"]
        let a = Analysed("FROM node:22\nWORKDIR /app\nCOPY . .\nRUN if [ -f src/a.js ]; then pnpm install && pnpm run build; fi\n", files: files)
        #expect(a.moves.runSplit(copy: a.at(3), run: a.at(4)) == nil)
        let b = Analysed("FROM node:22\nWORKDIR /app\nCOPY . .\nRUN if [ -n \"$CI\" ]; then pnpm install && pnpm run build; else pnpm install --prod; fi\n", files: files)
        #expect(b.moves.runSplit(copy: b.at(3), run: b.at(4)) == nil)
    }

    @Test func aWorkdirIntoTheCopiedTreeMovesUpUnlessTheCopyIsRelative() throws {
        let files = ["web/package.json": Self.pnpmPackage, "web/yarn.lock": "", "web/src/a.js": "1"]
        let a = Analysed("FROM node:22\nCOPY . /srv\nWORKDIR /srv/web\nRUN yarn install && yarn build\n", files: files)
        let s = try #require(a.moves.runSplit(copy: a.at(2), run: a.at(4)))
        #expect(s.verdict == .safe, "\(s.verdict)")
        #expect(s.moveUp == [a.at(3)])
        let b = Analysed("FROM node:22\nWORKDIR /srv\nCOPY . .\nWORKDIR web\nRUN yarn install && yarn build\n", files: files)
        let t = try #require(b.moves.runSplit(copy: b.at(3), run: b.at(5)))
        #expect(!t.verdict.isSafe)
        #expect(t.blockedBetween != nil)
    }
}

/// Tools installed at the head of a RUN that then builds from the source: the leading tool
/// installs split off above the COPY, unless the rest removes what they installed.
@Suite struct ToolPrefixRunSplitTests {
    static let files = ["Makefile": "all:\n\tcc -o app main.c\n", "main.c": "int main(void){return 0;}\n"]

    @Test func systemAndGlobalInstallsSplitOffAboveTheCopy() throws {
        let a = Analysed("FROM alpine:3.20\nCOPY . /src\nWORKDIR /src\nRUN apk add --no-cache gcc make nodejs npm && npm install -g pnpm@9.7.0 && corepack enable && make\n",
                         files: Self.files)
        let s = try #require(a.moves.runSplit(copy: a.at(2), run: a.at(4)))
        #expect(s.toolsOnly)
        #expect(s.verdict == .safe)
        #expect(s.installText == "apk add --no-cache gcc make nodejs npm && npm install -g pnpm@9.7.0 && corepack enable")
        #expect(s.restText == "make")
        #expect(s.files.isEmpty)
    }

    @Test func noSplitWhenTheRestRemovesWhatWasInstalled() {
        for run in ["apt-get update && apt-get install -y gcc && make && apt-get purge -y gcc",
                    "apt-get update && apt-get install -y gcc && make && rm -rf /var/lib/apt/lists/*",
                    "apk add --virtual .deps gcc && make && apk del .deps",
                    "apk add -t .deps gcc && make",
                    "npm install -g pnpm@9 && make && rm -rf /root/.npm",
                    "npm install -g pnpm@9 && make && npm cache clean --force"] {
            let a = Analysed("FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN \(run)\n", files: Self.files)
            #expect(a.moves.runSplit(copy: a.at(3), run: a.at(4)) == nil, "\(run)")
        }
    }

    @Test func onlyATopLevelAndListOfSimpleCommandsSplits() {
        for run in ["apk add gcc; make", "apk add gcc || true && make", "(apk add gcc) && make", "apk add gcc | cat && make",
                    "apk add $(cat deps.txt) && make", "make && apk add gcc", "apk add gcc && make &"] {
            let a = Analysed("FROM alpine\nWORKDIR /app\nCOPY . .\nRUN \(run)\n", files: Self.files.merging(["deps.txt": "gcc\n"]) { $1 })
            #expect(a.moves.runSplit(copy: a.at(3), run: a.at(4))?.toolsOnly != true, "\(run)")
        }
    }

    @Test func anInstallThatWritesWhereTheCopyWritesIsNotSafe() throws {
        let a = Analysed("FROM alpine\nCOPY . /etc/app\nRUN apk add gcc && make -C /etc/app\n", files: Self.files)
        let s = a.moves.runSplit(copy: a.at(2), run: a.at(3))
        #expect(s?.verdict.isSafe != true)
    }
}
