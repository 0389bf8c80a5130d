import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// The shell script a RUN (or `ONBUILD RUN`) instruction runs, parsed once per instruction
/// with every shell byte offset mapped back to the Dockerfile, so that findings point at
/// the exact word in the file.
///
/// What counts as the script, as BuildKit builds it:
/// - shell form: the logical line after the flags, continuation lines joined (escape and
///   line break removed, comment and blank lines inside the continuation dropped);
/// - `RUN <<EOF` whose whole command is one heredoc: the heredoc body (nil when its
///   shebang names a non-POSIX interpreter such as python);
/// - `RUN cmd <<EOF ...`: the command line plus the heredoc bodies and terminators, as the
///   shell receives them;
/// - exec form `["a", "b"]`: the elements as words of one simple command (so
///   `["sh", "-c", "..."]` is looked into through `commands`).
///
/// Shell offsets are byte offsets into the script text as the shell receives it (the
/// logical line); turn one into a file `SourceRange` with `range(_:)`, which maps through
/// removed continuations. (Parsing in logical space keeps offsets inside a word, such as
/// those of an `sh -c '…'` string, exact even when the word spans continuation lines.)
public final class RunScript {
    /// The RUN node (for `ONBUILD RUN`, the wrapped RUN).
    public let instruction: Instruction
    /// The typed RUN (flags, mounts).
    public let run: RunCommand
    /// True for `ONBUILD RUN ...` in this file.
    public let isOnbuild: Bool
    /// True when the script is the body of `RUN <<EOF`.
    public let isHeredocScript: Bool
    /// True for the exec (JSON) form.
    public let isExecForm: Bool
    /// The parsed script; offsets are into the script text (see `range(_:)`).
    public let script: ShellScript
    public let source: SourceText
    /// File byte offset of each script byte (one extra entry for the end).
    public let map: [Int]

    init(instruction: Instruction, run: RunCommand, isOnbuild: Bool, isHeredocScript: Bool, isExecForm: Bool,
         script: ShellScript, source: SourceText, map: [Int]) {
        self.instruction = instruction
        self.run = run
        self.isOnbuild = isOnbuild
        self.isHeredocScript = isHeredocScript
        self.isExecForm = isExecForm
        self.script = script
        self.source = source
        self.map = map
    }

    /// The file offset of script offset `o` taken as a start.
    public func fileOffset(_ o: Int) -> Int {
        guard !map.isEmpty else { return 0 }
        return map[max(0, min(o, map.count - 1))]
    }

    /// The Dockerfile range of a shell byte range.
    public func range(_ r: ByteRange) -> SourceRange {
        let s = fileOffset(r.start)
        let e = r.end > r.start ? fileOffset(r.end - 1) + 1 : s
        return source.range(s, max(s, e))
    }
    /// The Dockerfile range of a word.
    public func range(of word: Word) -> SourceRange { range(word.range) }
    /// The Dockerfile range of a command (its command word when present, else the whole command).
    public func range(of command: CommandInvocation) -> SourceRange {
        range((command.commandWord ?? command.command.words.first)?.range ?? command.range)
    }

    /// Every simple command, as written (wrappers kept; see `effectiveCommands`).
    public private(set) lazy var commands: [CommandInvocation] = script.commands
    /// Every simple command seen through wrappers (`sudo apt-get` → `apt-get`).
    public private(set) lazy var effectiveCommands: [CommandInvocation] = commands.map(\.effective)
    /// Every package-manager command, parsed with its tool's option grammar.
    public private(set) lazy var packageCommands: [PackageCommand] = commands.compactMap(PackageCommand.parse)

    /// Package-manager commands of the given managers.
    public func packageCommands(_ managers: PackageManager...) -> [PackageCommand] {
        packageCommands.filter { managers.contains($0.manager) }
    }

    /// Effective commands with one of the given names.
    public func commands(named names: String...) -> [CommandInvocation] {
        effectiveCommands.filter { $0.name.map(names.contains) ?? false }
    }

    /// The RUN's mounts, with variables expanded when the model could expand them.
    public var mounts: [RunMount] { run.mounts }

    /// True when a cache or tmpfs mount targets `path` (trailing slashes ignored).
    public func hasCacheOrTmpfsMount(at path: String, in mounts: [RunMount]? = nil) -> Bool {
        func norm(_ p: String) -> String {
            var s = Substring(p)
            while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
            return String(s)
        }
        let want = norm(path)
        return (mounts ?? self.mounts).contains { m in
            (m.type == .cache || m.type == .tmpfs) && m.target.map(norm) == want
        }
    }

    // MARK: - Building

