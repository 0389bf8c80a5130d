// A hand-written recursive-descent parser for POSIX sh plus the bash-isms common in
// Dockerfiles. It works on UTF-8 bytes, never throws, never loops without consuming
// input, and caps nesting depth, so arbitrary input yields a partial AST plus errors.

/// Entry points for parsing shell text.
public enum ShellParser {
    /// Parses `text`; every offset in the result is `baseOffset` plus the UTF-8 byte offset
    /// into `text`.
    public static func parse(_ text: String, baseOffset: Int = 0) -> ShellScript {
        var p = Parser(bytes: Array(text.utf8), map: nil, base: baseOffset, depth: 0)
        return p.parseScript(source: text)
    }

    /// Parses `text` where `offsetMap[i]` is the caller's offset for byte `i` of `text`
    /// (`offsetMap.count == text.utf8.count + 1`; the last entry is the end offset). Use it
    /// when `text` was assembled from non-contiguous source (for example a Dockerfile line
    /// with continuation comments removed).
    public static func parse(_ text: String, offsetMap: [Int]) -> ShellScript {
        let bytes = Array(text.utf8)
        var map = offsetMap
        if map.count < bytes.count + 1 {
            let last = map.last ?? 0
            var next = map.isEmpty ? 0 : last + 1
            while map.count < bytes.count + 1 {
                map.append(next)
                next += 1
            }
        }
        var p = Parser(bytes: bytes, map: map, base: 0, depth: 0)
        return p.parseScript(source: text)
    }
}

let reservedWords: Set<String> = [
    "if", "then", "elif", "else", "fi", "do", "done", "case", "esac", "while", "until",
    "for", "select", "function", "{", "}", "[[", "!", "time",
]

/// Reserved words that close a construct: never a command name.
let closingWords: Set<String> = ["then", "elif", "else", "fi", "do", "done", "esac", "}"]

enum WordMode {
    case normal
    /// Inside `${name op ...}`: blanks and operators are literal; stops at `}`.
    case parameterOperand
}

struct Parser {
    static let maxDepth = 150

    let bytes: [UInt8]
    let n: Int
    let map: [Int]?
    let base: Int
    var pos = 0
    var depth: Int
    var errors: [ShellParseError] = []
    var comments: [Comment] = []
    var pending: [PendingHereDoc] = []
    var hereDocs: [Int: HereDoc] = [:]

    struct PendingHereDoc {
        var key: Int
        var delimiter: [UInt8]
        var quoted: Bool
        var stripTabs: Bool
    }

    init(bytes: [UInt8], map: [Int]?, base: Int, depth: Int) {
        self.bytes = bytes
        self.n = bytes.count
        self.map = map
        self.base = base
        self.depth = depth
    }

    // MARK: - Basics

    @inline(__always) func off(_ i: Int) -> Int {
        if let map {
            return i < map.count ? map[i] : (map.last ?? 0) + (i - map.count + 1)
        }
        return base + i
    }

    @inline(__always) func range(_ a: Int, _ b: Int) -> ByteRange { ByteRange(off(a), off(b)) }

    @inline(__always) func text(_ a: Int, _ b: Int) -> String {
        a < b ? String(decoding: bytes[a..<b], as: UTF8.self) : ""
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { i < n && i >= 0 ? bytes[i] : 0 }

    @inline(__always) var atEnd: Bool { pos >= n }

    @inline(__always) func c(_ k: Int = 0) -> UInt8 { at(pos + k) }

    mutating func error(_ message: String, at i: Int) {
        if errors.count < 200 { errors.append(ShellParseError(message: message, offset: off(min(i, n)))) }
    }

    func startsWith(_ s: StaticString, at i: Int) -> Bool {
        let count = s.utf8CodeUnitCount
        if i + count > n { return false }
        let p = s.utf8Start
        for k in 0..<count where bytes[i + k] != p[k] { return false }
        return true
    }

    /// Blanks, line continuations and comments; not newlines.
    mutating func skipBlanks() {
        while pos < n {
            let b = bytes[pos]
            if b == 0x20 || b == 0x09 {
                pos += 1
            } else if b == 0x5C, at(pos + 1) == 0x0A {
                pos += 2
            } else if b == 0x5C, at(pos + 1) == 0x0D, at(pos + 2) == 0x0A {
                pos += 3
            } else if b == 0x0D, at(pos + 1) == 0x0A {
                pos += 1
            } else if b == 0x23 {  // '#'
                let s = pos
                while pos < n, bytes[pos] != 0x0A { pos += 1 }
                var e = pos
                if e > s, bytes[e - 1] == 0x0D { e -= 1 }
                comments.append(Comment(text: text(s, e), range: range(s, e)))
            } else {
                break
            }
        }
    }

    /// Blanks, comments and newlines (reading pending heredoc bodies).
    mutating func skipBlanksAndNewlines() {
        while true {
            skipBlanks()
            if pos < n, bytes[pos] == 0x0A {
                consumeNewline()
            } else {
                return
            }
        }
    }

    mutating func consumeNewline() {
        pos += 1
        if !pending.isEmpty { readHereDocBodies() }
    }

    @inline(__always) static func isMeta(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x3B, 0x26, 0x7C, 0x3C, 0x3E, 0x28, 0x29: return true
        default: return false
        }
    }

    @inline(__always) static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    @inline(__always) static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The reserved word at `pos`, if the next token is one (unquoted, followed by a
    /// delimiter).
    func peekReservedWord() -> String? {
        var i = pos
        while i < n {
            let b = bytes[i]
            if Parser.isMeta(b) || (b == 0x0D && at(i + 1) == 0x0A) { break }
            if b == 0x27 || b == 0x22 || b == 0x24 || b == 0x5C || b == 0x60 { return nil }
            i += 1
            if i - pos > 8 { return nil }
        }
        if i == pos { return nil }
        let w = text(pos, i)
        return reservedWords.contains(w) ? w : nil
    }

    mutating func consumeWord(_ w: String) {
        pos += w.utf8.count
    }

    mutating func expectReserved(_ w: String, opening: String, at start: Int) -> Bool {
        skipBlanksAndNewlines()
        if peekReservedWord() == w {
            consumeWord(w)
            return true
        }
        error(atEnd ? "expected '\(w)' to close '\(opening)' before end of input"
              : "expected '\(w)' to close '\(opening)'", at: atEnd ? n : pos)
        return false
    }
}
