// Child processes started with posix_spawn and reaped with waitpid, from argument arrays
// (never a shell string), without Foundation: `Foundation.Process` waits for its child by
// polling a run loop, which cost tens of milliseconds per child.
//
// Two shapes:
// - `Subprocess.run` / `Subprocess.stream`: start, feed standard input, collect (or hand
//   over, chunk by chunk) standard output and standard error, wait; with an optional timeout.
// - `ChildProcess`: a long-lived child whose standard input is written and whose standard
//   output is read incrementally (`git cat-file --batch`, a pipe into `tar -x`).
//
// Every pipe is close-on-exec, so a child started by one thread never holds a pipe end of a
// child started by another (each would otherwise wait for the other's end of file).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child ended.
public enum ProcessStatus: Sendable, Hashable, CustomStringConvertible {
    /// `exit(code)`.
    case exited(Int32)
    /// Killed by a signal.
    case signalled(Int32)

    /// The exit code as a shell reports it: the code, or 128 + the signal number.
    public var code: Int32 {
        switch self {
        case .exited(let c): return c
        case .signalled(let s): return 128 + s
        }
    }

    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let c): return "exit status \(c)"
        case .signalled(let s): return "signal \(s)"
        }
    }

    init(waitStatus s: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
        if s & 0x7F == 0 { self = .exited((s >> 8) & 0xFF) } else { self = .signalled(s & 0x7F) }
    }
}

/// A child could not be started, or a pipe to it failed.
public struct ProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    public var executable: String
    /// What failed (`start`, `write`, ...).
    public var operation: String
    public var errno: Int32

    public init(executable: String, operation: String, errno: Int32) {
        self.executable = executable
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "\(executable): cannot \(operation): \(String(cString: strerror(errno)))"
    }
}

/// What a finished child gave.
public struct ProcessResult: Sendable, Equatable {
    public var status: ProcessStatus
    /// Standard output (empty when it was streamed to a callback).
    public var stdout: [UInt8]
    /// Standard error (empty unless captured).
    public var stderr: [UInt8]
    /// The timeout passed and the child was killed.
    public var timedOut: Bool
    /// The child's peak resident set size in KiB (`ru_maxrss` of `wait4`).
    public var peakResidentKiB: Int = 0

    /// Exited with status 0 in time.
    public var succeeded: Bool { status.isSuccess && !timedOut }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text, trailing white space removed (for messages).
    public var stderrText: String {
        var s = String(decoding: stderr, as: UTF8.self)
        while let l = s.last, l == "\n" || l == "\r" || l == " " || l == "\t" { s.removeLast() }
        return s
    }
}

/// Where a child's standard error goes.
public enum StandardError: Sendable {
    /// Collected into `ProcessResult.stderr` (read while the child runs, so it never blocks).
    case capture
    /// `/dev/null`.
    case discard
    /// The same pipe as standard output, interleaved as the child writes (builders' logs).
    case mergeWithOutput
    /// The parent's standard error.
    case inherit
}

/// The environment of a child.
public enum ChildEnvironment: Sendable {
    /// The parent's.
    case inherit
    /// The parent's, with these variables set (or replaced).
    case inheritAdding([String: String])
    /// Exactly these variables.
    case exactly([String: String])
}

public enum Subprocess {
    /// Seconds between SIGTERM and SIGKILL when a timeout passes.
    public static let killGraceSeconds = 5.0

    /// Runs `executable` (a path; see `ExecutableSearch`) with `arguments` to completion:
    /// `input` is written to its standard input (`/dev/null` when nil), standard output is
    /// collected. With `timeout`, the child gets SIGTERM when it passes, SIGKILL
    /// `killGraceSeconds` later, and `timedOut` is set.
    /// `discardOutput` sends standard output to `/dev/null` (benchmarks of the child).
    public static func run(_ executable: String, _ arguments: [String], environment: ChildEnvironment = .inherit,
                           input: [UInt8]? = nil, discardOutput: Bool = false, standardError: StandardError = .capture,
                           timeout: Double? = nil) throws(ProcessError) -> ProcessResult {
        var out: [UInt8] = []
        var result = try drive(executable, arguments, environment: environment, input: input, output: discardOutput ? .null : .pipe,
                               standardError: standardError, timeout: timeout) { chunk in
            out.append(contentsOf: chunk)
            return true
        }
        result.stdout = out
        return result
    }

