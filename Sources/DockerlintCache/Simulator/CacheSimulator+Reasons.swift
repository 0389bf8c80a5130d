// Why a step hit or missed, in words and as a cause: the explanations the simulator attaches to
// each step (the input that changed, the files, the build argument).

import DockerlintModel
import DockerlintSupport
import DockerlintSyntax

extension CacheSimulator {
    func hitReason(_ mi: ModelInstruction, def: StepDefinition, stepKey: String, known: Int, identity: String,
                   chain: Chain, run: BuildRun) -> (String, StepCause) {
        let sourcePaths = def.components.filter { $0.name == "sources" || $0.name.hasPrefix("bind:") }.flatMap(\.paths)
        if !run.stale.isEmpty {
            let hit = run.stale.sorted(by: utf8Less).filter { p in sourcePaths.contains { CacheSimulator.covers($0, p) } }
            if !hit.isEmpty {
                return ("\(CacheSimulator.list(hit)) changed on disk, but BuildKit's incremental context transfer kept the old copy "
                        + "(same size, mtime and mode; moby/buildkit#4817)", .staleTransfer)
            }
        }
        if def.linked && chain.broken != nil {
            return ("copied files unchanged: COPY --link copies independently of the re-run parent (only the merge re-runs)",
                    .contentUnchanged)
        }
        for j in def.fromStages {
            if let s = run.stages[j], s.missed {
                let n = run.state.model.stages[j].displayName
                return ("stage \(n) re-ran, but the files used from it are unchanged (its changes touched no command or ENV)",
                        .contentUnchanged)
            }
        }
        if let rec = records[identity], rec.key != stepKey {
            let label = known < labels.count ? labels[known] : "#\(known + 1)"
            return ("same inputs as an earlier build (\(label)): the cache keeps every build", .restored)
        }
        if engine == .classic, case .arg(let a)? = mi.typed?.command,
           a.definitions.contains(where: { run.state.buildArgs[$0.key] != nil }) {
            return ("unchanged: the ARG step records the Dockerfile default, not the --build-arg value", .unchanged)
        }
        return ("unchanged", .unchanged)
    }

    static func covers(_ source: String, _ path: String) -> Bool {
        covers(key: ContextSnapshot.key(source), path)
    }

    /// `covers` of a source already cleaned as a context key (`ContextSnapshot.key`).
    static func covers(key s: String, _ path: String) -> Bool {
        if s.isEmpty || s == path || path.hasPrefix(s + "/") { return true }
        if goContainsWildcards(s) {
            var p = path
            while !p.isEmpty {
                if (try? goPathMatch(s, p)) == true { return true }
                p = ContextSnapshot.parent(p)
            }
        }
        return false
    }

