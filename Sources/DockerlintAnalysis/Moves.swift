// Which reorders keep the image: the one API the cache rules and `optimize` use.
//
//   let moves = Moves(graph)
//   moves.moveBelow(a, b)                 // may step a move to just after step b (same stage)?
//   moves.moveAbove(a, b)                 // may step a move to just before step b?
//   moves.moveBlockBelow([a, e], b)       // may a and e move together (in order) below b?
//   moves.runSplit(copy: c, run: r)       // `RUN install && build` after the COPY: split it
//                                         // (a composer install runs in both parts)
//   moves.prefetch(copy: c, run: r)       // `go build` after the COPY: `go mod download` above it
//   moves.manifestSplit(copy: c, install: r)
//                                         // `COPY . .` before an install: the files to copy
//                                         // first, and whether the rest may move below it
//
// A move is `.safe` only when every step it crosses commutes with the moved one: neither
// reads what the other writes (files, environment variables, working directory, user,
// SHELL) and they write no common path. A COPY's writes are the files the context sends,
// so `COPY . /app` and an install writing `/app/node_modules` commute when the context
// sends no node_modules. Anything the analysis cannot tell gives `.unknown`: callers then
// report without a fix, or not at all.

import DockerlintCache
import DockerlintShell
import DockerlintSupport

public enum MoveVerdict: Sendable, Equatable {
    case safe
    /// The move changes what a step reads or writes, so the image or the build changes.
    case unsafe(String)
    /// A step's reads or writes are not known well enough to tell.
    case unknown(String)

    public var isSafe: Bool { self == .safe }
    public var reason: String? {
        switch self {
        case .safe: return nil
        case .unsafe(let r), .unknown(let r): return r
        }
    }
}

/// `COPY <tree>` split into the install's files first and the rest after the install.
public struct ManifestSplit: Sendable {
    public struct File: Sendable, Equatable {
        /// Context path to copy (a file or directory; may end in `*` for an optional file
        /// when the context is not known).
        public var contextPath: String
        /// Where it lands in the image.
        public var imagePath: String
        public var isTree: Bool
    }
    /// What to copy before the install, in the order found.
    public var files: [File]
    public var verdict: MoveVerdict
    /// Why the install reads more than its manifests (lifecycle scripts, patches, ...).
    public var notes: [String]
    /// The verdict is not safe only because an install may read more than the analysis
    /// knows (`InstallRead.complete`): nothing else stands in the way.
    public var onlyIncomplete = false
    /// The COPY moved below the install must be written with its absolute destination (it
    /// crosses a WORKDIR that would change a relative one).
    public var absoluteDestination = false

    public init(files: [File], verdict: MoveVerdict, notes: [String]) {
        self.files = files
        self.verdict = verdict
        self.notes = notes
    }
}

/// `RUN <install> && <build>` split at the `&&` after the install.
public struct RunSplit: Sendable {
    /// The install part and the rest, as the shell reads them (continuations joined).
    public var installText: String
    public var restText: String
    /// What to copy before the install part.
    public var files: [ManifestSplit.File]
    public var verdict: MoveVerdict
    public var notes: [String]
    /// A composer install runs twice: first with `--no-scripts --no-autoloader` in the install
    /// part, then as written at the head of the rest (`InstallRead.deferred`).
    public var deferred = false
    /// The verdict is not safe only because an install may read more than the analysis knows.
    public var onlyIncomplete = false
    /// The split alone would be safe, but the install part cannot move above the steps between
    /// the COPY and the RUN (why; nil otherwise).
    public var blockedBetween: String? = nil
    /// A RUN is among the steps the install part cannot cross (a build that reads the source:
    /// the RUN is then no install-and-build to split).
    public var blockedByRun = false
    /// Steps between the COPY and the RUN that the install part needs (the WORKDIR it runs in,
    /// an ENV or ARG it reads): they move above the COPY, in their order, before the install.
    public var moveUp: [StepID] = []
    /// Those of `moveUp` that are copied above and stay in place too: a `COPY --from` of the
    /// tool the install runs (`COPY --from=composer:2 /usr/bin/composer ./composer.phar`), so
    /// that after the source COPY the file is the image's again, whatever the context holds.
    public var copiedUp: [StepID] = []
    /// The test of an `if <test>; then <install> && <build>; [else ...;] fi` RUN, kept in both parts.
    public var condition: String? = nil
    /// The split is unsafe only because build arguments the install reads only as any variable
    /// of its environment stay below it (where a value that changes per build costs nothing).
    public var onlyArgumentsBelow = false
    /// The install part is only tools read from no project file (`Moves.toolPrefix`): system
    /// packages, a global registry install, `corepack enable`; nothing is copied first.
    public var toolsOnly = false
    /// Script offset where the rest starts: the install part's commands come before it.
    public var splitOffset: Int? = nil
}

/// A dependency pre-fetch step to add above a COPY (`go mod download` after go.mod/go.sum).
public struct Prefetch: Sendable {
    /// The command of the new RUN.
    public var command: String
    /// What to copy before it.
    public var files: [ManifestSplit.File]
    public var verdict: MoveVerdict
    public var notes: [String]
    /// The Makefile target that runs the build, when the RUN is `make <target>`.
    public var makeTarget: String? = nil
    /// The mage targets and the go command one of them runs, when the RUN is `mage <target>`.
    public var mage: GoMageBuild? = nil
    /// Maven, Gradle, Cargo (`buildPrefetch`): the ecosystem, and the folder the build keeps
    /// its downloads in when it is certain (for a cache mount; nil otherwise).
    public var ecosystem: DownloadEcosystem? = nil
    public var dependencyCache: String? = nil
}

public struct Moves {
    public let graph: StepGraph

    public init(_ graph: StepGraph) { self.graph = graph }

    /// May step `a` move to just after step `b` (same stage, `a` before `b`)?
    public func moveBelow(_ a: StepID, _ b: StepID) -> MoveVerdict {
        guard a.stage == b.stage, a.index < b.index else { return .unknown("not a downward move in one stage") }
        let moved = graph.step(a)
        for x in graph.steps(after: a, through: b.index) {
            let v = commute(moved, x)
            if !v.isSafe { return v }
        }
        return .safe
    }

    /// May the steps of `block` (one stage, in order) all move, keeping their order, to just
    /// after step `b` (which is after the first of them)? Each crosses the steps between it
    /// and `b` that are not in the block.
    public func moveBlockBelow(_ block: [StepID], _ b: StepID) -> MoveVerdict {
        guard let first = block.first, block.allSatisfy({ $0.stage == b.stage && $0.index <= b.index }) else {
            return .unknown("not a downward move in one stage")
        }
        let members = Set(block)
        _ = first
        for a in block {
            let moved = graph.step(a)
            for x in graph.steps(after: a, through: b.index) where !members.contains(x.id) {
                let v = commute(moved, x)
                if !v.isSafe { return v }
            }
        }
        return .safe
    }