    /// As `run`, but hands standard output to `body` chunk by chunk as it arrives, with the
    /// monotonic time of arrival (`monotonicSeconds()`), instead of collecting it. When `body`
    /// throws, the child is killed, reaped, and the error is rethrown.
    public static func stream(_ executable: String, _ arguments: [String], environment: ChildEnvironment = .inherit,
                              input: [UInt8]? = nil, standardError: StandardError = .capture, timeout: Double? = nil,
                              _ body: (UnsafeRawBufferPointer, Double) throws -> Void) throws -> ProcessResult {
        var failure: (any Error)? = nil
        let result = try drive(executable, arguments, environment: environment, input: input, output: .pipe,
                               standardError: standardError, timeout: timeout) { chunk in
            do { try body(chunk, monotonicSeconds()) } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        return result
    }

    /// The poll loop behind `run` and `stream`. `onOutput` returns false to stop early (the
    /// child is then killed).
    private static func drive(_ executable: String, _ arguments: [String], environment: ChildEnvironment,
                              input: [UInt8]?, output: Spawned.Stream, standardError: StandardError, timeout: Double?,
                              onOutput: (UnsafeRawBufferPointer) -> Bool) throws(ProcessError) -> ProcessResult {
        let child = try Spawned.start(executable, arguments, environment: environment,
                                      input: input == nil ? .null : .pipe, output: output, error: standardError)
        var stdinFD = child.stdin
        var stdoutFD = child.stdout
        var stderrFD = child.stderr
        if stdinFD >= 0 { _ = fcntl(stdinFD, F_SETFL, fcntl(stdinFD, F_GETFL) | O_NONBLOCK) }
        let pending = input ?? []
        var written = 0
        if stdinFD >= 0 && pending.isEmpty { close(stdinFD); stdinFD = -1 }
        var errBytes: [UInt8] = []
        var timedOut = false
        var stopped = false
        let deadline = timeout.map { monotonicSeconds() + $0 }
        var killAt: Double? = nil
        var buffer = [UInt8](repeating: 0, count: 1 << 16)

        while true {
            if stdoutFD < 0 && stderrFD < 0 && stdinFD < 0 {
                // No pipe left: done, unless a timeout must still be enforced on a child that
                // keeps running (checked without reaping it).
                if deadline == nil || Spawned.hasExited(child.pid) { break }
            }
            var fds: [pollfd] = []
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            var wait: Int32 = -1
            let now = monotonicSeconds()
            if let k = killAt {
                wait = Int32(max(0, min(1000, (k - now) * 1000)))
            } else if let d = deadline {
                wait = Int32(max(0, min(1000, (d - now) * 1000)))
            }
            if fds.isEmpty { wait = min(wait < 0 ? 5 : wait, 5) }
            let n = poll(&fds, nfds_t(fds.count), wait)
            if n < 0 && errno != EINTR { break }
            let t = monotonicSeconds()
            if !timedOut, let d = deadline, t >= d {
                timedOut = true
                kill(child.pid, SIGTERM)
                killAt = t + killGraceSeconds
            } else if let k = killAt, t >= k {
                kill(child.pid, SIGKILL)
                killAt = nil
            }
            if n <= 0 { continue }
            for p in fds where p.revents != 0 {
                if p.fd == stdinFD {
                    let w = pending.withUnsafeBytes { pipeWrite(stdinFD, $0.baseAddress! + written, pending.count - written) }
                    if w > 0 { written += w }
                    if written >= pending.count || (w < 0 && errno != EAGAIN && errno != EINTR) || p.revents & Int16(POLLERR | POLLHUP) != 0 {
                        close(stdinFD); stdinFD = -1
                    }
                    continue
                }
                let r = buffer.withUnsafeMutableBytes { posixRead(p.fd, $0.baseAddress, $0.count) }
                if r < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if r <= 0 {
                    close(p.fd)
                    if p.fd == stdoutFD { stdoutFD = -1 } else { stderrFD = -1 }
                    continue
                }
                if p.fd == stdoutFD {
                    if !stopped {
                        let keep = buffer.withUnsafeBytes { onOutput(UnsafeRawBufferPointer(rebasing: $0[0..<r])) }
                        if !keep {
                            stopped = true
                            kill(child.pid, SIGKILL)
                        }
                    }
                } else {
                    errBytes.append(contentsOf: buffer[0..<r])
                }
            }
        }
        if stdinFD >= 0 { close(stdinFD) }
        let (status, peak) = Spawned.reapWithUsage(child.pid)
        return ProcessResult(status: status, stdout: [], stderr: errBytes, timedOut: timedOut, peakResidentKiB: peak)
    }
}

/// A long-lived child: write to its standard input, read its standard output as it comes.
/// Standard error is collected on a thread of its own (so a chatty child never blocks) and
/// is available after `wait()`. Not thread-safe: one owner, or a lock around it.
public final class ChildProcess: @unchecked Sendable {
    public let executable: String
    public let pid: pid_t
    private var stdinFD: Int32
    /// Standard output, buffered (invalid when the child was started with `output: false`).
    public var output: FileReader
    private let errorCollector: PipeCollector?
    private var status: ProcessStatus?

