import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command as a whole process (output discarded) and measures its wall time and
/// peak resident memory (from wait4's rusage of that child).
struct Measurement {
    var seconds: Double
    var peakRSSMiB: Double
    var status: Int32
}

func measure(_ argv: [String]) -> Measurement {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let cargs = argv.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var ts0 = timespec(), ts1 = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts0)
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ)
    guard rc == 0 else { return Measurement(seconds: .nan, peakRSSMiB: .nan, status: -1) }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    clock_gettime(CLOCK_MONOTONIC, &ts1)
    let secs = Double(ts1.tv_sec - ts0.tv_sec) + Double(ts1.tv_nsec - ts0.tv_nsec) / 1e9
    return Measurement(seconds: secs, peakRSSMiB: Double(usage.ru_maxrss) / 1024, status: (status >> 8) & 0xFF)
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
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) {
            if p.contains("/shims/") {
                // pyenv: the shim is a shell script; ask pyenv for the real path.
                let proc = Process()
                proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                proc.arguments = ["pyenv", "which", name]
                let pipe = Pipe()
                proc.standardOutput = pipe
                proc.standardError = FileHandle.nullDevice
                try? proc.run()
                let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                proc.waitUntilExit()
                let real = out.trimmingCharacters(in: .whitespacesAndNewlines)
                if !real.isEmpty { return real }
            }
            return p
        }
    }
    return nil
}
