import DockerlintBuilders
import DockerlintKit
import DockerlintSupport
import Foundation

// `dockerlint-bench lab`: the lab (dependencies before the code) against lab-bad-order (code
// first) on Docker BuildKit, Docker classic, buildah and podman, through `BenchRunner` (the code
// behind `dockerlint bench`), and the driver's overhead against a plain `docker build`.
//
//   dockerlint-bench lab [--runs N] [--overhead-rounds N] [--builders buildkit,classic,buildah,podman]
//                        [--labs lab,lab-bad-order,lab-requirements,lab-requirements-bad-order] [--write FILE]

func labFail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("dockerlint-bench lab: \(message)\n".utf8))
    exit(3)
}


struct LabRow {
    var builder: BuilderKind
    var name: String
    var report: BenchReport
    func stat(_ index: Int) -> BenchStatistic? { BenchStatistic(report.builds(at: index).map(\.wallSeconds)) }
    func bytes(_ index: Int) -> Int? {
        BenchStatistic(report.builds(at: index).compactMap { $0.newLayerBytes.map(Double.init) }).map { Int($0.median) }
    }
    func statuses(_ index: Int) -> String {
        report.builds(at: index).first.map { b in b.steps.map { $0.status == .hit ? "H" : ($0.status == .miss ? "M" : "-") }.joined() } ?? ""
    }
}

func f2(_ x: Double) -> String { String(format: "%.2f", x) }
func statText(_ s: BenchStatistic?) -> String {
    guard let s else { return "-" }
    return "\(f2(s.median)) s (\(f2(s.min))–\(f2(s.max)))"
}

/// Runs `/usr/bin/docker build` (argument array, no shell) and returns its wall time.
func dockerCLIBuild(context: URL, noCache: Bool, label: String) -> Double {
    var a = ["build", "--progress=plain", "--label", label, "-f", context.appendingPathComponent("Dockerfile").path]
    if noCache { a.append("--no-cache") }
    a.append(context.path)
    let start = monotonicSeconds()
    let r: ProcessResult
    do {
        r = try Subprocess.run("/usr/bin/docker", a, environment: .inheritAdding(["DOCKER_BUILDKIT": "1"]),
                               discardOutput: true, standardError: .discard)
    } catch { labFail("cannot run /usr/bin/docker: \(error)") }
    let t = monotonicSeconds() - start
    if !r.status.isSuccess { labFail("docker build exited \(r.status.code)") }
    return t
}

