import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

// What the RUN rules share, for every package manager alike: the package commands of a
// RUN, where their subcommand is, which packages lack a pin (with one answer for a word
// that is only an expansion), fixes that add an option, and the cleanup and cache-mount
// checks of the cache-cleaning rules.

extension RunScript {
    /// The package commands of `managers` in a RUN or `ONBUILD RUN`, with the parsed script;
    /// nil when there is none.
    static func packageCommands(_ i: ModelInstruction, _ context: LintContext, _ managers: [PackageManager]) -> (RunScript, [PackageCommand])? {
        guard let rs = RunScript.of(i, context) else { return nil }
        let cmds = rs.packageCommands.filter { managers.contains($0.manager) }
        return cmds.isEmpty ? nil : (rs, cmds)
    }

    /// The word of a package command's subcommand (`install` in `apt-get -q install x`);
    /// never an option or an option's value.
    func subcommandWord(_ pc: PackageCommand) -> Word? {
        guard let sub = pc.subcommand.first else { return nil }
        let optionWords = Set(pc.options.flatMap { [$0.word.range] + ($0.valueWord.map { [$0.range] } ?? []) })
        return pc.invocation.arguments.first { $0.staticValue == sub && !optionWords.contains($0.range) }
    }

    /// The range from the command word to the subcommand word (`apt-get install`).
    func commandRange(_ pc: PackageCommand) -> SourceRange {
        let start = range(of: pc.invocation)
        if let w = subcommandWord(pc) { return SourceRange(start: start.start, end: range(of: w).end) }
        return start
    }

