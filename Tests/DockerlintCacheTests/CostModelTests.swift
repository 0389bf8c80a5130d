import DockerlintCache
import Testing

/// Reading a costs file (reports/schemas/costs.schema.json): values, and one error line naming
/// the member that is wrong.
@Suite struct CostModelFile {
    func load(_ json: String) throws -> CostModel { try CostModel.load(json: Array(json.utf8), path: "c.json") }

    func error(_ json: String) -> String? {
        do { _ = try load(json); return nil } catch { return (error as? CostModelError)?.message }
    }

    @Test func readsDefaultsAndMeasuredSteps() throws {
        let m = try load("""
            {"version": 1, "$schema": "x", "defaults": {"run": 2, "run:build": 30.5},
             "steps": [{"identity": "abc", "seconds": 4.25, "status": "hit"}, {"identity": "def", "seconds": 2, "status": "hit", "cached": false},
                       {"line": 3, "instruction": "run", "stage": 0, "text": "RUN make", "seconds": 7, "cached": false},
                       {"seconds": 1, "line": "x"}]}
            """)
        #expect(m.defaults["RUN"] == 2)
        #expect(m.defaults["run:build"] == 30.5)
        // The step measured as a cache hit says nothing about its run time: skipped.
        #expect(m.measured == [
            MeasuredStep(identity: "def", seconds: 2),
            MeasuredStep(line: 3, instruction: "RUN", stage: 0, text: "RUN make", seconds: 7, cached: false),
            MeasuredStep(seconds: 1),
        ])
    }

    @Test func namesWhatIsWrong() {
        #expect(error("{") == "c.json: error: not valid JSON")
        #expect(error("[1]") == "c.json: error: expected a JSON object")
        #expect(error(#"{"stpes": []}"#) == "c.json: error: unknown key 'stpes'")
        #expect(error(#"{"defaults": [1]}"#) == "c.json: error: 'defaults' must be an object")
        #expect(error(#"{"defaults": {"copy": true}}"#) == "c.json: error: defaults.copy must be a number of seconds ≥ 0")
        #expect(error(#"{"defaults": {"copy": -1}}"#) == "c.json: error: defaults.copy must be a number of seconds ≥ 0")
        #expect(error(#"{"steps": {}}"#) == "c.json: error: 'steps' must be an array")
        #expect(error(#"{"steps": [{"seconds": 1}, 2]}"#) == "c.json: error: steps[1] must be an object")
        #expect(error(#"{"steps": [{"seconds": 1}, {"seconds": "2"}]}"#) == "c.json: error: steps[1].seconds must be a number ≥ 0")
        #expect(error(#"{"steps": [{"seconds": false}]}"#) == "c.json: error: steps[0].seconds must be a number ≥ 0")
    }
}