    /// Starts `executable`. `output: false` sends standard output to `/dev/null`.
    public init(_ executable: String, _ arguments: [String], environment: ChildEnvironment = .inherit,
                output: Bool = true, standardError: StandardError = .capture) throws(ProcessError) {
        let s = try Spawned.start(executable, arguments, environment: environment, input: .pipe,
                                  output: output ? .pipe : .null, error: standardError)
        self.executable = executable
        pid = s.pid
        stdinFD = s.stdin
        self.output = FileReader(fd: s.stdout)
        errorCollector = s.stderr >= 0 ? PipeCollector(fd: s.stderr) : nil
    }

    deinit {
        if status == nil { _ = wait() }
    }

    /// Writes all of `bytes` to the child's standard input.
    public func write(_ bytes: [UInt8]) throws(ProcessError) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { pipeWrite(stdinFD, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ProcessError(executable: executable, operation: "write to its input", errno: errno)
            }
            off += n
        }
    }

    public func write(_ text: String) throws(ProcessError) { try write(Array(text.utf8)) }

    /// Ends the child's standard input (most filters then finish).
    public func closeInput() {
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }

    /// Sends `signal` (SIGTERM by default) unless the child was already reaped.
    public func terminate(_ signal: Int32 = SIGTERM) {
        if status == nil { kill(pid, signal) }
    }

    /// Closes standard input, drains and closes standard output, and reaps the child (once;
    /// later calls return the same status).
    @discardableResult
    public func wait() -> ProcessStatus {
        if let status { return status }
        closeInput()
        output.drainAndClose()
        let s = Spawned.reap(pid)
        status = s
        return s
    }

    /// Standard error, once the child has closed it (call after `wait()`). Empty unless
    /// started with `.capture`.
    public var errorOutput: [UInt8] {
        errorCollector?.finish() ?? []
    }
}

/// A buffered reader over a file descriptor (a child's standard output).
public struct FileReader: @unchecked Sendable {
    public private(set) var fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    public init(fd: Int32) { self.fd = fd }

    /// Ensures at least `n` unread bytes; false at end of file.
    private mutating func fill(_ n: Int) -> Bool {
        guard fd >= 0 else { return buffer.count - start >= n }
        while buffer.count - start < n {
            if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
            var chunk = [UInt8](repeating: 0, count: max(65536, n))
            let r = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return false }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            buffer.append(contentsOf: chunk[0..<r])
        }
        return true
    }

    /// The bytes up to `delimiter` (consumed, not returned), or nil at end of file. A last
    /// line without a delimiter is returned.
    public mutating func readLine(delimiter: UInt8 = 0x0A) -> [UInt8]? {
        var scanFrom = start
        while true {
            if let i = buffer[scanFrom...].firstIndex(of: delimiter) {
                let line = Array(buffer[start..<i])
                start = i + 1
                return line
            }
            let have = buffer.count - start
            if !fill(have + 1) {
                guard have > 0 else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            scanFrom = start + have
        }
    }

    /// Exactly `count` bytes, or nil when the stream ends first.
    public mutating func read(count: Int) -> [UInt8]? {
        guard fill(count) else { return nil }
        let out = Array(buffer[start..<(start + count)])
        start += count
        return out
    }

    /// Whatever is buffered or next available (at most 64 KiB read), or nil at end of file.
    public mutating func readChunk() -> [UInt8]? {
        if start < buffer.count {
            let out = Array(buffer[start...])
            buffer.removeAll(keepingCapacity: true)
            start = 0
            return out
        }
        guard fill(1) else { return nil }
        return readChunk()
    }

    /// Reads to end of file, discarding, and closes the descriptor.
    mutating func drainAndClose() {
        guard fd >= 0 else { return }
        var scratch = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = scratch.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
        }
        close(fd)
        fd = -1
        buffer = []
        start = 0
    }
}

// MARK: - Spawning

/// A started child and the parent's ends of its pipes (-1 where there is none).
struct Spawned {
    enum Stream { case null, pipe }

    var pid: pid_t
    var stdin: Int32
    var stdout: Int32
    var stderr: Int32

