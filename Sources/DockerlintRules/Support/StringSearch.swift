/// Substring search and replacement on UTF-8 bytes, for the rules' hot paths.
///
/// With Foundation imported, `s.contains("://")` and `replacingOccurrences(of:with:)`
/// resolve to Foundation's generic versions, which bridge to NSString and search UTF-16
/// with CoreFoundation: a profile of the corpus run put 4 % of all lint time there, nearly
/// all of it in what a RUN reads and what a COPY writes. Those places call these instead.
/// They compare bytes like Go's `strings.Contains` (what BuildKit does); the needles there
/// are non-empty ASCII, where that is what Foundation finds too.
extension StringProtocol {
    @inlinable
    func containsBytes(_ needle: String) -> Bool {
        !needle.isEmpty && firstUTF8Offset(of: needle) != nil
    }

    func replacingBytes(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, firstUTF8Offset(of: target) != nil else { return String(self) }
        let hay = Array(utf8), pat = Array(target.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var i = 0
        while i < hay.count {
            if i + pat.count <= hay.count, hay[i] == pat[0], hay[i..<(i + pat.count)].elementsEqual(pat) {
                out.append(contentsOf: replacement.utf8)
                i += pat.count
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @usableFromInline
    func firstUTF8Offset(of needle: String) -> Int? {
        var needle = needle
        return needle.withUTF8 { pat -> Int? in
            if pat.isEmpty { return 0 }
            let found = utf8.withContiguousStorageIfAvailable { hay in Self.search(hay, pat) }
            if let found { return found }
            return Self.search(Array(utf8), pat)
        }
    }

    @usableFromInline
    static func search<H: RandomAccessCollection>(_ hay: H, _ pat: UnsafeBufferPointer<UInt8>) -> Int?
    where H.Element == UInt8, H.Index == Int {
        let n = hay.count, m = pat.count
        guard m <= n else { return nil }
        let first = pat[0]
        var i = hay.startIndex
        let last = hay.startIndex + n - m
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < m && hay[i + k] == pat[k] { k += 1 }
                if k == m { return i - hay.startIndex }
            }
            i += 1
        }
        return nil
    }
}