    /// May step `a` move to just before step `b` (same stage, `b` before `a`)?
    public func moveAbove(_ a: StepID, _ b: StepID) -> MoveVerdict {
        guard a.stage == b.stage, b.index < a.index else { return .unknown("not an upward move in one stage") }
        let moved = graph.step(a)
        for k in b.index..<a.index {
            let v = commute(moved, graph.step(StepID(stage: a.stage, index: k)))
            if !v.isSafe { return v }
        }
        return .safe
    }

    /// True when steps `a` and `x` may run in either order with the same result.
    public func commute(_ a: Step, _ x: Step) -> MoveVerdict {
        // The labels only name the steps in a verdict: made when one is returned.
        let stepA = a, stepX = x
        var an: String { Self.label(stepA) }
        var xn: String { Self.label(stepX) }
        // Environment.
        if let n = conflict(a.writes.env, x.reads.env) { return envVerdict(n, writer: an, reader: x) }
        if let n = conflict(x.writes.env, a.reads.env) { return envVerdict(n, writer: xn, reader: a) }
        if let n = conflict(a.writes.env, x.writes.env) { return .unsafe("\(an) and \(xn) both set \(n)") }
        // Working directory, user, shell.
        if (a.writes.workdir && x.reads.workdir) || (x.writes.workdir && a.reads.workdir) {
            return .unsafe("\(a.writes.workdir ? an : xn) changes the working directory \(a.writes.workdir ? xn : an) uses")
        }
        if (a.writes.user && x.reads.user) || (x.writes.user && a.reads.user) {
            return .unsafe("\(a.writes.user ? an : xn) changes the user \(a.writes.user ? xn : an) runs as")
        }
        if (a.writes.shell && x.reads.shell) || (x.writes.shell && a.reads.shell) {
            return .unsafe("SHELL changes how the RUN runs")
        }
        // Files. A WORKDIR only creates its directory; as root it is owned by root (`mkdir
        // -p`), and a COPY without --chown/--chmod creates the directories it needs the same
        // way, so their order does not matter for that directory (a relative destination reads
        // the working directory and is caught above).
        var a = a, x = x
        if let v = ownerConflict(a, x) ?? ownerConflict(x, a) { return v }
        Self.dropDirectoryCreation(&a, other: x)
        Self.dropDirectoryCreation(&x, other: a)
        if let v = pathConflict(writer: a, reader: x, read: x.reads.paths) { return v }
        if let v = pathConflict(writer: x, reader: a, read: a.reads.paths) { return v }
        if let v = pathConflict(writer: a, reader: x, read: x.writes.paths, bothWrite: true) { return v }
        if a.kind == .onbuild || x.kind == .onbuild { return .unknown("ONBUILD") }
        return .safe
    }

    /// A WORKDIR `w` under a non-root USER next to a COPY/ADD `c` that creates its folder:
    /// BuildKit and buildah make the folders a WORKDIR creates owned by the USER, a COPY
    /// without --chown owned by root (docs/CACHE-SEMANTICS.md §3), so whichever runs first
    /// decides the owner. Not when an earlier step of the stage already wrote into the folder
    /// (it exists, and neither changes its owner).
    func ownerConflict(_ w: Step, _ c: Step) -> MoveVerdict? {
        guard w.kind == .workdir, c.kind == .copy || c.kind == .add, !w.instruction.runsAsRoot,
              let dir = w.instruction.resolved?.workdir, dir != "/",
              c.writes.paths.touches(dir) else { return nil }
        let first = min(w.id.index, c.id.index)
        let exists = graph.stages[w.id.stage][..<first].contains { st in st.writes.paths.paths.contains { ImagePath.within($0, dir) } }
        if exists { return nil }
        return .unsafe("\(Self.label(w)) under USER \(w.instruction.user) makes \(dir) owned by that user, \(Self.label(c)) makes it owned by root: the order decides the folder's owner")
    }

    /// For a WORKDIR `w` next to a COPY/ADD `c` that creates directories as WORKDIR does (no
    /// --chown/--chmod, no file landing on the directory or above it): `w` without its
    /// write of its directory.
    static func dropDirectoryCreation(_ w: inout Step, other c: Step) {
        guard w.kind == .workdir, c.kind == .copy || c.kind == .add, !c.copied.isEmpty,
              !c.instruction.syntax.flags.contains(where: { $0.name == "chown" || $0.name == "chmod" }),
              let dir = w.instruction.resolved?.workdir else { return }
        if c.copied.contains(where: { !$0.isTree && ImagePath.within(dir, $0.imagePath) }) { return }
        w.writes.paths.paths.removeAll { $0 == dir }
    }

    // MARK: - Manifests first

    /// The split of COPY `copy` (a context tree) around the install RUN `install`: copy
    /// the files the install reads first, run the install, then copy the rest. Nil when
    /// `copy` writes none of the install's files or `install` installs nothing.
    public func manifestSplit(copy c: StepID, install r: StepID) -> ManifestSplit? {
        guard c.stage == r.stage, c.index < r.index else { return nil }
        return split(copy: c, install: graph.step(r))
    }

