// Whether a package argument pins a version, per package manager.

// MARK: - Pinning

/// Which targets a command names, and hadolint's per-manager pin definitions:
/// apt `pkg=ver` (paths and `.deb` OK; `-t` values skipped by the grammar);
/// apk `=`, `~`, `>`, `<` (`.apk` OK); pip `== >= <= > < != ~= ===`, VCS URL with `@`,
/// `.whl`/`.tar.gz`, any path with `/` (exempt with `-r`, `-c`, `.`);
/// npm/yarn/pnpm `@version` after the (scoped) name, git URLs need `#ref`, tarballs and
/// folders OK, bare install exempt; gem `name:version`, exempt with `-v/--version`;
/// yum/dnf/microdnf `name-<digit>...` (hadolint accepts any `-`; dockerlint requires a
/// dash followed by a digit or an expansion) or `.rpm`, module streams need `:`;
/// zypper `= >= > <= <` or `.rpm`; go `path@version` (local paths OK); cargo
/// `name@version` or `--version`/`--path`/`--rev`/`--tag`; composer `vendor/pkg:ver`;
/// pipx/uv/poetry/pipenv like pip (poetry also `@ver`).
enum PackagePinning {
    static func isExempt(_ c: PackageCommand) -> Bool {
        switch c.manager {
        case .pip:
            return c.hasOption("r", "requirement", "c", "constraint") || c.operands.contains { $0.staticValue == "." }
        case .uv:
            return c.hasOption("r", "requirement", "requirements", "c", "constraint", "constraints")
        case .gem: return c.hasOption("v", "version")
        case .cargo: return c.hasOption("version", "vers", "path", "rev", "tag")
        case .dotnet: return c.hasOption("version")
        case .bundler: return c.hasOption("version")
        default: return false
        }
    }

    static func targets(of c: PackageCommand) -> [PackageTarget] {
        let installLike = c.action == .install || c.action == .upgrade || (c.manager == .go && c.subcommand.first == "run")
        guard installLike else { return [] }
        var words = c.operands
        switch c.manager {
        case .maven, .gradle: return []
        case .go:
            // `go install`/`go get`/`go run`: packages are the operands (go run: only the first).
            if c.subcommand.first == "run" { words = Array(words.prefix(1)) }
        case .npm:
            if c.subcommand.first == "ci" || c.subcommand.first == "install-clean" || c.subcommand.first == "clean-install" { return [] }
        case .yarn:
            if c.subcommand.isEmpty || c.subcommand.first == "install" { return [] }
            if c.subcommand.first == "global" { words = c.operands }
        case .bundler, .poetry, .pipenv, .composer, .uv:
            let s = c.subcommand.first ?? ""
            if ["install", "sync", "", "i", "update", "u", "upgrade"].contains(s) && c.manager != .pipenv && c.manager != .composer {
                return []
            }
            if c.manager == .uv, s == "pip", c.subcommand.count > 1, c.subcommand[1] == "sync" { return [] }
        case .dotnet:
            if c.subcommand.first == "add" { words = Array(words.dropFirst(0)) }
        case .yum, .dnf, .microdnf:
            if c.subcommand.first == "module" || c.subcommand.first == "group" {
                // module streams are targets too; handled by `isPinned`
            }
        default: break
        }
        if c.manager == .dotnet, c.subcommand == ["add", "package"] {
            // `dotnet add [project] package NAME`: handled loosely: operands are names.
        }
        return words.map { target(for: $0, in: c) }
    }

