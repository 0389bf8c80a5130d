import DockerlintSyntax
import Testing
@testable import DockerlintModel

@Suite("Flags (BFlags)")
struct FlagTests {
    @Test func unknownFlagWithSuggestion() {
        #expect(parseError("COPY --foo=bar a b") == "1:6: unknown flag: --foo (did you mean from?)")
        #expect(parseError("RUN --mout=type=cache,target=/x echo") == "1:5: unknown flag: --mout (did you mean mount?)")
        #expect(parseError("HEALTHCHECK --start-intervl=1s CMD x") == "1:13: unknown flag: --start-intervl (did you mean start-interval?)")
    }

    @Test func unknownFlagWithoutSuggestion() {
        #expect(parseError("COPY --zzzzzz=1 a b") == "1:6: unknown flag: --zzzzzz")
        #expect(parseError("WORKDIR --foo /x") == "1:9: unknown flag: --foo")
        #expect(parseError("ENV --x=1 A=b") == "1:5: unknown flag: --x")
        #expect(parseError("ONBUILD --x RUN y") == "1:9: unknown flag: --x")
    }

    @Test func flagsNeverParsedByBuildKit() {
        // BuildKit never calls Parse() for ARG, STOPSIGNAL and HEALTHCHECK NONE.
        #expect(parseError("ARG --foo A=1") == nil)
        #expect(parseError("STOPSIGNAL --foo SIGKILL") == nil)
        #expect(parseError("HEALTHCHECK --foo NONE") == nil)
    }

    @Test func boolFlags() {
        #expect(parseError("COPY --link=maybe a b") == "1:6: expecting boolean value for flag --link, not: maybe")
        #expect(parseError("COPY --link= a b") == "1:6: missing a value on flag: --link")
        guard case .copy(let c)? = command("COPY --link --parents=FALSE a b") else { Issue.record("no copy"); return }
        #expect(c.link == true)
        #expect(c.parents == false)
        guard case .add(let a)? = command("ADD --keep-git-dir=true --unpack=false x y") else { Issue.record("no add"); return }
        #expect(a.keepGitDir == true)
        #expect(a.unpack == false)
        guard case .add(let a2)? = command("ADD x y") else { Issue.record("no add"); return }
        #expect(a2.keepGitDir == nil && a2.unpack == nil)
    }

    @Test func stringFlags() {
        #expect(parseError("COPY --from a b") == "1:6: missing a value on flag: --from")
        #expect(parseError("COPY --from=a --from=b x y") == "1:15: duplicate flag specified: --from")
        guard case .copy(let c)? = command("COPY --exclude=*.md --exclude=*.txt --chmod=755 --chown=a:b . /x") else {
            Issue.record("no copy"); return
        }
        #expect(c.excludes.map(\.value) == ["*.md", "*.txt"])
        #expect(c.chmod?.value == "755")
        #expect(c.chown?.value == "a:b")
        #expect(c.excludes[1].range.start.column == 21)
    }

    @Test func addOnlyAndCopyOnlyFlags() {
        #expect(parseError("COPY --checksum=sha256:x a b") == "1:6: unknown flag: --checksum")
        #expect(parseError("ADD --from=x a b") == "1:5: unknown flag: --from")
        guard case .add(let a)? = command("ADD --checksum=sha256:abc https://x/y.tgz /y") else { Issue.record("no add"); return }
        #expect(a.checksum?.value == "sha256:abc")
    }

    @Test func doubleDashEndsFlags() {
        guard case .copy(let c)? = command("COPY --link -- --x /y") else { Issue.record("no copy"); return }
        #expect(c.link)
        #expect(c.sources.map(\.value) == ["--x"])
    }
}

@Suite("Instruction errors and values")
struct InstructionTests {
    @Test func unknownInstruction() {
        #expect(parseError("FOO bar") == "1:1: unknown instruction: FOO (did you mean FROM?)")
        #expect(parseError("FOOBAR bar") == "1:1: unknown instruction: FOOBAR")
        #expect(parseError("RUNN x") == "1:1: unknown instruction: RUNN (did you mean RUN?)")
        #expect(parseError("copyy a b") == "1:1: unknown instruction: copyy (did you mean copy?)")
    }

