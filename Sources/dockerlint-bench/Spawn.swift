import DockerlintSupport
import Foundation

/// Runs a command as a whole process (output discarded) and measures its wall time and
/// peak resident memory (wait4's rusage of that child).
struct Measurement {
    var seconds: Double
    var peakRSSMiB: Double
    var status: Int32
}

func measure(_ argv: [String]) -> Measurement {
    guard let exe = ExecutableSearch.find(argv[0]) else { return Measurement(seconds: .nan, peakRSSMiB: .nan, status: -1) }
    let start = monotonicSeconds()
    guard let r = try? Subprocess.run(exe, Array(argv.dropFirst()), discardOutput: true, standardError: .discard) else {
        return Measurement(seconds: .nan, peakRSSMiB: .nan, status: -1)
    }
    return Measurement(seconds: monotonicSeconds() - start, peakRSSMiB: Double(r.peakResidentKiB) / 1024, status: r.status.code)
}

/// A and B alternately, `runs` times each after one warm-up of each; medians.
func alternate(_ a: [String], _ b: [String], runs: Int) -> (a: [Measurement], b: [Measurement]) {
    _ = measure(a); _ = measure(b)
    var ma: [Measurement] = [], mb: [Measurement] = []
    for _ in 0..<runs {
        ma.append(measure(a))
        mb.append(measure(b))
    }
    return (ma, mb)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : s[s.count / 2]
}

/// Finds an executable on PATH, resolving pyenv shims to the real binary.
func which(_ name: String) -> String? {
    guard let p = ExecutableSearch.find(name) else { return nil }
    if p.contains("/shims/"), let env = ExecutableSearch.find("pyenv"),
       let r = try? Subprocess.run(env, ["which", name], standardError: .discard) {
        // pyenv: the shim is a shell script; ask pyenv for the real path.
        let real = r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        if !real.isEmpty { return real }
    }
    return p
}