func benchLab() {
    let runs = Int(option("--runs") ?? "") ?? 3
    let overheadRounds = Int(option("--overhead-rounds") ?? "") ?? 11
    let wantedBuilders = (option("--builders") ?? "buildkit,classic,buildah,podman").split(separator: ",").map(String.init)
    let examples = packageRoot.appendingPathComponent("examples")
    let fixtures = packageRoot.appendingPathComponent("Tests/DockerlintKitTests/Fixtures")
    let allLabs: [(String, URL, [String])] = [
        ("lab", examples.appendingPathComponent("lab"), ["app.py"]),
        ("lab-bad-order", examples.appendingPathComponent("lab-bad-order"), ["app.py"]),
        ("lab-requirements", fixtures.appendingPathComponent("lab-requirements"), ["app.py", "requirements.txt"]),
        ("lab-requirements-bad-order", fixtures.appendingPathComponent("lab-requirements-bad-order"), ["app.py", "requirements.txt"]),
    ]
    let wantedLabs = option("--labs").map { $0.split(separator: ",").map(String.init) } ?? allLabs.map(\.0)
    let labs = allLabs.filter { wantedLabs.contains($0.0) }
    let client = EngineClient()
    var engineUp = true
    do { try client.ping(timeout: 5) } catch { engineUp = false }
    let version = (try? client.version()).map { "Docker Engine \($0.version) (API \($0.apiVersion))" } ?? "Docker Engine"
    var builders: [any ImageBuilder] = []
    var notMeasured: [String] = []
    for name in wantedBuilders {
        switch name {
        case "buildkit", "classic":
            if engineUp { builders.append(DockerEngineBuilder(client: client, mode: name == "buildkit" ? .buildkit : .classic)) }
            else { notMeasured.append("\(name): no Docker Engine at \(client.endpoint)") }
        case "buildah", "podman":
            do { builders.append(try CLIImageBuilder(kind: BuilderKind(rawValue: name)!)) } catch {
                notMeasured.append("\(name): \(error.description)")
            }
        default: labFail("--builders: unknown builder \(name)")
        }
    }
    var toolVersions: [String] = []
    for b in builders {
        guard let cli = b as? CLIImageBuilder else { continue }
        let v = (try? cli.toolVersion()) ?? "?"
        toolVersions.append("\(v) (`\(cli.kind == .buildah ? "bud" : "build") --layers`, store \(cli.root), \(cli.storageDriver)\(cli.isolation.map { ", isolation " + $0 } ?? ""))")
    }
    var rows: [LabRow] = []
    for builder in builders {
        for (name, dir, edits) in labs {
            FileHandle.standardError.write(Data("\(builder.kind.rawValue) \(name) × \(runs)\n".utf8))
            let cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path,
                                         edits: edits, runs: runs, timeout: 600)
            do { rows.append(LabRow(builder: builder.kind, name: name, report: try BenchRunner(configuration: cfg, builder: builder).run())) } catch {
                labFail("\(builder.kind.rawValue) \(name): \(error)")
            }
        }
    }
    let kinds = builders.map(\.kind)

    // Driver overhead: the same input built by the bench driver and by the docker CLI, alternating.
    var overhead: Overhead?
    if engineUp && overheadRounds > 0 { overhead = measureOverhead(client: client, lab: examples.appendingPathComponent("lab"), rounds: overheadRounds) }

    var md: [String] = [
        "# Lab benchmark: layer order on real builders", "",
        "Regenerate: `swift build -c release --static-swift-stdlib && .build/release/dockerlint-bench lab --runs \(runs) --overhead-rounds \(overheadRounds)\(option("--labs").map { " --labs " + $0 } ?? "") --write reports/bench-lab.md` "
            + "(needs dockerd with `python:3.10.5` and podman/buildah with it in the private store: `scripts/setup-builders --podman`).", "",
        "Machine: shared 2-vCPU Debian 12 box with other engineers building at the same time. \(version), BuildKit through `POST /build?version=2`, classic through `version=1`"
            + (toolVersions.isEmpty ? "" : "; " + toolVersions.joined(separator: "; ")) + ". "
            + "Each sequence is `dockerlint bench <lab>/Dockerfile --edit …` run \(runs) times, each run with a fresh cache: a cold build (`nocache` / `--no-cache`), then one build after each edit "
            + "(the edit appends a comment line that names the run, so no earlier run's cache can match). Times are the bench's build times (the build request or process, start to final image ID), medians with the min–max range over the \(runs) runs. "
            + "New bytes are the uncompressed sizes of the layers no earlier build of the same run had (what a push uploads after pushing the earlier images; the rest is \"Layer already exists\"). "
            + "Docker reports a layer's content size (engine `/history`); podman reports the size of the layer's tar stream (`podman history`: file data plus 512-byte headers, padded to whole 512-byte blocks, hence 1.5 KiB for a one-line `app.py`), so compare bytes within a builder. Buildah has no history command; it shares the store with podman, and the bench reads buildah's images with `podman image inspect` (layer diff IDs, `empty_layer` flags) and `podman history --format json` (sizes). "
            + "The cold build's figure includes the base image.", "",
        "The lab installs Flask, which `python:3.10.5` already has, so `pip install` takes about two seconds and writes almost nothing: that makes the bad order cost seconds here rather than minutes, and bytes rather than megabytes. The cache behaviour, which steps run and which hit, is what carries over to real projects.", "",
        "Statuses: one letter per step the builder reports, in order: H hit, M miss (ran). BuildKit reports FROM and the layer-making steps (CMD is metadata and not a step); classic, buildah and podman report every instruction after FROM as a step, so their strings are one longer. The bench maps the steps of all three to Dockerfile lines with the classic numbering (`Step k/n`, `STEP k/n:`) and predicts them with the simulator's classic engine.", "",
        "## Cold and rebuild times", "",
        "| builder | Dockerfile | cold build | after editing app.py | statuses (cold → edit) | new bytes after the edit | agreement |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows where r.name == "lab" || r.name == "lab-bad-order" {
        md.append("| \(r.builder.rawValue) | \(r.name) | \(statText(r.stat(1))) | \(statText(r.stat(2))) | `\(r.statuses(1))` → `\(r.statuses(2))` | \(BenchOutput.bytes(r.bytes(2))) | \(r.report.agreeingSteps)/\(r.report.comparedSteps) |")
    }
    md += ["", "Rebuild-time ratio after editing app.py (lab-bad-order ÷ lab, medians):", ""]
    for kind in kinds {
        guard let good = rows.first(where: { $0.builder == kind && $0.name == "lab" })?.stat(2),
              let bad = rows.first(where: { $0.builder == kind && $0.name == "lab-bad-order" })?.stat(2) else { continue }
        md.append("- \(kind.rawValue): \(f2(bad.median)) s ÷ \(f2(good.median)) s = **\(String(format: "%.1f", bad.median / good.median))×**")
    }
    if rows.contains(where: { $0.name.hasPrefix("lab-requirements") }) {
        md += ["", "## Editing the dependency manifest", "",
               "The lab has no manifest, so two fixtures add one (`Tests/DockerlintKitTests/Fixtures/lab-requirements*`: `COPY requirements.txt` + `RUN pip install --no-index -r`, and the same after `COPY . /app`).", "",
               "| builder | Dockerfile | cold | edit app.py | edit requirements.txt | statuses (cold → app.py → requirements.txt) | new bytes (app.py / requirements.txt) | agreement |",
               "|---|---|---|---|---|---|---|---|"]
        for r in rows where r.name.hasPrefix("lab-requirements") {
            md.append("| \(r.builder.rawValue) | \(r.name) | \(statText(r.stat(1))) | \(statText(r.stat(2))) | \(statText(r.stat(3))) | `\(r.statuses(1))` → `\(r.statuses(2))` → `\(r.statuses(3))` | \(BenchOutput.bytes(r.bytes(2))) / \(BenchOutput.bytes(r.bytes(3))) | \(r.report.agreeingSteps)/\(r.report.comparedSteps) |")
        }
    }
    let compared = rows.reduce(0) { $0 + $1.report.comparedSteps }, agreeing = rows.reduce(0) { $0 + $1.report.agreeingSteps }
    let dis = rows.flatMap { r in r.report.disagreements.map { (r, $0) } }
    md += ["", "## Predicted vs actual", "",
           "Predictions: \(rows.first?.report.predictor ?? "-"). Every measured step of every build above, all \(kinds.count) builders: **\(agreeing)/\(compared) agree (\(String(format: "%.1f", 100 * Double(agreeing) / Double(max(compared, 1))))%)**.", "",
           "| builder | steps compared | agree |", "|---|---|---|"]
    for kind in kinds {
        let rs = rows.filter { $0.builder == kind }
        md.append("| \(kind.rawValue) | \(rs.reduce(0) { $0 + $1.report.comparedSteps }) | \(rs.reduce(0) { $0 + $1.report.agreeingSteps }) |")
    }
    md.append("")
    if dis.isEmpty { md.append("No disagreements.") } else {
        md += ["| builder | Dockerfile | run | build | line | actual | predicted |", "|---|---|---|---|---|---|---|"]
        for (r, d) in dis { md.append("| \(r.builder.rawValue) | \(r.name) | \(d.run) | \(d.build) | \(d.line.map(String.init) ?? "?") | \(d.measured?.rawValue ?? "absent") | \(d.predicted?.rawValue ?? "-") |") }
    }
    md += ["", "## Driver overhead", ""]
    if let o = overhead {
        md += o.markdown(rounds: overheadRounds)
    } else {
        md.append("Not measured (no Docker Engine, or `--overhead-rounds 0`).")
    }
    if !notMeasured.isEmpty { md += ["", "Not measured: " + notMeasured.joined(separator: "; ") + "."] }
    md.append("")
    write(md.joined(separator: "\n"))
}