    @Test func from() {
        guard case .from(let f)? = command("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build") else { Issue.record("no from"); return }
        #expect(f.image.value == "golang:1.22")
        #expect(f.stageName == "build")
        #expect(f.platform?.value == "$BUILDPLATFORM")
        #expect(parseError("FROM a b") == "1:6: FROM requires either one or three arguments")
        #expect(parseError("FROM") == "1:1: FROM requires either one or three arguments")
        #expect(parseError("FROM a AS 1bad") == "1:11: invalid name for build stage: \"1bad\", name can't start with a number or contain symbols")
        #expect(parseError("FROM a AS b$c") == "1:11: invalid name for build stage: \"b$c\", name can't start with a number or contain symbols")
        // The stage name is checked before the flags, as in parseFrom.
        #expect(parseError("FROM --bad=1 a AS 9") == "1:19: invalid name for build stage: \"9\", name can't start with a number or contain symbols")
        #expect(parseError("FROM --bad=1 a") == "1:6: unknown flag: --bad")
    }

    @Test func copyAndAdd() {
        #expect(parseError("COPY a") == "1:6: COPY requires at least two arguments, but only one was provided. Destination could not be determined")
        #expect(parseError("ADD") == "1:1: ADD requires at least two arguments, but only one was provided. Destination could not be determined")
        #expect(parseError("COPY a <<EOF") == "1:8: COPY cannot accept a heredoc as a destination")
        #expect(parseError("ADD a 3<<-EOF") == "1:7: ADD cannot accept a heredoc as a destination")
        guard case .copy(let c)? = command("COPY --from=build a b /dst/") else { Issue.record("no copy"); return }
        #expect(c.sources.map(\.value) == ["a", "b"])
        #expect(c.destination.value == "/dst/")
        #expect(c.from?.value == "build")
        guard case .copy(let j)? = command("COPY [\"a b\", \"/x y/\"]") else { Issue.record("no json copy"); return }
        #expect(j.sources.map(\.value) == ["a b"])
        #expect(j.destination.value == "/x y/")
        guard case .copy(let h)? = command("COPY <<EOF <<'RAW' /x") else { Issue.record("no heredoc copy"); return }
        #expect(h.sources.isEmpty)
        #expect(h.inlineSources.map(\.path) == ["EOF", "RAW"])
        #expect(h.inlineSources.map(\.expand) == [true, false])
    }

    @Test func envAndLabel() {
        guard case .env(let e)? = command("ENV A=1 B=\"two words\"") else { Issue.record("no env"); return }
        #expect(e.pairs.map(\.key.value) == ["A", "B"])
        guard case .env(let legacy)? = command("ENV A one two") else { Issue.record("no env"); return }
        #expect(legacy.pairs.first?.hasEquals == false)
        #expect(legacy.pairs.first?.value.value == "one two")
        #expect(parseError("LABEL") == "1:1: LABEL requires at least one argument")
        #expect(parseError("ENV") == "1:1: ENV requires at least one argument")
        #expect(parseError("ENV =x")?.hasSuffix("ENV names can not be blank") == true)
        guard case .label(let l)? = command("LABEL a=b c=d") else { Issue.record("no label"); return }
        #expect(l.pairs.count == 2)
    }

    @Test func arg() {
        guard case .arg(let a)? = command("ARG A B=2 C=\"x y\"") else { Issue.record("no arg"); return }
        #expect(a.definitions.map(\.key) == ["A", "B", "C"])
        #expect(a.definitions.map(\.defaultValue) == [nil, "2", "\"x y\""])
        #expect(a.definitions[1].keyRange.start.column == 7 && a.definitions[1].keyRange.end.column == 8)
        #expect(parseError("ARG") == "1:1: ARG requires at least one argument")
        #expect(parseError("ARG =x") == "1:5: ARG names can not be blank")
    }

    @Test func cmdEntrypointShell() {
        guard case .cmd(let c)? = command("CMD [\"nginx\", \"-g\", \"daemon off;\"]") else { Issue.record("no cmd"); return }
        #expect(c.isExecForm && c.arguments == ["nginx", "-g", "daemon off;"])
        guard case .cmd(let s)? = command("CMD echo  hi") else { Issue.record("no cmd"); return }
        #expect(s.prependShell && s.arguments == ["echo  hi"])
        guard case .entrypoint(let e)? = command("ENTRYPOINT []") else { Issue.record("no entrypoint"); return }
        #expect(e.arguments.isEmpty && e.isExecForm)
        guard case .shell(let sh)? = command("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]") else { Issue.record("no shell"); return }
        #expect(sh.shell == ["/bin/bash", "-o", "pipefail", "-c"])
        #expect(parseError("SHELL /bin/sh -c") == "1:7: SHELL requires the arguments to be in JSON form")
        #expect(parseError("SHELL []") == "1:7: SHELL requires at least one argument")
        #expect(parseError("SHELL") == "1:1: SHELL requires at least one argument")
        #expect(parseError("CMD --x echo") == "1:5: unknown flag: --x")
    }

