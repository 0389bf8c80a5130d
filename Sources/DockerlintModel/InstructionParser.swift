import DockerlintSyntax

/// BuildKit's `instructions.ParseInstruction`: the typed meaning of one syntax node, with
/// the same checks in the same order, so the first error is the one BuildKit reports.
public struct InstructionParser: Sendable {
    public let source: SourceText
    public let escapeToken: UInt8

    public init(source: SourceText, escapeToken: UInt8 = 0x5C) {
        self.source = source
        self.escapeToken = escapeToken
    }

    public init(_ dockerfile: Dockerfile) {
        self.init(source: dockerfile.source, escapeToken: dockerfile.escapeToken)
    }

    static let instructionNames = InstructionKind.allCases.filter { $0 != .unknown }.map(\.keyword)

    /// Parses one instruction. `.failure` holds BuildKit's error, placed on the word at fault.
    public func parse(_ inst: Instruction) -> Result<TypedInstruction, SyntaxError> {
        switch parseCommand(inst) {
        case .success(let c): return .success(TypedInstruction(syntax: inst, command: c))
        case .failure(let e): return .failure(e)
        }
    }

    // MARK: - Ranges

    /// The error location for the instruction as a whole: its keyword.
    func at(_ inst: Instruction) -> SourceRange { inst.keywordRange }

    /// The arguments, or the keyword when there are none.
    func argsRange(_ inst: Instruction) -> SourceRange {
        inst.argumentsRange.start == inst.argumentsRange.end ? inst.keywordRange : inst.argumentsRange
    }

    /// Part of a word, when the source spells the word exactly as its value (no quotes,
    /// escapes or continuation inside); otherwise the whole word.
    func subrange(_ range: SourceRange, text: String, _ span: Range<Int>) -> SourceRange {
        let s = range.start.offset, e = range.end.offset
        guard e - s == text.utf8.count, source.text(s, e) == text,
              span.lowerBound >= 0, span.upperBound <= text.utf8.count else { return range }
        return source.range(s + span.lowerBound, s + span.upperBound)
    }

    /// A span of a flag's value (after `--name=`) mapped to the source.
    func flagSubrange(_ f: FlagValue, name: String, _ span: Range<Int>?) -> SourceRange {
        guard let span else { return f.range }
        let prefix = 2 + name.utf8.count + 1
        return subrange(f.range, text: "--" + name + "=" + f.value, (span.lowerBound + prefix)..<(span.upperBound + prefix))
    }

    func err(_ message: String, _ range: SourceRange) -> Result<TypedCommand, SyntaxError> {
        .failure(SyntaxError(message: message, range: range))
    }

    // MARK: - Dispatch

