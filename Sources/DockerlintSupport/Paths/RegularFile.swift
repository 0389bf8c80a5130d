#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an input file was not read: one line, `path: error: …`.
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    /// The file exists but is not a regular file (a named pipe, socket, device, directory).
    public var isSpecialFile: Bool
    public init(path: String, message: String, isSpecialFile: Bool = false) {
        self.path = path
        self.message = message
        self.isSpecialFile = isSpecialFile
    }
    public var description: String { "\(path): error: \(message)" }
}

/// The one reader of the files dockerlint is given (Dockerfiles, configurations, ignore
/// files): only regular files are read. A named pipe is opened without waiting for a writer
/// (`O_NONBLOCK`) and refused like sockets and devices, so that a planted FIFO can never
/// hang a run; a file over `limit` bytes is refused before it is read.
public enum RegularFile {
    public static func read(_ path: String, limit: Int? = nil, what: String = "file") throws(FileReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 { throw FileReadError(path: path, message: describe(errno)) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileReadError(path: path, message: describe(errno)) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw FileReadError(path: path, message: "is a directory", isSpecialFile: true) }
        if (st.st_mode & S_IFMT) != S_IFREG {
            throw FileReadError(path: path, message: "not a regular file (\(kindName(st.st_mode))); only regular files are read", isSpecialFile: true)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        if let limit, Int(st.st_size) > limit {
            throw FileReadError(path: path, message: "the \(what) is \(NumberFormat.bytes(Int(st.st_size))), more than the limit of \(NumberFormat.bytes(limit))")
        }
        return try readAll(fd, path: path, sizeHint: Int(st.st_size), limit: limit, what: what)
    }

    /// Reads a descriptor to its end (standard input for `-`).
    public static func readAll(_ fd: Int32, path: String, sizeHint: Int = 0, limit: Int? = nil, what: String = "file") throws(FileReadError) -> [UInt8] {
        var out: [UInt8] = []
        if sizeHint > 0 {
            // The size is known (a regular file): read straight into the array, asking for one
            // byte more so that a file that grew goes on below; no buffer to clear and copy.
            var failure: Int32 = 0
            out = [UInt8](unsafeUninitializedCapacity: sizeHint + 1) { buf, count in
                count = 0
                while count < buf.count {
                    let n = posixRead(fd, buf.baseAddress! + count, buf.count - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if n == 0 { return }
                    count += n
                }
            }
            if failure != 0 { throw FileReadError(path: path, message: describe(failure)) }
            if let limit, out.count > limit {
                throw FileReadError(path: path, message: "the \(what) is more than the limit of \(NumberFormat.bytes(limit))")
            }
            if out.count <= sizeHint { return out }
        }
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, message: describe(errno))
            }
            if n == 0 { break }
            out.append(contentsOf: buf[0..<n])
            if let limit, out.count > limit {
                throw FileReadError(path: path, message: "the \(what) is more than the limit of \(NumberFormat.bytes(limit))")
            }
        }
        return out
    }

    /// The type of a file that exists and is not regular, for `what` it was to be; nil for
    /// a regular file or one that does not exist. Follows symbolic links, as reading does.
    public static func specialKind(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG else { return nil }
        return kindName(st.st_mode)
    }

    public static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory"
        case ELOOP: return "too many levels of symbolic links"
        default: return String(cString: strerror(code))
        }
    }

    /// "a named pipe", "a socket", … for messages about a file that is not a regular one.
    public static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}
