import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

extension RunScript {
    /// The word of a package command's subcommand (`install` in `apt-get -q install x`).
    func subcommandWord(_ pc: PackageCommand) -> Word? {
        guard let sub = pc.subcommand.first else { return nil }
        let optionWords = Set(pc.options.flatMap { [$0.word.range] + ($0.valueWord.map { [$0.range] } ?? []) })
        return pc.invocation.arguments.first { $0.staticValue == sub && !optionWords.contains($0.range) }
    }

    /// A fix inserting ` text` right after the subcommand word.
    func insertAfterSubcommand(_ pc: PackageCommand, _ text: String, title: String, _ applicability: Fix.Applicability) -> Fix? {
        guard let w = subcommandWord(pc) else { return nil }
        // Only when the word is written contiguously in the file (no continuation inside).
        let r = range(of: w)
        guard r.end.offset - r.start.offset == w.source.utf8.count else { return nil }
        let at = SourceRange(at: r.end)
        return Fix(title: title, edits: [TextEdit(range: at, replacement: " " + text)], applicability: applicability)
    }

    /// The range from the command word to the subcommand word (`apt-get install`).
    func commandRange(_ pc: PackageCommand) -> SourceRange {
        let start = range(of: pc.invocation)
        if let w = subcommandWord(pc) { return SourceRange(start: start.start, end: range(of: w).end) }
        return start
    }
}

/// Reports every unpinned package target of the given managers and subcommands.
/// A word that is one whole expansion (`$buildDeps`) is judged by the value assigned to the
/// variable earlier in the same script (`buildDeps='gcc make'`), each package reported
/// where the assignment names it; when the value is not known there (an ARG, ENV, or
/// nothing) the word is not reported, since it may well hold pinned packages.
func reportUnpinned(_ rs: RunScript, managers: Set<PackageManager>, subcommands: Set<String>,
                    _ message: (PackageTarget) -> String, _ sink: inout FindingSink) {
    for pc in rs.packageCommands where managers.contains(pc.manager) {
        guard let sub = pc.subcommand.first, subcommands.contains(sub) else { continue }
        for t in pc.unpinnedTargets {
            if !t.isStatic && isWholeExpansion(t.word) {
                for w in assignedPackageWords(rs, t.word) {
                    var single = pc
                    single.operands = [w]
                    for u in single.unpinnedTargets { sink.report(rs.range(of: u.word), message(u)) }
                }
                continue
            }
            sink.report(rs.range(of: t.word), message(t))
        }
    }
}

/// For `$name` / `"${name}"`, the whitespace-separated words of the last static
/// `name=value` assignment before it in the script, with their file ranges.
func assignedPackageWords(_ rs: RunScript, _ word: Word) -> [Word] {
    var parts = word.parts
    if parts.count == 1, case .doubleQuoted(let inner) = parts[0].kind { parts = inner }
    guard parts.count == 1, case .parameter(let pe) = parts[0].kind, pe.op == nil, !pe.isLength, !pe.isIndirect, pe.index == nil else { return [] }
    var value: (String, [Int])?
    for c in rs.commands where c.range.end <= word.range.start {
        for a in c.assignments where a.name == pe.name && !a.append {
            value = a.value?.staticValueWithOffsets
        }
    }
    guard let (text, offsets) = value else { return [] }
    var out: [Word] = []
    var cur: [UInt8] = []
    var start = 0
    var i = 0
    func flush(_ end: Int) {
        guard !cur.isEmpty else { return }
        let s = offsets[min(start, offsets.count - 1)]
        let e = offsets[min(max(end - 1, start), offsets.count - 1)] + 1
        let r = ByteRange(s, e)
        let t = String(decoding: cur, as: UTF8.self)
        out.append(Word(parts: [WordPart(.literal(t), r, source: t)], range: r, source: t))
        cur = []
    }
    for b in text.utf8 {
        if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
            flush(i)
        } else {
            if cur.isEmpty { start = i }
            cur.append(b)
        }
        i += 1
    }
    flush(i)
    return out
}

/// True when a word is nothing but parameter expansions / command substitutions (quoted or not).
func isWholeExpansion(_ w: Word) -> Bool {
    func dynamic(_ p: WordPart) -> Bool {
        switch p.kind {
        case .literal, .singleQuoted, .escaped, .ansiCQuoted: return false
        case .doubleQuoted(let inner): return !inner.isEmpty && inner.allSatisfy(dynamic)
        default: return true
        }
    }
    return !w.parts.isEmpty && w.parts.allSatisfy(dynamic)
}

/// True when some `rm` in the script after `offset` removes `path` (or everything in it)
/// recursively: `rm -rf /var/lib/apt/lists/*`, `rm -r /var/lib/apt/lists`.
func removesRecursively(_ rs: RunScript, _ path: String, after offset: Int) -> Bool {
    for c in rs.effectiveCommands where c.name == "rm" && c.range.start >= offset {
        guard c.hasFlag("r", "R", "recursive") else { continue }
        for a in c.arguments {
            let v = a.unquoted
            var p = Substring(v)
            if p.hasSuffix("/*") { p = p.dropLast(2) } else if p.hasSuffix("*") { p = p.dropLast() }
            while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
            if p == path || (path.hasPrefix(p + "/") && !p.isEmpty && p != "/") { return true }
        }
    }
    return false
}