    @Test func healthcheck() {
        guard case .healthcheck(let h)? = command("HEALTHCHECK --interval=5s --timeout=1m30s --start-period=1.5s --start-interval=2ms --retries=3 CMD curl -f http://localhost/") else {
            Issue.record("no healthcheck"); return
        }
        #expect(h.test == ["CMD-SHELL", "curl -f http://localhost/"])
        #expect(h.interval == 5_000_000_000)
        #expect(h.timeout == 90_000_000_000)
        #expect(h.startPeriod == 1_500_000_000)
        #expect(h.startInterval == 2_000_000)
        #expect(h.retries == 3)
        guard case .healthcheck(let j)? = command("HEALTHCHECK CMD [\"curl\", \"-f\"]") else { Issue.record("no hc"); return }
        #expect(j.test == ["CMD", "curl", "-f"])
        guard case .healthcheck(let n)? = command("healthcheck none") else { Issue.record("no hc"); return }
        #expect(n.isNone && n.test == ["NONE"])
        #expect(parseError("HEALTHCHECK NONE x") == "1:18: HEALTHCHECK NONE takes no arguments")
        #expect(parseError("HEALTHCHECK") == "1:1: HEALTHCHECK requires at least one argument")
        #expect(parseError("HEALTHCHECK FOO x") == "1:13: Unknown type \"FOO\" in HEALTHCHECK (try CMD)")
        #expect(parseError("HEALTHCHECK CMD") == "1:13: Missing command after HEALTHCHECK CMD")
        #expect(parseError("HEALTHCHECK --interval=5x CMD true") == "1:13: time: unknown unit \"x\" in duration \"5x\"")
        #expect(parseError("HEALTHCHECK --interval=10 CMD true") == "1:13: time: missing unit in duration \"10\"")
        #expect(parseError("HEALTHCHECK --timeout=abc CMD true") == "1:13: time: invalid duration \"abc\"")
        #expect(parseError("HEALTHCHECK --interval=0.5ms CMD true") == "1:13: Interval \"interval\" cannot be less than 1ms")
        #expect(parseError("HEALTHCHECK --interval=-1s CMD true") == "1:13: Interval \"interval\" cannot be less than 1ms")
        #expect(parseError("HEALTHCHECK --interval=0 CMD true") == nil)
        #expect(parseError("HEALTHCHECK --retries=-1 CMD true") == "1:13: --retries cannot be negative (-1)")
        #expect(parseError("HEALTHCHECK --retries=abc CMD true") == "1:13: strconv.ParseInt: parsing \"abc\": invalid syntax")
        #expect(parseError("HEALTHCHECK --retries=9999999999 CMD true") == "1:13: strconv.ParseInt: parsing \"9999999999\": value out of range")
    }

    @Test func singleArgumentInstructions() {
        #expect(parseError("MAINTAINER") == "1:1: MAINTAINER requires exactly one argument")
        #expect(parseError("USER") == "1:1: USER requires exactly one argument")
        #expect(parseError("WORKDIR") == "1:1: WORKDIR requires exactly one argument")
        #expect(parseError("STOPSIGNAL") == "1:1: STOPSIGNAL requires exactly one argument")
        guard case .user(let u)? = command("USER app:app") else { Issue.record("no user"); return }
        #expect(u.value.value == "app:app")
        guard case .maintainer(let m)? = command("MAINTAINER Jane Doe <jane@example.com>") else { Issue.record("no maintainer"); return }
        #expect(m.value.value == "Jane Doe <jane@example.com>")
        guard case .stopsignal(let s)? = command("STOPSIGNAL SIGQUIT") else { Issue.record("no stopsignal"); return }
        #expect(s.value.value == "SIGQUIT")
    }

    @Test func exposeAndVolume() {
        #expect(parseError("EXPOSE") == "1:1: EXPOSE requires at least one argument")
        guard case .expose(let e)? = command("EXPOSE 80 443/tcp") else { Issue.record("no expose"); return }
        #expect(e.ports.map(\.value) == ["80", "443/tcp"])
        #expect(parseError("VOLUME") == "1:1: VOLUME requires at least one argument")
        #expect(parseError("VOLUME [\"/a\", \" \"]")?.hasSuffix("VOLUME specified can not be an empty string") == true)
        guard case .volume(let v)? = command("VOLUME /data /logs") else { Issue.record("no volume"); return }
        #expect(v.volumes.map(\.value) == ["/data", "/logs"])
    }

