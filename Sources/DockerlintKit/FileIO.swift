#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DockerlintSupport

/// Plain POSIX file access: no Foundation on the lint path (start-up time matters).
public enum FileIO {
    /// Reads a whole file, or standard input for `-`.
    public static func read(_ path: String) throws(CommandError) -> [UInt8] {
        let fd: Int32
        if path == "-" { fd = 0 } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw CommandError("\(path): error: \(describe(errno))") }
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw CommandError("\(path): error: is a directory")
        }
        var out: [UInt8] = []
        if (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 { out.reserveCapacity(Int(st.st_size)) }
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CommandError("\(path): error: \(describe(errno))")
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    public static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory"
        default: return String(cString: strerror(code))
        }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Writes `text` to `path` atomically: a temporary file in the same directory, then rename.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(CommandError) {
        let tmp = path + ".dockerlint-tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw CommandError("\(path): error: \(describe(errno))") }
        var st = stat()
        if stat(path, &st) == 0 { fchmod(fd, st.st_mode & 0o7777) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd); unlink(tmp)
                throw CommandError("\(path): error: \(describe(e))")
            }
            off += n
        }
        if fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw CommandError("\(path): error: \(describe(e))")
        }
    }
}

/// Standard output and error through write(2), with large writes in one call.
public enum Console {
    public static func out(_ s: String) { writeAll(1, s) }
    public static func err(_ s: String) { writeAll(2, s) }
    public static func flush() {}

    static func writeAll(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = write(fd, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }

    public static var stdoutIsTerminal: Bool { isatty(1) != 0 }

    public static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}

extension ProcessEnvironment {
    /// The variables linting reads (`DOCKERLINT_*`, `NO_COLOR`, `CI`): the lint path does
    /// not turn the whole environment into strings at every start.
    public static var forLint: [String: String] {
        variables { strncmp($0, "DOCKERLINT_", 11) == 0 || strncmp($0, "NO_COLOR=", 9) == 0 || strncmp($0, "CI=", 3) == 0 }
    }
}
