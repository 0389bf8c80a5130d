// `.dockerignore` reading and matching with moby/patternmatcher semantics (CACHE-SEMANTICS §5):
// `ignorefile.ReadAll` for reading, `patternmatcher.New` + `Pattern.compile` for matching, and
// fsutil's filter walker for which directories are descended.

import DockerlintSupport

/// Errors from reading or matching `.dockerignore` patterns.
public enum DockerIgnoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A lone `!` (`illegal exclusion pattern: "!"`), with its 1-based line number
    /// (0 when the pattern did not come from a file).
    case illegalExclusion(line: Int)
    /// Go's `filepath.Match` rejects the pattern (`syntax error in pattern`).
    case badPattern(line: Int, pattern: String)
    /// The regexp generated from the pattern does not compile in Go; BuildKit fails when it
    /// first matches a path against it.
    case invalidRegexp(line: Int, pattern: String, message: String)

    /// The 1-based line of the pattern (0: not from a file).
    public var line: Int {
        switch self {
        case .illegalExclusion(let l), .badPattern(let l, _), .invalidRegexp(let l, _, _): return l
        }
    }

    /// One line, without the position: `bad pattern "src/[a": unterminated character class`.
    public var description: String {
        func quoted(_ p: String) -> String { "\"" + OneLine.clip(p, limit: 80) + "\"" }
        switch self {
        case .illegalExclusion: return "illegal exclusion pattern: \"!\""
        case .badPattern(_, let p): return "bad pattern \(quoted(p)): \(goPatternProblem(p) ?? "syntax error in pattern")"
        case .invalidRegexp(_, let p, let m): return "bad pattern \(quoted(p)): \(OneLine.clip(m, limit: 80))"
        }
    }
}

/// One compiled pattern: `text` is the cleaned pattern without its leading `!`.
public struct IgnorePattern: Sendable, Equatable {
    public enum MatchKind: Sendable, Equatable { case exact, prefix, suffix, regexp }

    public let text: String
    public let isException: Bool
    /// 1-based line in the ignore file (0 when built from a pattern list).
    public let line: Int
    public let kind: MatchKind
    let scalars: [Unicode.Scalar]
    let regex: GoRegex?
    let regexError: String?

    public static func == (a: IgnorePattern, b: IgnorePattern) -> Bool {
        a.text == b.text && a.isException == b.isException && a.line == b.line
    }

    init(text: String, isException: Bool, line: Int) {
        self.text = text
        self.isException = isException
        self.line = line
        self.scalars = Array(text.unicodeScalars)
        let (kind, regStr) = IgnorePattern.compile(scalars)
        self.kind = kind
        if kind == .regexp {
            do {
                self.regex = try GoRegex(regStr)
                self.regexError = nil
            } catch let e as GoRegexError {
                self.regex = nil
                self.regexError = e.message
            } catch {
                self.regex = nil
                self.regexError = "\(error)"
            }
        } else {
            self.regex = nil
            self.regexError = nil
        }
    }

    /// patternmatcher's `Pattern.compile` (Unix separator): the match type and the regexp text.
    static func compile(_ p: [Unicode.Scalar]) -> (MatchKind, [Unicode.Scalar]) {
        var reg: [Unicode.Scalar] = ["^"]
        var detected = MatchKind.exact
        let notSlashStar: [Unicode.Scalar] = Array("[^/]*".unicodeScalars)
        let notSlash: [Unicode.Scalar] = Array("[^/]".unicodeScalars)
        var j = 0
        var iter = 0
        // A wildcard right after the same wildcard adds nothing (`[^/]*[^/]*` is `[^/]*`,
        // `(.*/)?(.*/)?` is `(.*/)?`) but makes the program longer: a pattern of thousands of
        // `*` would cost thousands of steps per character. Appended once.
        func appendWildcard(_ w: [Unicode.Scalar]) {
            if reg.count >= w.count && reg[(reg.count - w.count)...].elementsEqual(w) { return }
            reg += w
        }
        let anyDirs: [Unicode.Scalar] = Array("(.*/)?".unicodeScalars)
        while j < p.count {
            let ch = p[j]
            j += 1
            defer { iter += 1 }
            if ch == "*" {
                if j < p.count && p[j] == "*" {
                    j += 1
                    if j < p.count && p[j] == "/" { j += 1 }
                    if j >= p.count {
                        if detected == .exact {
                            detected = .prefix
                        } else {
                            reg += Array(".*".unicodeScalars)
                            detected = .regexp
                        }
                    } else {
                        appendWildcard(anyDirs)
                        detected = .regexp
                    }
                    if iter == 0 { detected = .suffix }
                } else {
                    appendWildcard(notSlashStar)
                    detected = .regexp
                }
            } else if ch == "?" {
                reg += notSlash
                detected = .regexp
            } else if ".+()|{}$".unicodeScalars.contains(ch) {
                reg += ["\\", ch]
            } else if ch == "\\" {
                if j < p.count {
                    reg += ["\\", p[j]]
                    j += 1
                    detected = .regexp
                } else {
                    reg.append("\\")
                }
            } else if ch == "[" || ch == "]" {
                reg.append(ch)
                detected = .regexp
            } else {
                reg.append(ch)
            }
        }
        if detected == .regexp { reg.append("$") }
        return (detected, reg)
    }

