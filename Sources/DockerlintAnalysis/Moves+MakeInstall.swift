// The install a `make` runs in a target of its own (`all: clean install build`, `install: npm
// ci; go mod download`), split off above the source COPY as if its commands were written in the
// RUN. Make's side (what the goals run, in which order, what a `clean` before the install
// removes, what the Makefile adds to the install's environment) is `StepGraph.installThroughMake`;
// the install's side is the one the analysis asks of those commands written in a RUN: the same
// `runSplit`, on the Dockerfile as it would read with `RUN <installs> && make <rest>` in place
// of `RUN make` (lifecycle scripts, workspaces, `.npmrc`, patches, the lock file, the user, the
// environment, the steps between the COPY and the RUN).
//
// The COPY may sit in the stage the RUN's stage is built FROM (a `base` stage that copies the
// source, a `build` stage that runs make). The install then moves into that stage, and every
// other user of it sees the install's files: another stage built FROM it must run the same
// installs itself (the moved ones' output is replaced by its own, the same), before anything in
// it may read them; a stage that copies or mounts from it would get them: not offered. The
// judgement is made on the stages chained into one (the RUN's stage's steps after the COPY's
// stage's), which is what BuildKit runs for that target, build arguments aside: a stage
// declaring one is not chained (their scope ends at the stage).

import DockerlintModel
import DockerlintShell
import DockerlintSyntax

extension Moves {
    /// `COPY <tree>` (in the RUN's stage, or the stage it is built FROM) then `RUN make` whose
    /// goals run an install target: the split of `RUN <installs> && make <rest>` (its install
    /// part, the files to copy first, its verdict) and the make reading. Nil when the RUN is not
    /// exactly one `make`, its make runs no install that can run apart (`MakeInstall.verdict`),
    /// the stages cannot be chained, or the direct form gives no split.
    public func makeInstallSplit(copy c: StepID, run r: StepID) -> (split: RunSplit, make: MakeInstall)? {
        guard let context = graph.context, let mi = graph.installThroughMake(r), mi.verdict.isSafe,
              let rest = mi.restCommand, let script = graph.script(of: r), script.commands.count == 1 else { return nil }
        let model = graph.model
        let stages = model.stages
        guard c.stage < stages.count, r.stage < stages.count else { return nil }
        let chained = c.stage != r.stage
        var reinstalling: [String] = []
        if chained {
            guard stages[r.stage].base == .stage(c.stage), c.index < graph.stages[c.stage].count else { return nil }
            // Build arguments are scoped to their stage: chained, they would not be.
            if graph.stages[c.stage].contains(where: { $0.kind == .arg }) || graph.stages[r.stage][..<r.index].contains(where: { $0.kind == .arg }) {
                return nil
            }
            guard let others = otherUsersRunTheInstall(of: c.stage, except: r.stage, mi) else { return nil }
            reinstalling = others
        } else {
            guard c.index < r.index else { return nil }
        }
        // The Dockerfile as far as the RUN, the RUN's stage chained to the COPY's.
        let bytes = model.dockerfile.source.bytes
        let run = graph.step(r).instruction.syntax
        let keyword = run.keyword == run.keyword.lowercased() ? "run" : "RUN"
        let direct = ([keyword] + run.flags.map(\.text) + ["\(mi.installText) && \(rest)"]).joined(separator: " ")
        func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[max(0, a)..<min(b, bytes.count)], as: UTF8.self) }
        let copyStage = graph.stages[c.stage]
        guard let lastOfCopyStage = copyStage.last else { return nil }
        var synthetic: String
        let runID: StepID
        if chained {
            let ownStage = graph.stages[r.stage]
            synthetic = text(0, lastOfCopyStage.instruction.syntax.range.end.offset) + "\n"
            if r.index > 0 {
                synthetic += text(ownStage[0].instruction.syntax.range.start.offset, run.range.start.offset)
            }
            synthetic += direct + "\n"
            runID = StepID(stage: c.stage, index: copyStage.count + r.index)
        } else {
            synthetic = text(0, run.range.start.offset) + direct + "\n"
            runID = r
        }
        let rewritten = DockerfileModel.parse(synthetic, options: model.options)
        guard rewritten.dockerfile.isValid else { return nil }
        let other = StepGraph(model: rewritten, context: context, scripts: { RunScript.make($0, in: rewritten.dockerfile) })
        guard runID.stage < other.stages.count, runID.index < other.stages[runID.stage].count,
              other.step(runID).kind == .run, other.step(c).kind == graph.step(c).kind,
              let split = Moves(other).runSplit(copy: c, run: runID) else { return nil }
        // The split must be the installs and the make, as read; what it lifts above the COPY
        // must be a step of the COPY's stage (the same step in the file as it is).
        guard split.installText == mi.installText, split.restText == rest, !split.toolsOnly, !split.deferred, split.condition == nil,
              split.moveUp.allSatisfy({ $0.stage == c.stage && $0.index < copyStage.count }) else { return nil }
        var out = split
        // `npm ci` again replaces node_modules (a second copy in a later layer); `go mod
        // download` again finds every module in the cache and writes nothing.
        if !reinstalling.isEmpty, mi.installs.contains(where: { $0.hasPrefix("npm ci") }) {
            out.notes.append("\(reinstalling.map { "stage \($0)" }.joined(separator: ", ")), also built FROM \(stages[c.stage].displayName), "
                + "\(reinstalling.count == 1 ? "runs" : "run") the install again over the moved one's files: the same files, "
                + "but \(reinstalling.count == 1 ? "its image holds" : "their images hold") node_modules in two layers")
        }
        return (out, mi)
    }

    /// Whether every other stage built FROM `stage` runs the installs `mi` itself before it may
    /// read what they write, and no stage copies or mounts from `stage`: then the installs moved
    /// into `stage` leave what those stages build as it was.
    /// The names of those stages; nil when one does not.
    func otherUsersRunTheInstall(of stage: Int, except own: Int, _ mi: MakeInstall) -> [String]? {
        var users: [String] = []
        for (k, s) in graph.model.stages.enumerated() where k != own {
            if s.dependencies.contains(where: { $0.stage == stage && $0.kind != .base }) { return nil }
            guard s.base == .stage(stage) else { continue }
            // Installs that replace what is there: `npm ci` removes node_modules first, `go mod
            // download` fills a content-addressed cache. Others (pip, bundle, composer, yarn)
            // may keep what they find, built in another environment.
            guard mi.installs.allSatisfy({ $0.hasPrefix("npm ci") || $0 == "go mod download" }) else { return nil }
            // Its first step that reads or writes files of the project must be the same install.
            var ran = false
            for st in graph.stages[k] {
                if st.kind == .run, let theirs = graph.installThroughMake(st.id), theirs.installs == mi.installs, theirs.workdir == mi.workdir,
                   theirs.before.isEmpty {
                    ran = true
                    break
                }
                switch st.kind {
                case .expose, .label, .healthcheck, .cmd, .entrypoint, .stopsignal, .volume: continue
                case .run:
                    // A RUN that reads no path of the project, nor every path.
                    if st.reads.paths.all || st.writes.paths.all { return nil }
                    if st.reads.paths.touches(mi.workdir) || st.writes.paths.touches(mi.workdir) { return nil }
                    if !(graph.script(of: st.id)?.commands.allSatisfy({ ["apk", "apt-get", "git"].contains($0.name ?? "") }) ?? false) { return nil }
                default: return nil
                }
            }
            if !ran { return nil }
            users.append(s.displayName)
        }
        return users
    }
}
