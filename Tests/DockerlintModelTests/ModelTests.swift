import DockerlintSyntax
import Testing
@testable import DockerlintModel

@Suite("Stages")
struct StageTests {
    @Test func namesIndexesAliases() {
        let m = model("""
        FROM golang:1.22 AS Build
        RUN go build -o /out/app
        FROM build AS test
        FROM Build
        FROM alpine
        COPY --from=0 /a /b
        COPY --from=BUILD /a /c
        COPY --from=nginx:latest /etc/nginx /etc/nginx
        FROM scratch
        """)
        #expect(m.errors.isEmpty)
        #expect(m.stages.count == 5)
        #expect(m.stages[0].name == "build")
        #expect(m.stages[0].base == .image("golang:1.22"))
        #expect(m.stages[1].base == .stage(0))
        // BuildKit looks the base name up case-sensitively against the folded names.
        #expect(m.stages[2].base == .image("Build"))
        #expect(m.stages[4].base == .scratch)
        #expect(m.stages[3].displayName == "stage-3")
        let deps = m.stages[3].dependencies
        #expect(deps.map(\.kind) == [.copyFrom, .copyFrom, .copyFrom])
        #expect(deps.map(\.stage) == [0, 0, nil])
        #expect(deps[2].image == "nginx:latest")
        #expect(m.stageIndex(named: "BUILD") == 0)
    }

    @Test func fromWithGlobalArgs() {
        let text = """
        ARG BASE=alpine
        ARG TAG=3.19
        ARG IMAGE=${BASE}:${TAG}
        FROM --platform=$BUILDPLATFORM $IMAGE AS a
        ARG TAG
        RUN echo
        """
        let m = model(text)
        #expect(m.errors.isEmpty)
        #expect(m.stages[0].baseName == "alpine:3.19")
        #expect(m.stages[0].platform == "linux/amd64")
        #expect(m.stages[0].from.matchedVariables == ["BUILDPLATFORM", "IMAGE"])
        let run = m.stages[0].instructions[1]
        let tag = run.scope.first { $0.name == "TAG" }
        #expect(tag?.value == "3.19" && tag?.valueSource == .global && tag?.origin == .stageArg)
        // A global ARG is not in a stage's scope unless re-declared.
        #expect(run.scope.contains { $0.name == "BASE" } == false)
        let over = model(text, buildArgs: ["TAG": "3.20"])
        #expect(over.stages[0].baseName == "alpine:3.20")
        #expect(over.stages[0].instructions[1].scope.first { $0.name == "TAG" }?.value == "3.20")
        #expect(over.metaArgs[1].resolved?.args?.first?.source == .buildArg)
    }

    @Test func fromErrors() {
        let m = model("ARG X\nFROM $X\nFROM ${Y:?required}\nFROM ${Y:?is required}\n")
        // A base that is blank, or fails `:?`, only because a build argument has no value
        // builds when the argument is given: not an error of the file (InvalidDefaultArgInFrom
        // reports the first).
        #expect(errors(m) == [// Split on white space before expansion: two words.
                              "4:6: FROM requires either one or three arguments"])
        #expect(m.stages[0].from.unmatchedVariables == ["X"])
    }

    @Test func noStage() {
        #expect(errors(model("RUN x\n")) == ["1:1: no build stage in current context"])
        #expect(errors(model("ARG A=1\n")) == ["1:1: dockerfile contains no stages to build"])
    }

    @Test func allErrorsCollected() {
        let m = model("""
        FROM alpine AS 1x
        RUN --network=bogus true
        COPY onlyone
        FOOBAR bar
        FROM alpine
        WORKDIR --x /a
        """)
        #expect(errors(m) == [
            "1:16: invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
            "2:5: invalid network mode \"bogus\"",
            "3:6: COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            "4:1: unknown instruction: FOOBAR",
            "6:9: unknown flag: --x",
        ])
        // The broken FROM still opens a stage so what follows keeps its place.
        #expect(m.stages.count == 2)
        #expect(m.stages[0].instructions.count == 3)
        #expect(m.stages[0].instructions.allSatisfy { $0.typed == nil })
    }
}

