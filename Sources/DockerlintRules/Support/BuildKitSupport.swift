import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Helpers shared by the BuildKit build-check rules.
enum BuildKitSupport {
    /// An environment of the variables (with values) of a scope.
    /// An instruction's scope is its own environment (looked up by name, not copied).
    static func environment(_ scope: VariableScope) -> VariableScope { scope }

    static func environment(_ scope: [ScopedVariable]) -> ShellEnvironment {
        ShellEnvironment(scope.compactMap { v in v.value.map { (v.name, $0) } })
    }

    /// The lexer of the file (its escape token).
    static func lexer(_ context: LintContext) -> ShellLexer {
        ShellLexer(escapeToken: Unicode.Scalar(context.dockerfile.escapeToken))
    }

    /// The range of the first `$name` / `${name…}` reference inside `range`, if any.
    static func variableReference(_ name: String, in range: SourceRange, _ source: SourceText) -> SourceRange? {
        let b = source.bytes
        let n = Array(name.utf8)
        var i = range.start.offset
        let end = min(range.end.offset, b.count)
        func isIdent(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        while i < end {
            if b[i] == UInt8(ascii: "$") {
                var j = i + 1
                if j < end, b[j] == UInt8(ascii: "{") { j += 1 }
                if j + n.count <= end, Array(b[j..<(j + n.count)]) == n {
                    let k = j + n.count
                    if k >= end || !isIdent(b[k]) {
                        let close = (j > i + 1 && k < end && b[k] == UInt8(ascii: "}")) ? k + 1 : k
                        return source.range(i, close)
                    }
                }
            }
            i += 1
        }
        return nil
    }

    /// A `--platform` value parsed as containerd's `platforms.Parse` (os, architecture), or nil.
    static func parsePlatform(_ s: String) -> (os: String, arch: String)? {
        let knownOS: Set<String> = ["aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js",
                                    "linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows"]
        let parts = s.lowercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func arch(_ a: String) -> String? {
            switch a {
            case "x86_64", "x86-64", "amd64": return "amd64"
            case "aarch64", "arm64": return "arm64"
            case "armhf", "armel", "arm": return "arm"
            case "i386", "386": return "386"
            case "": return nil
            default:
                let ok = a.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 }
                return ok ? a : nil
            }
        }
        switch parts.count {
        case 1:
            if knownOS.contains(parts[0]) { return (parts[0], "amd64") }
            if let a = arch(parts[0]), ["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64"].contains(a) {
                return ("linux", a)
            }
            return nil
        case 2, 3:
            guard !parts[0].isEmpty, let a = arch(parts[1]) else { return nil }
            if parts.count == 3 && parts[2].isEmpty { return nil }
            return (parts[0], a)
        default: return nil
        }
    }

    /// `reference.ParseNormalizedNamed` succeeds on `s` (distribution's reference grammar).
    static func isValidImageReference(_ s: String) -> Bool {
        if s.isEmpty || s.count > 255 + 200 { return false }
        var rest = Substring(s)
        // Digest.
        if let at = rest.firstIndex(of: "@") {
            let digest = rest[rest.index(after: at)...]
            rest = rest[..<at]
            guard let colon = digest.firstIndex(of: ":") else { return false }
            let algo = digest[..<colon], hex = digest[digest.index(after: colon)...]
            guard let f = algo.first, f.isLetter, algo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_+.".contains($0)) }),
                  hex.count >= 32, hex.allSatisfy(\.isHexDigit) else { return false }
        }
        // Tag: after the last ':' that follows the last '/'.
        let lastSlash = rest.lastIndex(of: "/")
        let tagSearch = lastSlash.map { rest[rest.index(after: $0)...] } ?? rest
        if let colon = tagSearch.lastIndex(of: ":") {
            let tag = rest[rest.index(after: colon)...]
            rest = rest[..<colon]
            guard let f = tag.first, f.isASCII, f.isLetter || f.isNumber || f == "_", tag.count <= 128,
                  tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else { return false }
        }
        if rest.isEmpty || rest.count > 255 { return false }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        // Domain: the first component when it has '.' or ':', is localhost, or has upper case.
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
            guard isValidDomain(first) else { return false }
            components.removeFirst()
        } else if components.count == 1, rest.count == 64, rest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            return false  // "cannot specify 64-byte hexadecimal strings"
        }
        return components.allSatisfy(isValidPathComponent)
    }

    static func isValidPathComponent(_ c: Substring) -> Bool {
        // [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
        let u = Array(c.utf8)
        func alnum(_ x: UInt8) -> Bool { (x >= 48 && x <= 57) || (x >= 97 && x <= 122) }
        guard let f = u.first, let l = u.last, alnum(f), alnum(l) else { return false }
        var i = 0
        while i < u.count {
            if alnum(u[i]) { i += 1; continue }
            var j = i
            while j < u.count, !alnum(u[j]) { j += 1 }
            let sep = Array(u[i..<j])
            let ok = sep == [46] || sep == [95] || sep == [95, 95] || sep.allSatisfy { $0 == 45 }
            if !ok { return false }
            i = j
        }
        return true
    }

    static func isValidDomain(_ d: Substring) -> Bool {
        var host = d
        if let colon = d.lastIndex(of: ":"), !d.hasPrefix("[") || d[..<colon].hasSuffix("]") {
            let port = d[d.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isNumber) else { return false }
            host = d[..<colon]
        }
        if host.hasPrefix("[") { return host.hasSuffix("]") && host.count > 2 }
        return !host.isEmpty && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let f = label.first, let l = label.last, f.isASCII, l.isASCII, f.isLetter || f.isNumber, l.isLetter || l.isNumber else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// The stages a stage is built on, nearest first (`FROM <stage>` chain), itself excluded.
    static func baseChain(_ stage: Int, _ model: DockerfileModel) -> [Int] {
        var out: [Int] = []
        var cur = stage
        while case .stage(let j) = model.stages[cur].base, j < cur, !out.contains(j) { out.append(j); cur = j }
        return out
    }

    /// True when the chain of stage bases ends at `scratch` (no image configuration unknown).
    static func rootIsScratch(_ stage: Int, _ model: DockerfileModel) -> Bool {
        let chain = [stage] + baseChain(stage, model)
        if case .scratch = model.stages[chain.last!].base { return true }
        return false
    }

    /// The expansion of a word against the global scope (for FROM), with matches.
    static func expandGlobal(_ word: String, _ context: LintContext) -> ShellWordResult? {
        let (r, e) = lexer(context).processWordCollectingMatches(word, env: environment(context.model.globalScope))
        return e == nil ? r : nil
    }

    /// The source text of a range.
    static func text(_ r: SourceRange, _ context: LintContext) -> String {
        context.source.text(r.start.offset, r.end.offset)
    }

    /// The range of UTF-8 bytes `from..<from+length` of an argument, when the argument's
    /// source text is its value (else the whole argument).
    static func subrange(_ arg: Argument, from: Int, length: Int, _ context: LintContext) -> SourceRange {
        guard text(arg.range, context) == arg.value else { return arg.range }
        let start = arg.range.start.offset + from
        return context.source.range(start, start + length)
    }
}
