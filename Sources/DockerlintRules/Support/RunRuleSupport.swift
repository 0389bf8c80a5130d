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
/// Words that are one whole expansion (`$PACKAGES`) are not reported: their value is not
/// known here and may well be pinned.
func reportUnpinned(_ rs: RunScript, managers: Set<PackageManager>, subcommands: Set<String>,
                    _ message: (PackageTarget) -> String, _ sink: inout FindingSink) {
    for pc in rs.packageCommands where managers.contains(pc.manager) {
        guard let sub = pc.subcommand.first, subcommands.contains(sub) else { continue }
        for t in pc.unpinnedTargets {
            if !t.isStatic && isWholeExpansion(t.word) { continue }
            sink.report(rs.range(of: t.word), message(t))
        }
    }
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
