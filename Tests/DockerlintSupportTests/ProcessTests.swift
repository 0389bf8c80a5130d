import Dispatch
import DockerlintSupport
import Foundation
import Testing

/// The process runner on real programs (sh, cat, sleep from the base system).
@Suite struct ProcessTests {
    static let sh = ExecutableSearch.find("sh")!
    static let cat = ExecutableSearch.find("cat")!

    @Test func runCollectsOutputErrorAndStatus() throws {
        let r = try Subprocess.run(Self.sh, ["-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"])
        #expect(r.stdoutText == "out\n")
        #expect(r.stderrText == "err")
        #expect(r.status == .exited(3))
        #expect(r.status.code == 3)
        #expect(!r.succeeded && !r.timedOut)
    }

    @Test func signalsAreReportedAsSignals() throws {
        let r = try Subprocess.run(Self.sh, ["-c", "kill -TERM $$"])
        #expect(r.status == .signalled(SIGTERM))
        #expect(r.status.code == 128 + SIGTERM)
    }

    /// Input larger than a pipe buffer while the child writes as much back: written and read
    /// together, so neither side blocks.
    @Test func largeInputAndOutputDoNotDeadlock() throws {
        let input = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let r = try Subprocess.run(Self.cat, [], input: input)
        #expect(r.succeeded)
        #expect(r.stdout == input)
    }

    @Test func withoutInputTheChildReadsEndOfFile() throws {
        let r = try Subprocess.run(Self.cat, [], timeout: 10)
        #expect(r.succeeded && r.stdout.isEmpty)
    }

    @Test func environmentIsInheritedOrReplaced() throws {
        setenv("DOCKERLINT_PROCESS_TEST", "inherited", 1)
        let a = try Subprocess.run(Self.sh, ["-c", "printf %s \"$DOCKERLINT_PROCESS_TEST\""])
        #expect(a.stdoutText == "inherited")
        let b = try Subprocess.run(Self.sh, ["-c", "printf %s \"$DOCKERLINT_PROCESS_TEST\""],
                                   environment: .inheritAdding(["DOCKERLINT_PROCESS_TEST": "added"]))
        #expect(b.stdoutText == "added")
        let c = try Subprocess.run(Self.sh, ["-c", "printf %s \"${DOCKERLINT_PROCESS_TEST:-unset}:$PATH\""],
                                   environment: .exactly(["PATH": "/bin"]))
        #expect(c.stdoutText == "unset:/bin")
    }

    @Test func standardErrorCanBeMergedOrDiscarded() throws {
        let merged = try Subprocess.run(Self.sh, ["-c", "echo a; echo b >&2; echo c"], standardError: .mergeWithOutput)
        #expect(merged.stdoutText == "a\nb\nc\n")
        #expect(merged.stderr.isEmpty)
        let discarded = try Subprocess.run(Self.sh, ["-c", "echo a; echo b >&2"], standardError: .discard)
        #expect(discarded.stdoutText == "a\n" && discarded.stderr.isEmpty)
    }

    /// A child that ignores SIGTERM is killed after the grace period; one that stops on it
    /// ends at once. Either way `timedOut` says so.
    @Test func timeoutTerminatesTheChild() throws {
        let start = monotonicSeconds()
        let r = try Subprocess.run(Self.sh, ["-c", "echo started; exec sleep 30"], timeout: 0.5)
        let elapsed = monotonicSeconds() - start
        #expect(r.timedOut)
        #expect(r.status == .signalled(SIGTERM))
        #expect(r.stdoutText == "started\n")
        #expect(elapsed < 5)
        let quick = try Subprocess.run(Self.sh, ["-c", "exit 0"], timeout: 5)
        #expect(quick.succeeded && !quick.timedOut)
    }

    @Test func streamHandsOverChunksAsTheyArrive() throws {
        var chunks: [String] = []
        var times: [Double] = []
        let r = try Subprocess.stream(Self.sh, ["-c", "echo one; sleep 0.3; echo two"]) { chunk, t in
            chunks.append(String(decoding: chunk, as: UTF8.self))
            times.append(t)
        }
        #expect(r.succeeded)
        #expect(chunks.joined() == "one\ntwo\n")
        #expect(chunks.count >= 2)
        #expect((times.last ?? 0) - (times.first ?? 0) >= 0.2)
    }

    struct Stop: Error {}

    /// An error from the consumer stops the child (it would otherwise run for 30 s) and is
    /// rethrown.
    @Test func streamStopsTheChildWhenTheConsumerThrows() throws {
        let start = monotonicSeconds()
        #expect(throws: Stop.self) {
            try Subprocess.stream(Self.sh, ["-c", "echo first; exec sleep 30"]) { _, _ in throw Stop() }
        }
        #expect(monotonicSeconds() - start < 10)
    }

    @Test func aMissingProgramIsAnError() {
        #expect(throws: ProcessError.self) { try Subprocess.run("/nonexistent/dockerlint-no-such-program", []) }
        #expect(ExecutableSearch.find("dockerlint-no-such-program") == nil)
        #expect(ExecutableSearch.find("sh", path: "/nonexistent:/bin:/usr/bin") != nil)
    }

    /// A long-lived child answers line by line while it keeps running.
    @Test func childProcessIsWrittenAndReadIncrementally() throws {
        let child = try ChildProcess(Self.cat, [])
        for i in 0..<200 {
            try child.write("line \(i)\n")
            #expect(child.output.readLine() == Array("line \(i)".utf8))
        }
        try child.write([1, 2, 3, 4])
        #expect(child.output.read(count: 4) == [1, 2, 3, 4])
        child.closeInput()
        #expect(child.output.readLine() == nil)
        #expect(child.wait() == .exited(0))
        #expect(child.wait() == .exited(0))
    }

    /// Writing to a child that stopped reading is an error, not a SIGPIPE that ends the
    /// test process; input nobody reads does not hang `run`.
    @Test func writingToAChildThatIsGoneIsAnError() throws {
        let child = try ChildProcess(Self.sh, ["-c", "exit 0"])
        #expect(child.output.readLine() == nil)  // its output ends: the child is gone
        #expect(throws: ProcessError.self) {
            for _ in 0..<64 { try child.write([UInt8](repeating: 0x41, count: 65536)) }
        }
        #expect(child.wait() == .exited(0))
        let r = try Subprocess.run(Self.sh, ["-c", "exit 0"], input: [UInt8](repeating: 0x41, count: 1 << 20), timeout: 30)
        #expect(r.status == .exited(0) && !r.timedOut)
    }

    @Test func childProcessCollectsStandardErrorAndStatus() throws {
        let child = try ChildProcess(Self.sh, ["-c", "read x; echo \"got $x\"; echo oops >&2; exit 4"])
        try child.write("hello\n")
        #expect(child.output.readLine() == Array("got hello".utf8))
        #expect(child.wait() == .exited(4))
        #expect(String(decoding: child.errorOutput, as: UTF8.self) == "oops\n")
    }

    /// Children started from many threads at once each see only their own pipes: every
    /// child ends (none waits for a pipe end another child inherited) with its own output.
    @Test func concurrentChildrenDoNotShareDescriptors() throws {
        let count = 24
        let results = UnsafeMutableBufferPointer<String>.allocate(capacity: count)
        results.initialize(repeating: "")
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let r = try? Subprocess.run(Self.sh, ["-c", "cat; echo \(i)"], input: Array("in\(i) ".utf8), timeout: 30)
            slots[i] = r.map { $0.timedOut ? "timeout" : $0.stdoutText } ?? "error"
        }
        for i in 0..<count { #expect(results[i] == "in\(i) \(i)\n") }
    }
}
