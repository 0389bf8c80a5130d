// Paths inside the image being built: absolute, normalised, compared as trees.

import DockerlintSupport

public enum ImagePath {
    /// `p` made absolute against `workdir` and normalised (`.`/`..` resolved, no trailing slash).
    public static func absolute(_ p: String, workdir: String) -> String {
        let joined = p.hasPrefix("/") ? p : (workdir.hasSuffix("/") ? workdir : workdir + "/") + p
        var parts: [Substring] = []
        for c in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// An instruction's working directory as a path the analysis compares: "/" when unset, and
    /// normalised (the model keeps `WORKDIR /app/` as "/app/", which no `within` test would
    /// match against "/app/x").
    public static func workdir(_ raw: String) -> String {
        raw.isEmpty ? "/" : absolute(".", workdir: raw)
    }

    /// True when `a` and `b` are the same path or one holds the other.
    public static func overlap(_ a: String, _ b: String) -> Bool {
        if a == b || a == "/" || b == "/" { return true }
        return a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
    }

    /// True when `inner` is `outer` or below it.
    public static func within(_ inner: String, _ outer: String) -> Bool {
        inner == outer || outer == "/" || inner.hasPrefix(outer + "/")
    }

    /// `inner` relative to `outer` ("" when equal); nil when `inner` is not within `outer`.
    public static func relative(_ inner: String, to outer: String) -> String? {
        if inner == outer { return "" }
        if outer == "/" { return String(inner.dropFirst()) }
        guard inner.hasPrefix(outer + "/") else { return nil }
        return String(inner.dropFirst(outer.count + 1))
    }

    public static func basename(_ p: String) -> String {
        var s = Substring(p)
        while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
        return String(s.split(separator: "/").last ?? s)
    }

    public static func dirname(_ p: String) -> String {
        var s = Substring(p)
        while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
        guard let slash = s.lastIndex(of: "/") else { return "." }
        if slash == s.startIndex { return "/" }
        return String(s[..<slash])
    }

    /// Shell-style glob match of one name (`*`, `?`, `[...]`).
    public static func globMatch(_ pattern: String, _ name: String) -> Bool {
        GlobMatch.matches(pattern: pattern, path: name)
    }

    /// A context-relative path joined and cleaned (`.` for the root, no leading `./`).
    public static func contextJoin(_ dir: String, _ rel: String) -> String {
        let joined = (dir.isEmpty || dir == "." || rel.hasPrefix("/")) ? rel : dir + "/" + rel
        let abs = absolute(joined, workdir: "/")
        return abs == "/" ? "." : String(abs.dropFirst())
    }
}
