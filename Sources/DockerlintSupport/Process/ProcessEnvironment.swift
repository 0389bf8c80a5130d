#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The environment of this process, read from `environ` without Foundation.
public enum ProcessEnvironment {
    /// Every variable.
    public static var current: [String: String] { variables { _ in true } }

    /// The `NAME=value` entries of `environ` that `keep` accepts (it sees the raw entry, so
    /// a caller can filter by prefix without turning every entry into a string).
    public static func variables(_ keep: (UnsafeMutablePointer<CChar>) -> Bool) -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            p += 1
            guard keep(entry) else { continue }
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
        }
        return out
    }

    /// One variable, or nil.
    public static func value(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }
}

/// Finding programs the way a shell does.
public enum ExecutableSearch {
    /// The first executable `name` in the directories of `path` (default: `$PATH`, else
    /// `/usr/local/bin:/usr/bin:/bin`), then in `fallbacks`. A name holding `/` is taken as
    /// a path and returned when it is executable.
    public static func find(_ name: String, path: String? = nil, fallbacks: [String] = []) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let search = path ?? ProcessEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in search.split(separator: ":").map(String.init) + fallbacks where !dir.isEmpty {
            let candidate = dir + "/" + name
            var st = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR { return candidate }
        }
        return nil
    }
}