    /// `Pattern.match` on a clean, slash-separated, context-relative path.
    public func matches(_ path: String) throws -> Bool {
        try matches(Array(path.unicodeScalars))
    }

    func matches(_ path: [Unicode.Scalar]) throws -> Bool {
        switch kind {
        case .exact:
            return path.count == scalars.count && scalarsEqual(path, 0, scalars, 0, scalars.count)
        case .prefix:
            let n = scalars.count - 2
            return path.count >= n && scalarsEqual(path, 0, scalars, 0, n)
        case .suffix:
            let n = scalars.count - 2  // the text after `**`
            if path.count >= n && scalarsEqual(path, path.count - n, scalars, 2, n) { return true }
            return n > 0 && scalars[2] == "/" && path.count == n - 1 && scalarsEqual(path, 0, scalars, 3, n - 1)
        case .regexp:
            guard let regex else {
                throw DockerIgnoreError.invalidRegexp(line: line, pattern: text, message: regexError ?? "")
            }
            return regex.matches(path)
        }
    }

    /// The pattern's text up to its first wildcard, class or escape: a path the pattern
    /// matches starts with it (every kind of match is anchored at the start of the path,
    /// and a suffix pattern starts with `**`, so its literal prefix is empty).
    var literalPrefix: [Unicode.Scalar] {
        Array(scalars.prefix { !"*?[]\\".unicodeScalars.contains($0) })
    }

    /// The pattern's text after its last wildcard, class or escape, without a leading `/`: a
    /// path the pattern matches ends with it (regexps end in `$`, a suffix pattern compares
    /// the end). Empty when the pattern ends in a wildcard.
    var literalSuffix: [Unicode.Scalar] {
        var tail = Array(scalars.reversed().prefix { !"*?[]\\".unicodeScalars.contains($0) }.reversed())
        if tail.first == "/" { tail.removeFirst() }
        return tail
    }

    /// The pattern with a trailing `/**` or `/*` removed (fsutil `patternWithoutTrailingGlob`).
    var withoutTrailingGlob: String {
        var s = text
        if s.hasSuffix("/**") { s.removeLast(3) } else if s.hasSuffix("/*") { s.removeLast(2) }
        return s
    }
}

/// Per-pattern "matched this directory or a parent" flags carried down a walk
/// (patternmatcher `MatchInfo`). Empty means "no parent information".
public struct IgnoreMatchInfo: Sendable, Equatable {
    public var parentMatched: [Bool] = []
    public init() {}
}

/// A `.dockerignore` file: ordered patterns, last match wins.
public struct DockerIgnore: Sendable, Equatable {
    public let patterns: [IgnorePattern]
    /// Which patterns can match a path, found from the path's prefixes: matching costs the
    /// patterns that could match, not all of them.
    let index: IgnorePatternIndex
    /// True if any pattern is an exception (`!`).
    public let hasExceptions: Bool
    /// For the walker: whether any exception has a wildcard (then every excluded directory
    /// is descended), and the exceptions' wildcard-free prefixes, each ending in `/`.
    let exceptionHasWildcard: Bool
    let exceptionPrefixes: [String]

    /// A stable text identifying the pattern list (for memo keys), built once.
    public let fingerprint: String

    public static func == (a: DockerIgnore, b: DockerIgnore) -> Bool { a.patterns == b.patterns }

    /// An empty ignore file (nothing excluded).
    public static let empty = DockerIgnore(compiled: [])