    /// The script of a RUN or `ONBUILD RUN` instruction of `dockerfile`; nil for other
    /// instructions and for heredoc scripts in another language. Parses; callers keep the
    /// result (the linter caches one per instruction, `StepGraph` takes a provider).
    public static func make(_ i: ModelInstruction, in dockerfile: Dockerfile) -> RunScript? {
        var node = i.syntax
        var run: RunCommand
        var onbuild = false
        switch i.typed?.command {
        case .run(let r)?:
            run = r
        case .onbuild(let ob)?:
            guard let trig = ob.trigger, case .run(let r) = trig.command, let child = node.child?.value else { return nil }
            run = r
            if child.heredocs.isEmpty && !node.heredocs.isEmpty {
                var c = child
                c.heredocs = node.heredocs
                node = c
            } else {
                node = child
            }
            onbuild = true
        default:
            return nil
        }
        if i.syntax.kind == .run, let mounts = i.resolved?.mounts { run.mounts = mounts }
        let src = dockerfile.source
        if node.isJSON || run.commandLine.isExecForm {
            let (text, map) = execScript(node, run, src)
            return RunScript(instruction: node, run: run, isOnbuild: onbuild, isHeredocScript: false, isExecForm: true,
                             script: ShellParser.parse(text), source: src, map: map)
        }
        let (text, map, lastLine) = logicalLine(node, src, escape: dockerfile.escapeToken)
        if let doc = node.heredocs.first, isWholeHeredoc(text) {
            let body = doc.content
            if !isShellShebang(body) { return nil }
            let base = doc.bodyRange.start.offset
            return RunScript(instruction: node, run: run, isOnbuild: onbuild, isHeredocScript: true, isExecForm: false,
                             script: ShellParser.parse(body), source: src, map: Array(base...(base + body.utf8.count)))
        }
        var t = text
        var m = map
        if !node.heredocs.isEmpty, lastLine < src.lineCount {
            // The shell receives the command line, then the heredoc lines as written.
            let nl = src.lineContentEnd(lastLine)
            t += "\n"
            m.append(nl)
            let from = src.lineStarts[lastLine]
            let to = min(node.range.end.offset, src.bytes.count)
            if to > from {
                t += src.text(from, to)
                m += Array(from..<to)
            }
        }
        m.append(m.last.map { $0 + 1 } ?? node.argumentsRange.start.offset)
        return RunScript(instruction: node, run: run, isOnbuild: onbuild, isHeredocScript: false, isExecForm: false,
                         script: ShellParser.parse(t), source: src, map: m)
    }

    /// The logical line after the flags, with the file offset of every byte, and the
    /// (1-based) physical line where it ends.
    public static func logicalLine(_ node: Instruction, _ src: SourceText, escape: UInt8) -> (String, [Int], Int) {
        let bytes = src.bytes
        var out: [UInt8] = []
        var map: [Int] = []
        var pos = node.argumentsRange.start.offset
        let limit = min(node.range.end.offset, bytes.count)
        var line = src.line(containing: pos)
        var first = true
        while pos <= limit, line <= src.lineCount {
            let lineStart = src.lineStarts[line - 1]
            let end = src.lineContentEnd(line)
            if !first {
                // Comment lines and blank lines inside a continuation are dropped.
                var k = lineStart
                while k < end, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
                if k == end || bytes[k] == 0x23 {
                    if line >= src.lineCount { break }
                    line += 1
                    pos = src.lineStarts[line - 1]
                    continue
                }
            }
            first = false
            let s = max(pos, lineStart)
            // Continuation: escape, then only spaces/tabs, not preceded by another escape.
            var j = end
            while j > s, bytes[j - 1] == 0x20 || bytes[j - 1] == 0x09 { j -= 1 }
            var cont: Int? = nil
            if j > s, bytes[j - 1] == escape {
                let esc = j - 1
                if esc == s || bytes[esc - 1] != escape { cont = esc }
            }
            let stop = cont ?? end
            if stop > s {
                out += bytes[s..<stop]
                map += Array(s..<stop)
            }
            if cont == nil || line >= src.lineCount || src.lineStarts[line] > limit { return (String(decoding: out, as: UTF8.self), map, line) }
            line += 1
            pos = src.lineStarts[line - 1]
        }
        return (String(decoding: out, as: UTF8.self), map, min(line, src.lineCount))
    }

    /// True when the command is exactly one heredoc word (`<<EOF`, `<<-"EOF"`, `0<<EOF`).
    public static func isWholeHeredoc(_ text: String) -> Bool {
        var t = Substring(text)
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" || l == "\r" { t = t.dropLast() }
        t = t.drop { $0.isASCII && $0.isNumber }
        guard t.hasPrefix("<<") else { return false }
        return !t.contains(" ") && !t.contains("\t") && !t.dropFirst(2).contains("<")
    }

    /// False when a heredoc script starts with a shebang for a non-POSIX-shell interpreter.
    public static func isShellShebang(_ body: String) -> Bool {
        guard body.hasPrefix("#!") else { return true }
        let firstLine = body.dropFirst(2).prefix { $0 != "\n" && $0 != "\r" }
        let words = firstLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard var interp = words.first else { return true }
        interp = String(interp.split(separator: "/").last ?? Substring(interp))
        if interp == "env", words.count > 1 {
            let rest = words.dropFirst().filter { !$0.hasPrefix("-") }
            interp = rest.first ?? interp
        }
        return ["sh", "bash", "dash", "ash", "ksh", "zsh", "mksh", "busybox"].contains(interp)
    }

    /// The exec form as one simple command of single-quoted words, mapped to the JSON strings.
    public static func execScript(_ node: Instruction, _ run: RunCommand, _ src: SourceText) -> (String, [Int]) {
        let elements = run.commandLine.arguments
        let args = node.arguments.count == elements.count ? node.arguments : []
        var text: [UInt8] = []
        var map: [Int] = []
        let fallback = node.argumentsRange.start.offset
        for (k, e) in elements.enumerated() {
            let r = k < args.count ? args[k].range : nil
            let start = r?.start.offset ?? fallback
            let end = r?.end.offset ?? fallback
            if k > 0 { text.append(0x20); map.append(start) }
            // Opening quote at the JSON string's quote.
            text.append(0x27); map.append(start)
            var j = 0
            for b in e.utf8 {
                if b == 0x27 {
                    // ' → '\''
                    for q in "'\\''".utf8 { text.append(q); map.append(min(start + 1 + j, max(start, end - 1))) }
                } else {
                    text.append(b); map.append(min(start + 1 + j, max(start, end - 1)))
                }
                j += 1
            }
            text.append(0x27); map.append(max(start, end - 1))
        }
        map.append(map.last.map { $0 + 1 } ?? fallback)
        return (String(decoding: text, as: UTF8.self), map)
    }
}
