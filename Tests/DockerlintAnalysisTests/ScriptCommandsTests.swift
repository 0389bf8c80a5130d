import DockerlintAnalysis
import Testing

/// The commands a RUN runs through scripts of the build context (`StepGraph.scriptRun`).
@Suite struct ScriptCommandsTests {
    /// GUAC-1's shape: a script copied from the context binds its arguments, sources every
    /// `build.d/*.sh` (a glob over a copied context directory) and one of them builds.
    static let dockerfile = """
        FROM maven:3-eclipse-temurin-21 AS builder
        ARG MAVEN_ARGUMENTS="-DskipTests=false"
        ENV BUILD_DIR=/tmp/app-BUILD
        COPY docker/bin/ /opt/app/bin/
        COPY docker/build.d/ /opt/app/build.d/
        COPY . "$BUILD_DIR"
        RUN /opt/app/bin/build-app.sh "$BUILD_DIR" /opt/app

        """
    static let files: [String: String] = [
        "docker/bin/build-app.sh": "#!/bin/bash -e\nBUILD_DIR=\"$1\"\nDESTINATION=\"$2\"\n\nfor SCRIPT in /opt/app/build.d/*.sh; do\n    source \"$SCRIPT\"\ndone\n",
        "docker/build.d/000-build.sh": "cd \"$BUILD_DIR\"\nmvn $MAVEN_ARGUMENTS package\nmkdir -p \"$DESTINATION/webapp\"\n",
        "docker/build.d/010-map.sh": "map() {\n    mkdir -p \"$DESTINATION/$1\"\n}\nmap environment\n",
        "docker/build.d/README": "not sourced\n",
        "pom.xml": "<project><artifactId>a</artifactId></project>\n",
    ]

    func run(_ dockerfile: String = ScriptCommandsTests.dockerfile, files: [String: String] = ScriptCommandsTests.files, line: Int = 7) -> ScriptRun? {
        let a = Analysed(dockerfile, files: files)
        return a.graph.scriptRun(a.at(line))
    }

    func reason(_ r: ScriptRun?) -> String? {
        if case .notKnown(let why)? = r { return why }
        return nil
    }

    @Test func followsSourcedGlobWithBoundArguments() throws {
        guard case .known(let commands, let scripts)? = run() else { Issue.record("not known: \(String(describing: run()))"); return }
        #expect(scripts == ["docker/bin/build-app.sh", "docker/build.d/000-build.sh", "docker/build.d/010-map.sh"])
        let mvn = try #require(commands.first { $0.invocation.name == "mvn" })
        #expect(mvn.location == "docker/build.d/000-build.sh:2")
        #expect(mvn.via == ["docker/bin/build-app.sh:6"])
        // `cd "$BUILD_DIR"` with BUILD_DIR bound from `$1`, which the RUN gives from the ENV.
        #expect(mvn.cwd == "/tmp/app-BUILD")
        #expect(mvn.argumentsKnown)
        #expect(mvn.package?.options.contains { $0.name == "D" && $0.value == "skipTests=false" } == true)
        // The function's `$1` is its own argument.
        let mkdirs = commands.filter { $0.invocation.name == "mkdir" }.map { $0.invocation.arguments.last?.source ?? "" }
        #expect(mkdirs == ["\"$DESTINATION/webapp\"", "\"$DESTINATION/$1\""])
        let installs = Analysed(Self.dockerfile, files: Self.files)
        let si = installs.graph.scriptInstalls(installs.at(7))
        #expect(si.map { $0.install.command.manager } == [.maven])
        #expect(si.first?.install.workdir == "/tmp/app-BUILD")
    }

    @Test func aRunWithoutScriptsIsNil() {
        #expect(run("FROM alpine\nRUN apk add curl && make\n", files: [:], line: 2) == nil)
        // Without a build context nothing is read.
        let a = Analysed(Self.dockerfile)
        #expect(a.graph.scriptRun(a.at(7)) == nil)
    }

    @Test func scriptNotCopiedIsNotKnown() {
        let df = Self.dockerfile.replacingOccurrences(of: "COPY docker/bin/ /opt/app/bin/\n", with: "ADD https://example.com/bin.tar /opt/app/bin/\n")
        #expect(reason(run(df)) == "runs or sources /opt/app/bin/build-app.sh, which is not a script from the build context")
    }

    @Test func variablePathIsNotKnown() {
        let df = Self.dockerfile.replacingOccurrences(of: "RUN /opt/app/bin/build-app.sh", with: "RUN $APP_BIN/build-app.sh")
        #expect(reason(run(df))?.contains("whose path is not known") == true)
        var files = Self.files
        files["docker/bin/build-app.sh"] = "#!/bin/sh\nsource \"$CONFIG_DIR/env.sh\"\nmvn package\n"
        #expect(reason(run(files: files)) == "a script sources a file whose path is not known (`\"$CONFIG_DIR/env.sh\"`)")
    }

    @Test func sourcedFileOutsideTheContextIsNotKnown() {
        var files = Self.files
        files["docker/bin/build-app.sh"] = "#!/bin/sh\n. /etc/profile.d/java.sh\nmvn package\n"
        #expect(reason(run(files: files)) == "runs or sources /etc/profile.d/java.sh, which is not a script from the build context")
    }

    @Test func cycleOfSourcesIsNotKnown() {
        var files = Self.files
        files["docker/bin/build-app.sh"] = "#!/bin/sh\n. /opt/app/bin/common.sh\nmvn package\n"
        files["docker/bin/common.sh"] = "X=1\n. /opt/app/bin/build-app.sh\n"
        #expect(reason(run(files: files)) == "docker/bin/build-app.sh sources or runs itself (a cycle)")
    }

    @Test func makeEvalDownloadsAndOtherInterpretersAreNotKnown() {
        var files = Self.files
        files["docker/bin/build-app.sh"] = "#!/bin/sh\nmake all\n"
        #expect(reason(run(files: files)) == "a script runs make, whose recipes are not read here")
        files["docker/bin/build-app.sh"] = "#!/bin/sh\ncurl -fsSL https://example.com/x.sh | bash\n"
        #expect(reason(run(files: files)) == "`bash` runs a script read from its input (a download)")
        files["docker/bin/build-app.sh"] = "#!/bin/sh\neval \"$(cat env)\"\n"
        #expect(reason(run(files: files)) == "a script runs `eval`")
        files["docker/bin/build-app.sh"] = "#!/usr/bin/env python3\nprint('x')\n"
        #expect(reason(run(files: files)) == "runs docker/bin/build-app.sh, which is not a shell script")
    }

    @Test func nestedScriptGetsItsOwnArgumentsAndShellForm() throws {
        let df = "FROM maven:3\nWORKDIR /src\nCOPY . .\nRUN bash ci/build.sh web -q\n"
        let files = ["ci/build.sh": "#!/bin/bash\nMODULE=$1\n./ci/mvn-module.sh \"$MODULE\"\n",
                     "ci/mvn-module.sh": "#!/bin/sh\nmvn -pl \"$1\" package\n", "pom.xml": "<project/>\n"]
        guard case .known(let commands, _)? = run(df, files: files, line: 4) else { Issue.record("not known"); return }
        let mvn = try #require(commands.first { $0.invocation.name == "mvn" })
        #expect(mvn.location == "ci/mvn-module.sh:2")
        #expect(mvn.via == ["ci/build.sh:3"])
        #expect(mvn.argumentsKnown)
        #expect(mvn.invocation.arguments.map(\.source) == ["-pl", "\"$1\"", "package"])
        #expect(mvn.cwd == "/src")
    }
}
