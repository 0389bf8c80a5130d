#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one reader of a folder's names (POSIX `readdir`, no Foundation: listing a folder
/// through `FileManager` costs more than linting a small file).
public enum FolderNames {
    /// The names in `path` other than `.` and `..`, in the order the folder gives them, that
    /// `accept` takes; `accept` sees a name's bytes, so a name becomes a string only when
    /// taken (a Dockerfile's folder may hold thousands). nil when the folder cannot be
    /// opened: `errno` says why.
    public static func read(_ path: String, where accept: (UnsafeBufferPointer<UInt8>) -> Bool = { _ in true }) -> [String]? {
        guard let d = opendir(path) else { return nil }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name: String? = withUnsafePointer(to: &e.pointee.d_name) { field in
                let raw = UnsafeRawPointer(field)
                let n = UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: strlen(raw.assumingMemoryBound(to: CChar.self)))
                guard !(n.count == 1 && n[0] == 0x2E), !(n.count == 2 && n[0] == 0x2E && n[1] == 0x2E), accept(n) else { return nil }
                return String(decoding: n, as: UTF8.self)
            }
            if let name { out.append(name) }
        }
        return out
    }

    /// Whether a name's bytes end with `suffix` (an ASCII literal).
    public static func name(_ n: UnsafeBufferPointer<UInt8>, endsWith suffix: StaticString) -> Bool {
        let k = suffix.utf8CodeUnitCount
        return k == 0 || n.count >= k && memcmp(n.baseAddress! + (n.count - k), suffix.utf8Start, k) == 0
    }

    /// Whether a name's bytes start with `prefix` (an ASCII literal).
    public static func name(_ n: UnsafeBufferPointer<UInt8>, startsWith prefix: StaticString) -> Bool {
        let k = prefix.utf8CodeUnitCount
        return k == 0 || n.count >= k && memcmp(n.baseAddress!, prefix.utf8Start, k) == 0
    }
}
