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
    /// Reads a whole file (`RegularFile.read`: regular files only, named pipes and devices
    /// refused with one line, never waited on), or standard input for `-` (whatever it is).
    /// With `limit`, a larger file is refused before it is read.
    public static func read(_ path: String, limit: Int? = nil, what: String = "file") throws(CommandError) -> [UInt8] {
        do {
            if path == "-" { return try RegularFile.readAll(0, path: path, limit: limit, what: what) }
            return try RegularFile.read(path, limit: limit, what: what)
        } catch {
            throw CommandError(error.description)
        }
    }

    public static func describe(_ code: Int32) -> String { RegularFile.describe(code) }

    public static func kindName(_ mode: mode_t) -> String { RegularFile.kindName(mode) }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Writes `bytes` to `path` the way editors do:
    /// - a symbolic link is followed: its target gets the new text and the link stays;
    /// - a file with more than one hard link is rewritten in place, so that every name
    ///   sees the new text (renaming a new file over one name would split the link);
    /// - a device or pipe (`-o /dev/stdout`) is written through;
    /// - otherwise the text goes to a new file in the target's directory, created with an
    ///   unpredictable name and `O_EXCL` (a planted file or link is never written through),
    ///   given the old file's mode and owner, flushed, then renamed over the target.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(CommandError) {
        var target = path
        var st = stat()
        var exists = false
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK {
                guard let r = realpath(path, nil) else { throw CommandError("\(path): error: a symbolic link whose target cannot be resolved (\(describe(errno)))") }
                target = String(cString: r)
                free(r)
                guard lstat(target, &st) == 0 else { throw CommandError("\(path): error: \(describe(errno))") }
            }
            exists = true
            if (st.st_mode & S_IFMT) == S_IFDIR { throw CommandError("\(path): error: is a directory") }
            if (st.st_mode & S_IFMT) != S_IFREG {
                // `-o /dev/stdout`, `-o /dev/null`, a pipe with a reader: written through, never
                // replaced; a pipe without a reader is an error, not a wait (O_NONBLOCK).
                let fd = open(target, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
                if fd < 0 { throw CommandError("\(path): error: \(describe(errno))") }
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
                defer { close(fd) }
                if let e = writeAll(fd, bytes) { throw CommandError("\(path): error: \(describe(e))") }
                return
            }
        } else if errno != ENOENT {
            throw CommandError("\(path): error: \(describe(errno))")
        }
        if exists && st.st_nlink > 1 {
            try writeInPlace(target, shownAs: path, bytes)
            return
        }
        let slash = target.lastIndex(of: "/")
        let dir = slash.map { String(target[...$0]) } ?? ""
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var fd: Int32 = -1
        var tmp = ""
        for _ in 0..<16 {
            let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            tmp = dir + "." + base + ".dockerlint-" + token
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exists ? 0o600 : 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 { throw CommandError("\(path): error: cannot create a temporary file beside it: \(describe(errno))") }
        if exists {
            _ = fchown(fd, st.st_uid, st.st_gid)  // best effort: only root may give a file away
            fchmod(fd, st.st_mode & 0o7777)
        }
        if let e = writeAll(fd, bytes) {
            close(fd); unlink(tmp)
            throw CommandError("\(path): error: \(describe(e))")
        }
        if fsync(fd) != 0 || close(fd) != 0 || rename(tmp, target) != 0 {
            let e = errno
            unlink(tmp)
            throw CommandError("\(path): error: \(describe(e))")
        }
        // The rename itself is durable once the directory is flushed.
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Rewrites a file's contents through its existing inode (all hard links see them).
    static func writeInPlace(_ target: String, shownAs path: String, _ bytes: [UInt8]) throws(CommandError) {
        let fd = open(target, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw CommandError("\(path): error: \(describe(errno))") }
        if let e = writeAll(fd, bytes) { close(fd); throw CommandError("\(path): error: \(describe(e))") }
        if ftruncate(fd, off_t(bytes.count)) != 0 || fsync(fd) != 0 {
            let e = errno
            close(fd)
            throw CommandError("\(path): error: \(describe(e))")
        }
        close(fd)
    }

    /// Writes all of `bytes` at the descriptor's offset; the errno on failure.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            off += n
        }
        return nil
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