    init(compiled: [IgnorePattern]) {
        self.patterns = compiled
        self.index = IgnorePatternIndex(compiled)
        self.hasExceptions = compiled.contains { $0.isException }
        let patternChars = Set("*[]?^\\".unicodeScalars)
        self.exceptionHasWildcard = compiled.contains { p in
            p.isException && p.withoutTrailingGlob.unicodeScalars.contains { patternChars.contains($0) }
        }
        self.exceptionPrefixes = compiled.filter(\.isException).map { $0.withoutTrailingGlob + "/" }
        self.fingerprint = compiled.map { ($0.isException ? "!" : "") + $0.text }.joined(separator: "\n")
    }

    /// `patternmatcher.New`: trims, skips empty strings, cleans, splits off `!`, checks the
    /// syntax with Go's `filepath.Match`. `lines` gives each pattern's line number (optional).
    public init(patterns raw: [String], lines: [Int]? = nil) throws {
        var out: [IgnorePattern] = []
        for (idx, rawPattern) in raw.enumerated() {
            let line = lines?[idx] ?? 0
            var p = DockerIgnore.trimSpace(rawPattern)
            if p.isEmpty { continue }
            p = goPathClean(p)
            var exception = false
            if p.hasPrefix("!") {
                if p.unicodeScalars.count == 1 { throw DockerIgnoreError.illegalExclusion(line: line) }
                exception = true
                p = String(p.unicodeScalars.dropFirst())
            }
            if goPatternIsMalformed(p) { throw DockerIgnoreError.badPattern(line: line, pattern: p) }
            out.append(IgnorePattern(text: p, isException: exception, line: line))
        }
        self.init(compiled: out)
    }

    /// Reads an ignore file's text (`ignorefile.ReadAll`) and compiles it (`patternmatcher.New`).
    public init(text: String) throws {
        let read = DockerIgnore.readAll(text)
        try self.init(patterns: read.map(\.pattern), lines: read.map(\.line))
    }