    /// The range of the subcommand word (`install`), else of the command word.
    func subcommandRange(_ pc: PackageCommand) -> SourceRange {
        subcommandWord(pc).map { range(of: $0) } ?? range(of: pc.invocation)
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

    // MARK: - Cleanup after an install

    /// True when some `rm` after `offset` removes `path`: with `recursively`, an `rm -r` of
    /// the directory, its contents (`/*`) or a parent (`rm -rf /var/lib/apt/lists/*`);
    /// otherwise any `rm` of an argument starting with `path` (`rm -rf /var/cache/yum/*`).
    func removes(_ path: String, after offset: Int, recursively: Bool) -> Bool {
        if !recursively {
            return commands(named: "rm").contains { rm in
                rm.range.start > offset && rm.arguments.contains { $0.unquoted.hasPrefix(path) }
            }
        }
        for c in effectiveCommands where c.name == "rm" && c.range.start >= offset {
            guard c.hasFlag("r", "R", "recursive") else { continue }
            for a in c.arguments {
                var p = Substring(a.unquoted)
                if p.hasSuffix("/*") { p = p.dropLast(2) } else if p.hasSuffix("*") { p = p.dropLast() }
                while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
                if p == path || (path.hasPrefix(p + "/") && !p.isEmpty && p != "/") { return true }
            }
        }
        return false
    }

    /// True when a later command is `<manager> clean …` (with `all`: `clean all`).
    func cleans(after offset: Int, managers: [PackageManager], all: Bool) -> Bool {
        packageCommands.contains { c in
            managers.contains(c.manager) && c.isClean && c.invocation.range.start > offset
                && (!all || c.invocation.arguments.contains { $0.staticValue == "all" })
        }
    }

    /// True when a cache or tmpfs mount targets one of `paths`, or a path ending in
    /// `/suffix` for one of `suffixes` (`.cache/pip` under any home directory).
    func hasCacheMount(paths: [String] = [], suffixes: [String] = []) -> Bool {
        if paths.contains(where: { hasCacheOrTmpfsMount(at: $0) }) { return true }
        return mounts.contains { m in
            guard m.type == .cache || m.type == .tmpfs, var t = m.target else { return false }
            while t.count > 1, t.hasSuffix("/") { t.removeLast() }
            return suffixes.contains { t.hasSuffix("/" + $0) || t == $0 }
        }
    }
}

// MARK: - Pinning

/// One package an install command names without a version pin.
struct UnpinnedPackage {
    /// The package as written (`curl`), or as assigned to the variable that names it.
    var text: String
    /// Where the RUN names it: the package word, the word of a same-RUN assignment that
    /// lists it (`deps="gcc make"`), or the `$deps` word when the value comes from an ARG
    /// or ENV.
    var range: SourceRange
    /// Where the file names it: `range`, or the name of the ARG/ENV that holds it.
    var origin: SourceRange
    /// The ARG or ENV the package comes from, when it is not in the RUN itself.
    var variable: String?
}

/// The unpinned packages of one install command, judged the same way for every package
/// manager. A word that is only an expansion (`$deps`, `"${PKGS}"`) is judged by its value
/// when the file says what it is: the last `deps=…` assignment before it in the same
/// script, else the ARG default, build argument or ENV value in scope (plain RUN only:
/// an ONBUILD trigger runs with another image's variables). A value the file does not give
/// (a base image's ENV, `$(cat list)`) is not judged, since it may well hold pinned
/// packages. A go version that moves (`@latest`, `@main`) is no pin.
func unpinnedPackages(_ rs: RunScript, _ pc: PackageCommand, _ i: ModelInstruction) -> [UnpinnedPackage] {
    var out: [UnpinnedPackage] = []
    let targets = pc.targets
    let unpinned = Set(unpinnedTargets(pc, targets).map(\.range))
    for t in targets {
        // Some tools' tables take a `$name` word for pinned (yum, dnf) or for a local
        // package (go); its value decides here, for every tool alike.
        guard !t.isStatic && isWholeExpansion(t.word) else {
            if unpinned.contains(t.range) {
                let r = rs.range(of: t.word)
                out.append(UnpinnedPackage(text: t.text, range: r, origin: r))
            }
            continue
        }
        guard let value = expansionValue(rs, t.word, i) else { continue }
        for w in value.words {
            var single = pc
            single.operands = [w]
            for u in unpinnedTargets(single, single.targets) {
                if let v = value.variable {
                    out.append(UnpinnedPackage(text: u.text, range: rs.range(of: t.word), origin: v.range ?? rs.range(of: t.word), variable: v.name))
                } else {
                    let r = rs.range(of: u.word)
                    out.append(UnpinnedPackage(text: u.text, range: r, origin: r))
                }
            }
        }
    }
    return out
}

/// Targets without a pin: the tool's own rules, plus go versions that move.
private func unpinnedTargets(_ pc: PackageCommand, _ targets: [PackageTarget]) -> [PackageTarget] {
    let unpinned = Set(pc.unpinned(among: targets).map(\.range))
    return targets.filter { unpinned.contains($0.range) || (pc.manager == .go && isMovingGoVersion($0)) }
}

/// `@latest`, `@upgrade` and `@patch` are go's queries for the newest version, `@main` and
/// `@master` branches that move: none of them pins what the next build installs. (`@none`
/// removes a dependency: there is nothing to pin.)
func isMovingGoVersion(_ t: PackageTarget) -> Bool {
    guard let v = t.version else { return false }
    return ["@latest", "@upgrade", "@patch", "@main", "@master"].contains(v)
}

/// One finding per install command of `managers` that `selects` and that installs
/// unpinned packages: at the first of them, the message naming them ("Pin versions in
/// apt get install: g++, gcc, libc-dev and 8 more. …"), each package a related location.
func reportUnpinned(_ i: ModelInstruction, _ context: LintContext, managers: [PackageManager],
                    selects: (PackageCommand) -> Bool, lead: String, advice: String, _ sink: inout FindingSink) {
    guard let (rs, cmds) = RunScript.packageCommands(i, context, managers) else { return }
    for pc in cmds where selects(pc) {
        let packages = unpinnedPackages(rs, pc, i)
        guard let first = packages.first else { continue }
        let related = packages.map { p in
            RelatedLocation(range: p.origin, message: "`\(p.text)` has no version pin" + (p.variable.map { " (from `$\($0)`)" } ?? ""))
        }
        let message = lead + ": " + listOfNames(packages.map(\.text)) + "." + (advice.isEmpty ? "" : " " + advice)
        sink.report(first.range, message, related: related)
    }
}

/// `a`, `a and b`, `a, b, c and d`, `a, b, c and 5 more`.
func listOfNames(_ names: [String]) -> String {
    switch names.count {
    case 0: return ""
    case 1: return names[0]
    case 2...4: return names.dropLast().joined(separator: ", ") + " and " + names.last!
    default: return names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}

/// The words a whole-expansion word stands for: the words of a same-RUN assignment (with
/// their own ranges), or of the value of the ARG/ENV `variable` in scope.
private func expansionValue(_ rs: RunScript, _ word: Word, _ i: ModelInstruction) -> (words: [Word], variable: ScopedVariable?)? {
    var parts = word.parts
    if parts.count == 1, case .doubleQuoted(let inner) = parts[0].kind { parts = inner }
    guard parts.count == 1, case .parameter(let pe) = parts[0].kind, pe.op == nil, !pe.isLength, !pe.isIndirect, pe.index == nil else { return nil }
    var assigned: (String, [Int])?
    for c in rs.commands where c.range.end <= word.range.start {
        for a in c.assignments where a.name == pe.name && !a.append {
            assigned = a.value?.staticValueWithOffsets
        }
    }
    if let (text, offsets) = assigned { return (splitWords(text, offsets: offsets), nil) }
    guard !rs.isOnbuild, let v = i.scope.variable(named: pe.name), let value = v.value,
          v.origin != .builtin && v.origin != .defaultPath else { return nil }
    return (splitWords(value, offsets: nil), v)
}

/// The whitespace-separated words of a value, as literal words; with `offsets` (the script
/// offset of each byte) each word keeps its script range.
private func splitWords(_ text: String, offsets: [Int]?) -> [Word] {
    var out: [Word] = []
    var cur: [UInt8] = []
    var start = 0
    var i = 0
    func flush(_ end: Int) {
        guard !cur.isEmpty else { return }
        var r = ByteRange(0, 0)
        if let offsets, !offsets.isEmpty {
            let s = offsets[min(start, offsets.count - 1)]
            let e = offsets[min(max(end - 1, start), offsets.count - 1)] + 1
            r = ByteRange(s, e)
        }
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
