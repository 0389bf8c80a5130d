import DockerlintAnalysis
import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax
import Foundation

/// A COPY of files edited more often than the dependency manifests, before a RUN that
/// installs dependencies without reading them: every edit re-runs the install. Whether the
/// install reads them, and whether the reorder keeps the image, is the step analysis's call
/// (`Moves`): lifecycle scripts, workspaces, patches, local path dependencies included.
final class SourceCopiedBeforeInstallRule: LintRule {
    static let code = "DC1001"
    /// `subject` of a finding whose fix adds a pre-fetch step: `[prefetchSubject, command]`
    /// (the evidence counts the new step's re-runs as the downloads left).
    static let prefetchSubject = "pre-fetch"
    /// `subject` of a finding about a one-command build whose pre-fetch is not offered:
    /// `[prefetchSubject, command, evidenceOnlySubject, line, text]`, the text (COPY lines and
    /// the pre-fetch RUN) that the evidence inserts before `line` to count the commits that
    /// changed the dependency inputs. Never shown or applied.
    static let evidenceOnlySubject = "evidence-only"
    /// `subject` of a finding whose fix splits the RUN: `[runSplitSubject, install part]` (the
    /// evidence follows the install to its new RUN).
    static let runSplitSubject = "run-split"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .copy || i.syntax.kind == .add, !i.isOnbuildTrigger else { return }
        // Every finding moves the COPY below a later RUN (of its stage or of a stage built on
        // it, `make` splits): none, nothing to analyse.
        guard context.runFollowsInFile(i) else { return }
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return }
        let c = graph.step(id)
        guard !c.copied.isEmpty else { return }
        let moves = context.moves
        guard let r = SourceCopiedBeforeInstallRule.firstInstall(after: id, graph) else {
            // `make <target>` whose recipe is a Go build: the pre-fetch step too.
            if let run = graph.stages[id.stage][(id.index + 1)...].first(where: { $0.kind == .run }),
               let pre = moves.prefetch(copy: id, run: run.id), pre.verdict.isSafe {
                SourceCopiedBeforeInstallRule.reportPrefetch(i, c, run, pre, graph, context, &sink)
                return
            }
            // `make` whose goals run an install target (`all: clean install build`): its installs
            // split off above the COPY, the other goals below.
            if graph.context != nil, let (run, found) = SourceCopiedBeforeInstallRule.makeInstall(after: id, graph, moves) {
                SourceCopiedBeforeInstallRule.reportRunSplit(i, c, run, found.split, context, &sink, make: found.make)
            }
            return
        }
        let installFiles = r.installs.flatMap(\.files)
        let copiesInstallFiles = installFiles.contains { f in moves.source(in: c, of: f) != nil }
        let src = context.source
        let what = c.copied.contains(where: \.isTree) ? "the copied files" : c.copied.map { "`\($0.contextPath)`" }.joined(separator: ", ")
        if !copiesInstallFiles {
            // The install reads none of the copied files: the COPY may move below it.
            guard moves.moveBelow(id, r.id).isSafe else {
                // Tools installed at the head of a RUN that then builds from the source: the
                // RUN splits, the tool installs above the COPY.
                if graph.context != nil, let rsplit = moves.runSplit(copy: id, run: r.id), rsplit.toolsOnly, rsplit.verdict.isSafe {
                    SourceCopiedBeforeInstallRule.reportRunSplit(i, c, r, rsplit, context, &sink)
                    // The rest of the RUN downloads Go modules and builds (`make build`): with the
                    // tool installs split above the COPY, the pre-fetch goes after them.
                    if let at = rsplit.splitOffset, let pre = moves.prefetch(copy: id, run: r.id, lifted: at), pre.verdict.isSafe {
                        SourceCopiedBeforeInstallRule.reportPrefetch(i, c, r, pre, graph, context, &sink, after: rsplit)
                    }
                }
                return
            }
            // Other frequently changed COPYs stay above the install: DC1002 moves the install up.
            for p in graph.stages[id.stage][...id.index].reversed() {
                if p.kind == .run { break }
                if CopyBeforeUnrelatedStepRule.runAboveBlock(p.instruction, context)?.0.id == r.id { return }
            }
            let message = "`\(i.shortText)` comes before the dependency install \(CacheMessage.step(r.instruction)), which does not read it: "
                + "every edit to \(what) re-runs it; move the COPY below the install"
            let copyLines = InstructionLines.of(i.syntax, context.dockerfile)
            let runLines = InstructionLines.of(r.instruction.syntax, context.dockerfile, withComments: false)
            let fix = Fix(title: "Move the COPY below the install",
                          edits: LineEdits.move(copyLines.first, copyLines.last, after: runLines.last, src), applicability: .safe)
            sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.instruction.syntax.startLine])
            return
        }
        guard let split = moves.manifestSplit(copy: id, install: r.id) else { return }
        // Install and build in one RUN: split the RUN at the `&&` after the install.
        // (A split of leading tool installs is not this: the install that reads the copied files stays below.)
        if !split.verdict.isSafe, let rsplit = moves.runSplit(copy: id, run: r.id), !rsplit.toolsOnly {
            // A composer split whose one doubt is what the install may read (a plugin that acts
            // while packages install): reported, its fix unsafe.
            // Or one whose only doubt is a build argument left below it: its fix unsafe.
            if rsplit.verdict.isSafe || (rsplit.deferred && rsplit.onlyIncomplete && graph.context != nil)
                || (rsplit.onlyArgumentsBelow && graph.context != nil) {
                SourceCopiedBeforeInstallRule.reportRunSplit(i, c, r, rsplit, context, &sink)
                return
            }
            // An install that alone would split, behind steps it cannot cross (a `chown -R` of
            // the project, a USER, a relative WORKDIR below `COPY . .`): the problem, without a
            // fix. Not behind a RUN that builds from the source: the RUN is no install-and-build.
            if let why = rsplit.blockedBetween, graph.context != nil, rsplit.deferred || !rsplit.blockedByRun {
                SourceCopiedBeforeInstallRule.reportRunSplit(i, c, r, rsplit, context, &sink, blockedBy: why)
                return
            }
        }
        // One command downloads and builds (`go build`): add the pre-fetch step.
        if !split.verdict.isSafe, let pre = moves.prefetch(copy: id, run: r.id), pre.verdict.isSafe {
            SourceCopiedBeforeInstallRule.reportPrefetch(i, c, r, pre, graph, context, &sink)
            return
        }
        // One command downloads and builds with Maven, Gradle or Cargo: the pre-fetch step
        // where it is safe, else the reason and the recipe.
        if !split.verdict.isSafe, let pre = moves.buildPrefetch(copy: id, run: r.id),
           !c.copied.allSatisfy({ f in pre.files.contains { $0.contextPath == f.contextPath } }) {
            SourceCopiedBeforeInstallRule.reportBuildPrefetch(i, c, r, pre, graph, context, &sink)
            return
        }
        // Nothing to split when the COPY brings only what the install reads.
        let firstPaths = Set(split.files.map(\.contextPath))
        if c.copied.allSatisfy({ firstPaths.contains($0.contextPath) }) { return }
        let withoutContext = graph.context == nil
        switch split.verdict {
        case .safe: break
        case .unknown where withoutContext && !r.reads.paths.all && !r.installs.contains(where: \.dependency.needsSourceTree): break
        default: return
        }
        let names = split.files.map(\.contextPath)
        var message = "`\(i.shortText)` comes before the dependency install \(CacheMessage.step(r.instruction)), which does not read "
            + "\(c.copied.contains(where: \.isTree) || c.copied.count > 1 ? "them" : "it") apart from \(names.joined(separator: ", ")): "
            + "every edit to \(what) re-runs it; copy \(names.count == 1 ? "that file" : "those files") first, install, then copy the rest"
        let notes = split.notes.filter { !$0.isEmpty }
        if split.verdict.isSafe, !notes.isEmpty { message += " (\(notes.joined(separator: "; ")))" }
        var fix: Fix? = nil
        if split.verdict.isSafe {
            fix = SourceCopiedBeforeInstallRule.splitFix(i, c, r, split, context)
        } else {
            message += "; the build context was not available to check what else the install reads, so no fix is offered"
        }
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.instruction.syntax.startLine])
    }

    /// `COPY . .` then `RUN install && build`: copy the install's files and run the install
    /// part above the COPY, run the rest in place of the RUN.
    static func reportRunSplit(_ i: ModelInstruction, _ c: Step, _ r: Step, _ split: RunSplit, _ context: LintContext,
                               _ sink: inout FindingSink, blockedBy: String? = nil, make: MakeInstall? = nil) {
        let names = split.files.map(\.contextPath)
        let what = c.copied.contains(where: \.isTree) ? "the copied files" : c.copied.map { "`\($0.contextPath)`" }.joined(separator: ", ")
        let targets = make.map { m in m.installTargets.map { "`\($0)`" }.joined(separator: ", ") + " target" + (m.installTargets.count == 1 ? "" : "s") }
        let how = make != nil
            ? "whose `\(make!.command)` runs the Makefile's \(targets!) (`\(make!.installText)`) and builds in one RUN"
            : split.deferred
            ? "whose composer install reads only \(names.joined(separator: ", ")) of them once its scripts and autoloader wait for the source (`--no-scripts --no-autoloader`)"
            : split.toolsOnly ? "which installs tools (`\(split.installText)`) and builds in one RUN"
            : "which installs dependencies and builds in one RUN"
        let graph = context.stepGraph
        let moved = split.moveUp.filter { !split.copiedUp.contains($0) }.map { graph.step($0) }
        let copiedUp = split.copiedUp.map { graph.step($0) }
        let when = split.condition.map { " (the install runs only when `\($0)`)" } ?? ""
        var message = "`\(i.shortText)` comes before \(CacheMessage.step(r.instruction)), \(how)\(when): "
            + (split.deferred ? "every edit to \(what) re-runs the install; "
               : split.toolsOnly ? "every edit to \(what) re-runs the install, which reads none of them; "
               : "every edit to \(what) re-runs the install, which reads only \(names.joined(separator: ", ")) of them; ")
            + (moved.isEmpty ? "" : "move \(moved.map { "`\($0.instruction.shortText)`" }.joined(separator: ", ")), which the install needs, above the COPY, ")
            + (copiedUp.isEmpty ? "" : "copy the tool with \(copiedUp.map { "`\($0.instruction.shortText)`" }.joined(separator: ", ")) above the COPY too "
               + "(kept where it is, so that after the source COPY it is the image's again), ")
            + (split.toolsOnly ? "split the RUN at its `&&`: run the install in a RUN of its own above the COPY, then `\(split.restText)` in place of the RUN"
               : "copy \(names.count == 1 ? "that file" : "those files") first, run `\(split.installText)` in a RUN of its own, then copy the rest and run `\(split.restText)`")
        if let make { message += " (`\(make.command)` split at its install target\(make.installTargets.count == 1 ? "" : "s"))" }
        if !split.notes.isEmpty { message += " (\(split.notes.joined(separator: "; ")))" }
        if let why = blockedBy {
            message += "; no fix is offered: the install would have to move above the steps between them, and \(why)"
            // The evidence weighs the split as if it could be made: the COPY narrowed to the
            // files the install reads, the rest copied after the RUN. A split whose left-out
            // files never re-ran the install is not reported.
            var subject: [String] = []
            let copyLines = InstructionLines.of(i.syntax, context.dockerfile)
            let runLines = InstructionLines.of(r.instruction.syntax, context.dockerfile, withComments: false)
            if let narrowed = manifestCopyLines(i, ManifestSplit(files: split.files, verdict: .safe, notes: []), context) {
                subject = [runSplitSubject, split.installText, evidenceOnlySubject, "\(copyLines.first)-\(copyLines.last)-\(runLines.last)", narrowed]
            }
            sink.report(i.syntax.keywordRange, message, fix: nil, relatedLines: [r.instruction.syntax.startLine], subject: subject)
            return
        }
        if let why = split.verdict.reason { message += "; the split is not known to keep the build as it is, so its fix is unsafe: \(why)" }
        var fix: Fix? = nil
        if let edits = runSplitEdits(i, r, split, context) {
            fix = Fix(title: split.toolsOnly ? "Split the RUN: install the tools before the source COPY, build after it"
                        : split.deferred ? "Split the install: from the copied manifests first without scripts and autoloader, again after the source"
                        : "Split the RUN: install from the copied manifests first, build after the source",
                      edits: edits, applicability: split.verdict.isSafe ? .safe : .unsafe)
        }
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.instruction.syntax.startLine],
                    subject: [runSplitSubject, split.installText])
    }

    /// The working directory the steps a split moves above the COPY leave (a WORKDIR among them).
    static func splitWorkdir(_ split: RunSplit, _ graph: StepGraph) -> String? {
        split.moveUp.map { graph.step($0) }.last(where: { $0.kind == .workdir })?.instruction.resolved?.workdir
    }

    /// The edits of a RUN split: the steps the install needs and the install part above the
    /// COPY (then `extra`, lines that follow the install there), the rest in place of the RUN.
    static func runSplitEdits(_ i: ModelInstruction, _ r: Step, _ split: RunSplit, _ context: LintContext, extra: String = "") -> [TextEdit]? {
        let graph = context.stepGraph
        let lifted = split.moveUp.map { graph.step($0) }
        let manifest = ManifestSplit(files: split.files, verdict: .safe, notes: split.notes)
        // The manifests land in the working directory the moved steps leave (a WORKDIR among them).
        let workdir = splitWorkdir(split, graph)
        guard let lines = manifestCopyLines(i, manifest, context, workdir: workdir) else { return nil }
        do {
            let src = context.source
            let nl = LineEdits.newline(src)
            let keyword = r.instruction.syntax.keyword == r.instruction.syntax.keyword.lowercased() ? "run" : "RUN"
            let flags = r.instruction.syntax.flags.map(\.text)
            let runLine = { (body: String) in ([keyword] + flags + [body]).joined(separator: " ") + nl }
            // The COPY (with its comments) stays where it is, the steps between too: the install
            // part goes above it, the rest in place of the RUN.
            let copyLines = InstructionLines.of(i.syntax, context.dockerfile)
            let runLines = InstructionLines.of(r.instruction.syntax, context.dockerfile, withComments: false)
            // The steps the install needs go first (with their comments), removed from below the COPY.
            var moved = ""
            var edits: [TextEdit] = []
            for x in lifted {
                let l = InstructionLines.of(x.instruction.syntax, context.dockerfile)
                var text = LineEdits.text(l.first, l.last, src)
                if !text.hasSuffix("\n") { text += nl }
                moved += text
                if !split.copiedUp.contains(x.id) { edits.append(LineEdits.delete(l.first, l.last, src)) }
            }
            edits.insert(LineEdits.insert(moved + lines + runLine(split.installText) + extra, after: copyLines.first - 1, src), at: 0)
            let rs = LineEdits.start(of: runLines.first, src), re = LineEdits.start(of: runLines.last + 1, src)
            var tail = runLine(split.restText)
            if runLines.last >= src.lineCount, !src.text(rs, re).hasSuffix("\n") { tail.removeLast(nl.count) }
            edits.append(TextEdit(range: src.range(rs, re), replacement: tail))
            return edits
        }
    }

    /// `COPY . .` then `RUN go build`: `COPY go.mod go.sum ./` and `RUN go mod download` above it.
    /// After `split` (tool installs at the head of the RUN that the pre-fetch may need, git for
    /// modules fetched directly): the installs move to a RUN above the COPY, the pre-fetch
    /// follows them, and the fix does both (its words avoid "split": that is the other finding's
    /// claim, the installs alone).
    static func reportPrefetch(_ i: ModelInstruction, _ c: Step, _ r: Step, _ pre: Prefetch, _ graph: StepGraph, _ context: LintContext,
                               _ sink: inout FindingSink, after split: RunSplit? = nil) {
        let names = pre.files.map(\.contextPath)
        let what = c.copied.contains(where: \.isTree) ? "the copied files" : c.copied.map { "`\($0.contextPath)`" }.joined(separator: ", ")
        // Only a builder stage keeps the image as it is: the module cache the new step fills is
        // larger than what the build downloads (test-only modules), and only the built files leave.
        let stage = c.id.stage
        let builderOnly = stage < graph.model.stages.count - 1
            && graph.model.stages.dropFirst(stage + 1).contains { $0.dependencies.contains { $0.stage == stage && $0.kind == .copyFrom } }
        var how = pre.makeTarget.map { "which runs `go build` (the Makefile's `\($0)` target\($0.contains(" ") ? "s" : "")), downloading the modules and building in one command" }
            ?? "which downloads the modules and builds in one command"
        if let mage = pre.mage {
            how = "which runs `\(mage.goCommand)` through mage (its target `\(mage.target)`, \(mage.location)), "
                + "downloading the modules and building in one command"
            if !mage.otherModules.isEmpty {
                how += " (mage also compiles the magefiles of the module\(mage.otherModules.count == 1 ? "" : "s") in "
                    + mage.otherModules.map { "`\(ImagePath.relative($0, to: mage.module).map { $0.isEmpty ? "." : $0 } ?? $0)`" }.joined(separator: ", ")
                    + " with the modules of \(mage.otherModules.count == 1 ? "its" : "their") go.mod)"
            }
        }
        // After the installs, in the directory their moved WORKDIR leaves.
        let workdir = split.flatMap { splitWorkdir($0, graph) }
        var command = pre.command
        if let w = workdir, command == "cd \(w) && go mod download" { command = "go mod download" }
        var message = "`\(i.shortText)` comes before \(CacheMessage.step(r.instruction)), \(how): "
            + "every edit to \(what) downloads every module again; "
        if let split {
            message += "with `\(split.installText)` in a RUN of its own above the COPY (the other finding on this line), "
                + "copy \(names.joined(separator: ", ")) after it and run `\(command)` there, which needs what those installs bring"
        } else {
            message += "copy \(names.joined(separator: ", ")) and run `\(command)` above the COPY"
        }
        message += builderOnly ? "" : " (the module cache then also holds modules only tests need: the fix is unsafe in a stage that is shipped)"
        var fix: Fix? = nil
        if let split {
            let src = context.source
            let keyword = i.syntax.keyword == i.syntax.keyword.lowercased() ? "run" : "RUN"
            if let lines = manifestCopyLines(i, ManifestSplit(files: pre.files, verdict: .safe, notes: []), context, workdir: workdir),
               let edits = runSplitEdits(i, r, split, context, extra: lines + keyword + " " + command + LineEdits.newline(src)) {
                fix = Fix(title: "Install the tools before the source COPY, then download the modules in a step of their own",
                          edits: edits, applicability: builderOnly && split.verdict.isSafe ? .safe : .unsafe)
            }
        } else if let lines = manifestCopyLines(i, ManifestSplit(files: pre.files, verdict: .safe, notes: []), context) {
            let src = context.source
            let nl = LineEdits.newline(src)
            let keyword = i.syntax.keyword == i.syntax.keyword.lowercased() ? "run" : "RUN"
            let at = InstructionLines.of(i.syntax, context.dockerfile).first
            fix = Fix(title: "Download the modules in a step of their own before the source COPY",
                      edits: [LineEdits.insert(lines + keyword + " " + pre.command + nl, after: at - 1, src)],
                      applicability: builderOnly ? .safe : .unsafe)
        }
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.instruction.syntax.startLine],
                    subject: [prefetchSubject, command])
    }

    /// `COPY . .` then `RUN mvn package` / `gradle build` / `cargo build`: the pre-fetch step
    /// where it is safe (Maven: `dependency:go-offline` after the poms), else why none is
    /// offered and the recipe that fits, with the hypothetical step as evidence only.
    static func reportBuildPrefetch(_ i: ModelInstruction, _ c: Step, _ r: Step, _ pre: Prefetch, _ graph: StepGraph, _ context: LintContext,
                                    _ sink: inout FindingSink) {
        guard let e = pre.ecosystem else { return }
        let names = pre.files.map(\.contextPath)
        let what = c.copied.contains(where: \.isTree) ? "the copied files" : c.copied.map { "`\($0.contextPath)`" }.joined(separator: ", ")
        let count = DependencyDownloads.count(graph)[e]
        let listed = names.count > 6 ? names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more" : names.joined(separator: ", ")
        var message = "`\(i.shortText)` comes before \(CacheMessage.step(r.instruction)), "
        switch e {
        case .maven:
            message += "which downloads the Maven dependencies and builds in one command: every edit to \(what) downloads every "
                + "dependency the build needs again" + (count.map { " (the poms declare \($0) artifact\($0 == 1 ? "" : "s"), not counting their own dependencies)" } ?? "")
        case .gradle:
            message += "which downloads the Gradle dependencies and builds in one command: every edit to \(what) downloads them all again"
        case .cargo, .go, .composer:
            message += "which downloads and compiles the dependency crates and builds in one command: every edit to \(what) downloads "
                + "the crates the build needs and compiles them all again" + (count.map { " (Cargo.lock lists \($0) from registries and git)" } ?? "")
        }
        let src = context.source
        let nl = LineEdits.newline(src)
        let keyword = i.syntax.keyword == i.syntax.keyword.lowercased() ? "run" : "RUN"
        let at = InstructionLines.of(i.syntax, context.dockerfile).first
        let lines = manifestCopyLines(i, ManifestSplit(files: pre.files, verdict: .safe, notes: []), context)
        if pre.verdict.isSafe {
            // Safe only where the image stays as it is: a builder stage whose dependency cache no
            // later stage copies (the pre-fetch also downloads what only tests and plugins use).
            let stage = c.id.stage
            let builderOnly = stage < graph.model.stages.count - 1
                && graph.model.stages.dropFirst(stage + 1).contains { $0.dependencies.contains { $0.stage == stage && $0.kind == .copyFrom } }
            let exported = pre.dependencyCache.map { StageExports.copies(from: stage, path: $0, graph.model) } ?? true
            let safe = builderOnly && !exported
            message += "; copy \(listed) and run `\(pre.command)` above the COPY"
            if !safe {
                message += builderOnly
                    ? " (a later stage copies the local repository out of this stage, which would then also hold what only tests and plugins use: the fix is unsafe)"
                    : " (the local repository would then also hold what only tests and plugins use: the fix is unsafe in a stage that is shipped)"
            }
            var fix: Fix? = nil
            if let lines {
                fix = Fix(title: "Download the dependencies in a step of their own before the source COPY",
                          edits: [LineEdits.insert(lines + keyword + " " + pre.command + nl, after: at - 1, src)],
                          applicability: safe ? .safe : .unsafe)
            }
            sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.instruction.syntax.startLine],
                        subject: [prefetchSubject, pre.command])
            return
        }
        message += "; no pre-fetch step is offered: \(pre.verdict.reason ?? "its reads are not known")"
        if e == .cargo {
            message += "; the usual recipe is cargo-chef: a planner stage runs `cargo chef prepare --recipe-path recipe.json` on the source, "
                + "and this stage copies recipe.json and runs `cargo chef cook --recipe-path recipe.json` with the build's profile, "
                + "features and environment above the COPY, which compiles the dependencies only when they change"
        }
        // The dependency step belongs as high as it can go: above the ARG, ENV and LABEL lines
        // right above the COPY (a value there that changes in every build, such as a commit id,
        // would re-run it too), those of its own ecosystem's settings kept above it.
        var top: Step? = nil
        for x in graph.stages[c.id.stage][..<c.id.index].reversed() {
            guard x.kind == .arg || x.kind == .env || x.kind == .label else { break }
            top = x
        }
        var insertAt = at
        if let top {
            insertAt = InstructionLines.of(top.instruction.syntax, context.dockerfile).first
            let last = graph.stages[c.id.stage][c.id.index - 1].instruction.syntax.range.end.line
            if graph.stages[c.id.stage][top.id.index..<c.id.index].contains(where: { $0.kind != .label }) {
                message += "; such a step goes above line \(top.instruction.syntax.startLine), with the ARG and ENV lines \(top.instruction.syntax.startLine)-\(last) "
                    + "below it unless it reads them (a value that changes in every build would re-run it too)"
            }
        }
        var subject: [String] = []
        if let lines { subject = [prefetchSubject, pre.command, evidenceOnlySubject, String(insertAt), lines + "RUN " + pre.command + nl] }
        sink.report(i.syntax.keywordRange, message, relatedLines: [r.instruction.syntax.startLine], subject: subject)
    }

    /// The RUN after COPY `id` whose `make` runs an install target that splits off above the
    /// COPY (`Moves.makeInstallSplit`): the first RUN after it in its stage, or, with none
    /// there, the first RUN of a stage built FROM it.
    static func makeInstall(after id: StepID, _ graph: StepGraph, _ moves: Moves) -> (Step, (split: RunSplit, make: MakeInstall))? {
        var candidates: [Step] = []
        if let run = graph.stages[id.stage][(id.index + 1)...].first(where: { $0.kind == .run }) {
            candidates = [run]
        } else {
            for (k, s) in graph.model.stages.enumerated() where s.base == .stage(id.stage) {
                if let run = graph.stages[k].first(where: { $0.kind == .run }) { candidates.append(run) }
            }
        }
        for run in candidates {
            if let found = moves.makeInstallSplit(copy: id, run: run.id), found.split.verdict.isSafe { return (run, found) }
        }
        return nil
    }

    /// The first RUN after `id` in its stage that installs dependencies.
    static func firstInstall(after id: StepID, _ graph: StepGraph) -> Step? {
        for s in graph.stages[id.stage][(id.index + 1)...] where s.kind == .run {
            if !s.installs.isEmpty { return s }
        }
        return nil
    }

    /// COPY lines for the files read by the install in place of `i`, `i` moved below the install.
    /// The COPY lines that bring the install's files first, in `i`'s style (its --chown,
    /// --chmod, --link; destinations relative to the working directory); nil when the COPY
    /// uses --exclude or --parents.
    /// `workdir`: the working directory where the lines go, when it is not `i`'s.
    static func manifestCopyLines(_ i: ModelInstruction, _ split: ManifestSplit, _ context: LintContext, workdir: String? = nil) -> String? {
        guard case let cmd? = i.typed?.command else { return nil }
        let copy: CopyCommand
        switch cmd {
        case .copy(let cc): copy = cc
        case .add(let cc): copy = cc
        default: return nil
        }
        if !copy.excludes.isEmpty || copy.parents { return nil }
        let wd = i.workingDirectory.isEmpty ? "/" : i.workingDirectory
        let keyword = i.syntax.keyword == i.syntax.keyword.lowercased() ? "copy" : "COPY"
        let flags = i.syntax.flags.filter { ["chown", "chmod", "link"].contains($0.name) }.map(\.text)
        let destRaw = i.resolved?.destination ?? copy.destination.value
        let destAbs = ImagePath.absolute(destRaw, workdir: wd)
        let here = workdir ?? wd
        func destText(_ dir: String) -> String {
            // The COPY's own destination, written as it was.
            if dir == destAbs, here == wd || (destRaw.hasPrefix("/") && dir != here) { return destRaw.hasSuffix("/") || destRaw == "." ? destRaw : destRaw + "/" }
            if dir == here { return "./" }
            if let rel = ImagePath.relative(dir, to: here), !rel.isEmpty { return "./" + rel + "/" }
            return dir == "/" ? "/" : dir + "/"
        }
        var groups: [(String, [String])] = []
        for f in split.files {
            let dest = f.isTree ? destText(f.imagePath) : destText(ImagePath.dirname(f.imagePath))
            if f.isTree {
                groups.append((dest, [f.contextPath]))
            } else if let k = groups.firstIndex(where: { g in g.0 == dest && !split.files.contains(where: { t in t.isTree && g.1.contains(t.contextPath) }) }) {
                groups[k].1.append(f.contextPath)
            } else {
                groups.append((dest, [f.contextPath]))
            }
        }
        let nl = LineEdits.newline(context.source)
        var newLines = ""
        for (var d, files) in groups {
            // Several sources need a directory destination ending in `/`.
            if files.count > 1, !d.hasSuffix("/") { d += "/" }
            let quoted = files.map { $0.contains(" ") ? "\"\($0)\"" : $0 }
            newLines += ([keyword] + flags + quoted + [d]).joined(separator: " ") + nl
        }
        return newLines
    }

    static func splitFix(_ i: ModelInstruction, _ c: Step, _ r: Step, _ split: ManifestSplit, _ context: LintContext) -> Fix? {
        guard let newLines = manifestCopyLines(i, split, context) else { return nil }
        let src = context.source
        let nl = LineEdits.newline(src)
        let copyLines = InstructionLines.of(i.syntax, context.dockerfile)
        let runLines = InstructionLines.of(r.instruction.syntax, context.dockerfile, withComments: false)
        var edits: [TextEdit] = []
        let s = LineEdits.start(of: i.syntax.startLine, src)
        let e = LineEdits.start(of: copyLines.last + 1, src)
        var replacement = newLines
        if copyLines.last >= src.lineCount, !src.text(s, e).hasSuffix("\n") { replacement.removeLast(nl.count) }
        edits.append(TextEdit(range: src.range(s, e), replacement: replacement))
        var moved = copyLines.first < i.syntax.startLine ? LineEdits.text(copyLines.first, i.syntax.startLine - 1, src) : ""
        var copyText = LineEdits.text(i.syntax.startLine, copyLines.last, src)
        if split.absoluteDestination {
            // Below a WORKDIR the destination is written as the path it was in its own place.
            guard let dest = i.syntax.arguments.last, let raw = i.resolved?.destination ?? Optional(dest.value) else { return nil }
            let base = LineEdits.start(of: i.syntax.startLine, src)
            let bytes = Array(copyText.utf8)
            let a = dest.range.start.offset - base, b = dest.range.end.offset - base
            guard a >= 0, b <= bytes.count, a < b else { return nil }
            var abs = ImagePath.absolute(raw, workdir: i.workingDirectory.isEmpty ? "/" : i.workingDirectory)
            if (raw.hasSuffix("/") || raw == "." || raw == ".." || raw.hasSuffix("/.")) && abs != "/" { abs += "/" }
            // Written bare, a path with a blank, quote, variable or escape would copy other sources.
            guard !abs.contains(where: { $0.isWhitespace || "\"'$`\\".contains($0) }) else { return nil }
            copyText = String(decoding: bytes[..<a], as: UTF8.self) + abs + String(decoding: bytes[b...], as: UTF8.self)
        }
        moved += copyText
        if copyLines.first < i.syntax.startLine {
            edits.append(LineEdits.delete(copyLines.first, i.syntax.startLine - 1, src))
        }
        edits.append(LineEdits.insert(moved, after: runLines.last, src))
        return Fix(title: "Copy the install's files first, install, then copy the rest", edits: edits, applicability: .safe)
    }
}