/// The driver-overhead measurement: the lab context built alternately by the bench driver and by
/// `DOCKER_BUILDKIT=1 /usr/bin/docker build`, cold (`--no-cache`) and after an edit.
struct Overhead {
    /// The bench's timed section (`BuildResult.wallSeconds`).
    var coldDriver: [Double] = [], editDriver: [Double] = []
    /// The whole `build` call (context walk, request, stream decoding, result assembly).
    var coldCall: [Double] = [], editCall: [Double] = []
    /// Layer accounting after the build (image inspect + history), outside the timed section.
    var coldAccounting: [Double] = [], editAccounting: [Double] = []
    var coldCLI: [Double] = [], editCLI: [Double] = []

    func markdown(rounds: Int) -> [String] {
        func ratio(_ a: [Double], _ b: [Double]) -> String { String(format: "%.3f", median(a) / median(b)) }
        let met = median(coldDriver) / median(coldCLI) <= 1.03 && median(editDriver) / median(editCLI) <= 1.03
        return [
            "The same lab context built alternately by the bench driver (`BenchRunner.timedBuild`) and by `DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain` "
            + "(process start to exit), \(rounds) rounds, order alternating per round, one warm-up each first. "
            + "The driver's timed section is what `dockerlint bench` reports as a build's time: the `POST /build?version=2` request from its first byte (the tar context streamed as the body) to the end of the response stream, which carries the final image ID; "
            + "the progress lines are decoded as they arrive. The whole call adds the context walk before the request and assembling the result. "
            + "The layer accounting (image inspect + history, for the new-bytes column) runs after the timed section, as in `dockerlint bench`, and is shown apart: a `docker build` does not do it.", "",
            "| build | bench driver, timed section | whole `build` call | layer accounting (after) | docker build | ratio timed ÷ docker | ratio call ÷ docker |",
            "|---|---|---|---|---|---|---|",
            "| cold (`--no-cache`) | \(statText(BenchStatistic(coldDriver))) | \(statText(BenchStatistic(coldCall))) | \(msText(BenchStatistic(coldAccounting))) | \(statText(BenchStatistic(coldCLI))) | \(ratio(coldDriver, coldCLI)) | \(ratio(coldCall, coldCLI)) |",
            "| after editing app.py | \(statText(BenchStatistic(editDriver))) | \(statText(BenchStatistic(editCall))) | \(msText(BenchStatistic(editAccounting))) | \(statText(BenchStatistic(editCLI))) | \(ratio(editDriver, editCLI)) | \(ratio(editCall, editCLI)) |", "",
            "Target: ≤ 1.03. " + (met ? "Met in both rows." : "Not met in both rows; read the ranges: with builds this short on a shared machine, differences of a few hundredths of a second are within the noise."),
        ]
    }
}