    /// `manifestSplit` with the install's effects given (all of a RUN, or its install part).
    /// `moveCopy`: the COPY moves below the install (a manifest split); false when it stays in
    /// place and the install moves above it (a RUN split).
    func split(copy c: StepID, install rs: Step, moveCopy: Bool = true) -> ManifestSplit? {
        let r = rs.id
        let cs = graph.step(c)
        guard !rs.installs.isEmpty, !cs.copied.isEmpty else { return nil }
        var files: [ManifestSplit.File] = []
        var notes: [String] = []
        var verdict = MoveVerdict.safe
        var incompleteOnly = true
        func fail(_ v: MoveVerdict) { if verdict.isSafe { verdict = v }; incompleteOnly = false }
        // What an incomplete install is taken to read (its project tree) is its doubt, not another obstacle.
        var doubtful: Set<String> = []
        for ins in rs.installs {
            notes += ins.reasons.filter { !notes.contains($0) }
            if !ins.complete {
                if verdict.isSafe { verdict = .unknown("`\(ins.command.invocation.displayText)` may read more than its manifests: \(ins.reasons.first ?? "its reads are not known")") }
                doubtful.insert(ins.projectRoot)
            }
            for f in ins.files {
                guard let copied = source(in: cs, of: f) else { continue }
                let isTree = graph.context?.files.isDirectory(copied) ?? false
                if let ctx = graph.context {
                    if !ctx.sends(copied) {
                        if ins.optional.contains(f) { continue }
                        fail(.unsafe("the install reads \(copied), which the build context does not send"))
                        continue
                    }
                    files.append(.init(contextPath: copied, imagePath: f, isTree: isTree))
                } else {
                    files.append(.init(contextPath: ins.optional.contains(f) ? copied + "*" : copied, imagePath: f, isTree: false))
                }
            }
        }
        // A file inside a tree that is copied anyway is not listed twice.
        files = files.filter { f in !files.contains { t in t.isTree && t.contextPath != f.contextPath && ImagePath.within("/" + f.contextPath, "/" + t.contextPath) } }
        var seen = Set<String>()
        files = files.filter { seen.insert($0.contextPath).inserted }
        guard !files.isEmpty else { return nil }
        // The RUN's other reads of what the COPY writes must be among the files copied first.
        let covered = files.map(\.imagePath)
        let unknownReads = rs.reads.paths.all
        if unknownReads { fail(.unknown("\(Self.label(rs)) may read any file: \(rs.notes.first ?? "a program the analysis does not know")")) }
        for p in rs.reads.paths.paths where !covered.contains(where: { ImagePath.within(p, $0) }) && !doubtful.contains(p) {
            if holdsOnlyProjects(p, copy: cs, installs: rs.installs) { continue }
            if let hit = realOverlap(copy: cs, path: p) {
                fail(.unsafe("\(Self.label(rs)) reads \(hit), which the COPY brings"))
            }
        }
        // What the install writes must not be overwritten by the rest of the COPY.
        for p in rs.writes.paths.paths where !holdsOnlyProjects(p, copy: cs, installs: rs.installs) {
            if let hit = realOverlap(copy: cs, path: p), !covered.contains(where: { ImagePath.within(p, $0) }) {
                fail(.unsafe("the build context holds \(hit), which the COPY would copy over what \(Self.label(rs)) writes"))
            }
        }
        if rs.writes.paths.all { fail(.unknown("\(Self.label(rs)) may write anywhere")) }
        // The steps between stay where they are: they must commute with the COPY.
        // A COPY with a relative destination that crosses a WORKDIR is written with its
        // absolute destination (`COPY . .` in /app becomes `COPY . /app/`): it then reads no
        // working directory.
        var absolute = false
        if moveCopy, r.index > c.index + 1 {
            var v = moveBelow(c, StepID(stage: c.stage, index: r.index - 1))
            if !v.isSafe, cs.reads.workdir, !cs.instruction.syntax.isJSON,
               graph.steps(after: c, through: r.index - 1).contains(where: { $0.kind == .workdir }) {
                var fixed = cs
                fixed.reads.workdir = false
                let w = graph.steps(after: c, through: r.index - 1).lazy.map { self.commute(fixed, $0) }.first { !$0.isSafe } ?? .safe
                if w.isSafe { v = .safe; absolute = true }
            }
            if !v.isSafe { fail(v) }
        }
        var out = ManifestSplit(files: files, verdict: verdict, notes: notes)
        out.onlyIncomplete = !verdict.isSafe && incompleteOnly
        out.absoluteDestination = absolute
        return out
    }

    // MARK: - Install and build in one RUN