@Suite("ARG and ENV scopes")
struct ScopeTests {
    @Test func buildArgOverridesDefault() {
        let text = "FROM a\nARG V=1\nARG W\nRUN true\n"
        let run = model(text).stages[0].instructions[2]
        #expect(scopeValue(run, "V") == .some("1"))
        #expect(scopeValue(run, "W") == .some(nil))
        let run2 = model(text, buildArgs: ["V": "2", "W": "x", "UNDECLARED": "y"]).stages[0].instructions[2]
        #expect(scopeValue(run2, "V") == .some("2"))
        #expect(scopeValue(run2, "W") == .some("x"))
        #expect(run2.scope.contains { $0.name == "UNDECLARED" } == false)
        #expect(run2.scope.first { $0.name == "V" }?.valueSource == .buildArg)
    }

    @Test func envShadowing() {
        let m = model("""
        FROM a
        ARG X=1
        ENV X=2
        RUN a
        ARG X=3
        RUN b
        ENV Y=env
        ARG Y
        RUN c
        """)
        let ins = m.stages[0].instructions
        #expect(ins[2].scope.first { $0.name == "X" }?.origin == .env)
        #expect(scopeValue(ins[2], "X") == .some("2"))
        // In BuildKit the later ARG with a value wins (it is AddEnv'd after the ENV).
        #expect(scopeValue(ins[4], "X") == .some("3"))
        // A valueless ARG does not hide the ENV value.
        #expect(scopeValue(ins[7], "Y") == .some("env"))
        #expect(ins[7].scope.first { $0.name == "PATH" }?.origin == .defaultPath)
    }

    @Test func expansionOrderWithinInstructions() {
        let m = model("FROM a\nENV A=1 B=$A\nARG C=1 D=$C\nRUN x\n")
        let env = m.stages[0].instructions[0]
        // ENV expands all its words before defining any (B does not see A).
        #expect(env.resolved?.pairs == [ResolvedPair(key: "A", value: "1"), ResolvedPair(key: "B", value: "")])
        #expect(env.unmatchedVariables == ["A"])
        // ARG defines one by one.
        #expect(m.stages[0].instructions[1].resolved?.args?.map(\.value) == ["1", "1"])
    }

    @Test func matchedUnmatchedAndNotExpanded() {
        let m = model("""
        ARG G=global
        FROM a
        ARG L=local
        COPY --chown=$L:$L $G ${MISSING:-x} /dst/$L/
        RUN echo $NOT_EXPANDED
        CMD echo $NOT_EXPANDED
        """)
        let copy = m.stages[0].instructions[1]
        #expect(copy.resolved?.chown == "local:local")
        #expect(copy.resolved?.sources == ["", "x"])
        #expect(copy.resolved?.destination == "/dst/local/")
        #expect(copy.matchedVariables == ["L"])
        #expect(copy.unmatchedVariables == ["G", "MISSING"])
        #expect(m.stages[0].instructions[2].unmatchedVariables.isEmpty)
        #expect(m.stages[0].instructions[2].resolved?.mounts == [])
        #expect(m.stages[0].instructions[3].resolved == nil)
    }

    @Test func inheritedThroughStageBase() {
        let m = model("FROM a AS base\nENV E=1\nARG A=2\nWORKDIR /w\nUSER u\nFROM base\nRUN x\n")
        let run = m.stages[1].instructions[0]
        #expect(scopeValue(run, "E") == .some("1"))
        #expect(scopeValue(run, "A") == .some("2"))
        #expect(run.scope.first { $0.name == "E" }?.stageIndex == 0)
        #expect(run.workingDirectory == "/w")
        #expect(run.user == "u")
    }

    @Test func onbuildTriggersRunInChild() throws {
        let m = model("""
        FROM alpine AS assets
        FROM alpine AS base
        ONBUILD ENV X=1
        ONBUILD COPY --from=assets /a /b
        FROM base
        RUN echo $X
        """)
        #expect(m.errors.isEmpty)
        #expect(m.stages[2].onbuildTriggers.count == 2)
        #expect(m.stages[2].onbuildTriggers.allSatisfy { $0.isOnbuildTrigger })
        #expect(scopeValue(m.stages[2].instructions[0], "X") == .some("1"))
        #expect(m.stages[2].dependencies.map(\.stage) == [1, 0])
        #expect(try m.reachableStages().get() == [0, 1, 2])
    }

