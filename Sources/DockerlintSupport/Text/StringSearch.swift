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
