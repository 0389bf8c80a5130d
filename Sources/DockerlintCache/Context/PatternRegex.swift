// A small regular-expression engine for the subset of Go RE2 syntax that moby/patternmatcher
// generates from `.dockerignore` patterns (literals, escapes, classes, `[^/]*`, `(.*/)?`, `.*`,
// `^`), including the odd strings produced by wildcards inside brackets. Parsing follows Go's
// `regexp/syntax` (Perl flags: OneLine, ClassNL, PerlX); matching is a Pike VM (linear time).

struct GoRegexError: Error, Sendable, Equatable {
    let message: String
}

/// A set of Unicode scalars: sorted closed ranges, optionally negated.
struct ScalarClass: Sendable, Equatable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool

    func contains(_ c: UInt32) -> Bool {
        var hit = false
        for r in ranges where r.contains(c) { hit = true; break }
        return hit != negated
    }

    static func single(_ c: UInt32) -> ScalarClass { ScalarClass(ranges: [c...c], negated: false) }
    static let anyButNewline = ScalarClass(ranges: [10...10], negated: true)
}

indirect enum RegexNode: Sendable {
    case char(ScalarClass)
    case concat([RegexNode])
    case star(RegexNode)
    case plus(RegexNode)
    case quest(RegexNode)
    case beginText
    case endText
    case wordBoundary
    case notWordBoundary
    case empty
}

enum RegexInst: Sendable {
    case char(ScalarClass)
    case split(Int, Int)
    case jmp(Int)
    case assertBegin
    case assertEnd
    case assertWord(Bool)
    case match
}

/// A compiled program; `matches` tests the whole input (the generated regexps are `^...$`).
struct GoRegex: Sendable {
    let program: [RegexInst]
    /// The program starts with `^` (every one patternmatcher generates does) and nothing jumps
    /// back to that first instruction: threads start at position 0 only.
    let anchored: Bool

    init(_ source: [Unicode.Scalar]) throws {
        var parser = RegexParser(s: source)
        let node = try parser.parseAll()
        var prog: [RegexInst] = []
        RegexCompiler.emit(node, into: &prog)
        prog.append(.match)
        program = prog
        var anchored = false
        if case .assertBegin? = prog.first {
            anchored = !prog.contains { inst in
                switch inst {
                case .jmp(let x): return x == 0
                case .split(let x, let y): return x == 0 || y == 0
                default: return false
                }
            }
        }
        self.anchored = anchored
    }

    /// Whether the regexp matches somewhere in `input` (Go's MatchString); the generated
    /// patterns are anchored by `^` and `$` (`\z`) themselves.
    func matches(_ input: [Unicode.Scalar]) -> Bool {
        let n = program.count
        var clist: [Int] = []
        var nlist: [Int] = []
        var onList = [Int](repeating: -1, count: n)
        clist.reserveCapacity(n)
        nlist.reserveCapacity(n)

        func isWord(_ i: Int) -> Bool {
            guard i >= 0 && i < input.count else { return false }
            let v = input[i].value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95
        }
        // One stack for every closure (a closure empties it).
        var stack: [Int] = []
        stack.reserveCapacity(n)
        // Adds pc and its epsilon closure at position pos.
        func add(_ list: inout [Int], _ pc0: Int, _ pos: Int, _ mark: Int, _ found: inout Bool) {
            stack.append(pc0)
            while let pc = stack.popLast() {
                if onList[pc] == mark { continue }
                onList[pc] = mark
                switch program[pc] {
                case .jmp(let x): stack.append(x)
                case .split(let x, let y): stack.append(y); stack.append(x)
                case .assertBegin: if pos == 0 { stack.append(pc + 1) }
                case .assertEnd: if pos == input.count { stack.append(pc + 1) }
                case .assertWord(let want):
                    if (isWord(pos - 1) != isWord(pos)) == want { stack.append(pc + 1) }
                case .match: found = true
                case .char: list.append(pc)
                }
            }
        }
        let anchored = anchored
        var found = false
        var mark = 0
        for pos in 0...input.count {
            // Unanchored search: a new thread may start at every position (an anchored program's
            // thread started past 0 dies at its first instruction, so none is started; once
            // every thread has died, nothing can match).
            if !anchored || pos == 0 { add(&clist, 0, pos, mark, &found) }
            if found { return true }
            if anchored && clist.isEmpty { return false }
            if pos == input.count { break }
            mark += 1
            let c = input[pos].value
            nlist.removeAll(keepingCapacity: true)
            for pc in clist {
                if case .char(let cls) = program[pc], cls.contains(c) {
                    add(&nlist, pc + 1, pos + 1, mark, &found)
                }
            }
            if found { return true }
            swap(&clist, &nlist)
            // Threads for the next position are in clist, marked with `mark`; keep the mark so
            // the fresh start thread added next iteration dedupes against them.
        }
        return found
    }
}