    /// `COPY <tree>` then `RUN <install> && <build>`: the RUN split at the `&&` after its
    /// last dependency install, the install's files copied first and the install part run
    /// just above the COPY (which stays in place), the rest in place of the RUN. Commands of
    /// the install part that read what the COPY brings (`cp .env.example .env`) stay in the
    /// rest, in their order, when the commands after them in the install part do the same
    /// with or without them. Leading `cd dir` and
    /// `export NAME=value` run in both parts. A composer install whose scripts or autoloader
    /// read the source runs in both (`InstallRead.deferred`): with `--no-scripts
    /// --no-autoloader` in the install part, as written at the head of the rest. Nil when the
    /// RUN is not one `&&` chain with an install and something to leave below.
    public func runSplit(copy c: StepID, run r: StepID) -> RunSplit? {
        guard c.stage == r.stage, c.index < r.index, let script = graph.script(of: r), !script.isExecForm, !script.isHeredocScript else { return nil }
        let body = script.script.body
        guard body.items.count == 1, var chain = body.items.first?.andOr else { return nil }
        let rs = graph.step(r)
        // `if <test>; then <install> && <build>; [else <other>;] fi`: both parts keep the test.
        var guarded: (test: AndOrList, otherwise: CommandList?)? = nil
        if chain.pipelines.count == 1, let p = chain.pipelines.first, p.commands.count == 1, !p.negated,
           case .ifClause(let ic) = p.commands[0].kind {
            guard p.commands[0].redirections.isEmpty, ic.branches.count == 1, ic.branches[0].condition.items.count == 1,
                  ic.branches[0].body.items.count == 1, let test = ic.branches[0].condition.items.first?.andOr,
                  Self.isPureTest(test, script.commands) else { return nil }
            // The other branch stays below, whole: it must install nothing and run in the foreground.
            if let e = ic.elseBody {
                guard !e.items.contains(where: { $0.separator == .background }),
                      !rs.installs.contains(where: { e.range.contains($0.command.invocation.range.start) }) else { return nil }
            }
            guarded = (test, ic.elseBody)
            chain = ic.branches[0].body.items[0].andOr
        }
        guard chain.operators.allSatisfy({ $0 == .and }) else { return nil }
        let pipes = chain.pipelines
        func holds(_ i: Int, _ ins: InstallRead) -> Bool { pipes[i].range.contains(ins.command.invocation.range.start) }
        let installs = rs.installs.filter { $0.dependency.source == .manifest }
        // The last pipeline holding a dependency install from manifests; with none, the last
        // of the leading tool installs (`toolPrefix`).
        let manifestK = pipes.indices.last(where: { i in installs.contains { holds(i, $0) } })
        let toolK = manifestK == nil && guarded == nil && body.items[0].separator != .background ? toolPrefix(pipes, script.commands, rs) : nil
        guard var k = manifestK ?? toolK else { return nil }
        let toolsOnly = toolK != nil
        // Clean-up right after the install (`rm -rf /tmp/*`, `npm cache clean`, the apt lists) is
        // the install's own: it stays in the install's RUN, where it keeps its layer small. A RUN
        // that only installs and cleans up has no build to split off.
        if !toolsOnly {
            while k + 1 < pipes.count, Self.isCleanup(pipes[k + 1], script.commands) { k += 1 }
        }
        // Composer installs run twice when one of them reads more than its manifests as written.
        let splittable = installs.filter { ins in ins.deferred != nil && (0...k).contains { holds($0, ins) } }
        let deferring = splittable.contains { !$0.complete }
        let twice = deferring ? splittable : []
        guard k + 1 < pipes.count || !twice.isEmpty else { return nil }
        // The first run is already above the COPY (a split done before): this is the second.
        if twice.contains(where: { ins in
            graph.stages[c.stage][..<c.index].contains { $0.installs.contains { $0.command.manager == .composer && $0.deferred == nil
                && $0.projectRoot == ins.projectRoot && ["install", "i"].contains($0.command.subcommand.first ?? "") } }
        }) { return nil }
        let invocations = script.commands
        func commands(of i: Int) -> [CommandInvocation] { invocations.filter { pipes[i].range.contains($0.range.start) } }
        let stateNames: Set<String> = ["cd", "pushd", "export", "set", "source", ".", "umask"]
        func changesState(_ i: Int) -> Bool {
            commands(of: i).contains { stateNames.contains($0.effective.name ?? "") || ($0.commandWord == nil && !$0.assignments.isEmpty) }
        }
        // Leading `cd <dir>` and `export NAME=value`, with static words: both parts need them.
        var prefix = 0
        while prefix < k, let only = commands(of: prefix).first, commands(of: prefix).count == 1,
              only.name == "cd" || only.name == "export", only.assignments.isEmpty,
              only.arguments.allSatisfy({ $0.staticValue.map { !$0.hasPrefix("-") } ?? false }) {
            prefix += 1
        }
        func part(_ indices: [Int], deferring d: Bool) -> Step? {
            let all = Array(0..<prefix) + indices
            return graph.partialRun(r, including: { inv in all.contains { pipes[$0].range.contains(inv.range.start) } }, deferring: d)
        }
        // The install part keeps the installs and what reads nothing the COPY brings.
        let cs = graph.step(c)
        var kept: [Int] = [], moved: [Int] = []
        for i in prefix...k {
            if toolsOnly || i == k || rs.installs.contains(where: { holds(i, $0) }) { kept.append(i); continue }
            guard let s = part([i], deferring: false) else { return nil }
            let reads = s.reads.paths.all || s.reads.paths.paths.contains { realOverlap(copy: cs, path: $0) != nil }
            if reads { moved.append(i) } else { kept.append(i) }
        }
        guard var partStep = part(kept, deferring: deferring) else { return nil }
        // The test runs in both parts: the install part reads what it reads (variables only).
        if let test = guarded?.test {
            for inv in script.commands where test.range.contains(inv.range.start) {
                for w in inv.command.words { for (name, _) in w.parameterReferences { partStep.reads.env.names.insert(name) } }
            }
        }
        guard var split = toolsOnly ? toolSplit(copy: cs, part: partStep) : split(copy: c, install: partStep, moveCopy: false) else { return nil }
        // The rest must not remove what the tool installs wrote: split, it would stay in their layer.
        if toolsOnly {
            let wrote = partStep.writes.paths.paths
            for inv in script.commands where pipes[(k + 1)...].contains(where: { $0.range.contains(inv.range.start) }) {
                if let pc = PackageCommand.parse(inv.effective), pc.action == .remove || pc.action == .clean { return nil }
                guard ["rm", "rmdir", "unlink", "find", "shred"].contains(inv.effective.name ?? "") else { continue }
                guard let st = graph.partialRun(r, including: { $0.range == inv.range }, deferring: false) else { return nil }
                if st.writes.paths.all || st.writes.paths.paths.contains(where: { w in wrote.contains { ImagePath.within(w, $0) || ImagePath.within($0, w) } }) {
                    return nil
                }
            }
        }
        var onlyIncomplete = split.onlyIncomplete || split.verdict.isSafe
        let safeAlone = split.verdict.isSafe
        func fail(_ v: MoveVerdict) { if split.verdict.isSafe { split.verdict = v }; onlyIncomplete = false }
        // The install part moves up to the COPY's place. The steps between that it needs (the
        // WORKDIR it runs in, an ENV or ARG it reads, and what those need in turn) move up with
        // it, above the COPY; the others it crosses.
        var between: MoveVerdict = .safe, otherFailed = false
        var blockers: [String] = []
        var needed: [Step] = [partStep], up: [Int] = [], blockedByRun = false
        // Steps copied above and kept in place (`RunSplit.copiedUp`).
        var copied = Set<Int>()
        // The variables the install part (and what moves up with it) reads by name.
        let partRange = { (inv: CommandInvocation) in (Array(0..<prefix) + kept).contains { pipes[$0].range.contains(inv.range.start) }
            || (guarded?.test.range.contains(inv.range.start) ?? false) }
        var named = Set<String>()
        for inv in script.commands where partRange(inv) {
            let words = inv.command.words + inv.command.assignments.compactMap(\.value) + inv.command.redirections.map(\.target)
            for w in words { for (name, _) in w.parameterReferences { named.insert(name) } }
        }
        // Build arguments the install part would read only as any variable of its environment
        // (`pnpm install` reads its settings there): they stay below, where a value that changes
        // in every build would not re-run the install, and the split is then unsafe.
        var argsBelow: [Step] = []
        for j in stride(from: r.index - 1, to: c.index, by: -1) {
            let x = graph.step(StepID(stage: r.stage, index: j))
            guard let v = needed.lazy.map({ self.commute($0, x) }).first(where: { !$0.isSafe }) else { continue }
            if x.kind == .arg, !x.writes.env.names.contains(where: named.contains) {
                argsBelow.insert(x, at: 0)
                continue
            }
            // A COPY --from (an image or stage, not the context: `COPY --from=composer:2
            // /usr/bin/composer ./composer.phar`) that brings the tool the install runs is
            // copied above too and stays in place (`RunSplit.copiedUp`): a working copy may
            // hold a file of that name the .dockerignore does not exclude, which the source
            // COPY would bring over it (checked below against the other steps between).
            let copiesTool = x.kind == .copy && x.copied.isEmpty && x.instruction.syntax.flags.contains { $0.name == "from" }
            if x.kind == .workdir || x.kind == .env || x.kind == .arg || copiesTool {
                if copiesTool { copied.insert(j) }
                up.insert(j, at: 0)
                needed.append(x)
                named.formUnion(x.reads.env.names)
            } else {
                fail(v); if between.isSafe { between = v }; blockers.append(Self.label(x))
                if x.kind == .run { blockedByRun = true }
            }
        }
        // Each step moving up crosses the COPY and the steps between that stay above it.
        for j in up {
            let x = graph.step(StepID(stage: r.stage, index: j))
            // A copy kept in place writes its files again after the source COPY: what that COPY
            // writes over the copy above does not matter; the other steps between must commute.
            for k in (copied.contains(j) ? c.index + 1 : c.index)..<j where !up.contains(k) {
                let y = graph.step(StepID(stage: r.stage, index: k))
                let v = commute(x, y)
                if !v.isSafe { fail(v); if between.isSafe { between = v }; blockers.append(Self.label(x)); if y.kind == .run { blockedByRun = true }; break }
            }
        }
        var onlyArgsBelow = false
        if !argsBelow.isEmpty {
            onlyArgsBelow = split.verdict.isSafe
            let names = argsBelow.flatMap { $0.writes.env.names.sorted() }.map { "$" + $0 }
            fail(.unsafe("the install would run without \(names.joined(separator: ", ")) in its environment (\(argsBelow.map(Self.label).joined(separator: ", ")) "
                + "stays below it), which \(partStep.notes.first.map { "it may read: \($0)" } ?? "its programs may read")"))
        }
        // A command left below now runs after the install part's commands that followed it.
        for m in moved {
            guard let ms = part([m], deferring: false) else { return nil }
            for later in kept where later > m {
                guard let ls = part([later], deferring: deferring) else { return nil }
                let v = commute(ms, ls)
                if !v.isSafe { fail(v); otherFailed = true }
            }
        }
        // The rest must not depend on shell state the install part sets (the prefix runs in both).
        if (kept + moved).contains(where: changesState) {
            fail(.unknown("the install part changes shell state (cd, export, set) the rest relies on"))
            otherFailed = true
        }
        let text = Array(script.script.source.utf8)
        func slice(_ a: Int, _ b: Int) -> String {
            Self.collapsingBlanks(String(decoding: text[max(0, min(a, text.count))..<max(0, min(b, text.count))], as: UTF8.self))
        }
        func pipeText(_ i: Int, first: Bool) -> String {
            let p = pipes[i].range
            guard first, let ins = twice.first(where: { holds(i, $0) }), let flags = ins.deferred?.flags else { return slice(p.start, p.end) }
            let at = min(ins.command.invocation.range.end, p.end)
            let tail = slice(at, p.end)
            return slice(p.start, at) + " " + flags.joined(separator: " ") + (tail.isEmpty ? "" : " " + tail)
        }
        var installText = (Array(0..<prefix) + kept).map { pipeText($0, first: true) }.joined(separator: " && ")
        let again = kept.filter { i in twice.contains { holds(i, $0) } }
        let restIndices = Array(0..<prefix) + (moved + again).sorted() + Array((k + 1)..<pipes.count)
        var restText = restIndices.map { pipeText($0, first: false) }.joined(separator: " && ")
        var testText: String? = nil
        if let (test, otherwise) = guarded {
            let t = slice(test.range.start, test.range.end)
            testText = t
            installText = "if \(t); then \(installText); fi"
            let other = otherwise.map { $0.items.map { slice($0.andOr.range.start, $0.andOr.range.end) }.joined(separator: "; ") }
            restText = "if \(t); then \(restText)" + (other.map { "; else \($0)" } ?? "") + "; fi"
        }
        var notes = split.notes
        // What the install part wrote stays in its layer: a recursive chown/chmod below copies
        // it into the rest's layer (the image holds it twice), a removal below (`rm -rf`,
        // `composer clearcache`) no longer makes the image smaller.
        let installed = partStep.writes.paths.paths.filter { w in !RunEffects.systemTrees.contains(w) && w != "/tmp" }
        var noted = Set<String>()
        for i in moved + Array((k + 1)..<pipes.count) {
            for inv in commands(of: i) {
                let name = inv.effective.name ?? ""
                let flags = inv.effective.arguments.compactMap(\.staticValue).filter { $0.hasPrefix("-") }
                let recursive = flags.contains { $0 == "--recursive" || (!$0.hasPrefix("--") && ($0.contains("R") || (name == "rm" && $0.contains("r")))) }
                let cleans = PackageCommand.parse(inv.effective).map { $0.action == .clean } ?? false
                guard (["chown", "chmod", "chgrp", "rm"].contains(name) && recursive) || cleans, !noted.contains(name),
                      let st = graph.partialRun(r, including: { $0.range == inv.range }, deferring: false) else { continue }
                let touched = st.writes.paths.paths
                guard let hit = installed.first(where: { w in touched.contains { ImagePath.within(w, $0) || ImagePath.within($0, w) } }) else { continue }
                noted.insert(name)
                notes.append(cleans ? "`\(inv.effective.displayText)` below empties a cache the install part filled, which stays in that part's layer: the image keeps it"
                    : name == "rm" ? "`rm` below removes \(hit), which the install part wrote and which stays in that part's layer: the image keeps it"
                    : "the image then holds \(hit) twice: `\(name) -R` below rewrites it into a layer of its own")
            }
        }
        if !twice.isEmpty {
            notes.append("below the COPY composer installs nothing again: it writes the autoloader and runs the scripts as before")
        }
        var out = RunSplit(installText: installText, restText: restText, files: split.files, verdict: split.verdict, notes: notes,
                           deferred: !twice.isEmpty, onlyIncomplete: !split.verdict.isSafe && onlyIncomplete)
        out.moveUp = up.map { StepID(stage: r.stage, index: $0) }
        out.copiedUp = copied.sorted().map { StepID(stage: r.stage, index: $0) }
        out.onlyArgumentsBelow = onlyArgsBelow && !otherFailed
        out.condition = testText
        out.toolsOnly = toolsOnly
        out.splitOffset = pipes[k].range.end
        if safeAlone, !between.isSafe, !otherFailed {
            let named = blockers.count > 3 ? blockers.prefix(3).joined(separator: ", ") + " and \(blockers.count - 3) more" : blockers.joined(separator: ", ")
            out.blockedBetween = "it cannot cross \(named) (\(between.reason ?? ""))"
            out.blockedByRun = blockedByRun
        }
        return out
    }