    @Test func onbuild() {
        #expect(parseError("ONBUILD ONBUILD RUN x") == "1:9: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
        #expect(parseError("ONBUILD FROM x") == "1:9: FROM isn't allowed as an ONBUILD trigger")
        #expect(parseError("onbuild maintainer x") == "1:9: MAINTAINER isn't allowed as an ONBUILD trigger")
        #expect(parseError("ONBUILD") == "1:1: ONBUILD requires at least one argument")
        guard case .onbuild(let o)? = command("ONBUILD RUN echo hi") else { Issue.record("no onbuild"); return }
        #expect(o.expression == "RUN echo hi")
        guard case .run(let r)? = o.trigger?.command else { Issue.record("no trigger"); return }
        #expect(r.commandLine.arguments == ["echo hi"])
        // A broken trigger is not an error of this file (BuildKit parses it in the child build).
        guard case .onbuild(let bad)? = command("ONBUILD COPY --bogus a b") else { Issue.record("no onbuild"); return }
        #expect(bad.trigger == nil)
        #expect(bad.triggerErrors.map(\.description) == ["1:14: unknown flag: --bogus"])
    }
}

@Suite("RUN flags and mounts")
struct RunTests {
    @Test func networkSecurityDevice() {
        guard case .run(let r)? = command("RUN --network=none --security=insecure --device=nvidia.com/gpu=all,required true") else {
            Issue.record("no run"); return
        }
        #expect(r.network == .none)
        #expect(r.security == .insecure)
        #expect(r.devices.map(\.name) == ["nvidia.com/gpu=all"])
        #expect(r.devices.first?.required == true)
        #expect(r.flagsUsed == ["network", "security", "device"])
        #expect(parseError("RUN --network=foo x") == "1:5: invalid network mode \"foo\"")
        #expect(parseError("RUN --security=x y") == "1:5: security \"x\" is not valid")
        #expect(parseError("RUN --network=host --network=none x") == "1:20: duplicate flag specified: --network")
        guard case .run(let d)? = command("RUN echo") else { Issue.record("no run"); return }
        #expect(d.network == .default && d.security == .sandbox)
    }

    @Test func mountTyped() {
        guard case .run(let r)? = command("RUN --mount=type=cache,target=/root/.cache,sharing=locked,id=pip --mount=type=secret,id=tok,env=TOKEN --mount=src=.,dst=/src,rw pip install .") else {
            Issue.record("no run"); return
        }
        #expect(r.mounts.count == 3)
        #expect(r.mounts[0].type == .cache && r.mounts[0].target == "/root/.cache" && r.mounts[0].sharing == .locked)
        #expect(r.mounts[0].id == "pip" && r.mounts[0].readOnly == false)
        #expect(r.mounts[1].type == .secret && r.mounts[1].env == "TOKEN" && r.mounts[1].readOnly)
        #expect(r.mounts[2].type == .bind && r.mounts[2].source == "." && r.mounts[2].target == "/src")
        #expect(r.mounts[2].readOnly == false && r.mounts[2].readOnlyExplicit)
        #expect(r.commandLine.arguments == ["pip install ."])
    }

    @Test func mountParseTimeErrors() {
        #expect(parseError("RUN --mount=from=$X,target=/a x") == "1:13: 'from' doesn't support variable expansion, define alias stage instead")
        #expect(parseError("RUN --mount=from=stage$ x") == nil)
        #expect(parseError("RUN --mount= x") == "1:5: failed to parse csv mounts: EOF")
        // Value errors wait for dispatch (expansion), as in BuildKit.
        #expect(parseError("RUN --mount=type=foo x") == nil)
    }

    @Test func mountCSV() {
        let id: MountParser.Expander = { .success($0) }
        guard case .success(let m) = MountParser.parse("type=bind,\"source=a,b\",target=/x", expander: id) else {
            Issue.record("csv"); return
        }
        #expect(m.source == "a,b")
        #expect(m.fields == ["type=bind", "source=a,b", "target=/x"])
        guard case .failure(let e) = MountParser.parse("type=bind,source=a\"b", expander: id) else { Issue.record("bare"); return }
        #expect(e.message == "failed to parse csv mounts: parse error on line 1, column 19: bare \" in non-quoted-field")
        guard case .failure(let q) = MountParser.parse("\"type=bind\"x", expander: id) else { Issue.record("quote"); return }
        #expect(q.message == "failed to parse csv mounts: parse error on line 1, column 11: extraneous or missing \" in quoted-field")
    }

