// The one way dockerlint runs git: argument arrays through `Subprocess`, settings that could
// change machine-readable output neutralised, never a prompt. One-shot commands, a streamed
// reader for long outputs (`git log --raw`), and long-lived `cat-file` processes
// (`GitObjectReader`) for object contents and sizes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A git command that failed, or git that could not be run.
public enum GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `git` on PATH.
    case notInstalled
    /// git could not be started (or a pipe to it failed).
    case cannotRun(ProcessError)
    /// git exited non-zero (or was killed).
    case failed(arguments: [String], status: ProcessStatus, stderr: String)
    /// git's output ended early or could not be read.
    case malformedOutput(arguments: [String], detail: String)

    public var description: String {
        switch self {
        case .notInstalled: return "git is not installed"
        case .cannotRun(let e): return e.description
        case .failed(let args, let status, let stderr):
            return "git \(args.joined(separator: " ")) failed (\(status))" + (stderr.isEmpty ? "" : ": \(stderr)")
        case .malformedOutput(let args, let detail): return "git \(args.joined(separator: " ")): \(detail)"
        }
    }
}

public enum Git {
    /// The git executable on PATH (looked up once), or nil.
    public static let executable: String? = ExecutableSearch.find("git")

    public static var isInstalled: Bool { executable != nil }

    /// Arguments common to every call: the repository (`-C`), no pager, and settings that
    /// could alter machine-readable output (quoted paths, signatures, colour) neutralised.
    public static func arguments(repository: String, _ args: [String]) -> [String] {
        ["-C", repository, "-c", "core.quotePath=false", "-c", "log.showSignature=false",
         "-c", "color.ui=never", "--no-pager"] + args
    }

    /// `LC_ALL=C` (stable messages) and no terminal prompt for credentials.
    public static let environment = ChildEnvironment.inheritAdding(["LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"])

    static func executableOrThrow() throws(GitError) -> String {
        guard let executable else { throw .notInstalled }
        return executable
    }

    /// Runs git in `repository` to completion and returns its standard output; throws
    /// `.failed` (with standard error) on a non-zero exit.
    public static func run(repository: String, _ args: [String], input: [UInt8]? = nil) throws(GitError) -> [UInt8] {
        let exe = try executableOrThrow()
        let r: ProcessResult
        do {
            r = try Subprocess.run(exe, arguments(repository: repository, args), environment: environment, input: input)
        } catch { throw .cannotRun(error) }
        guard r.succeeded else { throw .failed(arguments: args, status: r.status, stderr: r.stderrText) }
        return r.stdout
    }

    /// `run`, as text with trailing newlines removed (one-line answers: `rev-parse`).
    public static func text(repository: String, _ args: [String]) throws(GitError) -> String {
        var s = String(decoding: try run(repository: repository, args), as: UTF8.self)
        while let l = s.last, l == "\n" || l == "\r" { s.removeLast() }
        return s
    }

    /// The number of commits a shallow clone holds (`--depth N`), or nil when the repository
    /// is complete, is not a repository, or git is missing.
    public static func shallowCommitCount(repository: String) -> Int? {
        guard (try? text(repository: repository, ["rev-parse", "--is-shallow-repository"])) == "true" else { return nil }
        return (try? text(repository: repository, ["rev-list", "--count", "HEAD"])).flatMap { Int($0) } ?? 0
    }

    /// Runs git and hands its standard output to `body` in chunks as it arrives (one process
    /// for a whole `git log`). An error thrown by `body` stops git and is rethrown.
    public static func stream(repository: String, _ args: [String],
                              _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let exe = try executableOrThrow()
        let r: ProcessResult
        do {
            r = try Subprocess.stream(exe, arguments(repository: repository, args), environment: environment) { chunk, _ in
                try body(chunk)
            }
        } catch let e as ProcessError { throw GitError.cannotRun(e) }
        guard r.succeeded else { throw GitError.failed(arguments: args, status: r.status, stderr: r.stderrText) }
    }

    /// A long-lived git process (`cat-file --batch`, `archive` into a pipe): standard input
    /// written by the caller, standard output read incrementally.
    public static func start(repository: String, _ args: [String]) throws(GitError) -> ChildProcess {
        let exe = try executableOrThrow()
        do { return try ChildProcess(exe, arguments(repository: repository, args), environment: environment) } catch {
            throw .cannotRun(error)
        }
    }
}