    /// The RUN's leading `&&` pipelines that install tools and read nothing of the project:
    /// system packages (`apk add`, `apt-get update`, `apt-get install` of named packages), a
    /// global npm install of registry packages, `corepack enable`. Each is one simple command;
    /// the index of the last one when something follows them, nil otherwise (or when one is
    /// a virtual package, installed to be deleted).
    func toolPrefix(_ pipes: [Pipeline], _ invocations: [CommandInvocation], _ rs: Step) -> Int? {
        var last: Int? = nil
        for (i, p) in pipes.enumerated() {
            let invs = invocations.filter { p.range.contains($0.range.start) }
            guard p.commands.count == 1, !p.negated, case .simple = p.commands[0].kind, invs.count == 1, let inv = invs.first else { break }
            let e = inv.effective
            if e.name == "corepack", e.arguments.count == 1, e.arguments[0].staticValue == "enable" { last = i; continue }
            guard let pc = PackageCommand.parse(e) else { break }
            let named = rs.installs.contains { p.range.contains($0.command.invocation.range.start) && $0.dependency.source == .namedPackages && $0.files.isEmpty }
            if pc.manager.isSystemPackageManager {
                if pc.manager == .apk, pc.hasOption("t", "virtual") || e.arguments.contains(where: { ($0.staticValue ?? "").hasPrefix("--virtual") }) { return nil }
                guard pc.action == .update || (pc.action == .install && named) else { break }
            } else {
                guard pc.manager == .npm, pc.action == .install, named, pc.hasOption("g", "global") else { break }
            }
            last = i
        }
        guard let k = last, k + 1 < pipes.count else { return nil }
        return k
    }