/// The default cost of a RUN follows its most expensive command; a global or system install
/// of a few named packages costs seconds, not the half-minute of a project's dependencies.
@Suite struct CostModelCategories {
    @Test func mostExpensiveCommandWins() {
        #expect(CostModel.runCategory("npm install -g pnpm") == "run:small-install")
        #expect(CostModel.runCategory("set -x && apk add --no-cache curl && npm install -g pnpm") == "run:small-install")
        #expect(CostModel.runCategory("gem install bundler -v 2.5.6") == "run:small-install")
        #expect(CostModel.runCategory("pip install --no-cache-dir poetry==1.8.3") == "run:small-install")
        #expect(CostModel.runCategory("pip install --upgrade pip setuptools wheel") == "run:small-install")
        #expect(CostModel.runCategory("pip install \"pip>=25.1.0\"") == "run:small-install")
        // Named pip packages may be anything (flask, or torch): a real install.
        #expect(CostModel.runCategory("pip install flask") == "run:package-install")
        #expect(CostModel.runCategory("apt-get update && apt-get install -y curl") == "run:package-index")
        // Many packages, a variable list, manifests, the project itself: a real install.
        #expect(CostModel.runCategory("apk add --no-cache bash coreutils freetype icu libldap libpng") == "run:package-install")
        #expect(CostModel.runCategory("apt-get install -y $PACKAGES") == "run:package-install")
        #expect(CostModel.runCategory("pip install -r requirements.txt") == "run:package-install")
        #expect(CostModel.runCategory("pip install .") == "run:package-install")
        #expect(CostModel.runCategory("npm install express") == "run:package-install")
        #expect(CostModel.runCategory("npm ci && npm run build") == "run:build")
        #expect(CostModel.runCategory("apk add curl && pnpm install --frozen-lockfile") == "run:package-install")
        #expect(CostModel.runCategory("curl -fsSL https://example.com/x -o /x") == "run:download")
        #expect(CostModel.runCategory("chmod +x /entrypoint.sh") == "run:trivial")
        #expect(CostModel.runCategory("mkdir -p /data && ln -s /data /app/data && useradd -m app") == "run:trivial")
        #expect(CostModel.runCategory("chown -R app:app /app") == nil)
        #expect(CostModel.runCategory("python manage.py collectstatic --noinput") == nil)
        #expect(CostModel.runCategory("pnpm install --frozen-lockfile && pnpm run build") == "run:build")
        #expect(CostModel.runCategory("yarn run build") == "run:build")
        #expect(CostModel.standard.defaults["run:trivial"] == 0.5)
        #expect(CostModel.standard.defaults["run:small-install"] == 5)
    }
}

/// A RUN that installs the project's dependencies and builds costs both: each part of its split
/// keeps its own share.
@Suite struct CostModelInstallAndBuild {
    func cost(_ command: String) -> Double {
        CostModel.standard.seconds(identity: "x", line: 1, instruction: "RUN", stage: 0, text: "RUN " + command, command: command, classicMetadata: false).0
    }

    @Test func optionsBeforeTheVerbAndPackagesNamedLikeBuildTools() {
        // apache/answer: `apk --no-cache add` is the same install as `apk add --no-cache`.
        #expect(CostModel.runCategory("apk --no-cache add build-base git bash nodejs npm") == "run:package-install")
        #expect(CostModel.runCategory("apk add --no-cache build-base git bash nodejs npm") == "run:package-install")
        #expect(CostModel.runCategory("apk --no-cache add curl") == "run:small-install")
        #expect(CostModel.runCategory("apt-get -y install curl git") == "run:small-install")
        #expect(CostModel.runCategory("pip --no-cache-dir install -r requirements.txt") == "run:package-install")
        #expect(CostModel.runCategory("apk --no-cache add ./local.apk") == "run:package-install")
        // A package named like a build tool is a package.
        #expect(CostModel.runCategory("apt-get install -y cmake") == "run:small-install")
        #expect(CostModel.runCategory("apk add --no-cache cmake make g++ ninja gcc") == "run:package-install")
        #expect(CostModel.runCategory("apt-get install -y cmake && cmake -B build && cmake --build build") == "run:build")
        // The split of apache/answer's RUN: the install part is priced as an install.
        #expect(cost("apk --no-cache add build-base git bash nodejs npm && npm install -g pnpm@9.7.0") == 30)
        #expect(cost("apk --no-cache add build-base git bash nodejs npm && npm install -g pnpm@9.7.0 && make clean build") == 60 + 30)
    }

    @Test func installAndBuildPayBoth() {
        #expect(cost("yarn install && cp -r node_modules/x public/ && yarn build") == 90)
        #expect(cost("yarn install") == 30)
        #expect(cost("cp -r node_modules/x public/ && yarn build") == 60)
        // Tools installed by name before the build pay their own (small) share: the install
        // part split off keeps it, the build part keeps the rest.
        #expect(cost("npm install -g pnpm && pnpm run build") == 65)
        #expect(cost("npm install -g pnpm") == 5)
        // Packages named like build tools (gcc, make) are packages: the install of four pays an
        // install's share besides the build.
        #expect(cost("apt-get update && apt-get install -y gcc libc6-dev git curl && make") == 90)
        #expect(cost("apk add --no-cache make gcc musl-dev python3 && make") == 90)
        #expect(cost("apk add --no-cache make gcc && make") == 65)
        // A download before the build is not an install: the build's cost alone.
        #expect(cost("curl -fsSLO https://example.org/x.tgz && make") == 60)
    }
}

