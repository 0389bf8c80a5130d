import DockerlintBuilders
import DockerlintCache
import DockerlintKit
import DockerlintSupport
import Foundation

// `dockerlint-bench ci-cache`: the lab examples and the multi-stage example through their
// histories on Docker 26, once per cache mode, every build measured by `BenchRunner` (the code
// behind `dockerlint bench --ci-cache`) beside the simulator's prediction for the same mode;
// writes reports/ci-cache.md.
//
//   dockerlint-bench ci-cache [--socket /var/run/docker26.sock] [--registry 127.0.0.1:5000]
//                             [--examples lab,lab-bad-order,multistage] [--modes local,none,…] [--write FILE]
//
// Every build but `local` mode's runs on a fresh runner: the engine's whole build cache is
// pruned first. The shared Docker 20.10 at /var/run/docker.sock is refused.

func ciFail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("dockerlint-bench ci-cache: \(message)\n".utf8))
    exit(3)
}

struct CIExample {
    var name: String
    var script: String
    var range: String
    var about: String
}

struct CIRun {
    var example: CIExample
    var mode: CICacheMode
    var report: BenchReport
}

/// What a disagreement is, in the report's words.
func ciExplanation(_ s: BenchStep) -> String {
    guard let p = s.predicted else { return "no prediction for the step" }
    if p.cause == StepCause.uncertainRestore.rawValue && s.status == .miss {
        return "restored-uncertain: the previous build matched this step without loading it, and BuildKit v0.13 exported it "
            + "without its layers this time, so it ran (docs/CACHE-SEMANTICS.md, \"CI caches\", mode=max)"
    }
    return "not explained"
}

func benchCICache() {
    let socket = option("--socket") ?? "/var/run/docker26.sock"
    guard socket != "/var/run/docker.sock" else { ciFail("refusing to prune the build cache of the shared engine at \(socket)") }
    let registry = option("--registry") ?? "127.0.0.1:5000"
    let all = [
        CIExample(name: "lab", script: "make-lab-history", range: "HEAD~20..HEAD",
                  about: "`examples/lab`: `FROM python:3.10.5`, `RUN pip install …`, `COPY app.py` (the install before the code)"),
        CIExample(name: "lab-bad-order", script: "make-lab-history", range: "HEAD~20..HEAD",
                  about: "`examples/lab-bad-order`: the same with `COPY app.py` before the install"),
        CIExample(name: "multistage", script: "make-multistage-history", range: "HEAD~7..HEAD",
                  about: "`examples/multistage`: a dependencies stage with a cache mount, a build stage (`COPY --from`, build args), a runtime stage"),
    ]
    let wantedExamples = option("--examples").map { $0.split(separator: ",").map(String.init) } ?? all.map(\.name)
    let examples = all.filter { wantedExamples.contains($0.name) }
    let modes = option("--modes").map { $0.split(separator: ",").compactMap { CICacheMode(rawValue: String($0)) } } ?? CICacheMode.allCases

    let client = EngineClient(endpoint: .unix(path: socket))
    let builder: BuildxBuilder
    let version: EngineVersion
    do {
        try client.ping(timeout: 5)
        version = try client.version()
        builder = try BuildxBuilder.locate(client: client)
    } catch { ciFail("no Docker 26 with buildx at \(socket) (scripts/setup-builders --docker26 --registry): \(error)") }

    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-ci-cache-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    var histories: [String: String] = [:]
    for script in Set(examples.map(\.script)) {
        let dir = scratch.appendingPathComponent(script).path
        guard let r = try? Subprocess.run("/bin/bash", [packageRoot.appendingPathComponent("scripts/\(script)").path, dir]),
              r.status.isSuccess else { ciFail("scripts/\(script) failed") }
        histories[script] = dir
    }

    var runs: [CIRun] = []
    for e in examples {
        let ctx = histories[e.script]! + "/" + e.name
        var costs = CostModel.standard
        for mode in modes {
            var cfg = BenchConfiguration(dockerfile: ctx + "/Dockerfile", context: ctx, gitRange: e.range, timeout: 900)
            cfg.ciCache = mode
            cfg.pruneBuildCache = true
            cfg.registry = registry
            let start = monotonicSeconds()
            FileHandle.standardError.write(Data("ci-cache: \(e.name) \(mode.rawValue)…".utf8))
            let report: BenchReport
            do {
                report = try BenchRunner(configuration: cfg, builder: builder, predictor: SimulatorPredictor(costs: costs)).run()
            } catch { ciFail("\(e.name) \(mode.rawValue): \(error)") }
            FileHandle.standardError.write(Data(" \(NumberFormat.fixed(monotonicSeconds() - start, 0)) s\n".utf8))
            // The local run's cold build times every step: later predictions use those costs.
            if mode == .local, let c = try? CostModel.load(json: Array(BenchOutput.costs(report).utf8), path: "bench") { costs = c }
            runs.append(CIRun(example: e, mode: mode, report: report))
        }
        // The local run came first, before its costs were known: predict it again with them.
        if let i = runs.firstIndex(where: { $0.example.name == e.name && $0.mode == .local }) {
            runs[i].report = repredict(runs[i].report, costs: costs)
        }
    }
    write(ciCacheMarkdown(runs, engine: "Docker \(version.version) (API \(version.apiVersion))", registry: registry,
                          examples: examples, modes: modes))
}