    @Test func mountValidation() {
        let id: MountParser.Expander = { .success($0) }
        func msg(_ s: String) -> String? {
            if case .failure(let e) = MountParser.parse(s, expander: id) { return e.message }
            return nil
        }
        #expect(msg("type=foo") == "unsupported mount type \"foo\"")
        #expect(msg("type=cach,target=/x") == "unsupported mount type \"cach\" (did you mean cache?)")
        #expect(msg("type=secret") == "invalid secret mount. one of source, target required")
        #expect(msg("type=secret,id=a,source=b") == "both source and id can't be set")
        #expect(msg("type=secret,from=x,id=a") == "secret mount should not have a from")
        #expect(msg("type=bind,mode=0700,target=/x") == "mode not allowed for \"bind\" type mounts")
        #expect(msg("type=tmpfs,uid=1,target=/x") == "uid not allowed for \"tmpfs\" type mounts")
        #expect(msg("type=cache,sharing=x,target=/x") == "unsupported sharing value \"x\"")
        #expect(msg("type=cache,sharing=lockd,target=/x") == "unsupported sharing value \"lockd\" (did you mean locked?)")
        #expect(msg("type=bind,sharing=locked,target=/x") == "invalid cache sharing set for bind mount")
        #expect(msg("type=cache,required,target=/x") == "unexpected key 'required' for mount type 'cache'")
        #expect(msg("type=cache,size=1g,target=/x") == "unexpected key 'size' for mount type 'cache'")
        #expect(msg("type=tmpfs,size=abc,target=/t") == "invalid value for size: abc")
        #expect(msg("targte=/x") == "unexpected key 'targte' in 'targte=/x' (did you mean target?)")
        #expect(msg("bogus") == "invalid field 'bogus' must be a key=value pair")
        #expect(msg("type=cache,mode=999,target=/x") == "invalid value 999 for mode")
        #expect(msg("type=cache,uid=-1,target=/x") == "invalid value -1 for uid")
        #expect(msg("type=bind,ro=maybe") == "invalid value for ro: maybe")
        guard case .success(let t) = MountParser.parse("type=tmpfs,size=1g,target=/t", expander: id) else { Issue.record("tmpfs"); return }
        #expect(t.sizeLimit == 1 << 30 && t.readOnly == false)
        guard case .success(let s) = MountParser.parse("type=ssh,required", expander: id) else { Issue.record("ssh"); return }
        #expect(s.required && s.readOnly)
        guard case .success(let c) = MountParser.parse("type=cache,target=/x,mode=0700,uid=1000,gid=1000,ro", expander: id) else { Issue.record("cache"); return }
        #expect(c.mode == 0o700 && c.uid == 1000 && c.gid == 1000 && c.readOnly)
    }
}

@Suite("Go library equivalents")
struct GoSupportTests {
    @Test func durations() throws {
        #expect(try GoDuration.parse("1h2m3.5s").get() == 3_723_500_000_000)
        #expect(try GoDuration.parse("+.5s").get() == 500_000_000)
        #expect(try GoDuration.parse("-3ms").get() == -3_000_000)
        #expect(try GoDuration.parse("300\u{00B5}s").get() == 300_000)
        #expect(GoDuration.format(90_000_000_000) == "1m30s")
        #expect(GoDuration.format(1_000_000) == "1ms")
        #expect(GoDuration.format(3_600_000_000_000) == "1h0m0s")
    }

    @Test func suggest() {
        #expect(Suggest.search("mout", ["device", "mount", "network", "security"], caseSensitive: true) == "mount")
        #expect(Suggest.search("RUNN", InstructionParser.instructionNames, caseSensitive: false) == "RUN")
        #expect(Suggest.search("zzzz", ["mount"], caseSensitive: true) == nil)
    }

    @Test func ramInBytes() {
        #expect(MountParser.ramInBytes("64m") == 64 << 20)
        #expect(MountParser.ramInBytes("1.5KiB") == 1536)
        #expect(MountParser.ramInBytes("10 b") == 10)
        #expect(MountParser.ramInBytes("12x") == nil)
    }
}