/// One-command builds (`go build`, `mvn package`, `cargo build`) download the dependencies
/// they lack: their cost carries a download share sized by the project's dependency count,
/// which a pre-fetch step above (or a cache mount of the step) takes away.
@Suite struct CostModelDownloads {
    let costs = CostModel(dependencies: [.go: 200, .cargo: 50])
    var share: Double { 200 * CostModel.secondsPerDependency }

    /// A build the analysis read through make: the whole RUN, or the make as one segment of it
    /// (after tool installs, with a line continuation), and the same make alone once split off.
    @Test func scriptedBuildAsASegment() {
        let c = CostModel(dependencies: [.go: 200], builds: ["make clean build": .go])
        #expect(c.downloads("apk add git && npm install -g pnpm@9.7.0 \\\n    && make clean build").build == [.go])
        #expect(c.downloads("make clean build").build == [.go])
        #expect(c.downloads("make clean").build.isEmpty)
        #expect(c.downloads("make clean build-ui").build.isEmpty)
        #expect(CostModel.segmentKey("  make  clean \\") == "make clean")
    }

    /// `make` whose goals run an install target (`npm ci`, `go mod download`): it costs what the
    /// installs and the make cost, so its split (the installs above, `make clean build` below)
    /// keeps each part's share; without the analysis' word it is a build alone.
    @Test func installsThroughMake() {
        func seconds(_ c: CostModel, _ command: String) -> Double {
            c.seconds(identity: "x", line: 1, instruction: "RUN", stage: 0, text: "RUN " + command, command: command, classicMetadata: false).0
        }
        let c = CostModel(madeInstalls: ["make": "npm ci && go mod download"])
        #expect(seconds(c, "make") == seconds(c, "npm ci && go mod download && make"))
        #expect(seconds(c, "make") == seconds(c, "npm ci && go mod download") + seconds(c, "make clean build"))
        #expect(seconds(CostModel.standard, "make") == seconds(c, "make clean build"))
        // With the project's module count: the download share, once.
        let d = CostModel(dependencies: [.go: 200], madeInstalls: ["make": "npm ci && go mod download"])
        #expect(seconds(d, "make") == seconds(d, "npm ci && go mod download") + seconds(d, "make clean build"))
    }

    @Test func buildsAndFetchesByEcosystem() {
        #expect(CostModel.downloads("CGO_ENABLED=0 go build -o /out/app ./cmd/app").build == [.go])
        #expect(CostModel.downloads("go mod download && go mod verify").fetch == [.go])
        #expect(CostModel.downloads("./mvnw -B dependency:go-offline").fetch == [.maven])
        #expect(CostModel.downloads("mvn -B -DskipTests package").build == [.maven])
        #expect(CostModel.downloads("./gradlew dependencies").fetch == [.gradle])
        #expect(CostModel.downloads("gradle build -x test").build == [.gradle])
        #expect(CostModel.downloads("cargo fetch && cargo build --release").fetch == [.cargo])
        #expect(CostModel.downloads("go version && go env").build.isEmpty)
        #expect(CostModel.downloads("npm ci && npm run build").build.isEmpty)
    }