/// One long-lived `git cat-file --batch` (contents) and `--batch-check` (sizes) pair for a
/// repository, started on first use. Thread-safe; end it with `close()` (also on deinit).
public final class GitObjectReader: @unchecked Sendable {
    public let repository: String
    private let mutex = PosixMutex()
    private var batch: ChildProcess?
    private var check: ChildProcess?

    public init(repository: String) {
        self.repository = repository
    }

    deinit { closeLocked() }

    private func locked<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
        try mutex.locked(body)
    }

    /// The content of each object (a blob id or `REV:path`), in order; nil where missing.
    public func contents(_ objects: [String]) throws(GitError) -> [[UInt8]?] {
        try locked { () throws(GitError) -> [[UInt8]?] in
            if batch == nil { batch = try Git.start(repository: repository, ["cat-file", "--batch"]) }
            let p = batch!
            var results: [[UInt8]?] = []
            // Pipelined in slices so neither pipe fills while the other is waiting.
            for slice in stride(from: 0, to: objects.count, by: 64) {
                let part = objects[slice..<min(slice + 64, objects.count)]
                do { try p.write(part.map { $0 + "\n" }.joined()) } catch { throw broken("--batch", p) }
                for _ in part {
                    guard let header = p.output.readLine() else { throw broken("--batch", p) }
                    let fields = header.split(separator: 0x20)
                    if fields.count == 2, fields[1].elementsEqual("missing".utf8) { results.append(nil); continue }
                    guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)),
                          let body = p.output.read(count: size + 1) else { throw broken("--batch", p) }
                    results.append(Array(body.dropLast()))
                }
            }
            return results
        }
    }

    /// The content of one object (a blob id or `REV:path`, e.g. `HEAD:Dockerfile`).
    public func contents(of object: String) throws(GitError) -> [UInt8]? {
        try contents([object])[0]
    }

    /// Each object's size in bytes, in order; nil where missing.
    public func sizes(_ objects: [String]) throws(GitError) -> [Int64?] {
        try batchCheck(objects).map { $0.map(\.size) }
    }

    /// The commit `revision` names (`HEAD~100`, a tag, an id), as a full id, asked of the
    /// `--batch-check` process instead of a `git rev-parse` of its own; nil when it names no
    /// commit.
    public func commit(_ revision: String) throws(GitError) -> String? {
        guard !revision.isEmpty, !revision.contains(where: { $0 == "\n" || $0 == "\r" }) else { return nil }
        guard let found = try batchCheck([revision + "^{commit}"])[0], found.type == "commit" else { return nil }
        return found.id
    }

    /// `cat-file --batch-check` answers (id, type, size) in order; nil where missing or
    /// ambiguous.
    private func batchCheck(_ objects: [String]) throws(GitError) -> [(id: String, type: String, size: Int64)?] {
        try locked { () throws(GitError) -> [(id: String, type: String, size: Int64)?] in
            if check == nil { check = try Git.start(repository: repository, ["cat-file", "--batch-check"]) }
            let p = check!
            var results: [(id: String, type: String, size: Int64)?] = []
            for slice in stride(from: 0, to: objects.count, by: 256) {
                let part = objects[slice..<min(slice + 256, objects.count)]
                do { try p.write(part.map { $0 + "\n" }.joined()) } catch { throw broken("--batch-check", p) }
                for _ in part {
                    guard let line = p.output.readLine() else { throw broken("--batch-check", p) }
                    let fields = line.split(separator: 0x20)
                    if fields.count == 3, let size = Int64(String(decoding: fields[2], as: UTF8.self)) {
                        results.append((String(decoding: fields[0], as: UTF8.self), String(decoding: fields[1], as: UTF8.self), size))
                    } else {
                        results.append(nil)
                    }
                }
            }
            return results
        }
    }

    /// The error for a cat-file process whose output ended early; the process is reaped and
    /// dropped, so the next call starts a new one.
    private func broken(_ mode: String, _ p: ChildProcess) -> GitError {
        let status = p.wait()
        if mode == "--batch" { batch = nil } else { check = nil }
        var stderr = String(decoding: p.errorOutput, as: UTF8.self)
        while let l = stderr.last, l == "\n" { stderr.removeLast() }
        if !status.isSuccess { return .failed(arguments: ["cat-file", mode], status: status, stderr: stderr) }
        return .malformedOutput(arguments: ["cat-file", mode], detail: "unexpected end of output")
    }

    /// Ends the cat-file processes.
    public func close() {
        mutex.locked { closeLocked() }
    }

    private func closeLocked() {
        batch?.wait()
        check?.wait()
        batch = nil
        check = nil
    }
}