    func parseCommand(_ inst: Instruction) -> Result<TypedCommand, SyntaxError> {
        var flags = BFlags(inst.flags)
        let args = inst.arguments
        let kw = inst.kind.keyword
        switch inst.kind {
        case .unknown:
            let msg = Suggest.wrap("unknown instruction: \(inst.keyword)", inst.keyword, Self.instructionNames, caseSensitive: false)
            return err(msg, inst.keywordRange)

        case .env, .label:
            if let e = flags.parse() { return .failure(e) }
            if inst.keyValues.isEmpty { return err("\(kw) requires at least one argument", argsRange(inst)) }
            for kv in inst.keyValues where kv.key.value.isEmpty {
                return err("\(kw) names can not be blank", kv.key.range.start == kv.key.range.end ? kv.value.range : kv.key.range)
            }
            let c = KeyValueCommand(pairs: inst.keyValues)
            return .success(inst.kind == .env ? .env(c) : .label(c))

        case .maintainer:
            if args.count != 1 { return err("MAINTAINER requires exactly one argument", argsRange(inst)) }
            if let e = flags.parse() { return .failure(e) }
            return .success(.maintainer(SingleValueCommand(value: args[0])))

        case .add, .copy:
            let isAdd = inst.kind == .add
            if args.count < 2 {
                return err("\(kw) requires at least two arguments, but only one was provided. Destination could not be determined", argsRange(inst))
            }
            if isAdd {
                flags.add("chown", .string); flags.add("chmod", .string); flags.add("link", .bool)
                flags.add("keep-git-dir", .bool); flags.add("checksum", .string); flags.add("unpack", .bool)
                flags.add("exclude", .strings)
            } else {
                flags.add("chown", .string); flags.add("from", .string); flags.add("chmod", .string)
                flags.add("link", .bool); flags.add("exclude", .strings); flags.add("parents", .bool)
            }
            if let e = flags.parse() { return .failure(e) }
            let dest = args[args.count - 1]
            if HeredocMarker.parse(dest.value) != nil {
                return err("\(kw) cannot accept a heredoc as a destination", dest.range)
            }
            var sources: [Argument] = []
            var inline: [InlineSource] = []
            for src in args.dropLast() {
                if let h = HeredocMarker.parse(src.value) {
                    let doc = inst.heredocs.first { $0.name == h.name }
                    var data = doc?.content ?? ""
                    if h.chomp { data = Heredoc.chomp(data) }
                    inline.append(InlineSource(path: h.name, data: data, expand: h.expand))
                } else {
                    sources.append(src)
                }
            }
            let c = CopyCommand(isAdd: isAdd, sources: sources, inlineSources: inline, destination: dest,
                                from: flags.string("from"), chown: flags.string("chown"), chmod: flags.string("chmod"),
                                link: flags.bool("link") ?? false, parents: flags.bool("parents") ?? false,
                                excludes: flags.strings("exclude"), keepGitDir: flags.bool("keep-git-dir"),
                                checksum: flags.string("checksum"), unpack: flags.bool("unpack"))
            return .success(isAdd ? .add(c) : .copy(c))

        case .from:
            var name: String?
            var nameArg: Argument?
            var asArg: Argument?
            if args.count == 3 && args[1].value.lowercased() == "as" {
                let n = args[2].value.lowercased()
                if !Self.validStageName(n) {
                    return err("invalid name for build stage: \(goQuote(args[2].value)), name can't start with a number or contain symbols", args[2].range)
                }
                name = n
                nameArg = args[2]
                asArg = args[1]
            } else if args.count != 1 {
                return err("FROM requires either one or three arguments", argsRange(inst))
            }
            flags.add("platform", .string)
            if let e = flags.parse() { return .failure(e) }
            return .success(.from(FromCommand(image: args[0], stageName: name, stageNameArgument: nameArg,
                                              asKeyword: asArg, platform: flags.string("platform"))))

        case .onbuild:
            guard let child = inst.child?.value else { return err("ONBUILD requires at least one argument", argsRange(inst)) }
            if let e = flags.parse() { return .failure(e) }
            let trigger = child.keyword.trimmingGoSpace().uppercased()
            switch trigger {
            case "ONBUILD": return err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", child.keywordRange)
            case "MAINTAINER", "FROM": return err("\(trigger) isn't allowed as an ONBUILD trigger", child.keywordRange)
            default: break
            }
            var expression = Self.stripOnbuild(inst.original)
            for h in inst.heredocs { expression += "\n" + h.content + h.name }
            var typed: TypedInstruction?
            var triggerErrors: [SyntaxError] = []
            switch parse(child) {
            case .success(let t): typed = t
            case .failure(let e): triggerErrors.append(e)
            }
            return .success(.onbuild(OnbuildCommand(expression: expression, trigger: typed, triggerErrors: triggerErrors)))

        case .workdir, .user:
            if args.count != 1 { return err("\(kw) requires exactly one argument", argsRange(inst)) }
            if let e = flags.parse() { return .failure(e) }
            let c = SingleValueCommand(value: args[0])
            return .success(inst.kind == .workdir ? .workdir(c) : .user(c))

        case .run:
            flags.add("device", .strings)
            flags.add("mount", .strings)
            flags.add("network", .string)
            flags.add("security", .string)
            if let e = flags.parse() { return .failure(e) }
            var devices: [RunDevice] = []
            for f in flags.strings("device") {
                switch MountParser.parseDevice(f.value) {
                case .failure(let e): return err(e.message, flagSubrange(f, name: "device", e.span))
                case .success(let (n, r)): devices.append(RunDevice(name: n, required: r, flag: f))
                }
            }
            var mounts: [RunMount] = []
            for f in flags.strings("mount") {
                // BuildKit's parse-time pass (no expander): CSV and `from=` only.
                if case .failure(let e) = MountParser.parse(f.value, expander: nil) {
                    return err(e.message, flagSubrange(f, name: "mount", e.span))
                }
                // The typed value with the words as written; errors wait for dispatch.
                if case .success(let m) = MountParser.parse(f.value, expander: { .success($0) }) {
                    mounts.append(m)
                } else {
                    var m = RunMount()
                    if case .success(let partial) = MountParser.parse(f.value, expander: nil) { m = partial }
                    mounts.append(m)
                }
            }
            let netFlag = flags.string("network")
            let net = netFlag?.value ?? "default"
            guard let network = NetworkMode(rawValue: net) else {
                return err("invalid network mode \(goQuote(net))", netFlag?.range ?? at(inst))
            }
            let secFlag = flags.string("security")
            let sec = secFlag?.value ?? "sandbox"
            guard let security = SecurityMode(rawValue: sec) else {
                return err("security \(goQuote(sec)) is not valid", secFlag?.range ?? at(inst))
            }
            return .success(.run(RunCommand(commandLine: commandLine(inst, emptyAsNil: false), mounts: mounts,
                                            mountFlags: flags.strings("mount"), network: network, networkFlag: netFlag,
                                            security: security, securityFlag: secFlag, devices: devices,
                                            flagsUsed: flags.usedOrder)))

        case .cmd, .entrypoint:
            if let e = flags.parse() { return .failure(e) }
            let c = commandLine(inst, emptyAsNil: inst.kind == .entrypoint)
            return .success(inst.kind == .cmd ? .cmd(c) : .entrypoint(c))

        case .healthcheck:
            return parseHealthcheck(inst, &flags)

        case .expose:
            if args.isEmpty { return err("EXPOSE requires at least one argument", argsRange(inst)) }
            if let e = flags.parse() { return .failure(e) }
            return .success(.expose(ExposeCommand(ports: args)))

        case .volume:
            if args.isEmpty { return err("VOLUME requires at least one argument", argsRange(inst)) }
            if let e = flags.parse() { return .failure(e) }
            var vols: [Argument] = []
            for a in args {
                let v = a.value.trimmingGoSpace()
                if v.isEmpty { return err("VOLUME specified can not be an empty string", a.range) }
                vols.append(Argument(value: v, range: a.range))
            }
            return .success(.volume(VolumeCommand(volumes: vols)))

        case .stopsignal:
            // BuildKit never parses STOPSIGNAL's flags: they are ignored.
            if args.count != 1 { return err("STOPSIGNAL requires exactly one argument", argsRange(inst)) }
            return .success(.stopsignal(SingleValueCommand(value: args[0])))

        case .arg:
            // BuildKit never parses ARG's flags either.
            if args.isEmpty { return err("ARG requires at least one argument", argsRange(inst)) }
            var defs: [ArgDefinition] = []
            for a in args {
                if let eq = a.value.firstIndex(of: "=") {
                    let key = String(a.value[..<eq])
                    if key.isEmpty { return err("ARG names can not be blank", a.range) }
                    let value = String(a.value[a.value.index(after: eq)...])
                    defs.append(ArgDefinition(key: key, defaultValue: value, argument: a,
                                              keyRange: subrange(a.range, text: a.value, 0..<key.utf8.count)))
                } else {
                    defs.append(ArgDefinition(key: a.value, defaultValue: nil, argument: a, keyRange: a.range))
                }
            }
            return .success(.arg(ArgCommand(definitions: defs)))

        case .shell:
            if let e = flags.parse() { return .failure(e) }
            let shell = Self.handleJSONArgs(args.map(\.value), json: inst.isJSON)
            if shell.isEmpty { return err("SHELL requires at least one argument", argsRange(inst)) }
            if !inst.isJSON { return err("SHELL requires the arguments to be in JSON form", argsRange(inst)) }
            return .success(.shell(ShellCommand(shell: shell)))
        }
    }