    /// Composer: `--no-autoloader` installs only fetch; a plain install after one downloads
    /// nothing and costs its autoloader and scripts (a plain RUN).
    @Test func composerInstallRunTwice() {
        let costs = CostModel(dependencies: [.composer: 100])
        func cost(_ command: String, kept: Set<DownloadEcosystem> = []) -> Double {
            costs.seconds(identity: "0:RUN#1", line: 3, instruction: "RUN", stage: 0, text: "RUN " + command, command: command,
                          classicMetadata: false, kept: kept).0
        }
        #expect(CostModel.downloads("composer install --no-dev --no-scripts --no-autoloader").fetch == [.composer])
        #expect(CostModel.downloads("composer --no-ansi install --no-dev -o").build == [.composer])
        #expect(CostModel.downloads("composer require foo/bar").build.isEmpty)
        // Composer run by the PHP binary (`php composer.phar`), PHP's options skipped.
        #expect(CostModel.downloads("php composer.phar install --no-dev --no-scripts --no-autoloader").fetch == [.composer])
        #expect(CostModel.downloads("php -d memory_limit=-1 /usr/bin/composer install -o").build == [.composer])
        #expect(CostModel.downloads("php artisan install").build.isEmpty)
        let run = CostModel.defaultSeconds["RUN"]!
        let download = 100 * CostModel.secondsPerDependency
        #expect(cost("composer install --no-dev --no-scripts --no-autoloader") == download)
        #expect(cost("composer install --no-dev") == download + run)
        #expect(cost("composer install --no-dev", kept: [.composer]) == run)
        #expect(cost("cp .env.example .env && composer install --no-dev && chown -R www-data .", kept: [.composer])
            == run + CostModel.defaultSeconds["RUN"]!)
    }

    @Test func buildPaysTheDownloadUnlessKept() {
        func cost(_ command: String, kept: Set<DownloadEcosystem> = []) -> Double {
            costs.seconds(identity: "0:RUN#1", line: 3, instruction: "RUN", stage: 0, text: "RUN " + command, command: command,
                          classicMetadata: false, kept: kept).0
        }
        let build = CostModel.defaultSeconds["run:build"]!
        #expect(cost("go build -o /app .") == build + share)
        #expect(cost("go build -o /app .", kept: [.go]) == build)
        // The pre-fetch alone is the download; with a later build in the same RUN, both.
        #expect(cost("go mod download") == share)
        #expect(cost("go mod download && go build -o /app .") == build + share)
        // An ecosystem without a count keeps its category's default.
        #expect(cost("mvn package") == build)
        #expect(CostModel().seconds(identity: "x", line: 1, instruction: "RUN", stage: 0, text: "", command: "go build .",
                                    classicMetadata: false).0 == build)
        // A command the analysis found to build through make.
        var made = costs
        made.builds = ["make app": .go]
        #expect(made.seconds(identity: "x", line: 1, instruction: "RUN", stage: 0, text: "", command: "make app", classicMetadata: false).0 == build + share)
        #expect(made.seconds(identity: "x", line: 1, instruction: "RUN", stage: 0, text: "", command: "make app", classicMetadata: false,
                             kept: [.go]).0 == build)
    }

    /// The simulator tells the cost model what an earlier step of the stage fetched: the build
    /// below `go mod download` is charged without the downloads, in a stage built on that one too.
    @Test func simulatorKeepsWhatAStepAboveFetched() throws {
        let lab = try SimLab([
            "Dockerfile": "FROM golang:1.23 AS deps\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"
                + "FROM deps AS build\nCOPY . .\nRUN go build -o /out/app .\n"
                + "FROM golang:1.23 AS plain\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/plain .\n"
                + "FROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=plain /out/plain /plain\n",
            "go.mod": "module x\n", "go.sum": "", "main.go": "package main\n",
        ])
        lab.bk.costs = costs
        let p = try lab.build().bk
        let build = CostModel.defaultSeconds["run:build"]!
        #expect(p.step("RUN go mod download")?.costSeconds == share)
        #expect(p.step("RUN go build -o /out/app")?.costSeconds == build)
        #expect(p.step("RUN go build -o /out/plain")?.costSeconds == build + share)
    }

    @Test func cacheMountKeepsTheDownloadsLocally() throws {
        let lab = try SimLab([
            "Dockerfile": "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n",
            "go.mod": "module x\n", "main.go": "package main\n",
        ])
        lab.bk.costs = costs
        #expect(try lab.build().bk.step("RUN --mount")?.costSeconds == CostModel.defaultSeconds["run:build"]!)
    }
}