enum RegexCompiler {
    static func emit(_ node: RegexNode, into p: inout [RegexInst]) {
        switch node {
        case .char(let c): p.append(.char(c))
        case .concat(let xs): for x in xs { emit(x, into: &p) }
        case .empty: break
        case .beginText: p.append(.assertBegin)
        case .endText: p.append(.assertEnd)
        case .wordBoundary: p.append(.assertWord(true))
        case .notWordBoundary: p.append(.assertWord(false))
        case .star(let x):
            let split = p.count
            p.append(.jmp(0))
            emit(x, into: &p)
            p.append(.jmp(split))
            p[split] = .split(split + 1, p.count)
        case .plus(let x):
            let start = p.count
            emit(x, into: &p)
            p.append(.split(start, p.count + 1))
        case .quest(let x):
            let split = p.count
            p.append(.jmp(0))
            emit(x, into: &p)
            p[split] = .split(split + 1, p.count)
        }
    }
}

struct RegexParser {
    let s: [Unicode.Scalar]
    var i = 0

    init(s: [Unicode.Scalar]) { self.s = s }

    mutating func parseAll() throws -> RegexNode {
        let node = try parseConcat(depth: 0)
        if i < s.count { throw GoRegexError(message: "unexpected )") }
        return node
    }

    mutating func parseConcat(depth: Int) throws -> RegexNode {
        var items: [RegexNode] = []
        var repeatState = 0  // 0: none, 1: after x*, 2: after x*?
        while i < s.count {
            let c = s[i]
            switch c {
            case "(":
                i += 1
                if i < s.count && s[i] == "?" { throw GoRegexError(message: "unsupported group flags") }
                let inner = try parseConcat(depth: depth + 1)
                guard i < s.count && s[i] == ")" else { throw GoRegexError(message: "missing closing )") }
                i += 1
                items.append(inner)
            case ")":
                if depth == 0 { throw GoRegexError(message: "unexpected )") }
                return .concat(items)
            case "|":
                throw GoRegexError(message: "alternation is not generated by patternmatcher")
            case "*", "+", "?":
                if repeatState == 1 && c == "?" {
                    // `x*?` is a non-greedy repetition: the same match set.
                    repeatState = 2
                    i += 1
                    continue
                }
                if repeatState != 0 {
                    throw GoRegexError(message: "invalid nested repetition operator")
                }
                guard let last = items.popLast() else {
                    throw GoRegexError(message: "missing argument to repetition operator")
                }
                items.append(c == "*" ? .star(last) : c == "+" ? .plus(last) : .quest(last))
                i += 1
                repeatState = 1
                continue
            case "{":
                // patternmatcher escapes `{`; a bare one is a literal in Go when not a repeat.
                items.append(.char(.single(c.value)))
                i += 1
            case "[":
                items.append(.char(try parseClass()))
            case ".":
                items.append(.char(.anyButNewline))
                i += 1
            case "^":
                items.append(.beginText)
                i += 1
            case "$":
                items.append(.endText)
                i += 1
            case "\\":
                items.append(try parseEscapeAtom())
            default:
                items.append(.char(.single(c.value)))
                i += 1
            }
            repeatState = 0
        }
        return .concat(items)
    }

    mutating func parseEscapeAtom() throws -> RegexNode {
        // s[i] == "\\"
        guard i + 1 < s.count else { throw GoRegexError(message: "trailing backslash at end of expression") }
        let c = s[i + 1]
        switch c {
        case "A": i += 2; return .beginText
        case "z": i += 2; return .endText
        case "b": i += 2; return .wordBoundary
        case "B": i += 2; return .notWordBoundary
        case "d", "D", "s", "S", "w", "W":
            i += 2
            return .char(Self.perlClass(c))
        case "Q", "C", "p", "P", "E":
            throw GoRegexError(message: "unsupported escape \\\(c)")
        default:
            return .char(.single(try parseEscapeChar()))
        }
    }

    static func perlClass(_ c: Unicode.Scalar) -> ScalarClass {
        switch c {
        case "d": return ScalarClass(ranges: [48...57], negated: false)
        case "D": return ScalarClass(ranges: [48...57], negated: true)
        case "s": return ScalarClass(ranges: [9...10, 12...13, 32...32], negated: false)
        case "S": return ScalarClass(ranges: [9...10, 12...13, 32...32], negated: true)
        case "w": return ScalarClass(ranges: [48...57, 65...90, 95...95, 97...122], negated: false)
        default: return ScalarClass(ranges: [48...57, 65...90, 95...95, 97...122], negated: true)
        }
    }

