// Paths inside the image being built: absolute, normalised, compared as trees.

import DockerlintSupport

public enum ImagePath {
    /// `p` made absolute against `workdir` and normalised (`.`/`..` resolved, no trailing slash).
    public static func absolute(_ p: String, workdir: String) -> String {
        var joined = p.hasPrefix("/") ? p : (workdir.hasSuffix("/") ? workdir : workdir + "/") + p
        if joined.isPlainASCII { return joined.withUTF8(absoluteBytes) }
        var parts: [Substring] = []
        for c in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `absolute` on the bytes of a plain-ASCII path (one byte per Character: the same
    /// segments as splitting the String).
    private static func absoluteBytes(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var out: [UInt8] = [slash]
        out.reserveCapacity(b.count + 1)
        var starts: [Int] = []  // where each kept segment starts in `out`
        var i = 0
        let n = b.count
        while i < n {
            while i < n, b[i] == slash { i += 1 }
            if i == n { break }
            var j = i
            while j < n, b[j] != slash { j += 1 }
            let len = j - i
            if len == 1, b[i] == dot {
            } else if len == 2, b[i] == dot, b[i + 1] == dot {
                if let s = starts.popLast() { out.removeSubrange((s == 1 ? 1 : s - 1)...) }
            } else {
                if starts.isEmpty { starts.append(1) } else { out.append(slash); starts.append(out.count) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
            }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
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
        if !p.utf8.contains(UInt8(ascii: "/")) { return p }
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
