// Running git through Foundation `Process` with argument arrays (never a shell string):
// one-shot commands, a streaming reader for long outputs, and long-lived `cat-file` batch
// processes for blob contents and sizes.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always)
func sysRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int {
    read(fd, p, n)
}

/// Locates git and builds its invocations.
enum Git {
    static let executable: String = {
        let env = ProcessInfo.processInfo.environment
        for dir in (env["PATH"] ?? "/usr/bin:/bin:/usr/local/bin").split(separator: ":") {
            let candidate = String(dir) + "/git"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return "/usr/bin/git"
    }()

    /// Arguments common to every call: repository, no pager, settings that could alter the
    /// machine-readable output neutralised.
    static func arguments(repository: String, _ args: [String]) -> [String] {
        ["-C", repository, "-c", "core.quotePath=false", "-c", "log.showSignature=false",
         "-c", "color.ui=never", "--no-pager"] + args
    }

    static func launch(repository: String, _ args: [String], stdin: Bool = false) throws -> (Process, Pipe, Pipe, Pipe?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(repository: repository, args)
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["LC_ALL"] = "C"
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        var inPipe: Pipe? = nil
        if stdin {
            inPipe = Pipe()
            process.standardInput = inPipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        return (process, out, err, inPipe)
    }

    /// Runs git to completion and returns its standard output; throws on a non-zero exit.
    static func run(repository: String, _ args: [String]) throws -> [UInt8] {
        var result: [UInt8] = []
        try stream(repository: repository, args) { chunk in result.append(contentsOf: chunk) }
        return result
    }

    /// Runs git and hands its standard output to `body` in chunks as it arrives.
    static func stream(repository: String, _ args: [String], _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let (process, out, err, _) = try launch(repository: repository, args)
        let errBox = ErrorCollector(err.fileHandleForReading)
        errBox.start()
        let fd = out.fileHandleForReading.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var bodyError: Error? = nil
        while true {
            let n = buffer.withUnsafeMutableBytes { sysRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            if bodyError == nil {
                do {
                    try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                } catch {
                    bodyError = error
                    process.terminate()
                }
            }
        }
        process.waitUntilExit()
        let stderr = errBox.finish()
        if let bodyError { throw bodyError }
        if process.terminationStatus != 0 {
            throw ContextSnapshotError.git(arguments: args, status: process.terminationStatus, stderr: stderr)
        }
    }
}

/// Drains a pipe on a background thread so a chatty stderr cannot block the child.
final class ErrorCollector: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) { self.handle = handle }

    func start() {
        Thread.detachNewThread { [self] in
            let d = handle.readDataToEndOfFile()
            lock.lock()
            data = d
            lock.unlock()
            done.signal()
        }
    }

    func finish() -> String {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A buffered reader over a file descriptor.
struct FDReader {
    let fd: Int32
    var buffer: [UInt8] = []
    var start = 0

    init(fd: Int32) { self.fd = fd }

    /// Ensures at least `n` unread bytes; false at end of file.
    mutating func fill(_ n: Int) -> Bool {
        while buffer.count - start < n {
            if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
            var chunk = [UInt8](repeating: 0, count: max(65536, n))
            let r = chunk.withUnsafeMutableBytes { sysRead(fd, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return false }
            if start > 0 { buffer.removeFirst(start); start = 0 }
            buffer.append(contentsOf: chunk[0..<r])
        }
        return true
    }

    /// Reads up to (and consumes, but does not return) `delimiter`.
    mutating func readLine(_ delimiter: UInt8 = 0x0A) -> [UInt8]? {
        var scanFrom = start
        while true {
            if let i = buffer[scanFrom...].firstIndex(of: delimiter) {
                let line = Array(buffer[start..<i])
                start = i + 1
                return line
            }
            scanFrom = buffer.count
            let have = buffer.count - start
            if !fill(have + 1) { return nil }
            scanFrom = start + have
        }
    }

    mutating func read(count: Int) -> [UInt8]? {
        guard fill(count) else { return nil }
        let out = Array(buffer[start..<(start + count)])
        start += count
        return out
    }
}

/// One long-lived `git cat-file --batch` (contents) and `--batch-check` (sizes) pair for a
/// repository. Thread-safe; end it with `close()` (also done on deinit).
public final class GitObjectReader: @unchecked Sendable {
    public let repository: String
    private let lock = NSLock()
    private var batch: (Process, FileHandle, FDReader, ErrorCollector)?
    private var check: (Process, FileHandle, FDReader, ErrorCollector)?

    public init(repository: String) {
        self.repository = repository
    }

    deinit { closeLocked() }

    private func start(_ mode: String) throws -> (Process, FileHandle, FDReader, ErrorCollector) {
        let (p, out, err, input) = try Git.launch(repository: repository, ["cat-file", mode], stdin: true)
        let collector = ErrorCollector(err.fileHandleForReading)
        collector.start()
        return (p, input!.fileHandleForWriting, FDReader(fd: out.fileHandleForReading.fileDescriptor), collector)
    }

    /// The content of each object (a blob id or `REV:path`), in order; nil where missing.
    public func contents(_ objects: [String]) throws -> [[UInt8]?] {
        lock.lock()
        defer { lock.unlock() }
        if batch == nil { batch = try start("--batch") }
        var results: [[UInt8]?] = []
        // Pipelined in slices so neither pipe fills while the other is waiting.
        for slice in stride(from: 0, to: objects.count, by: 64) {
            let part = objects[slice..<min(slice + 64, objects.count)]
            try batch!.1.write(contentsOf: Data(part.map { $0 + "\n" }.joined().utf8))
            for _ in part {
                guard let header = batch!.2.readLine() else { throw broken("--batch") }
                let fields = header.split(separator: 0x20)
                if fields.count == 2, fields[1].elementsEqual("missing".utf8) { results.append(nil); continue }
                guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)),
                      let body = batch!.2.read(count: size + 1) else { throw broken("--batch") }
                results.append(Array(body.dropLast()))
            }
        }
        return results
    }

    /// The content of one object (a blob id or `REV:path`, e.g. `HEAD:Dockerfile`).
    public func contents(of object: String) throws -> [UInt8]? {
        try contents([object])[0]
    }

    /// Each object's size in bytes, in order; nil where missing.
    public func sizes(_ objects: [String]) throws -> [Int64?] {
        lock.lock()
        defer { lock.unlock() }
        if check == nil { check = try start("--batch-check") }
        var results: [Int64?] = []
        for slice in stride(from: 0, to: objects.count, by: 256) {
            let part = objects[slice..<min(slice + 256, objects.count)]
            try check!.1.write(contentsOf: Data(part.map { $0 + "\n" }.joined().utf8))
            for _ in part {
                guard let line = check!.2.readLine() else { throw broken("--batch-check") }
                let fields = line.split(separator: 0x20)
                if fields.count == 3, let size = Int64(String(decoding: fields[2], as: UTF8.self)) {
                    results.append(size)
                } else {
                    results.append(nil)
                }
            }
        }
        return results
    }

    private func broken(_ mode: String) -> ContextSnapshotError {
        .git(arguments: ["cat-file", mode], status: -1, stderr: "unexpected end of cat-file output")
    }

    /// Ends the cat-file processes.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        closeLocked()
    }

    private func closeLocked() {
        for var proc in [batch, check] {
            guard let (p, input, _, err) = proc else { continue }
            try? input.close()
            p.waitUntilExit()
            _ = err.finish()
            proc = nil
        }
        batch = nil
        check = nil
    }
}