func msText(_ s: BenchStatistic?) -> String {
    guard let s else { return "-" }
    return String(format: "%.0f ms (%.0f–%.0f)", s.median * 1000, s.min * 1000, s.max * 1000)
}

func measureOverhead(client: EngineClient, lab: URL, rounds: Int) -> Overhead {
    FileHandle.standardError.write(Data("overhead × \(rounds)\n".utf8))
    let runID = "dlb-overhead-\(getpid())"
    let builder = DockerEngineBuilder(client: client, mode: .buildkit)
    let runner = BenchRunner(configuration: BenchConfiguration(dockerfile: "Dockerfile", context: "."), builder: builder)
    let scratch = try! BenchScratch.makeDirectory()
    defer { BenchScratch.remove(scratch); _ = try? builder.cleanup(runID: runID) }
    try! BenchScratch.copyContext(from: lab.path, to: scratch, dockerfile: "Dockerfile")
    let label = "\(benchLabelKey)=\(runID)"
    var o = Overhead()
    func driver(_ noCache: Bool) -> (Double, Double, Double) {
        do {
            let t = try runner.timedBuild(context: scratch, request: BuildRequest(runID: runID, noCache: noCache, timeout: 600))
            if let e = t.result.error { labFail("driver build failed: \(e)") }
            return (t.seconds, t.callSeconds, t.accountingSeconds)
        } catch { labFail("driver build: \(error)") }
    }
    _ = driver(true)   // warm-up: base image and pip layer in the cache, page cache warm
    _ = dockerCLIBuild(context: scratch, noCache: true, label: label)
    for round in 0..<rounds {
        let driverFirst = round % 2 == 0
        for first in [true, false] {
            if first == driverFirst {
                let (t, c, a) = driver(true); o.coldDriver.append(t); o.coldCall.append(c); o.coldAccounting.append(a)
            } else { o.coldCLI.append(dockerCLIBuild(context: scratch, noCache: true, label: label)) }
        }
        for first in [true, false] {
            try! BenchScratch.edit("app.py", in: scratch, nonce: "\(runID) \(round) \(first)")
            if first == driverFirst {
                let (t, c, a) = driver(false); o.editDriver.append(t); o.editCall.append(c); o.editAccounting.append(a)
            } else { o.editCLI.append(dockerCLIBuild(context: scratch, noCache: false, label: label)) }
        }
    }
    return o
}