/// The same measured builds with predicted seconds from `costs` (statuses are unchanged: the
/// cost model does not enter the cache keys).
func repredict(_ r: BenchReport, costs: CostModel) -> BenchReport {
    var out = r
    for (bi, b) in r.builds.enumerated() {
        for (si, s) in b.steps.enumerated() {
            guard let p = s.predicted, let id = p.identity else { continue }
            let c = costs.seconds(identity: id, line: p.line, instruction: p.keyword ?? "", stage: p.stageIndex ?? 0,
                                  text: p.instruction, command: nil, classicMetadata: false)
            out.builds[bi].steps[si].predicted?.seconds = c.0
        }
    }
    return out
}

func ciCacheMarkdown(_ runs: [CIRun], engine: String, registry: String, examples: [CIExample], modes: [CICacheMode]) -> String {
    func s1(_ x: Double) -> String { NumberFormat.fixed(x, 1) }
    func rate(_ a: Int, _ n: Int) -> String { NumberFormat.fixed(n == 0 ? 100 : Double(a) / Double(n) * 100, 1) + "%" }
    var l: [String] = [
        "# CI caches: predicted and measured rebuilds on fresh runners", "",
        "Regenerate: `swift run dockerlint-bench ci-cache --write reports/ci-cache.md` (needs `scripts/setup-builders --docker26 --registry`; "
            + "about 20 minutes; it prunes the Docker 26 engine's build cache before every build).", "",
        "Engine: \(engine), BuildKit through buildx, containerd image store; registry \(registry). "
            + "Each example replays its history (`scripts/make-lab-history`, `scripts/make-multistage-history`) with `dockerlint bench --git`, "
            + "once per cache mode:", "",
    ]
    for m in modes { l.append("- `\(m.rawValue)`: \(m.summary).") }
    l += ["", "Every build except in `local` mode starts on a fresh runner: the engine's build cache is pruned and the previous build's image removed; "
          + "only what the previous build exported to the registry is imported (`--cache-from`), and each build exports for the next (`--cache-to`).",
          "Predicted times use the step times measured in the `local` run's cold build; a step restored from a registry cache costs its download, "
          + "which the prediction leaves out (small here: a loopback registry). Measured: the seconds of the steps that ran, and the build's wall time "
          + "(which includes importing and exporting the cache).", ""]

    // Agreement per mode, over all examples.
    l += ["## Agreement per mode", "", "| mode | steps compared | agree | rate | disagreements (explained) |", "|---|---:|---:|---:|---|"]
    for m in modes {
        let rs = runs.filter { $0.mode == m }
        let compared = rs.reduce(0) { $0 + $1.report.comparedSteps }
        let agree = rs.reduce(0) { $0 + $1.report.agreeingSteps }
        let dis = rs.flatMap { r in r.report.builds.flatMap { $0.steps.filter { $0.agrees == false } } }
        let explained = dis.filter { ciExplanation($0) != "not explained" }.count
        l.append("| `\(m.rawValue)` | \(compared) | \(agree) | \(rate(agree, compared)) | \(dis.count) (\(explained)) |")
    }
    let total = runs.reduce(0) { $0 + $1.report.comparedSteps }
    let agreeing = runs.reduce(0) { $0 + $1.report.agreeingSteps }
    l += ["", "All modes: \(agreeing) of \(total) steps as predicted (\(rate(agreeing, total))), cold builds included. "
          + "FROM steps are left out (the base image is resolved locally, never a cache lookup).", ""]

    for e in examples {
        let rs = runs.filter { $0.example.name == e.name }
        guard let first = rs.first else { continue }
        l += ["## \(e.name)", "", e.about + ".", ""]
        // Totals per mode.
        l += ["| mode | predicted rebuild time (all commits) | measured steps | measured wall | steps re-run (predicted / measured) | agreement |",
              "|---|---:|---:|---:|---:|---:|"]
        for r in rs {
            let later = r.report.builds.dropFirst()
            let pred = later.reduce(0.0) { $0 + $1.steps.reduce(0.0) { $0 + ($1.predicted?.status == .miss ? ($1.predicted?.seconds ?? 0) : 0) } }
            let meas = later.reduce(0.0) { $0 + $1.steps.filter { $0.status == .miss && $0.keyword != "FROM" }.reduce(0.0) { $0 + $1.seconds } }
            let wall = later.reduce(0.0) { $0 + $1.wallSeconds }
            let pm = later.reduce(0) { $0 + $1.steps.filter { $0.predicted?.status == .miss && $0.keyword != "FROM" }.count }
            let mm = later.reduce(0) { $0 + $1.steps.filter { $0.status == .miss && $0.keyword != "FROM" }.count }
            l.append("| `\(r.mode.rawValue)` | \(s1(pred)) s | \(s1(meas)) s | \(s1(wall)) s | \(pm) / \(mm) | \(r.report.agreeingSteps)/\(r.report.comparedSteps) |")
        }
        l += ["", "Per commit, seconds of the steps that run: predicted / measured (measured wall time in brackets). "
              + "The first row is the cold build.", ""]
        var head = "| build | commit |"
        var rule = "|---:|---|"
        for r in rs { head += " `\(r.mode.rawValue)` |"; rule += "---:|" }
        l += [head, rule]
        for (i, b) in first.report.builds.enumerated() {
            var row = "| \(b.index) | \(b.scenario.replacingOccurrences(of: "commit ", with: "").replacingOccurrences(of: "cold (", with: "cold ").replacingOccurrences(of: ")", with: "")) |"
            for r in rs {
                guard i < r.report.builds.count else { row += " – |"; continue }
                let x = r.report.builds[i]
                let pred = x.steps.reduce(0.0) { $0 + ($1.predicted?.status == .miss ? ($1.predicted?.seconds ?? 0) : 0) }
                let meas = x.steps.filter { $0.status == .miss && $0.keyword != "FROM" }.reduce(0.0) { $0 + $1.seconds }
                let bad = x.steps.filter { $0.agrees == false }.count
                row += " \(s1(pred)) / \(s1(meas)) (\(s1(x.wallSeconds)))\(bad > 0 ? " ⚠\(bad)" : "") |"
            }
            l.append(row)
        }
        let dis = rs.flatMap { r in r.report.builds.flatMap { b in b.steps.filter { $0.agrees == false }.map { (r.mode, b, $0) } } }
        l.append("")
        if dis.isEmpty {
            l.append("Every step of every build ran or was restored as predicted.")
        } else {
            l += ["Disagreements (⚠ above):", "", "| mode | build | step | measured | predicted | why |", "|---|---:|---|---|---|---|"]
            for (m, b, s) in dis {
                l.append("| `\(m.rawValue)` | \(b.index) | \(Markdown.codeCell(s.instruction)) | \(s.status.rawValue) | \(s.predicted?.status.rawValue ?? "-") | \(ciExplanation(s)) |")
            }
        }
        l.append("")
    }
    l += ["## Reading it", "",
          "- With any imported cache, a fresh runner runs only the steps whose result the final image needs and cannot restore: "
          + "a commit that changes nothing the final image uses (the multistage README commit) costs nothing, and neither does "
          + "reverting the build arg the build stage's RUN never reads, restored through the key the runtime stage's `COPY --from` "
          + "kept from the earlier build.",
          "- inline and `mode=min` export only the final image's layers: whenever the runtime stage needs the builder stages' "
          + "output, they run in full, their unchanged dependency install included (multistage: about twice the steps of a "
          + "local cache). `mode=max` restores them like a local cache; in BuildKit v0.13 a step it matched without loading is "
          + "sometimes exported without its layers and then runs alone (the ⚠ rows).",
          "- Single-stage images (the lab examples) rebuild the same on a fresh runner with any of the three caches as with a "
          + "local one: each commit reuses what the previous build made. The bad order re-runs its install on every commit "
          + "in every mode; with no cache (`none`) every step runs on every commit.",
          "- Measured step times and wall times are from a shared machine under load; the predictions reuse the step times "
          + "of the `local` run's cold build. Wall time adds the cache import and export of each build.",
          "- The model, and what BuildKit v0.13 does, with the verified behaviours: `docs/CACHE-SEMANTICS.md`.", ""]
    return l.joined(separator: "\n")
}