    /// True when pipeline `p` only removes temporary files or caches: `rm -rf` of paths under
    /// /tmp, /var/tmp, /var/cache, /var/lib/apt/lists or a home's `.cache`, or a package
    /// manager's clean (`npm cache clean`, `apt-get clean`, `yarn cache clean`).
    static func isCleanup(_ p: Pipeline, _ invocations: [CommandInvocation]) -> Bool {
        let invs = invocations.filter { p.range.contains($0.range.start) }
        guard p.commands.count == 1, !p.negated, case .simple = p.commands[0].kind, invs.count == 1, let inv = invs.first,
              inv.assignments.isEmpty else { return false }
        let e = inv.effective
        if let pc = PackageCommand.parse(e), pc.action == .clean { return true }
        guard e.name == "rm" else { return false }
        let args = e.arguments.map(\.staticValue)
        guard !args.contains(where: { $0 == nil }) else { return false }
        let words = args.compactMap { $0 }
        let paths = words.filter { !$0.hasPrefix("-") }
        let temporary = ["/tmp/", "/var/tmp/", "/var/cache/", "/var/lib/apt/lists/", "/root/.cache/"]
        return !paths.isEmpty && paths.allSatisfy { path in
            !path.contains("..") && (temporary.contains { path.hasPrefix($0) && path.count > $0.count } || path.hasPrefix("~/.cache/"))
        }
    }

    /// The tool installs of `toolPrefix` as a RUN of their own above COPY `cs`: safe when they
    /// read nothing it writes and write nothing it writes (and nothing else they do is unknown).
    func toolSplit(copy cs: Step, part: Step) -> ManifestSplit? {
        var verdict = commute(part, cs)
        if verdict.isSafe, part.reads.paths.all || part.writes.paths.all {
            verdict = .unknown("\(Self.label(part)) may read or write any file: \(part.notes.first ?? "a program the analysis does not know")")
        }
        return ManifestSplit(files: [], verdict: verdict, notes: [])
    }

    /// Shell text on one line: runs of blanks outside quotes (the indentation of joined
    /// continuation lines) become one space, the ends trimmed.
    public static func collapsingBlanks(_ t: String) -> String {
        var out = "", quote: Character? = nil, escaped = false, blank = false
        for ch in t {
            if escaped { out.append(ch); escaped = false; continue }
            if quote == nil, ch == " " || ch == "\t" { blank = true; continue }
            if blank { if !out.isEmpty { out.append(" ") }; blank = false }
            out.append(ch)
            if ch == "\\", quote != "'" { escaped = true } else if ch == "'" || ch == "\"" { quote = quote == nil ? ch : (quote == ch ? nil : quote) }
        }
        return out
    }

    /// True when `test` (the test of an `if`) is only `[`/`test` comparing strings and
    /// numbers: it reads variables, no file, and writes nothing, so it gives the same answer
    /// above the COPY and below it.
    static func isPureTest(_ test: AndOrList, _ commands: [CommandInvocation]) -> Bool {
        let operators: Set<String> = ["!", "=", "==", "!=", "-n", "-z", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-a", "-o", "(", ")", "]"]
        var seen = 0
        for p in test.pipelines {
            guard p.commands.count == 1, case .simple(let sc) = p.commands[0].kind, sc.redirections.isEmpty, sc.assignments.isEmpty,
                  let name = sc.words.first?.staticValue, name == "[" || name == "test" else { return false }
            for w in sc.words.dropFirst() {
                // An operand may hold a variable; an operator must be one of the comparisons.
                if let v = w.staticValue, v.hasPrefix("-") || v == "!" || v == "(" || v == ")" || v == "]" {
                    guard operators.contains(v) else { return false }
                }
                for part in w.parts {
                    switch part.kind {
                    case .commandSubstitution, .processSubstitution, .arithmetic: return false
                    case .doubleQuoted(let inner):
                        if inner.contains(where: { if case .commandSubstitution = $0.kind { return true }; return false }) { return false }
                    default: break
                    }
                }
            }
            seen += 1
        }
        return seen > 0 && commands.filter { test.range.contains($0.range.start) }.count == seen
    }

    // MARK: - Dependency pre-fetch

    /// `COPY <tree>` then a RUN whose one command downloads the dependencies and builds
    /// (`go build`): the ecosystem's pre-fetch step (`go mod download`) above the COPY, after
    /// copying the files it reads. Nil when the RUN has no such build or the COPY does not
    /// bring its module. `lifted`: a split of the RUN moves its commands before this script
    /// offset (tool installs, `RunSplit.splitOffset`) into a RUN above the COPY, which the
    /// pre-fetch then follows.
    public func prefetch(copy c: StepID, run r: StepID, lifted: Int? = nil) -> Prefetch? {
        guard c.stage == r.stage, c.index < r.index else { return nil }
        let cs = graph.step(c), rs = graph.step(r)
        let build: GoBuild
        if let ins = rs.installs.first(where: { $0.command.manager == .go && $0.dependency.source == .localProject }) {
            var assigned: [String: String] = [:]
            for a in ins.command.invocation.assignments { if let v = a.value?.staticValue { assigned[a.name] = v } }
            build = GoBuild(workdir: ins.workdir, mod: ins.command.optionValues("mod").last, assignments: assigned,
                            start: ins.command.invocation.range.start)
        } else if let made = graph.goBuildThroughMake(r) {
            build = GoBuild(workdir: made.workdir, mod: nil, assignments: made.assignments, start: made.start, makeTarget: made.target)
        } else if let mage = graph.goBuildThroughMage(r) {
            // The commands before mage were read (`cd`, PATH appended): nothing the download lacks.
            build = GoBuild(workdir: mage.module, mod: nil, assignments: [:], start: nil, mage: mage)
        } else {
            return nil
        }
        // A download step already above the COPY: nothing to add.
        for k in 0..<c.index where graph.stages[c.stage][k].installs.contains(where: { $0.command.manager == .go && $0.dependency.source == .manifest }) {
            return nil
        }
        // In the build's directory: the COPY's, or reached with `cd`.
        let copyDir = ImagePath.workdir(cs.instruction.workingDirectory)
        let sameDir = build.workdir == copyDir
        if !sameDir, Self.needsQuoting(build.workdir) { return nil }
        let text = sameDir ? "go mod download" : "cd \(build.workdir) && go mod download"
        guard let inv = ShellParser.parse("go mod download").commands.first, let pc = PackageCommand.parse(inv), let dep = pc.dependencyInstall else { return nil }
        guard source(in: cs, of: ImagePath.absolute("go.mod", workdir: build.workdir)) != nil else { return nil }
        var verdict: MoveVerdict = .safe
        var files: [ManifestSplit.File] = []
        // What `go mod download` reads in the module of `dir`: added to `files` as this COPY
        // brings them; the first doubt is the verdict.
        @discardableResult func download(in dir: String) -> InstallReader {
            var reader = InstallReader(graph: graph, step: r, cwd: dir, pc: pc, dep: dep, values: ShellValues(rs.instruction))
            reader.run()
            if graph.context == nil { reader.incomplete("go.mod is not available to check its replace directives") }
            if !reader.complete, verdict.isSafe { verdict = .unknown(reader.reasons.first ?? "the module's reads are not known") }
            for f in reader.files where !files.contains(where: { $0.imagePath == f }) {
                guard let cp = source(in: cs, of: f) else { continue }
                if let ctx = graph.context, !ctx.sends(cp) {
                    if reader.optional.contains(f) { continue }
                    if verdict.isSafe { verdict = .unsafe("go mod download reads \(cp), which the build context does not send") }
                    continue
                }
                files.append(.init(contextPath: cp, imagePath: f, isTree: false))
            }
            return reader
        }
        let reader = download(in: build.workdir)
        if verdict.isSafe, let why = goPrefetchObstacle(copy: cs, run: rs, build: build, lifted: lifted) { verdict = why }
        var command = text
        // Other modules whose magefiles mage compiles in the RUN (`cd build && mage ...` with
        // build/go.mod): their downloads too, each in its folder.
        for m in build.mage?.otherModules ?? [] {
            guard source(in: cs, of: ImagePath.absolute("go.mod", workdir: m)) != nil else {
                if verdict.isSafe { verdict = .unknown("mage compiles the magefiles of \(m), whose go.mod this COPY does not bring") }
                continue
            }
            let shown = ImagePath.relative(m, to: build.workdir).map { $0.isEmpty ? "." : $0 } ?? m
            guard !Self.needsQuoting(shown) else { return nil }
            download(in: m)
            let other = GoBuild(workdir: m, mod: nil, assignments: [:], start: nil, mage: build.mage)
            if verdict.isSafe, let why = goPrefetchObstacle(copy: cs, run: rs, build: other, lifted: lifted) { verdict = why }
            command += " && (cd \(shown) && go mod download)"
        }
        return Prefetch(command: command, files: files, verdict: verdict, notes: reader.reasons, makeTarget: build.makeTarget, mage: build.mage)
    }

