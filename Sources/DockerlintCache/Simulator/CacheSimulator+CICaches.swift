// The CI-cache half of the simulator: which steps a runner with an imported cache really runs
// (the demand BuildKit works back from the target) and what a build exports to that cache.

import DockerlintModel
import DockerlintSupport
import DockerlintSyntax

extension CacheSimulator {
    /// Which steps a fresh runner really runs. BuildKit works back from the target: a step
    /// whose result is needed is restored when the imported cache has its layers and runs
    /// otherwise (then its inputs are needed); a step nobody needs never runs, even when its key
    /// is unknown (`solver/edge.go`; docs/CACHE-SEMANTICS.md, "CI caches"). A `COPY --from`
    /// whose fast key is in the imported cache needs nothing of its source stage; otherwise
    /// the copied files' checksum is part of every later key, so the source stage's result is
    /// needed even when the copy itself is then restored.
    mutating func applyDemand(_ run: inout BuildRun, target: Int) {
        var need = [Bool](repeating: false, count: run.steps.count)
        if let last = run.stages[target]?.lastStep { need[last] = true }
        // Every key down to the target's is computed. A content-based input whose fast key is
        // not in the imported cache needs the source stage's result for its checksum, whether
        // or not the step itself ends up running.
        for (_, n) in run.nodes where !n.sources.isEmpty && !n.matchedFast && n.dedupeOf == nil {
            for j in n.sources { need[j] = true }
        }
        let mode = options.ciCache
        for i in stride(from: run.steps.count - 1, through: 0, by: -1) {
            guard let n = run.nodes[i] else { continue }
            var s = run.steps[i]
            guard s.status != .notBuilt, s.cause != .missingSource else { continue }
            if !need[i] {
                if s.status == .hit && s.cause == .importedCache {
                    s.reason = "in the imported cache, and not needed: a later step was restored from it"
                    s.cause = .restoredLater
                } else if s.status == .miss {
                    s.status = .hit
                    s.reason = "not run: a later step was restored from the imported cache, so this result is not needed"
                    s.cause = .restoredLater
                }
                run.steps[i] = s
                continue
            }
            if let d = n.dedupeOf { need[d] = true; continue }
            if s.status == .hit {
                let record = n.matchedFast ? exportedFastKeys[n.fastKey ?? ""] ?? n.key : n.key
                if exported[record] == true {
                    if exportedLazily.contains(record) {
                        s.reason = "restored from the imported cache if its layers came along: the previous build matched it without loading it, "
                            + "and BuildKit v0.13 exports such a step sometimes without its layers (then it runs)"
                        s.cause = .uncertainRestore
                    } else {
                        s.reason = "restored from the imported cache (its layers are downloaded when needed)"
                        s.cause = .importedCache
                    }
                    run.loaded.insert(i)
                    if !n.matchedFast { for j in n.sources { need[j] = true } }
                } else {
                    s.status = .miss
                    s.reason = mode.finalStageOnly
                        ? "the imported cache has this step's key but not its layers (\(mode.rawValue) keeps only the final image's layers), and a later step needs its result"
                        : "the imported cache has this step's key but not its layers, and a later step needs its result"
                    s.cause = .keyWithoutLayers
                }
            }
            if s.status == .miss {
                if let p = n.parent { need[p] = true }
                for j in n.sources { need[j] = true }
            }
            run.steps[i] = s
        }
    }

    /// What the next fresh runner imports. inline / `mode=min`: the layers of the final
    /// image's steps (the target stage and the stages it is built FROM), and the keys of every
    /// other step without layers. `mode=max`: every step; the layers of steps that ran or were
    /// restored here, and for steps matched but not needed the layers they were imported with.
    /// A failed build exports nothing, so the previous export stays.
    mutating func export(_ run: BuildRun, target: Int) {
        switch options.ciCache {
        case .local: return
        case .none:
            exported = [:]
            exportedFastKeys = [:]
            exportedLazily = []
            return
        case .inline, .registryMin, .registryMax: break
        }
        if run.steps.contains(where: { $0.cause == .missingSource }) { return }
        var finalChain: Set<Int> = [target]
        var j = target
        while case .stage(let p) = run.state.model.stages[j].base, !finalChain.contains(p) { finalChain.insert(p); j = p }
        var next: [String: Bool] = [:]
        var nextFast: [String: String] = [:]
        var lazily: Set<String> = []
        var certain: Set<String> = []
        for (i, s) in run.steps.enumerated() where s.status != .notBuilt {
            guard let n = run.nodes[i] else { continue }
            var layers: Bool
            var lazy = false
            if finalChain.contains(s.stage) {
                layers = true
            } else if options.ciCache.finalStageOnly {
                layers = false
            } else if s.status == .miss || run.loaded.contains(i) {
                layers = true
            } else {
                // Matched, never loaded: its layers only come along from the previous export.
                let record = n.matchedFast ? exportedFastKeys[n.fastKey ?? ""] ?? n.key : n.key
                layers = exported[record] ?? false
                lazy = layers
            }
            next[n.key] = (next[n.key] ?? false) || layers
            if lazy { lazily.insert(n.key) } else if layers { certain.insert(n.key) }
            if let fk = n.fastKey { nextFast[fk] = n.key }
        }
        for (fk, rk) in exportedFastKeys where next[rk] != nil && nextFast[fk] == nil { nextFast[fk] = rk }
        exported = next
        exportedFastKeys = nextFast
        exportedLazily = lazily.subtracting(certain)
    }

    static func baseName(_ p: String) -> String {
        var s = p
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        if let i = s.lastIndex(of: "/"), s != "/" { return String(s[s.index(after: i)...]) }
        return s
    }
}