    /// Go's parseEscape: s[i] is the backslash. Returns the literal scalar.
    mutating func parseEscapeChar() throws -> UInt32 {
        i += 1
        guard i < s.count else { throw GoRegexError(message: "trailing backslash at end of expression") }
        let c = s[i]
        i += 1
        let v = c.value
        if v < 0x80 && !Self.isAlnum(v) { return v }
        func octal(_ x: Unicode.Scalar) -> UInt32? { x.value >= 48 && x.value <= 55 ? x.value - 48 : nil }
        switch c {
        case "1", "2", "3", "4", "5", "6", "7":
            guard i < s.count, octal(s[i]) != nil else { throw GoRegexError(message: "invalid escape sequence") }
            fallthrough
        case "0":
            var r = v - 48
            for _ in 1..<3 {
                guard i < s.count, let d = octal(s[i]) else { break }
                r = r * 8 + d
                i += 1
            }
            return r
        case "x":
            guard i < s.count else { throw GoRegexError(message: "invalid escape sequence") }
            func hex(_ x: Unicode.Scalar) -> UInt32? {
                switch x.value {
                case 48...57: return x.value - 48
                case 65...70: return x.value - 55
                case 97...102: return x.value - 87
                default: return nil
                }
            }
            if s[i] == "{" {
                i += 1
                var r: UInt32 = 0
                var nd = 0
                while i < s.count, let d = hex(s[i]) {
                    r = r * 16 + d
                    nd += 1
                    i += 1
                    if r > 0x10FFFF { throw GoRegexError(message: "invalid escape sequence") }
                }
                guard nd > 0, i < s.count, s[i] == "}" else { throw GoRegexError(message: "invalid escape sequence") }
                i += 1
                return r
            }
            guard i + 1 < s.count, let a = hex(s[i]), let b = hex(s[i + 1]) else {
                throw GoRegexError(message: "invalid escape sequence")
            }
            i += 2
            return a * 16 + b
        case "a": return 7
        case "f": return 12
        case "n": return 10
        case "r": return 13
        case "t": return 9
        case "v": return 11
        default: throw GoRegexError(message: "invalid escape sequence: \\\(c)")
        }
    }

    static func isAlnum(_ v: UInt32) -> Bool {
        (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
    }

    static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [48...57, 65...90, 97...122],
        "alpha": [65...90, 97...122],
        "ascii": [0...127],
        "blank": [9...9, 32...32],
        "cntrl": [0...31, 127...127],
        "digit": [48...57],
        "graph": [33...126],
        "lower": [97...122],
        "print": [32...126],
        "punct": [33...47, 58...64, 91...96, 123...126],
        "space": [9...13, 32...32],
        "upper": [65...90],
        "word": [48...57, 65...90, 95...95, 97...122],
        "xdigit": [48...57, 65...70, 97...102],
    ]

    static func complement(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in rs.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = max(next, r.upperBound + 1)
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }

    /// Go's parseClass; s[i] == "[".
    mutating func parseClass() throws -> ScalarClass {
        i += 1
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false
        if i < s.count && s[i] == "^" {
            negated = true
            i += 1
        }
        var first = true
        while i >= s.count || s[i] != "]" || first {
            guard i < s.count else { throw GoRegexError(message: "missing closing ]") }
            first = false
            // POSIX [:name:] / [:^name:]
            if i + 2 < s.count && s[i] == "[" && s[i + 1] == ":" {
                var j = i + 2
                var name = ""
                while j + 1 < s.count && !(s[j] == ":" && s[j + 1] == "]") {
                    name.unicodeScalars.append(s[j])
                    j += 1
                }
                if j + 1 < s.count {
                    var neg = false
                    var key = name
                    if key.hasPrefix("^") { neg = true; key.removeFirst() }
                    guard let rs = Self.posixClasses[key] else {
                        throw GoRegexError(message: "invalid character class range")
                    }
                    ranges += neg ? Self.complement(rs) : rs
                    i = j + 2
                    continue
                }
            }
            if s[i] == "\\" && i + 1 < s.count {
                let c = s[i + 1]
                if "dDsSwW".unicodeScalars.contains(c) {
                    let pc = Self.perlClass(c)
                    ranges += pc.negated ? Self.complement(pc.ranges) : pc.ranges
                    i += 2
                    continue
                }
                if c == "p" || c == "P" { throw GoRegexError(message: "unsupported escape \\\(c)") }
            }
            let lo = try parseClassChar()
            var hi = lo
            if i + 1 < s.count && s[i] == "-" && s[i + 1] != "]" {
                i += 1
                hi = try parseClassChar()
                if hi < lo { throw GoRegexError(message: "invalid character class range") }
            }
            ranges.append(lo...hi)
        }
        i += 1
        return ScalarClass(ranges: ranges, negated: negated)
    }

    mutating func parseClassChar() throws -> UInt32 {
        guard i < s.count else { throw GoRegexError(message: "missing closing ]") }
        if s[i] == "\\" { return try parseEscapeChar() }
        let v = s[i].value
        i += 1
        return v
    }
}