    /// The Go settings that decide what `go mod download` fetches, from where, how it is checked
    /// and where it is kept, as `go help environment` and the modules reference list them:
    /// GOFLAGS (`-mod=`, `-modcacherw`, ...), GOPROXY, GOPRIVATE, GONOPROXY, GONOSUMDB, GOSUMDB,
    /// GOINSECURE, GOVCS and GOAUTH (the sources and their checks, credentials), GOWORK (the
    /// workspace), GOMODCACHE and GOPATH (the module cache), GOENV (the file that may set all of
    /// these) and GOTOOLCHAIN (the toolchain that runs, which may be downloaded itself).
    /// GO111MODULE is not one: `on` and `auto` change nothing here, and the readers check its
    /// value. One list for the make and mage readers (a file that names one is not read) and the
    /// pre-fetch (a build that sets one on its command line).
    static let goModuleSettings = ["GOFLAGS", "GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOVCS",
                                   "GOAUTH", "GOWORK", "GOMODCACHE", "GOPATH", "GOENV", "GOTOOLCHAIN"]

    /// Why `go mod download` above the COPY would not fetch what `go build` downloads, or
    /// could fail where the build succeeds; nil when nothing stands in the way.
    func goPrefetchObstacle(copy cs: Step, run rs: Step, build: GoBuild, lifted: Int? = nil) -> MoveVerdict? {
        let env = ShellValues(rs.instruction).values
        func value(_ name: String) -> String? { build.assignments[name] ?? env[name] }
        let goflags = value("GOFLAGS") ?? ""
        let mod = build.mod ?? goflags.split(separator: " ").last(where: { $0.hasPrefix("-mod=") }).map { String($0.dropFirst(5)) }
        // Vendored modules: the build reads vendor/ and downloads nothing (`-mod=vendor` is the
        // default when vendor/modules.txt exists and go.mod says go 1.14 or later).
        if mod == "vendor" { return .unsafe("the build uses -mod=vendor: it downloads no module, a pre-fetch saves nothing") }
        if mod != "mod", let modPath = source(in: cs, of: ImagePath.absolute("go.mod", workdir: build.workdir)),
           let ctx = graph.context, ctx.sends(ImagePath.contextJoin(ImagePath.dirname(modPath), "vendor/modules.txt")) {
            return .unsafe("the module is vendored (vendor/modules.txt): the build reads vendor/ and downloads no module")
        }
        if value("GOPROXY") == "off" || value("GOFLAGS")?.contains("-mod=vendor") == true {
            return .unsafe("GOPROXY=off: the build downloads no module")
        }
        // Module settings on the build's own command line would be missing in the new step, and
        // so would git's (HOME for its configuration and credentials, GIT_*).
        if let name = build.assignments.keys.sorted().first(where: { Self.goModuleSettings.contains($0) || $0 == "HOME" || $0.hasPrefix("GIT_") }) {
            return .unknown("the build sets \(name) on its command line, which the download step would not have")
        }
        // A workspace: `go mod download` in workspace mode depends on the Go release, and the
        // workspace's modules would all have to be copied first.
        if env["GOWORK"] != "off", let ctx = graph.context {
            var dir = source(in: cs, of: ImagePath.absolute("go.mod", workdir: build.workdir)).map(ImagePath.dirname) ?? "."
            while true {
                if ctx.sends(ImagePath.contextJoin(dir, "go.work")) { return .unknown("go.work makes the build a workspace build; a pre-fetch of one module does not cover it") }
                if dir == "." || dir.isEmpty { break }
                dir = ImagePath.dirname(dir)
            }
        }
        // Private modules: credentials the build gets from a secret or ssh mount, or sets up
        // before building, would be missing in the new step.
        if let m = rs.instruction.resolved?.mounts?.first(where: { $0.type == .secret || $0.type == .ssh }) {
            return .unknown("the build uses a \(m.type.rawValue) mount (private modules?) that the download step would not have")
        }
        if let m = rs.instruction.resolved?.mounts?.first(where: { $0.type == .cache && ($0.target ?? "").contains("/pkg/mod") }) {
            return .unsafe("the build mounts a cache over the module cache (\(m.target ?? "")): it hides what a pre-fetch puts in the image")
        }
        // The steps between the COPY and the build would come after the download step: they
        // must not set what it reads (the environment, the user, the working directory) or
        // install what it may need (git for a module fetched directly).
        return prefetchSequenceObstacle(copy: cs, run: rs, start: build.start, harmless: ["go"], lifted: lifted, goEnvironment: true)
    }

    /// A Go build the pre-fetch is for: `go build`/`go install` in the RUN, or `make <goals>`
    /// whose recipes are Go builds (`StepGraph.goBuildThroughMake`).
    struct GoBuild {
        var workdir: String
        /// `-mod=` on the command line.
        var mod: String?
        /// Environment assignments on the command (`GOFLAGS=... go build`).
        var assignments: [String: String]
        /// Script offset of the build command (nil: it is the whole RUN).
        var start: Int?
        var makeTarget: String? = nil
        var mage: GoMageBuild? = nil
    }

    /// The context path `COPY` step `cs` writes at image path `p` (nil when it does not).
    public func source(in cs: Step, of p: String) -> String? {
        for c in cs.copied {
            guard let rel = ImagePath.relative(p, to: c.imagePath) else { continue }
            if !c.isTree { if rel.isEmpty { return c.contextPath } ; continue }
            if c.isGlob {
                let first = rel.split(separator: "/").first.map(String.init) ?? ""
                guard ImagePath.globMatch(ImagePath.basename(c.contextPath), first) else { continue }
                return ImagePath.contextJoin(ImagePath.dirname(c.contextPath), rel)
            }
            return ImagePath.contextJoin(c.contextPath, rel)
        }
        return nil
    }

