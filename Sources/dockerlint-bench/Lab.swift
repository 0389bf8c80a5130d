import DockerlintBuilders
import DockerlintKit
import Foundation

// `dockerlint-bench lab`: the lab (dependencies before the code) against lab-bad-order (code
// first) on every reachable Docker builder, through `BenchRunner` (the code behind
// `dockerlint bench`), and the driver's overhead against a plain `docker build`.

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
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/docker")
    var a = ["build", "--progress=plain", "--label", label, "-f", context.appendingPathComponent("Dockerfile").path]
    if noCache { a.append("--no-cache") }
    a.append(context.path)
    p.arguments = a
    var env = ProcessInfo.processInfo.environment
    env["DOCKER_BUILDKIT"] = "1"
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    let start = DispatchTime.now().uptimeNanoseconds
    do { try p.run() } catch { labFail("cannot run /usr/bin/docker: \(error)") }
    p.waitUntilExit()
    let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    if p.terminationStatus != 0 { labFail("docker build exited \(p.terminationStatus)") }
    return t
}

func benchLab() {
    let runs = Int(option("--runs") ?? "") ?? 5
    let overheadRounds = Int(option("--overhead-rounds") ?? "") ?? 7
    let examples = packageRoot.appendingPathComponent("examples")
    let fixtures = packageRoot.appendingPathComponent("Tests/DockerlintKitTests/Fixtures")
    let labs: [(String, URL, [String])] = [
        ("lab", examples.appendingPathComponent("lab"), ["app.py"]),
        ("lab-bad-order", examples.appendingPathComponent("lab-bad-order"), ["app.py"]),
        ("lab-requirements", fixtures.appendingPathComponent("lab-requirements"), ["app.py", "requirements.txt"]),
        ("lab-requirements-bad-order", fixtures.appendingPathComponent("lab-requirements-bad-order"), ["app.py", "requirements.txt"]),
    ]
    let client = EngineClient()
    do { try client.ping(timeout: 5) } catch { labFail("no Docker Engine at \(client.endpoint): \(error)") }
    let version = (try? client.version()).map { "Docker Engine \($0.version) (API \($0.apiVersion))" } ?? "Docker Engine"
    var rows: [LabRow] = []
    for mode in [EngineBuildMode.buildkit, .classic] {
        let builder = DockerEngineBuilder(client: client, mode: mode)
        for (name, dir, edits) in labs {
            FileHandle.standardError.write(Data("\(mode.kind.rawValue) \(name) × \(runs)\n".utf8))
            let cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path,
                                         edits: edits, runs: runs, timeout: 600)
            do { rows.append(LabRow(builder: mode.kind, name: name, report: try BenchRunner(configuration: cfg, builder: builder).run())) } catch {
                labFail("\(mode.kind.rawValue) \(name): \(error)")
            }
        }
    }

    // Driver overhead: the same input built by the bench driver and by the docker CLI, alternating.
    FileHandle.standardError.write(Data("overhead × \(overheadRounds)\n".utf8))
    let runID = "dlb-overhead-\(getpid())"
    let builder = DockerEngineBuilder(client: client, mode: .buildkit)
    let runner = BenchRunner(configuration: BenchConfiguration(dockerfile: "Dockerfile", context: "."), builder: builder)
    let scratch = try! BenchScratch.makeDirectory()
    defer { BenchScratch.remove(scratch); _ = try? builder.cleanup(runID: runID) }
    try! BenchScratch.copyContext(from: examples.appendingPathComponent("lab").path, to: scratch, dockerfile: "Dockerfile")
    var coldDriver: [Double] = [], coldCLI: [Double] = [], editDriver: [Double] = [], editCLI: [Double] = []
    let label = "\(benchLabelKey)=\(runID)"
    func driver(_ noCache: Bool) -> Double {
        do {
            let (t, r) = try runner.timedBuild(context: scratch, options: BuildOptions(runID: runID, noCache: noCache, timeout: 600))
            if let e = r.error { labFail("driver build failed: \(e)") }
            return t
        } catch { labFail("driver build: \(error)") }
    }
    _ = driver(true)   // warm-up: base image and pip layer in the cache, page cache warm
    _ = dockerCLIBuild(context: scratch, noCache: true, label: label)
    for round in 0..<overheadRounds {
        let driverFirst = round % 2 == 0
        for first in [true, false] {
            if first == driverFirst { coldDriver.append(driver(true)) } else { coldCLI.append(dockerCLIBuild(context: scratch, noCache: true, label: label)) }
        }
        for first in [true, false] {
            try! BenchScratch.edit("app.py", in: scratch, nonce: "\(runID) \(round) \(first)")
            if first == driverFirst { editDriver.append(driver(false)) } else { editCLI.append(dockerCLIBuild(context: scratch, noCache: false, label: label)) }
        }
    }

    var md: [String] = [
        "# Lab benchmark: layer order on real builders", "",
        "Regenerate: `swift run -c release dockerlint-bench lab --write reports/bench-lab.md` (needs dockerd with `python:3.10.5`; `scripts/setup-builders`).", "",
        "Machine: shared 2-vCPU Debian 12 box with other engineers building at the same time, \(version), BuildKit through `POST /build?version=2`, classic through `version=1`. "
            + "Each sequence is `dockerlint bench <lab>/Dockerfile --edit …` run \(runs) times, each run with a fresh cache: a cold build (`nocache`), then one build after each edit "
            + "(the edit appends a comment line that names the run, so no earlier run's cache can match). Times are medians with the min–max range over the \(runs) runs. "
            + "New bytes are the uncompressed sizes of the layers no earlier build of the same run had (what `docker push` uploads after pushing the earlier images; the rest is \"Layer already exists\"). "
            + "The cold build's figure includes the base image.", "",
        "The lab installs Flask, which `python:3.10.5` already has, so `pip install` takes about two seconds and writes almost nothing: that makes the bad order cost seconds here rather than minutes, and bytes rather than megabytes. The cache behaviour, which steps run and which hit, is what carries over to real projects.", "",
        "## Cold and rebuild times", "",
        "| builder | Dockerfile | cold build | after editing app.py | statuses (cold → edit) | new bytes after the edit | agreement |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows where r.name == "lab" || r.name == "lab-bad-order" {
        md.append("| \(r.builder.rawValue) | \(r.name) | \(statText(r.stat(1))) | \(statText(r.stat(2))) | `\(r.statuses(1))` → `\(r.statuses(2))` | \(BenchOutput.bytes(r.bytes(2))) | \(r.report.agreeingSteps)/\(r.report.comparedSteps) |")
    }
    md += ["", "Rebuild-time ratio after editing app.py (lab-bad-order ÷ lab, medians):", ""]
    for kind in [BuilderKind.buildkit, .classic] {
        guard let good = rows.first(where: { $0.builder == kind && $0.name == "lab" })?.stat(2),
              let bad = rows.first(where: { $0.builder == kind && $0.name == "lab-bad-order" })?.stat(2) else { continue }
        md.append("- \(kind.rawValue): \(f2(bad.median)) s ÷ \(f2(good.median)) s = **\(String(format: "%.1f", bad.median / good.median))×**")
    }
    md += ["", "## Editing the dependency manifest", "",
           "The lab has no manifest, so two fixtures add one (`Tests/DockerlintKitTests/Fixtures/lab-requirements*`: `COPY requirements.txt` + `RUN pip install --no-index -r`, and the same after `COPY . /app`).", "",
           "| builder | Dockerfile | cold | edit app.py | edit requirements.txt | statuses (cold → app.py → requirements.txt) | new bytes (app.py / requirements.txt) | agreement |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows where r.name.hasPrefix("lab-requirements") {
        md.append("| \(r.builder.rawValue) | \(r.name) | \(statText(r.stat(1))) | \(statText(r.stat(2))) | \(statText(r.stat(3))) | `\(r.statuses(1))` → `\(r.statuses(2))` → `\(r.statuses(3))` | \(BenchOutput.bytes(r.bytes(2))) / \(BenchOutput.bytes(r.bytes(3))) | \(r.report.agreeingSteps)/\(r.report.comparedSteps) |")
    }
    let compared = rows.reduce(0) { $0 + $1.report.comparedSteps }, agreeing = rows.reduce(0) { $0 + $1.report.agreeingSteps }
    let dis = rows.flatMap { r in r.report.disagreements.map { (r, $0) } }
    md += ["", "## Predicted vs actual", "",
           "Predictions: \(rows.first?.report.predictor ?? "-"). Every measured step of every build above, both builders: **\(agreeing)/\(compared) agree (\(String(format: "%.1f", 100 * Double(agreeing) / Double(max(compared, 1))))%)**."]
    if dis.isEmpty { md.append("No disagreements.") } else {
        md += ["", "| builder | Dockerfile | run | build | line | actual | predicted |", "|---|---|---|---|---|---|---|"]
        for (r, d) in dis { md.append("| \(r.builder.rawValue) | \(r.name) | \(d.run) | \(d.build) | \(d.line.map(String.init) ?? "?") | \(d.measured?.rawValue ?? "absent") | \(d.predicted?.rawValue ?? "-") |") }
    }
    let cd = median(coldDriver), cc = median(coldCLI), ed = median(editDriver), ec = median(editCLI)
    md += ["", "## Driver overhead", "",
           "The same lab context built alternately by the bench driver (`BenchRunner.timedBuild`: tar stream, `POST /build?version=2`, trace decoding, then the image's layer accounting) "
           + "and by `DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain` (process start to exit), \(overheadRounds) rounds each, order alternating per round, one warm-up each first.", "",
           "| build | bench driver (median, min–max) | docker build (median, min–max) | ratio driver ÷ docker |", "|---|---|---|---|",
           "| cold (`--no-cache`) | \(statText(BenchStatistic(coldDriver))) | \(statText(BenchStatistic(coldCLI))) | \(String(format: "%.3f", cd / cc)) |",
           "| after editing app.py | \(statText(BenchStatistic(editDriver))) | \(statText(BenchStatistic(editCLI))) | \(String(format: "%.3f", ed / ec)) |", "",
           "Target: ≤ 1.03. " + (cd / cc <= 1.03 && ed / ec <= 1.03 ? "Met in both rows." : "Read the ranges: with builds this short, differences of a few hundredths of a second are within this machine's noise."),
           "", "Podman and buildah were not measured in this report (see the bench README notes).", ""]
    write(md.joined(separator: "\n"))
}