    static func start(_ executable: String, _ arguments: [String], environment: ChildEnvironment,
                      input: Stream, output: Stream, error: StandardError) throws(ProcessError) -> Spawned {
        var opened: [Int32] = []
        func pipePair() throws(ProcessError) -> (Int32, Int32) {
            var fds: [Int32] = [-1, -1]
            guard systemPipe2(&fds, O_CLOEXEC) == 0 else {
                let e = errno
                opened.forEach { close($0) }
                throw ProcessError(executable: executable, operation: "create a pipe", errno: e)
            }
            opened += fds
            return (fds[0], fds[1])
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentIn: Int32 = -1, parentOut: Int32 = -1, parentErr: Int32 = -1
        var childEnds: [Int32] = []

        switch input {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .pipe:
            let (r, w) = try pipePair()
            posix_spawn_file_actions_adddup2(&actions, r, 0)
            parentIn = w
            childEnds.append(r)
        }
        switch output {
        case .null: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        case .pipe:
            let (r, w) = try pipePair()
            posix_spawn_file_actions_adddup2(&actions, w, 1)
            parentOut = r
            childEnds.append(w)
        }
        switch error {
        case .discard: posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        case .mergeWithOutput:
            if output == .pipe { posix_spawn_file_actions_adddup2(&actions, 1, 2) } else {
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
        case .capture:
            let (r, w) = try pipePair()
            posix_spawn_file_actions_adddup2(&actions, w, 2)
            parentErr = r
            childEnds.append(w)
        }

        // Children start with default signal handling (the parent may ignore SIGPIPE).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc: Int32
        switch environment {
        case .inherit:
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        case .inheritAdding(let extra):
            let envp = environmentBlock(ProcessEnvironment.current.merging(extra) { _, new in new })
            defer { envp.forEach { free($0) } }
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        case .exactly(let vars):
            let envp = environmentBlock(vars)
            defer { envp.forEach { free($0) } }
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        childEnds.forEach { close($0) }
        guard rc == 0 else {
            [parentIn, parentOut, parentErr].filter { $0 >= 0 }.forEach { close($0) }
            throw ProcessError(executable: executable, operation: "start", errno: rc)
        }
        return Spawned(pid: pid, stdin: parentIn, stdout: parentOut, stderr: parentErr)
    }

    static func environmentBlock(_ vars: [String: String]) -> [UnsafeMutablePointer<CChar>?] {
        vars.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    }

    static func reap(_ pid: pid_t) -> ProcessStatus { reapWithUsage(pid).0 }

    /// True once the child has ended (it stays waitable).
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo == SIGCHLD
    }

    /// waitpid, with the child's peak resident set size (KiB) from wait4's rusage.
    static func reapWithUsage(_ pid: pid_t) -> (ProcessStatus, Int) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return (.exited(-1), 0) }
        }
        return (ProcessStatus(waitStatus: status), Int(usage.ru_maxrss))
    }
}

/// Reads a pipe to its end on a thread of its own.
final class PipeCollector: @unchecked Sendable {
    private let fd: Int32
    private var bytes: [UInt8] = []
    private var thread = pthread_t()
    private var joined = false
    private var mutex = pthread_mutex_t()

    init(fd: Int32) {
        self.fd = fd
        pthread_mutex_init(&mutex, nil)
        let box = Unmanaged.passRetained(self)
        let rc = pthread_create(&thread, nil, { raw in
            let me = Unmanaged<PipeCollector>.fromOpaque(raw!).takeRetainedValue()
            me.drain()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            drain()
            joined = true
        }
    }

    deinit { pthread_mutex_destroy(&mutex) }

    private func drain() {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let r = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            pthread_mutex_lock(&mutex)
            bytes.append(contentsOf: chunk[0..<r])
            pthread_mutex_unlock(&mutex)
        }
        close(fd)
    }

    /// Waits for end of file and returns everything read.
    func finish() -> [UInt8] {
        pthread_mutex_lock(&mutex)
        let needsJoin = !joined
        joined = true
        pthread_mutex_unlock(&mutex)
        if needsJoin { pthread_join(thread, nil) }
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return bytes
    }
}

@inline(__always)
func posixRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }

/// write(2) to a pipe whose reader may be gone: EPIPE instead of a SIGPIPE that would end
/// this process. SIGPIPE is blocked in this thread for the call, and one raised by it is
/// consumed before the old mask comes back (the process-wide disposition is left alone).
func pipeWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int {
    var block = sigset_t()
    sigemptyset(&block)
    sigaddset(&block, SIGPIPE)
    var old = sigset_t()
    pthread_sigmask(SIG_BLOCK, &block, &old)
    var pending = sigset_t()
    sigpending(&pending)
    let alreadyPending = sigismember(&pending, SIGPIPE) == 1
    let r = write(fd, p, n)
    let e = errno
    if r < 0 && e == EPIPE && !alreadyPending {
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        _ = sigtimedwait(&block, nil, &zero)
    }
    pthread_sigmask(SIG_SETMASK, &old, nil)
    errno = e
    return r
}

/// pipe2(2) (glibc and musl have it; the Glibc module does not export it).
@_silgen_name("pipe2")
private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// Seconds on the monotonic clock (for timeouts and arrival times).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