    /// `ignorefile.ReadAll`: BOM stripped from the first line; a line is a comment only if its
    /// first character is `#`; `TrimSpace`; `!` exceptions (rest trimmed again); `Clean`; one
    /// leading `/` removed. Returns patterns with their 1-based line numbers.
    public static func readAll(_ text: String) -> [(line: Int, pattern: String)] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var result: [(Int, String)] = []
        var lineNo = 0
        var start = 0
        var lines: [ArraySlice<UInt8>] = []
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        for var raw in lines {
            lineNo += 1
            if raw.last == 0x0D { raw = raw.dropLast() }  // bufio.ScanLines drops a trailing \r
            var pattern = String(decoding: raw, as: UTF8.self)
            if pattern.hasPrefix("#") { continue }
            pattern = trimSpace(pattern)
            if pattern.isEmpty { continue }
            let invert = pattern.hasPrefix("!")
            if invert { pattern = trimSpace(String(pattern.dropFirst())) }
            if !pattern.isEmpty {
                pattern = goPathClean(pattern)
                if pattern.utf8.count > 1 && pattern.hasPrefix("/") { pattern.removeFirst() }
            }
            if invert { pattern = "!" + pattern }
            result.append((lineNo, pattern))
        }
        return result
    }

    /// Go's `strings.TrimSpace` (Unicode White_Space).
    static func trimSpace(_ s: String) -> String {
        let u = s.unicodeScalars
        guard let first = u.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = u.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(u[first...last])
    }

    /// `MatchesOrParentMatches`: true if `path` (slash-separated, relative to the context) or
    /// one of its parent directories is excluded after all patterns are applied in order.
    public func matchesOrParentMatches(_ path: String) throws -> Bool {
        let file = goPathClean(path)
        if file == "." { return false }
        let fileScalars = Array(file.unicodeScalars)
        let parents = DockerIgnore.parentPrefixes(fileScalars)
        var matched = false
        // A pattern that cannot match the path cannot match its parents (their prefixes are
        // the path's): only the candidates are tried, in order.
        for i in index.candidates(fileScalars) {
            let pattern = patterns[i]
            if pattern.isException != matched { continue }
            var m = try pattern.matches(fileScalars)
            if !m {
                for parent in parents {
                    if (try? pattern.matches(parent)) == true { m = true; break }
                }
            }
            if m { matched = !pattern.isException }
        }
        return matched
    }

    /// "a/b/c" -> ["a", "a/b"].
    static func parentPrefixes(_ path: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = []
        var i = 0
        while i < path.count {
            if path[i] == "/" { out.append(Array(path[..<i])) }
            i += 1
        }
        return out
    }

    /// `MatchesUsingParentResults`: the walker's form, which reuses the parent directory's
    /// per-pattern results instead of re-matching parents.
    public func matchesUsingParentResults(_ path: String, parent: IgnoreMatchInfo) throws -> (Bool, IgnoreMatchInfo) {
        let fileScalars = Array(path.unicodeScalars)
        let parentMatched = parent.parentMatched
        var info = IgnoreMatchInfo()
        info.parentMatched = [Bool](repeating: false, count: patterns.count)
        var matched = false
        var parentsCache: [[Unicode.Scalar]]? = nil
        // Patterns that cannot match this path (nor, then, its parents) only carry their
        // parent's flag; the others are matched in order.
        var candidate = [Bool](repeating: false, count: patterns.count)
        for i in index.candidates(fileScalars) { candidate[i] = true }
        for i in 0..<patterns.count {
            let pattern = patterns[i]
            var m = false
            if !parentMatched.isEmpty { m = parentMatched[i] }
            if !m && !candidate[i] { continue }
            if !m {
                if pattern.isException != matched { continue }
                m = try pattern.matches(fileScalars)
                if !m && parentMatched.isEmpty {
                    if parentsCache == nil { parentsCache = DockerIgnore.parentPrefixes(fileScalars) }
                    for parentPath in parentsCache! {
                        if (try? pattern.matches(parentPath)) == true { m = true; break }
                    }
                }
            }
            info.parentMatched[i] = m
            if m { matched = !pattern.isException }
        }
        return (matched, info)
    }

    /// fsutil's walker rule for an excluded directory: descend only if an exception could
    /// match inside it. If every exception is wildcard-free (after dropping a trailing `/**` or
    /// `/*`), descend only when one of them begins with `dir/`; with any wildcard exception,
    /// always descend. Without exceptions, never.
    public func shouldDescend(intoExcludedDirectory dir: String) -> Bool {
        guard hasExceptions else { return false }
        if exceptionHasWildcard { return true }
        let dirSlash = dir + "/"
        return exceptionPrefixes.contains { $0.hasPrefix(dirSlash) }
    }

    /// The walker's decision for one path, given its parent directory's match info.
    public func walkDecision(path: String, isDirectory: Bool, parent: IgnoreMatchInfo) throws -> IgnoreWalkDecision {
        if patterns.isEmpty { return IgnoreWalkDecision(excluded: false, descend: isDirectory, info: IgnoreMatchInfo()) }
        let (m, info) = try matchesUsingParentResults(path, parent: parent)
        if !m { return IgnoreWalkDecision(excluded: false, descend: isDirectory, info: info) }
        let descend = isDirectory && shouldDescend(intoExcludedDirectory: path)
        return IgnoreWalkDecision(excluded: true, descend: descend, info: info)
    }

    /// The ignore file that applies to `dockerfile` in `contextDirectory` (chosen by
    /// `IgnoreFile.select`, read through `read`), parsed, with its path and the text it was
    /// parsed from (callers that need the text take it from here, never read the file again);
    /// nil when there is none. A file that does not parse throws `DockerIgnoreLoadError` naming it.
    public static func load(dockerfile: String, contextDirectory: String?, read: ((String) -> [UInt8]?)? = nil)
        throws(DockerIgnoreLoadError) -> (ignore: DockerIgnore, path: String, text: String)? {
        if read == nil, let special = IgnoreFile.specialCandidate(dockerfile: dockerfile, contextDirectory: contextDirectory) {
            throw DockerIgnoreLoadError(path: special.path, error: special)
        }
        guard let file = IgnoreFile.select(dockerfile: dockerfile, contextDirectory: contextDirectory, read: read ?? IgnoreFile.readFile) else { return nil }
        let text = file.text
        do { return (try DockerIgnore(text: text), file.path, text) } catch {
            throw DockerIgnoreLoadError(path: file.path, error: error)
        }
    }
}

/// An ignore file that cannot be used: `path:line:column: error: …` (the position when
/// the problem is one pattern).
public struct DockerIgnoreLoadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var error: any Error
    public var description: String {
        var shown = path
        while shown.hasPrefix("./") && shown.count > 2 { shown.removeFirst(2) }
        if let e = error as? DockerIgnoreError, e.line > 0 { return "\(shown):\(e.line):1: error: \(e)" }
        if let e = error as? FileReadError { return "\(shown): error: \(e.message)" }
        return "\(shown): error: \(error)"
    }
}

/// What the context walker does with one path.
public struct IgnoreWalkDecision: Sendable, Equatable {
    /// Excluded by the patterns (an excluded directory may still be sent if a kept
    /// descendant needs it as a parent).
    public var excluded: Bool
    /// For directories: whether the walker looks inside.
    public var descend: Bool
    /// Match info for the children of this directory.
    public var info: IgnoreMatchInfo
}