    // MARK: - Conflicts

    /// True when `s` cannot stand unquoted in a generated shell line (`cd DIR`): it holds a
    /// `$`, a space or a quote.
    static func needsQuoting(_ s: String) -> Bool {
        s.contains { $0 == "$" || $0 == " " || $0 == "'" || $0 == "\"" }
    }

    static func label(_ s: Step) -> String {
        var t = s.instruction.syntax.original.firstLineWithoutCarriageReturns
        if t.isPlainASCII { return "`\(OneLine.shortened(t, limit: 50))` (line \(s.instruction.syntax.startLine))" }
        t = t.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if t.hasSuffix("\\") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) + " ..." }
        if t.count > 50 { t = String(t.prefix(47)) + "..." }
        return "`\(t)` (line \(s.instruction.syntax.startLine))"
    }

    func conflict(_ w: NameSet, _ r: NameSet) -> String? {
        let i = w.intersection(r)
        guard let first = i.sorted().first else { return nil }
        return first == "*" ? "the environment" : "$" + first
    }

    func envVerdict(_ name: String, writer: String, reader: Step) -> MoveVerdict {
        if reader.reads.env.all {
            let why = reader.notes.first ?? "it runs programs that read the environment"
            return .unsafe("\(Self.label(reader)) may read \(name) from its environment (\(why)); \(writer) sets it")
        }
        return .unsafe("\(Self.label(reader)) reads \(name), which \(writer) sets")
    }

    /// A file conflict: `writer` writes something `read` (of `reader`) touches.
    func pathConflict(writer: Step, reader: Step, read: PathSet, bothWrite: Bool = false) -> MoveVerdict? {
        let what = bothWrite ? "writes" : "reads"
        if writer.writes.paths.isEmpty || read.isEmpty { return nil }
        if read.all {
            // Everything: a conflict unless the writer writes nothing real.
            // A glob source is taken to match something: the context is not expanded here.
            if writer.copied.isEmpty || writer.copied.contains(where: { c in c.isGlob || (graph.context.map { $0.sends(c.contextPath) } ?? true) }) {
                return .unknown("\(Self.label(reader)) may \(what == "reads" ? "read" : "write") any file (\(reader.notes.first ?? "unknown program"))")
            }
            return nil
        }
        if writer.writes.paths.all {
            return .unknown("\(Self.label(writer)) may write any file (\(writer.notes.first ?? "unknown program"))")
        }
        for p in read.paths {
            if !writer.copied.isEmpty {
                // A step that writes a path inside the COPY's tree on purpose: a COPY of one file
                // (`COPY docker/app.env /app/.env` after `COPY . /app`) or a RUN that installs
                // nothing (`echo $COMMIT > /app/version.txt`). Swapped, a working copy's own file
                // there (untracked, not excluded by the .dockerignore) would win. A dependency
                // install's folders (node_modules, vendor) are judged by what the context holds.
                let overrides = bothWrite && (reader.copied.contains { !$0.isTree && $0.imagePath == p }
                    || (reader.kind == .run && reader.installs.isEmpty))
                if let hit = realOverlap(copy: writer, path: p, written: bothWrite, overriddenByCopy: overrides) {
                    return .unsafe("\(Self.label(reader)) \(what) \(hit), which \(Self.label(writer)) writes")
                }
                // Writes of the COPY not from the context (inline, URLs).
                let other = writer.writes.paths.paths.filter { w in !writer.copied.contains { $0.imagePath == w } }
                if other.contains(where: { ImagePath.overlap($0, p) }) {
                    return .unsafe("\(Self.label(reader)) \(what) \(p), which \(Self.label(writer)) writes")
                }
                continue
            }
            if writer.writes.paths.touches(p) {
                return .unsafe("\(Self.label(reader)) \(what) \(p), which \(Self.label(writer)) writes")
            }
        }
        return nil
    }

    /// A system or runtime tree (/usr, /etc, /var) that the package managers of a RUN read or
    /// write, holding the project folders the COPY fills (/usr/src/app, /var/www/html,
    /// /etc/shlink): the managers read and write their own files there (their database,
    /// configuration, programs), not the project's; what they read of the project is among
    /// their listed files.
    func holdsOnlyProjects(_ p: String, copy cs: Step, installs: [InstallRead]) -> Bool {
        guard !installs.isEmpty, RunEffects.systemTrees.contains(p) || RunEffects.runtimeTrees.contains(p) else { return false }
        let roots = installs.flatMap { [$0.projectRoot, $0.workdir] }.filter { $0 != "/" && $0 != p }
        let hits = cs.copied.filter { ImagePath.overlap($0.imagePath, p) }
        return !hits.isEmpty && hits.allSatisfy { h in roots.contains { ImagePath.within(h.imagePath, $0) } }
    }

    /// The image path a COPY step really writes that overlaps `p`, judged by what the
    /// context sends; nil when none. `written`: the other step writes `p`, so it needs the
    /// directories above it, which the COPY may create.
    /// `overriddenByCopy`: another COPY writes `p` itself; a path of the tree that the
    /// .dockerignore does not exclude then conflicts even when this checkout lacks it: a
    /// working copy may hold it (an untracked `.env`), and the order decides which one ships.
    func realOverlap(copy: Step, path p: String, written: Bool = false, overriddenByCopy: Bool = false) -> String? {
        for c in copy.copied where ImagePath.overlap(c.imagePath, p) {
            guard c.isTree, let ctx = graph.context else { return p }
            if let rel = ImagePath.relative(p, to: c.imagePath), !rel.isEmpty {
                // A path inside the copied tree: written only when the context has it.
                let first = rel.split(separator: "/").first.map(String.init) ?? ""
                if c.isGlob {
                    // A name the glob matches may be written (its directories may hold
                    // wildcards too: `COPY src/*/*.csproj ./` flattens them).
                    guard ImagePath.globMatch(ImagePath.basename(c.contextPath), first) else { continue }
                    return p
                }
                let cp = ImagePath.contextJoin(c.contextPath, rel)
                if ctx.sends(cp) || (overriddenByCopy && !ctx.isExcluded(cp)) { return p }
                // A file in the context where the path needs a directory also conflicts, and
                // so does, for a write, a directory the COPY creates: `touch db/schema.rb`
                // needs db/.
                var prefix = c.contextPath
                for part in rel.split(separator: "/").dropLast() {
                    prefix = ImagePath.contextJoin(prefix, String(part))
                    if ctx.sends(prefix), written || ctx.files.isDirectory(prefix) == false { return p }
                }
                continue
            }
            // `p` holds the whole copied tree.
            if c.isGlob || ctx.sends(c.contextPath) { return c.imagePath }
        }
        return nil
    }
}