    func parseHealthcheck(_ inst: Instruction, _ flags: inout BFlags) -> Result<TypedCommand, SyntaxError> {
        let args = inst.arguments
        if args.isEmpty { return err("HEALTHCHECK requires at least one argument", argsRange(inst)) }
        let typ = args[0].value.uppercased()
        let rest = Array(args.dropFirst())
        if typ == "NONE" {
            if !rest.isEmpty {
                let r = source.range(rest[0].range.start.offset, rest[rest.count - 1].range.end.offset)
                return err("HEALTHCHECK NONE takes no arguments", r)
            }
            return .success(.healthcheck(HealthcheckCommand(test: ["NONE"], interval: 0, timeout: 0, startPeriod: 0,
                                                            startInterval: 0, retries: 0)))
        }
        let names = ["interval", "timeout", "start-period", "start-interval", "retries"]
        for n in names { flags.add(n, .string) }
        if let e = flags.parse() { return .failure(e) }
        guard typ == "CMD" else { return err("Unknown type \(goQuote(typ)) in HEALTHCHECK (try CMD)", args[0].range) }
        let cmd = Self.handleJSONArgs(rest.map(\.value), json: inst.isJSON)
        if cmd.isEmpty { return err("Missing command after HEALTHCHECK CMD", args[0].range) }
        let test = [inst.isJSON ? "CMD" : "CMD-SHELL"] + cmd
        var durations: [Int64] = []
        for n in names.prefix(4) {
            guard let f = flags.string(n), !f.value.isEmpty else { durations.append(0); continue }
            switch GoDuration.parse(f.value) {
            case .failure(let e): return err(e.message, f.range)
            case .success(let d):
                if d == 0 { durations.append(0); continue }
                if d < 1_000_000 { return err("Interval \(goQuote(n)) cannot be less than 1ms", f.range) }
                durations.append(d)
            }
        }
        var retries = 0
        if let f = flags.string("retries"), !f.value.isEmpty {
            switch GoStrconv.parseInt(f.value, bits: 32) {
            case .failure(let e): return err(GoStrconv.message("ParseInt", f.value, e), f.range)
            case .success(let r):
                if r < 0 { return err("--retries cannot be negative (\(r))", f.range) }
                retries = Int(r)
            }
        }
        return .success(.healthcheck(HealthcheckCommand(test: test, interval: durations[0], timeout: durations[1],
                                                        startPeriod: durations[2], startInterval: durations[3],
                                                        retries: retries)))
    }