    @Test func lexerErrors() {
        let m = model("FROM scratch\nENV A=${B\nUSER ${U:?must be set}\n")
        // Go prints the end of input as U+FFFD.
        #expect(errors(m) == ["2:7: failed to process \"${B\": unsupported modifier (\u{FFFD}) in substitution",
                              "3:6: failed to process \"${U:?must be set}\": U: must be set"])
        // Errors of one instruction at build time: the file itself is well formed.
        #expect(m.errors.allSatisfy { $0.kind == .build })
    }

    /// A value the file cannot know is no error: a variable it does not define may come from
    /// the base image's environment, which BuildKit expands at build time.
    @Test func valuesFromTheBaseImageAreNotErrors() {
        let m = model("FROM nginx:1.27.0\nVOLUME ${DATA_DIR}\nSTOPSIGNAL $SIG\nUSER ${U:?must be set}\nVOLUME /logs\n")
        #expect(errors(m).isEmpty)
        #expect(m.unlessArgumentsSet.isEmpty)
        #expect(m.stages[0].instructions[3].resolved?.volumes == ["/logs"])
        // From scratch (also through a stage built on it) nothing comes from an image.
        let s = model("FROM scratch AS base\nFROM base\nVOLUME ${DATA_DIR}\n")
        #expect(errors(s) == ["3:8: VOLUME specified can not be an empty string"])
        #expect(s.errors.map(\.kind) == [.build])
    }

    /// Empty because an ARG without a default is not given: BuildKit fails only when the
    /// build does not set it, so it is not an error of the file.
    @Test func emptyUnlessTheBuildSetsAnArgument() {
        let text = "ARG SIG\nFROM nginx:1.27.0\nARG DATA_DIR\nARG SIG\nVOLUME ${DATA_DIR}\nSTOPSIGNAL $SIG\nENV T=${TOKEN:?x}\nARG TOKEN\nENV T=${TOKEN:?required}\n"
        let m = model(text)
        #expect(errors(m).isEmpty)
        #expect(m.unlessArgumentsSet.map { "\($0.range.start.line):\($0.arguments) \($0.message)" } == [
            "5:[\"DATA_DIR\"] VOLUME specified can not be an empty string",
            "6:[\"SIG\"] invalid signal: ",
            "9:[\"TOKEN\"] failed to process \"${TOKEN:?required}\": TOKEN: required",
        ])
        let given = model(text, buildArgs: ["DATA_DIR": "/data", "SIG": "SIGTERM", "TOKEN": "t"])
        #expect(errors(given).isEmpty && given.unlessArgumentsSet.isEmpty)
        // An ENV of that name before it gives the value.
        #expect(model("FROM nginx:1.27.0\nENV D=/d\nARG D\nVOLUME $D\n").unlessArgumentsSet.isEmpty)
    }

    /// An ARG whose default BuildKit rejects is still declared for what follows.
    @Test func failedArgIsStillDeclared() {
        let m = model("FROM debian:12\nARG Z=\"${templateOption:installZsh}\" OTHER=1\nRUN echo $Z $OTHER\n")
        #expect(errors(m) == ["2:5: failed to process \"\\\"${templateOption:installZsh}\\\"\": unsupported modifier (:i) in substitution"])
        let run = m.stages[0].instructions[1]
        #expect(run.scope.contains { $0.name == "Z" && $0.value == nil })
        #expect(scopeValue(run, "OTHER") == .some("1"))
    }

    @Test func valuesFromAnArgWithoutDefaultDependOnTheBuild() {
        let text = """
        ARG BASE
        ARG G=${BASE:-x}
        FROM alpine
        ARG APP_DIR
        ARG G
        ENV APP_HOME=${APP_DIR:-/srv} PLAIN=/opt
        ENV BIN=$APP_HOME/bin OTHER=$PLAIN/bin
        ARG SUB=$APP_DIR/sub
        RUN true
        """
        func flagged(_ m: DockerfileModel) -> [String] {
            m.stages[0].instructions.last!.scope.filter(\.dependsOnBuildArgument).map(\.name).sorted()
        }
        let m = model(text)
        // The file's value is the one without `--build-arg APP_DIR`; the build may pass one.
        #expect(scopeValue(m.stages[0].instructions.last!, "APP_HOME") == .some("/srv"))
        #expect(flagged(m) == ["APP_HOME", "BIN", "G", "SUB"])
        // A build that passes the arguments gives known values.
        #expect(flagged(model(text, buildArgs: ["APP_DIR": "/app", "BASE": "b"])) == [])
    }

}

