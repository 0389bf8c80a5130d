import DockerlintSyntax

/// Inline configuration from comments: `# dockerlint ignore=…` / `# hadolint ignore=…`
/// (next instruction), `global ignore=…` (file), `stage ignore=…` (the stage that starts
/// at the next FROM), `shell=…`, and BuildKit's `# check=skip=…;error=true;experimental=…`
/// directive (file) or comment directly above an instruction (that instruction).
public struct Pragmas: Sendable {
    public struct Ignore: Sendable {
        public var names: [String]
        public var range: SourceRange
    }

    /// Ignores for the instruction that starts at a line (key: the instruction's first line).
    public var instructionIgnores: [Int: [Ignore]] = [:]
    public var globalIgnores: [Ignore] = []
    /// Ignores for a stage, keyed by the line of its FROM.
    public var stageIgnores: [Int: [Ignore]] = [:]
    /// All ignore pragmas, in order (DL1001 reports them).
    public var allIgnores: [Ignore] = []
    public var shell: String?
    /// BuildKit check directive: rule names to skip (`all` included), error flag, experimental rules.
    public var checkSkip: Set<String> = []
    public var checkError = false
    public var checkExperimental: Set<String> = []
    /// `# check=skip=…` comments directly above an instruction, by its first line.
    public var instructionCheckSkips: [Int: Set<String>] = [:]
    public var checkDirectiveRange: SourceRange?

    public init() {}

    public static func read(_ file: Dockerfile) -> Pragmas {
        var p = Pragmas()
        let starts = file.instructions.map(\.startLine)
        let fromLines = file.instructions.filter { $0.kind == .from }.map(\.startLine)
        func next(after line: Int, in lines: [Int]) -> Int? {
            var lo = 0, hi = lines.count
            while lo < hi { let m = (lo + hi) / 2; if lines[m] <= line { lo = m + 1 } else { hi = m } }
            return lo < lines.count ? lines[lo] : nil
        }
        for c in file.comments where !c.insideContinuation && mayBePragma(c.text) {
            var words = c.text.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            guard let first = words.first, first == "dockerlint" || first == "hadolint" else { continue }
            words = words.dropFirst()
            var scope = "next"
            if let w = words.first, w == "global" || w == "stage" { scope = String(w); words = words.dropFirst() }
            guard let w = words.first else { continue }
            if w.hasPrefix("shell=") { p.shell = String(w.dropFirst(6)); continue }
            guard w.hasPrefix("ignore=") else { continue }
            let names = w.dropFirst(7).split(separator: ",").map(String.init).filter { !$0.isEmpty }
            let ig = Ignore(names: names, range: c.range)
            p.allIgnores.append(ig)
            switch scope {
            case "global": p.globalIgnores.append(ig)
            case "stage": if let l = next(after: c.range.start.line, in: fromLines) { p.stageIgnores[l, default: []].append(ig) }
            default: if let l = next(after: c.range.start.line, in: starts) { p.instructionIgnores[l, default: []].append(ig) }
            }
        }
        if let d = file.directive("check") {
            p.checkDirectiveRange = d.range
            let parsed = parseCheck(d.value)
            p.checkSkip = parsed.skip
            p.checkError = parsed.error
            p.checkExperimental = parsed.experimental
        }
        for i in file.instructions {
            for c in i.comments where c.hasPrefix("check=") || c.hasPrefix("check ") {
                let value = c.drop(while: { $0 != "=" }).dropFirst()
                p.instructionCheckSkips[i.startLine, default: []].formUnion(parseCheck(String(value)).skip)
            }
        }
        return p
    }

    /// Whether a comment's first word can be `dockerlint` or `hadolint` (its bytes after
    /// leading blanks start so): most comments are prose, not worth splitting into words.
    static func mayBePragma(_ text: String) -> Bool {
        var u = text.utf8[...]
        while let b = u.first, b == 0x20 || b == 0x09 { u = u.dropFirst() }
        return u.starts(with: "dockerlint".utf8) || u.starts(with: "hadolint".utf8)
    }

    /// `skip=A,B|all;error=true;experimental=C|all`.
    public static func parseCheck(_ value: String) -> (skip: Set<String>, error: Bool, experimental: Set<String>) {
        var skip: Set<String> = [], experimental: Set<String> = []
        var error = false
        for part in value.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingASCIISpace() }
            guard kv.count == 2 else { continue }
            switch kv[0].lowercased() {
            case "skip": skip = Set(kv[1].split(separator: ",").map { $0.trimmingASCIISpace() })
            case "error": error = kv[1].lowercased() == "true"
            case "experimental": experimental = Set(kv[1].split(separator: ",").map { $0.trimmingASCIISpace() })
            default: break
            }
        }
        return (skip, error, experimental)
    }
}