    func commandLine(_ inst: Instruction, emptyAsNil: Bool) -> CommandLineValue {
        let files = inst.heredocs.map { ShellInlineFile(name: $0.name, data: $0.content, chomp: $0.chomp, expand: $0.expand) }
        return CommandLineValue(arguments: Self.handleJSONArgs(inst.arguments.map(\.value), json: inst.isJSON),
                                prependShell: !inst.isJSON, files: files)
    }

    /// `handleJSONArgs`.
    static func handleJSONArgs(_ args: [String], json: Bool) -> [String] {
        if args.isEmpty { return [] }
        if json { return args }
        // Joined by hand: the first call of the standard library's generic `joined` on
        // [String] in a run makes the runtime scan every conformance record of the binary
        // (0.29 M instructions); ReportSummary.sentence does the same.
        var line = args[0]
        for a in args.dropFirst() { line += " "; line += a }
        return [line]
    }

    /// `^[a-z][a-z0-9-_.]*$`.
    static func validStageName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, f >= 0x61, f <= 0x7A else { return false }
        return u.dropFirst().allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// `(?i)^\s*ONBUILD\s*` removed.
    static func stripOnbuild(_ s: String) -> String {
        var u = Substring(s).utf8[...]
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D }
        while let c = u.first, isSpace(c) { u = u.dropFirst() }
        let word = Array(u.prefix(7))
        guard word.count == 7, String(decoding: word, as: UTF8.self).uppercased() == "ONBUILD" else { return s }
        u = u.dropFirst(7)
        while let c = u.first, isSpace(c) { u = u.dropFirst() }
        return String(Substring(u))
    }
}

extension String {
    /// Go's `strings.TrimSpace`.
    func trimmingGoSpace() -> String {
        let sc = unicodeScalars
        func sp(_ u: Unicode.Scalar) -> Bool {
            switch u.value {
            case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
            default: return false
            }
        }
        guard let s = sc.firstIndex(where: { !sp($0) }), let e = sc.lastIndex(where: { !sp($0) }) else { return "" }
        return String(sc[s...e])
    }
}
