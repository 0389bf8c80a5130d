#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search on UTF-8 bytes, for the hot paths of the rules and the simulator.
///
/// With Foundation imported, `s.contains("://")` (and `replacingOccurrences`) resolve to
/// Foundation's generic versions, which bridge to NSString and search UTF-16
/// with CoreFoundation: a profile of the corpus run put 4 % of all lint time there, nearly
/// all of it in what a RUN reads and what a COPY writes. Those places call this instead.
/// They compare bytes like Go's `strings.Contains` (what BuildKit does); the needles there
/// are non-empty ASCII, where that is what Foundation finds too.
/// (The stdlib's generic `utf8.firstRange(of:)` gives the same answers and costs 15 % of
/// the corpus run.)
extension StringProtocol {
    public func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { pat in
            guard !pat.isEmpty else { return false }
            // In place when the text's bytes are contiguous (native strings): no copy per call.
            if let found = utf8.withContiguousStorageIfAvailable({ bytesOccur(pat, in: $0) }) { return found }
            return Array(utf8).withUnsafeBufferPointer { bytesOccur(pat, in: $0) }
        }
    }
}

/// Whether the non-empty `pat` occurs in `hay`.
@inline(__always)
func bytesOccur(_ pat: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = hay.count, m = pat.count
    guard m <= n else { return false }
    let first = pat[0]
    var i = 0
    while i <= n - m {
        if hay[i] == first {
            var k = 1
            while k < m && hay[i + k] == pat[k] { k += 1 }
            if k == m { return true }
        }
        i += 1
    }
    return false
}

/// Several needles looked for in one pass over a text's UTF-8 bytes (a line of a CI file
/// against a list of tokens): what `needles.contains { text.contains($0) }` answers, without
/// one Foundation search (or one copy of the text) per needle. Needles are non-empty ASCII,
/// where byte search finds what Foundation finds (see `containsBytes`).
public struct ByteNeedles: Sendable {
    let needles: [[UInt8]]
    /// Per first byte: the needles that start with it.
    let byFirst: [[Int]]

    public init(_ needles: [String]) {
        self.needles = needles.map { Array($0.utf8) }
        var table = [[Int]](repeating: [], count: 256)
        for (k, n) in self.needles.enumerated() { if let f = n.first { table[Int(f)].append(k) } }
        byFirst = table
    }

    /// Whether one of the needles occurs in `text`.
    public func occur(in text: some StringProtocol) -> Bool {
        if let r = text.utf8.withContiguousStorageIfAvailable({ occur(inBytes: $0) }) { return r }
        return Array(text.utf8).withUnsafeBufferPointer { occur(inBytes: $0) }
    }

    func occur(inBytes hay: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = hay.count
        var i = 0
        while i < n {
            let candidates = byFirst[Int(hay[i])]
            if !candidates.isEmpty {
                for k in candidates {
                    let pat = needles[k]
                    if pat.count <= n - i {
                        var m = 1
                        while m < pat.count && hay[i + m] == pat[m] { m += 1 }
                        if m == pat.count { return true }
                    }
                }
            }
            i += 1
        }
        return false
    }
}

extension Substring {
    /// The first occurrence of `needle`'s bytes, searched in place (no copy of the rest):
    /// Foundation's `range(of:)` on a Substring copies and bridges what is left on each call,
    /// so a loop that walks a text with it costs the square of the text's length.
    public func firstRangeOfBytes(_ needle: String) -> Range<String.Index>? {
        let pat = Array(needle.utf8)
        guard let first = pat.first else { return nil }
        let u = utf8
        var i = u.startIndex
        while let j = u[i...].firstIndex(of: first) {
            var k = j
            var m = 0
            while m < pat.count, k < u.endIndex, u[k] == pat[m] { k = u.index(after: k); m += 1 }
            if m == pat.count { return j..<k }
            i = u.index(after: j)
        }
        return nil
    }
}

extension String {
    /// `split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)`, read off the
    /// UTF-8 bytes: the same lines, without breaking the text into Characters (what made
    /// reading a project's CI files cost more than linting its Dockerfile). A newline
    /// Character is LF, VT, FF, CR, CR LF, NEL, LS or PS, and none of them joins a grapheme
    /// with its neighbours (CR LF aside, which is one), so each is found by its bytes alone.
    public func linesSplitAtNewlines() -> [Substring] {
        var out: [Substring] = []
        let u = utf8
        var start = u.startIndex
        var i = start
        let end = u.endIndex
        func next(_ k: Int) -> UInt8? {
            var j = i
            for _ in 0..<k {
                j = u.index(after: j)
                if j == end { return nil }
            }
            return u[j]
        }
        while i < end {
            var separator = 0
            switch u[i] {
            case 0x0A, 0x0B, 0x0C: separator = 1
            case 0x0D: separator = next(1) == 0x0A ? 2 : 1
            case 0xC2: if next(1) == 0x85 { separator = 2 }
            case 0xE2: if next(1) == 0x80, let b = next(2), b == 0xA8 || b == 0xA9 { separator = 3 }
            default: break
            }
            if separator == 0 { i = u.index(after: i); continue }
            out.append(self[start..<i])
            i = u.index(i, offsetBy: separator)
            start = i
        }
        out.append(self[start..<end])
        return out
    }

    /// The text up to its first line feed, carriage returns removed: the first line of an
    /// instruction that may span hundreds (what labels and step names quote), without
    /// rewriting the rest. Once the carriage returns are gone a line feed is a character of
    /// its own, so the first line feed byte ends the same line.
    public var firstLineWithoutCarriageReturns: String {
        let bytes = utf8
        let line = bytes[..<(bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex)]
        guard line.contains(UInt8(ascii: "\r")) else { return String(Substring(line)) }
        return String(decoding: line.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// `containsBytes` on bytes already copied out of a text: a caller that looks for many
    /// needles in one text (a command's categories) copies it once; `memchr` finds each
    /// candidate start.
    public func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { n in
            guard let first = n.first, n.count <= count else { return false }
            return withUnsafeBufferPointer { h in
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    guard let p = memchr(h.baseAddress! + i, Int32(first), last - i + 1) else { return false }
                    let at = UnsafeRawPointer(h.baseAddress!).distance(to: UnsafeRawPointer(p))
                    if memcmp(h.baseAddress! + at, n.baseAddress!, n.count) == 0 { return true }
                    i = at + 1
                }
                return false
            }
        }
    }
}

extension StringProtocol {
    /// True when every byte is ASCII other than a carriage return: then every Character is
    /// one byte (only `\r\n` joins two ASCII bytes into one), so searching, splitting and
    /// counting by bytes gives what the Character-based standard library calls give.
    public var isPlainASCII: Bool {
        if let r = utf8.withContiguousStorageIfAvailable({ buf -> Bool in
            for b in buf where b >= 0x80 || b == 0x0D { return false }
            return true
        }) { return r }
        return utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// `containsBytes(needle)` when the text is plain ASCII (`isPlainASCII`), where every
    /// substring search gives that answer; nil otherwise, for the caller's own search to
    /// decide: `text.containsPlainASCII("://") ?? text.contains("://")` (needles: plain ASCII).
    public func containsPlainASCII(_ needle: String) -> Bool? {
        isPlainASCII ? containsBytes(needle) : nil
    }
}
