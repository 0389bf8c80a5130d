// What a bench killed with SIGKILL leaves behind (its labelled images and containers, its
// scratch directories) and how a later bench tells it from a bench still running: every run
// ID and scratch directory names the host, process id and process start time of its bench.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import DockerlintBuilders
import DockerlintSupport
import Foundation

/// The process a bench run belongs to: host, process id and its start time (clock ticks
/// since boot, `/proc/<pid>/stat` field 22), so that a reused process id is not mistaken
/// for the bench that died.
public struct BenchOwner: Equatable, Sendable {
    public var host: String
    public var pid: Int32
    public var start: UInt64

    /// This process.
    public static let current = BenchOwner(host: hostName(), pid: getpid(), start: startTicks(of: getpid()) ?? 0)

    /// `<host>-<pid>-<start>`: letters and digits of the host name, lower-case, at most 16.
    public var token: String { "\(host)-\(pid)-\(start)" }

    /// Whether the bench process is gone: same host, and no process with that id or one
    /// started at another time. A bench of another host is never judged dead.
    public var isDead: Bool {
        guard host == BenchOwner.current.host else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let s = BenchOwner.startTicks(of: pid) else { return true }
        return s != start
    }

    /// Parses `<host>-<pid>-<start>` from the front of `parts`.
    init?(_ parts: ArraySlice<Substring>) {
        guard parts.count >= 3, let pid = Int32(parts[parts.startIndex + 1]), let start = UInt64(parts[parts.startIndex + 2]) else { return nil }
        self.init(host: String(parts[parts.startIndex]), pid: pid, start: start)
    }

    public init(host: String, pid: Int32, start: UInt64) {
        self.host = host
        self.pid = pid
        self.start = start
    }

    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "host" }
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let clean = String(name.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.prefix(16))
        return clean.isEmpty ? "host" : clean
    }

    static func startTicks(of pid: Int32) -> UInt64? {
        guard let bytes = try? RegularFile.read("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        // The command name is in parentheses and may hold spaces: count fields after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Fields after the name start at field 3 (state); the start time is field 22.
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}

public enum BenchLeftovers {
    /// `dlb-<host>-<pid>-<start>-<random>-r<run>`: unique per run, and it names its owner.
    public static func runID(run: Int, owner: BenchOwner = .current) -> String {
        "dlb-\(owner.token)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))-r\(run)"
    }

    /// The owner a run ID names; nil for an ID of another form (an older bench).
    public static func owner(ofRunID id: String) -> BenchOwner? {
        let parts = id.split(separator: "-")
        guard parts.count == 6, parts[0] == "dlb" else { return nil }
        return BenchOwner(parts[1...])
    }

    /// The prefix of this process's scratch directories: `dockerlint-bench-<host>-<pid>-<start>`.
    public static var scratchPrefix: String { "dockerlint-bench-" + BenchOwner.current.token }

    /// Run IDs and scratch directories left by benches that are gone (`all`: every bench run
    /// and scratch directory except those of benches still running on this host).
    public struct Found: Sendable, Equatable {
        public var runIDs: [String] = []
        public var directories: [String] = []
    }

    /// Which of `runIDs` (label values found on the engine) and of the entries of `scratchBase`
    /// are leftovers.
    public static func find(runIDs: Set<String>, scratchBase: String, all: Bool) -> Found {
        var found = Found()
        for id in runIDs.sorted() {
            if let o = owner(ofRunID: id) {
                if o.isDead || (all && o.host != BenchOwner.current.host) { found.runIDs.append(id) }
            } else if all {
                found.runIDs.append(id)
            }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scratchBase)) ?? []
        for name in names.sorted() {
            if name.hasPrefix("dockerlint-bench-") {
                // dockerlint-bench-<host>-<pid>-<start>.XXXXXX
                let stem = name.dropFirst("dockerlint-bench-".count).split(separator: ".").first ?? ""
                let o = BenchOwner(stem.split(separator: "-")[...])
                if let o, o.isDead || (all && o.host != BenchOwner.current.host) { found.directories.append(scratchBase + "/" + name) }
                else if o == nil && all { found.directories.append(scratchBase + "/" + name) }
            } else if name.hasPrefix("dockerlint-bench.") && all {
                found.directories.append(scratchBase + "/" + name)  // an older bench's, owner unknown
            }
        }
        return found
    }

    /// Removes the leftovers `builder` can see and those under `scratchBase`; returns what it removed.
    @discardableResult
    public static func sweep(builder: any ImageBuilder, scratchBase: String, all: Bool) throws -> (Found, CleanupReport) {
        let ids: Set<String>
        do { ids = try builder.benchRunIDs() } catch { throw BenchRunner.commandError(error) }
        let found = find(runIDs: ids, scratchBase: scratchBase, all: all)
        var report = CleanupReport()
        for id in found.runIDs {
            do {
                let r = try builder.cleanup(runID: id)
                report.removedImages += r.removedImages
                report.removedContainers += r.removedContainers
            } catch { throw BenchRunner.commandError(error) }
        }
        for d in found.directories { BenchScratch.remove(URL(fileURLWithPath: d)) }
        return (found, report)
    }

    /// Where scratch directories go by default.
    public static var defaultScratchBase: String { ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp" }
}

extension BenchLeftovers {
    /// `bench --cleanup`: what every dead bench run left on the builder named (`auto`: every
    /// reachable one) and in the scratch directory base, removed; one line per builder, then
    /// the scratch directories.
    public static func removeAll(builder: String) throws -> [String] {
        let names = builder == "auto" ? ["buildkit", "podman", "buildah"] : [builder]
        var builders: [any ImageBuilder] = []
        for n in names {
            do { builders.append(try BenchRunner.connect(builder: n)) } catch {
                if builder != "auto" { throw error }
            }
        }
        var lines: [String] = []
        var dirsRemoved = 0
        for (k, b) in builders.enumerated() {
            let (found, report) = try sweep(builder: b, scratchBase: defaultScratchBase, all: true)
            if k == 0 { dirsRemoved = found.directories.count }
            lines.append("\(b.summary): \(found.runIDs.count) runs, \(report.removedImages.count) images, \(report.removedContainers.count) containers removed")
        }
        if builders.isEmpty {
            let found = find(runIDs: [], scratchBase: defaultScratchBase, all: true)
            for d in found.directories { BenchScratch.remove(URL(fileURLWithPath: d)) }
            dirsRemoved = found.directories.count
            lines.append("no builder reachable: only scratch directories cleaned")
        }
        lines.append("\(dirsRemoved) scratch directories removed")
        return lines
    }
}