    static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return "nothing"
        case 1: return names[0]
        case 2: return "\(names[0]) and \(names[1])"
        default: return "\(names[0]), \(names[1]) and \(names.count - 2) more"
        }
    }

    mutating func missReason(_ mi: ModelInstruction, def: StepDefinition, identity: String, parent: String,
                             run: inout BuildRun, ctx: inout ContextSnapshot) -> (String, StepCause) {
        guard let rec = records[identity] else {
            return ("new step: no earlier build had it (\(CacheSimulator.shortText(mi.syntax)))", .newStep)
        }
        let oldMap = Dictionary(rec.components.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(def.components.map(\.name))
        var diffs: [(String, StepCause)] = []
        for c in def.components where oldMap[c.name]?.value != c.value {
            diffs.append(describe(c, old: oldMap[c.name], mi: mi, run: &run, ctx: &ctx))
        }
        for c in rec.components where !newNames.contains(c.name) {
            diffs.append(describeRemoved(c))
        }
        if diffs.isEmpty {
            return ("not in the cache: no earlier build had this combination of inputs", .notCached)
        }
        var seenText = Set<String>()
        let texts = diffs.map(\.0).filter { seenText.insert($0).inserted }
        return (texts.prefix(2).joined(separator: "; ") + (texts.count > 2 ? "; and \(texts.count - 2) more changes" : ""),
                diffs[0].1)
    }

    func describeRemoved(_ c: Component) -> (String, StepCause) {
        if c.name.hasPrefix("arg:") { return ("ARG \(c.name.dropFirst(4)) no longer has a value", .argChanged) }
        if c.name.hasPrefix("env:") { return ("ENV \(c.name.dropFirst(4)) removed", .envChanged) }
        if c.name.hasPrefix("label:") { return ("LABEL \(c.name.dropFirst(6)) removed", .instructionChanged) }
        if c.name.hasPrefix("argdef:") { return ("ARG \(c.name.dropFirst(7)) removed", .instructionChanged) }
        if c.name.hasPrefix("mount") || c.name.hasPrefix("bind") { return ("RUN mounts changed", .mountsChanged) }
        return ("instruction changed", .instructionChanged)
    }

    mutating func describe(_ c: Component, old: Component?, mi: ModelInstruction, run: inout BuildRun,
                           ctx: inout ContextSnapshot) -> (String, StepCause) {
        let text = CacheSimulator.shortText(mi.syntax)
        let n = c.name
        if n == "command" { return ("command changed (\(text))", .instructionChanged) }
        if n == "shell" { return ("SHELL changed", .shellChanged) }
        if n == "def" { return ("instruction changed (\(text))", .instructionChanged) }
        if n.hasPrefix("arg:") {
            let v = n.dropFirst(4)
            return (old == nil ? "ARG \(v) now has a value" : "ARG \(v) changed", .argChanged)
        }
        if n.hasPrefix("argdef:") { return ("ARG \(n.dropFirst(7)) default changed", .instructionChanged) }
        if n.hasPrefix("env:") { return (old == nil ? "ENV \(n.dropFirst(4)) added" : "ENV \(n.dropFirst(4)) changed", .envChanged) }
        if n.hasPrefix("label:") { return ("LABEL \(n.dropFirst(6)) changed", .instructionChanged) }
        if n == "workdir" {
            return ("WORKDIR changed (\(old?.value ?? "?") → \(c.value))", .workdirChanged)
        }
        if n == "user" { return ("USER changed (\(old?.value.isEmpty == false ? old!.value : "default") → \(c.value.isEmpty ? "default" : c.value))", .userChanged) }
        if n.hasPrefix("from:") { return ("files from stage \(n.dropFirst(5)) changed (\(text))", .stageFilesChanged) }
        if n.hasPrefix("bind-from:") { return ("files of the bind mount at \(n.dropFirst(10)) changed", .stageFilesChanged) }
        if n == "sources" || n.hasPrefix("bind:") {
            let files = changedFiles(under: c.paths, run: &run, ctx: &ctx)
            let what = n == "sources" ? text : "RUN --mount=type=bind,source=\(c.paths.first ?? ".")"
            if files.isEmpty { return ("source files differ from the cached build (\(what))", .sourcesChanged) }
            return ("\(CacheSimulator.listChanges(files)) (\(what))", .sourcesChanged)
        }
        if n == "remote" { return ("remote source changed (\(text))", .instructionChanged) }
        if n == "inline" { return ("inline file changed (\(text))", .instructionChanged) }
        if n.hasPrefix("mount") || n == "network" || n == "security" || n.hasPrefix("device") || n == "flags" {
            return ("RUN options changed (\(text))", .mountsChanged)
        }
        return ("instruction changed (\(text))", .instructionChanged)
    }

    static func listChanges(_ files: [(String, String)]) -> String {
        if files.count == 1 { return "\(files[0].0) \(files[0].1)" }
        let verb = Set(files.map(\.1)).count == 1 ? files[0].1 : "changed"
        if files.count == 2 { return "\(files[0].0) and \(files[1].0) \(verb)" }
        return "\(files[0].0), \(files[1].0) and \(files.count - 2) more files \(verb)"
    }

    /// Paths changed since the previous build under the given sources, with what happened.
    mutating func changedFiles(under sources: [String], run: inout BuildRun, ctx: inout ContextSnapshot) -> [(String, String)] {
        if run.changes == nil {
            var changes: [String: String] = [:]
            if let hint = run.state.changedPaths {
                for p in hint {
                    let k = ContextSnapshot.key(p)
                    changes[k] = ctx.entries[k] == nil ? "removed" : "changed"
                }
            } else if let old = previousContext {
                for (p, e) in ctx.entries where !p.isEmpty {
                    guard let o = old.entries[p] else { changes[p] = "added"; continue }
                    if o == e { continue }
                    if o.kind == e.kind && o.size == e.size && o.contentDigest == e.contentDigest && o.linkTarget == e.linkTarget {
                        changes[p] = "permissions changed"
                    } else {
                        changes[p] = "changed"
                    }
                }
                for p in old.entries.keys where !p.isEmpty && ctx.entries[p] == nil { changes[p] = "removed" }
            }
            run.changes = changes
        }
        let ignore = run.state.ignore
        var out: [(String, String)] = []
        for (p, what) in run.changes! where sources.contains(where: { CacheSimulator.covers($0, p) }) {
            // Excluded and not sent as a folder of kept files. Presence is memoised with the
            // source digests, so it is asked first; matching is left for what is not present.
            if (try? ctx.isPresent(p, ignore: ignore)) != true && (try? ignore.matchesOrParentMatches(p)) == true { continue }
            // A directory listed only because a child changed adds nothing.
            if let e = ctx.entries[p], e.kind == .directory, what == "changed" { continue }
            out.append((p, what))
        }
        out.sort { utf8Less($0.0, $1.0) }
        // A directory added only to hold new files is noise.
        return out.filter { p in
            !(ctx.entries[p.0]?.kind == .directory && p.1 == "added" && out.contains { $0.0.hasPrefix(p.0 + "/") })
        }
    }
}
