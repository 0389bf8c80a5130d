// ustar tar writer with pax extended headers for long names, used to stream a build context.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DockerlintSupport
import Foundation

/// Writes a ustar archive (pax `x` headers for names/link targets that do not fit) of a
/// directory tree: regular files, directories and symlinks with their permission bits and mtime,
/// uid/gid 0 and empty user/group names (what the docker CLI sends). Other file types (sockets,
/// devices, FIFOs) are skipped. Entries are sorted by path, so output is deterministic.
public struct TarWriter: Sendable {
    public enum EntryKind: Sendable, Equatable { case file, directory, symlink(target: String) }

    /// One archive member as scanned from disk.
    public struct Entry: Sendable, Equatable {
        public var path: String        // relative, `/`-separated, no leading `./`; dirs without trailing `/`
        public var kind: EntryKind
        public var mode: UInt32        // permission bits incl. setuid/setgid/sticky
        public var size: Int
        public var mtime: Int
    }

    public let root: URL
    public init(directory: URL) { self.root = directory }

    /// Lists the tree (without the root itself), sorted.
    public func entries() throws(BuilderError) -> [Entry] {
        var out: [Entry] = []
        try walk(relative: "", into: &out)
        return out
    }

    private func walk(relative: String, into out: inout [Entry]) throws(BuilderError) {
        let dirPath = relative.isEmpty ? root.path : root.path + "/" + relative
        guard let names = FolderNames.read(dirPath) else {
            throw .invalidArgument("cannot read directory \(dirPath): \(String(cString: strerror(errno)))")
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let full = root.path + "/" + rel
            var st = stat()
            guard lstat(full, &st) == 0 else {
                throw .invalidArgument("cannot stat \(full): \(String(cString: strerror(errno)))")
            }
            let type = st.st_mode & S_IFMT
            let mode = UInt32(st.st_mode & 0o7777)
            let mtime = Int(st.st_mtim.tv_sec)
            if type == S_IFDIR {
                out.append(Entry(path: rel, kind: .directory, mode: mode, size: 0, mtime: mtime))
                try walk(relative: rel, into: &out)
            } else if type == S_IFREG {
                out.append(Entry(path: rel, kind: .file, mode: mode, size: Int(st.st_size), mtime: mtime))
            } else if type == S_IFLNK {
                var buf = [Int8](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(full, &buf, buf.count - 1)
                guard n >= 0 else { throw .invalidArgument("cannot readlink \(full)") }
                let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                out.append(Entry(path: rel, kind: .symlink(target: target), mode: 0o777, size: 0, mtime: mtime))
            }
        }
    }

    /// Streams the archive to `sink` in blocks of up to 64 KiB.
    public func write(to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        func emit(_ bytes: [UInt8]) throws {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 64 * 1024 {
                try buffer.withUnsafeBytes { try sink($0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        for e in try entries() {
            for block in Self.headerBlocks(for: e) { try emit(block) }
            if case .file = e.kind {
                let full = root.path + "/" + e.path
                guard let fh = FileHandle(forReadingAtPath: full) else {
                    throw BuilderError.invalidArgument("cannot open \(full)")
                }
                defer { try? fh.close() }
                var written = 0
                while written < e.size {
                    let chunk = fh.readData(ofLength: min(64 * 1024, e.size - written))
                    if chunk.isEmpty { break }
                    let take = chunk.prefix(e.size - written)
                    try emit(Array(take))
                    written += take.count
                }
                if written < e.size {   // file shrank while archiving: pad to the announced size
                    try emit([UInt8](repeating: 0, count: e.size - written))
                }
                let pad = (512 - e.size % 512) % 512
                if pad > 0 { try emit([UInt8](repeating: 0, count: pad)) }
            }
        }
        try emit([UInt8](repeating: 0, count: 1024))   // two zero blocks end the archive
        if !buffer.isEmpty { try buffer.withUnsafeBytes { try sink($0) } }
    }

    /// The whole archive in memory (tests, small contexts).
    public func archive() throws -> [UInt8] {
        var out: [UInt8] = []
        try write { out.append(contentsOf: $0) }
        return out
    }

    // MARK: header encoding

    static func headerBlocks(for e: Entry) -> [[UInt8]] {
        var name = e.path
        if case .directory = e.kind { name += "/" }
        var linkname = ""
        var type: UInt8 = UInt8(ascii: "0")
        switch e.kind {
        case .file: type = UInt8(ascii: "0")
        case .directory: type = UInt8(ascii: "5")
        case .symlink(let t): type = UInt8(ascii: "2"); linkname = t
        }
        let size = { if case .file = e.kind { return e.size } else { return 0 } }()

        var pax: [(String, String)] = []
        let split = splitUstarName(name)
        if split == nil { pax.append(("path", name)) }
        if linkname.utf8.count > 100 { pax.append(("linkpath", linkname)) }
        if size > 0o77777777777 { pax.append(("size", String(size))) }

        var blocks: [[UInt8]] = []
        if !pax.isEmpty {
            var records: [UInt8] = []
            for (k, v) in pax { records += paxRecord(k, v) }
            let paxName = "PaxHeaders/" + String(name.suffix(80)).replacingOccurrences(of: "/", with: "_")
            blocks.append(ustarHeader(name: paxName, prefix: "", mode: 0o644, size: records.count, mtime: e.mtime,
                                      type: UInt8(ascii: "x"), linkname: ""))
            let pad = (512 - records.count % 512) % 512
            records += [UInt8](repeating: 0, count: pad)
            stride(from: 0, to: records.count, by: 512).forEach { blocks.append(Array(records[$0..<$0 + 512])) }
        }
        let (prefix, base) = split ?? ("", String(name.utf8.suffix(100)).map { String($0) } ?? "")
        blocks.append(ustarHeader(name: base, prefix: prefix, mode: e.mode, size: size > 0o77777777777 ? 0 : size,
                                  mtime: e.mtime, type: type, linkname: String(linkname.utf8.prefix(100)) ?? ""))
        return blocks
    }

    /// Splits a name into ustar (prefix ≤155, name ≤100) at a `/`, or nil if impossible.
    static func splitUstarName(_ name: String) -> (String, String)? {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        if bytes.count > 256 { return nil }
        // Try every slash; the name part must be 1...100 bytes, the prefix ≤155.
        for i in stride(from: bytes.count - 1, through: 0, by: -1) where bytes[i] == UInt8(ascii: "/") {
            let p = bytes[0..<i], n = bytes[(i + 1)...]
            if p.count <= 155 && n.count <= 100 && !n.isEmpty {
                return (String(decoding: p, as: UTF8.self), String(decoding: n, as: UTF8.self))
            }
        }
        return nil
    }

    /// `"%d %s=%s\n"` where the length counts the whole record including itself.
    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n"
        let bodyLen = body.utf8.count
        var len = bodyLen + 1
        while String(len).utf8.count + bodyLen != len { len = String(len).utf8.count + bodyLen }
        return Array((String(len) + body).utf8)
    }

    static func ustarHeader(name: String, prefix: String, mode: UInt32, size: Int, mtime: Int,
                            type: UInt8, linkname: String) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ off: Int, _ len: Int) {
            let b = Array(s.utf8.prefix(len))
            h.replaceSubrange(off..<off + b.count, with: b)
        }
        func octal(_ v: Int, _ off: Int, _ len: Int) {   // zero-padded, NUL-terminated
            var s = String(v, radix: 8)
            s = String(repeating: "0", count: max(0, len - 1 - s.count)) + s
            put(s, off, len - 1)
        }
        put(name, 0, 100)
        octal(Int(mode), 100, 8)
        octal(0, 108, 8)            // uid
        octal(0, 116, 8)            // gid
        octal(size, 124, 12)
        octal(max(0, mtime), 136, 12)
        h.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))   // checksum placeholder
        h[156] = type
        put(linkname, 157, 100)
        put("ustar", 257, 6)        // "ustar\0"
        put("00", 263, 2)
        octal(0, 329, 8)            // devmajor
        octal(0, 337, 8)            // devminor
        put(prefix, 345, 155)
        let sum = h.reduce(0) { $0 + Int($1) }
        var cs = String(sum, radix: 8)
        cs = String(repeating: "0", count: max(0, 6 - cs.count)) + cs
        h.replaceSubrange(148..<156, with: Array(cs.utf8) + [0, 0x20])
        return h
    }
}