/// The patterns of an ignore file grouped by literal prefix (`IgnorePattern.literalPrefix`),
/// or, for patterns that start with a wildcard, by literal suffix (`literalSuffix`). A path's
/// candidates are the patterns whose prefix begins the path, or whose suffix ends the path or
/// one of its parents (a pattern matching a parent excludes the path too), found with one
/// lookup per distinct length; then the patterns with neither, and those whose regexp does
/// not compile (they fail on the first path matched, as in BuildKit).
struct IgnorePatternIndex: Sendable {
    private var byPrefix: [String: [Int]] = [:]
    private var prefixLengths: [Int] = []
    private var bySuffix: [String: [Int]] = [:]
    private var suffixLengths: [Int] = []
    private var always: [Int] = []

    init(_ patterns: [IgnorePattern]) {
        var prefixSet = Set<Int>(), suffixSet = Set<Int>()
        for (i, p) in patterns.enumerated() {
            if p.kind == .regexp && p.regex == nil { always.append(i); continue }
            let prefix = p.literalPrefix
            if !prefix.isEmpty {
                byPrefix[String(String.UnicodeScalarView(prefix)), default: []].append(i)
                prefixSet.insert(prefix.count)
                continue
            }
            let suffix = p.literalSuffix
            if !suffix.isEmpty {
                bySuffix[String(String.UnicodeScalarView(suffix)), default: []].append(i)
                suffixSet.insert(suffix.count)
                continue
            }
            always.append(i)
        }
        prefixLengths = prefixSet.sorted()
        suffixLengths = suffixSet.sorted()
        if byPrefix.count + bySuffix.count <= IgnorePatternIndex.compareLimit {
            prefixes = byPrefix.map { (Array($0.key.unicodeScalars), $0.value) }
            suffixes = bySuffix.map { (Array($0.key.unicodeScalars), $0.value) }
        }
    }

    /// Up to this many distinct prefixes and suffixes, a path is compared with each of them
    /// (no strings built); beyond, its prefixes and suffixes are looked up by length.
    static let compareLimit = 32
    private var prefixes: [([Unicode.Scalar], [Int])]? = nil
    private var suffixes: [([Unicode.Scalar], [Int])] = []

    /// Indices of the patterns that may match `path` or one of its parents, ascending.
    func candidates(_ path: [Unicode.Scalar]) -> [Int] {
        guard let prefixes else { return lookedUp(path) }
        var out = always
        for (prefix, list) in prefixes where prefix.count <= path.count && scalarsEqual(path, 0, prefix, 0, prefix.count) {
            out += list
        }
        if !suffixes.isEmpty {
            // The ends of the path and of each parent.
            var ends = [path.count]
            var i = 0
            while i < path.count {
                if path[i] == "/" { ends.append(i) }
                i += 1
            }
            for (suffix, list) in suffixes {
                let k = suffix.count
                for e in ends where k <= e && scalarsEqual(path, e - k, suffix, 0, k) {
                    out += list
                    break
                }
            }
        }
        out.sort()
        return out
    }

    func lookedUp(_ path: [Unicode.Scalar]) -> [Int] {
        var out = always
        for k in prefixLengths {
            if k > path.count { break }
            if let list = byPrefix[String(String.UnicodeScalarView(path[..<k]))] { out += list }
        }
        if !suffixLengths.isEmpty {
            var seen = Set<Int>()
            // The ends of the path and of each parent.
            var ends = [path.count]
            var i = 0
            while i < path.count {
                if path[i] == "/" { ends.append(i) }
                i += 1
            }
            for e in ends {
                for k in suffixLengths {
                    if k > e { break }
                    if let list = bySuffix[String(String.UnicodeScalarView(path[(e - k)..<e]))] {
                        for i in list where seen.insert(i).inserted { out.append(i) }
                    }
                }
            }
        }
        out.sort()
        return out
    }
}

/// Whether `a[aStart..<aStart + count]` equals `b[bStart..<bStart + count]` (the caller
/// checks the bounds): an index loop, so matching never goes through unspecialised generic
/// sequence algorithms.
@inline(__always)
func scalarsEqual(_ a: [Unicode.Scalar], _ aStart: Int, _ b: [Unicode.Scalar], _ bStart: Int, _ count: Int) -> Bool {
    var i = 0
    while i < count {
        if a[aStart + i] != b[bStart + i] { return false }
        i += 1
    }
    return true
}