@Suite("Resolved paths and values")
struct ResolutionTests {
    @Test func workdirAndDestinations() {
        let m = model("""
        FROM a
        COPY x .
        WORKDIR /app
        WORKDIR src
        WORKDIR ../lib/
        ENV D=/opt
        COPY . .
        COPY a rel/
        COPY a /abs/./x
        COPY a /abs/dir/.
        ADD a b
        WORKDIR $D/app
        """)
        let i = m.stages[0].instructions
        #expect(i[0].resolved?.absoluteDestination == "/")
        #expect(i[1].resolved?.workdir == "/app")
        #expect(i[2].resolved?.workdir == "/app/src")
        #expect(i[3].resolved?.workdir == "/app/lib")
        #expect(i[5].resolved?.absoluteDestination == "/app/lib/")
        #expect(i[6].resolved?.absoluteDestination == "/app/lib/rel/")
        // NormalizePath does not clean absolute paths; keepSlash re-adds "/.".
        #expect(i[7].resolved?.absoluteDestination == "/abs/./x")
        #expect(i[8].resolved?.absoluteDestination == "/abs/dir/./.")
        #expect(i[9].resolved?.absoluteDestination == "/app/lib/b")
        #expect(i[10].resolved?.workdir == "/opt/app")
        #expect(i[10].workingDirectory == "/app/lib")
    }

    @Test func copyFromRules() {
        let m = model("FROM a AS one\nCOPY --from=$X a b\nCOPY --from=5 a b\nCOPY --from=-1 a b\nCOPY --from=two a b\nFROM b AS two\n")
        #expect(errors(m) == [
            "2:6: variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
            "3:6: invalid stage index 5",
            "4:6: invalid stage index -1",
            "5:6: cannot copy from stage \"two\", it needs to be defined before current stage \"one\"",
        ])
        let cyc = model("FROM a AS one\nCOPY --from=one /x /y\n")
        #expect(errors(cyc) == ["2:6: circular dependency detected on stage: one"])
    }

    @Test func runMountsExpandedAndChecked() {
        let m = model("""
        FROM a AS assets
        FROM a
        ARG CACHE=/root/.cache
        RUN --mount=type=cache,target=$CACHE,id=${ID:-pip} --mount=from=assets,target=/a true
        RUN --mount=type=cach,target=/x true
        RUN --mount=type=secret true
        RUN --mount=from=later,target=/l true
        FROM b AS later
        """)
        let run = m.stages[1].instructions[1]
        #expect(run.resolved?.mounts?.first?.target == "/root/.cache")
        #expect(run.resolved?.mounts?.first?.id == "pip")
        #expect(run.matchedVariables == ["CACHE"])
        #expect(run.unmatchedVariables == ["ID"])
        #expect(m.stages[1].dependencies.compactMap(\.stage) == [0, 2])
        #expect(errors(m) == [
            "5:13: unsupported mount type \"cach\" (did you mean cache?)",
            "6:5: invalid secret mount. one of source, target required",
            "7:5: cannot mount from stage \"later\" to \"/l\", stage needs to be defined before current command",
        ])
    }

    @Test func exposeVolumeStopsignal() {
        let m = model("""
        FROM a
        ARG P="443/TCP 9000"
        EXPOSE 80 8000-8002/udp $P
        EXPOSE 80/xyz
        EXPOSE abc
        VOLUME $EMPTY
        STOPSIGNAL SIGFOO
        STOPSIGNAL sigterm
        STOPSIGNAL 9
        LABEL version=$P
        """)
        let e = m.stages[0].instructions[1].resolved
        #expect(e?.ports == ["80", "8000-8002/udp", "443/TCP", "9000"])
        #expect(e?.exposedPorts?.flatMap(\.entries) == ["80/tcp", "8000/udp", "8001/udp", "8002/udp", "443/tcp", "9000/tcp"])
        #expect(e?.exposedPorts?[2].protoAsWritten == "TCP")
        #expect(m.stages[0].instructions[8].resolved?.pairs == [ResolvedPair(key: "version", value: "443/TCP 9000")])
        // `$EMPTY` may come from the base image `a`: not an error.
        #expect(errors(m) == [
            "4:8: invalid port: \"80/xyz\": invalid proto: xyz",
            "5:8: invalid containerPort: abc",
            "7:12: invalid signal: SIGFOO",
        ])
    }

    @Test func chmodAndInlineSources() {
        let m = model("FROM a\nARG M=0644\nCOPY --chmod=$M a b\nCOPY --chmod=0789 a b\nCOPY --chmod=u+x a b\n")
        #expect(m.stages[0].instructions[1].resolved?.chmod == "0644")
        #expect(errors(m) == ["4:6: invalid chmod parameter: '0789'. it should be octal string and between 0 and 07777"])
        let add = model("FROM a\nADD --checksum=sha256:x a b /d/\nADD --checksum=sha256:x local.tgz /d/\nADD --checksum=sha256:x https://x/y.tgz /d/\nADD --chmod=99999 https://x/z /z\n")
        #expect(errors(add) == ["2:5: checksum can't be specified for multiple sources",
                                "3:5: checksum requires HTTP(S) or Git sources",
                                "5:5: invalid chmod parameter: '99999'. it should be octal string and between 0 and 07777"])
    }
}