    static func target(for w: Word, in c: PackageCommand) -> PackageTarget {
        let t = w.unquoted
        let lower = t.lowercased()
        // One byte per Character (plain ASCII): search the bytes; else the Character-based
        // calls (which give the same answers on such text, at many times the cost).
        let ascii = isPlainASCII(t)
        func has(_ s: String, _ written: @autoclosure () -> Bool) -> Bool { ascii ? firstByteOffset(t, s) != nil : written() }
        var kind: PackageTarget.Kind = .package
        let archiveSuffixes = [".whl", ".tar.gz", ".tgz", ".tar", ".zip", ".deb", ".rpm", ".apk", ".gem", ".tar.bz2", ".tar.xz", ".nupkg"]
        let vcsPrefixes = ["git+", "hg+", "svn+", "bzr+", "git://", "github:", "gitlab:", "bitbucket:", "git@"]
        if vcsPrefixes.contains(where: { lower.hasPrefix($0) }) || (c.manager == .pip && (lower.hasPrefix("git") || lower.hasPrefix("svn")) && has("://", lower.contains("://"))) {
            kind = .vcs
        } else if archiveSuffixes.contains(where: { lower.hasSuffix($0) }) {
            kind = .archive
        } else if has("://", lower.contains("://")) {
            kind = .url
        } else if t == "." || t == ".." || t.hasPrefix("/") || t.hasPrefix("./") || t.hasPrefix("../") || t.hasPrefix("~/") {
            kind = .path
        }
        var name = t
        var version: String?
        func split(at seps: [String]) {
            var best: String.Index?
            if ascii {
                var at: Int?
                for s in seps {
                    if let o = firstByteOffset(t, s), at == nil || o < at! { at = o }
                }
                best = at.map { t.utf8.index(t.utf8.startIndex, offsetBy: $0) }
            } else {
                for s in seps {
                    if let r = t.firstRange(of: s), best == nil || r.lowerBound < best! { best = r.lowerBound }
                }
            }
            if let b = best, b > t.startIndex {
                name = String(t[..<b])
                version = String(t[b...])
            }
        }
        var pinned = false
        switch c.manager {
        case .aptGet, .apt, .aptitude:
            split(at: ["="])
            pinned = version != nil || kind != .package || has("/", t.contains("/"))
        case .apk:
            split(at: ["=", "~", ">", "<"])
            pinned = version != nil || kind == .archive || kind == .path
        case .pip, .pipx, .uv, .pipenv:
            split(at: ["===", "==", ">=", "<=", "!=", "~=", ">", "<", " @", "@"])
            let symbols = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
            if symbols.contains(where: { has($0, t.contains($0)) }) { pinned = true }
            else if kind == .vcs { pinned = has("@", t.contains("@")) }
            else if lower.hasSuffix(".whl") || lower.hasSuffix(".tar.gz") { pinned = true }
            else if has("/", t.contains("/")) { pinned = true }
            else if c.manager == .pipenv, t == "*" { pinned = false }
            if kind == .package, version == nil { version = nil }
        case .poetry:
            split(at: ["===", "==", ">=", "<=", "!=", "~=", ">", "<", "@"])
            pinned = version != nil || kind != .package
        case .npm, .yarn, .pnpm:
            if kind == .vcs {
                pinned = has("#", t.contains("#"))
                if let h = t.firstIndex(of: "#") { name = String(t[..<h]); version = String(t[h...]) }
            } else if kind == .archive || kind == .path || lower.hasSuffix(".tar") {
                pinned = true
            } else {
                let scoped = t.hasPrefix("@")
                let searchStart = scoped ? (t.dropFirst().firstIndex(of: "@")) : t.firstIndex(of: "@")
                if let at = searchStart, at > t.startIndex {
                    name = String(t[..<at])
                    version = String(t[at...])
                    pinned = true
                }
                if kind == .url { pinned = true }
            }
        case .gem:
            split(at: [":"])
            pinned = version != nil || kind != .package
        case .yum, .dnf, .microdnf:
            if c.subcommand.first == "module" {
                split(at: [":"])
                pinned = version != nil
            } else {
                pinned = kind != .package || rpmHasVersion(t)
                if let r = rpmVersionStart(t) { name = String(t[..<r]); version = String(t[t.index(after: r)...]) }
            }
        case .zypper:
            split(at: [">=", "<=", "=", ">", "<"])
            pinned = version != nil || lower.hasSuffix(".rpm") || kind == .path
        case .go:
            split(at: ["@"])
            pinned = version != nil || kind == .path || t.hasPrefix(".") || (!has(".", t.contains(".")) && !has("/", t.contains("/")))
        case .cargo:
            split(at: ["@"])
            pinned = version != nil || kind != .package
        case .composer:
            split(at: [":", "=", " "])
            pinned = version != nil || kind != .package
        case .bundler, .dotnet, .maven, .gradle:
            pinned = kind != .package
        }
        if t.hasPrefix("$") && !has("=", t.contains("=")) && c.manager != .go {
            // a whole-word variable: we cannot know; treat as pinned only where the tool's
            // definition allows ARG/ENV values (yum/dnf per hadolint).
            if [.yum, .dnf, .microdnf].contains(c.manager) { pinned = true }
        }
        return PackageTarget(text: t, word: w, kind: kind, name: name, version: version, isPinned: pinned)
    }

    /// `name-1.2.3`, `name-${VER}`, `name-0:1.2-3.el9`: a dash followed by a digit or an expansion.
    static func rpmVersionStart(_ t: String) -> String.Index? {
        var i = t.startIndex
        while i < t.endIndex {
            if t[i] == "-" {
                let n = t.index(after: i)
                if n < t.endIndex, t[n].isNumber || t[n] == "$" { return i }
            }
            i = t.index(after: i)
        }
        return nil
    }

    static func rpmHasVersion(_ t: String) -> Bool { rpmVersionStart(t) != nil }
}

extension String {
    func trimmingLeadingDashes() -> String {
        var t = Substring(self)
        while t.first == "-" { t = t.dropFirst() }
        return String(t)
    }
}

/// True when every byte is ASCII other than a carriage return (one byte per Character).
private func isPlainASCII(_ s: String) -> Bool {
    var s = s
    return s.withUTF8 { buf in
        for b in buf where b >= 0x80 || b == 0x0D { return false }
        return true
    }
}

/// The byte offset of the first occurrence of `needle` in `hay`.
private func firstByteOffset(_ hay: String, _ needle: String) -> Int? {
    var hay = hay, needle = needle
    return hay.withUTF8 { h in
        needle.withUTF8 { p -> Int? in
            guard let first = p.first, p.count <= h.count else { return nil }
            var i = 0
            while i <= h.count - p.count {
                if h[i] == first {
                    var m = 1
                    while m < p.count, h[i + m] == p[m] { m += 1 }
                    if m == p.count { return i }
                }
                i += 1
            }
            return nil
        }
    }
}
