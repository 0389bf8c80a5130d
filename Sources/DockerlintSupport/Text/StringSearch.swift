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
        let pat = Array(needle.utf8)
        guard let first = pat.first else { return false }
        let hay = Array(utf8)
        guard pat.count <= hay.count else { return false }
        for i in 0...(hay.count - pat.count) where hay[i] == first && hay[i..<(i + pat.count)].elementsEqual(pat) {
            return true
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