@Suite("Reachability")
struct ReachabilityTests {
    let text = """
    FROM alpine AS assets
    FROM alpine AS base
    FROM base AS build
    RUN --mount=from=assets,target=/a make
    FROM alpine AS unused
    FROM base AS final
    COPY --from=build /out /out
    """

    @Test func buildkitAndClassic() throws {
        let m = model(text)
        #expect(m.errors.isEmpty)
        #expect(try m.reachableStages().get() == [0, 1, 2, 4])
        #expect(try m.classicStages().get() == [0, 1, 2, 3, 4])
        #expect(try m.reachableStages(target: "build").get() == [0, 1, 2])
        #expect(try m.classicStages(target: "build").get() == [0, 1, 2])
        #expect(try m.reachableStages(target: "UNUSED").get() == [3])
        #expect(try model(text, target: "base").reachableStages().get() == [1])
    }

    @Test func unknownTarget() {
        let m = model(text)
        guard case .failure(let e) = m.reachableStages(target: "nope") else { Issue.record("expected error"); return }
        #expect(e.message == "target stage \"nope\" could not be found")
        guard case .failure(let s) = m.classicStages(target: "buld") else { Issue.record("expected error"); return }
        #expect(s.message == "target stage \"buld\" could not be found (did you mean build?)")
    }

    @Test func targetStageBuiltinArg() {
        let m = model("FROM a AS x\nARG TARGETSTAGE\nRUN y\nFROM b AS last\n", target: "x")
        #expect(scopeValue(m.stages[0].instructions[1], "TARGETSTAGE") == .some("x"))
        let d = model("FROM a\nARG TARGETSTAGE TARGETARCH\nRUN y\n")
        #expect(scopeValue(d.stages[0].instructions[1], "TARGETSTAGE") == .some("default"))
        #expect(scopeValue(d.stages[0].instructions[1], "TARGETARCH") == .some("amd64"))
    }
}

/// A model built from the file's typing made once (`DockerfileModel.typed`, what a replay that
/// gives a build argument a new value per build reuses) is the model built from scratch.
@Suite("Models from a typing made once")
struct TypedModelTests {
    @Test func sameModelForEveryValue() {
        let texts = [
            "ARG BASE=alpine\nFROM ${BASE} AS build\nARG GIT_SHA\nENV V=$GIT_SHA\nRUN echo $V\nFROM build\nCOPY --from=build /a /b\n",
            "FROM a\nRUN --mount=type=cache,target=/x,id=$ID make\nWORKDIR /app/${GIT_SHA:-none}\n",
            "RUN before\nFROM\nFROM x AS\nCOPY --bogus a b\nARG\n",
            "",
        ]
        for text in texts {
            let file = DockerfileParser.parse(text)
            let typed = DockerfileModel.typed(file)
            for value in ["", "1f2e3d", "$(x)"] {
                var options = BuildOptions()
                options.buildArgs["GIT_SHA"] = value
                options.buildArgs["ID"] = value
                let fresh = DockerfileModel.build(file, options: options)
                let reused = DockerfileModel.build(file, options: options, typed: typed)
                #expect(reused.json() == fresh.json(), "\(text.debugDescription) with \(value.debugDescription)")
                #expect(reused.errors == fresh.errors)
            }
        }
    }
}
