@testable import DockerlintShell

/// Parses and returns the outline; the caller asserts errors separately when it cares.
func parseOK(_ s: String) -> ShellScript { ShellParser.parse(s) }

/// The byte offset of the `n`th occurrence (0-based) of `needle` in `hay`.
func offset(of needle: String, in hay: String, occurrence: Int = 0) -> Int {
    let h = Array(hay.utf8), n = Array(needle.utf8)
    var seen = 0
    var i = 0
    while i + n.count <= h.count {
        if Array(h[i..<(i + n.count)]) == n {
            if seen == occurrence { return i }
            seen += 1
        }
        i += 1
    }
    return -1
}

func range(of needle: String, in hay: String, occurrence: Int = 0) -> ByteRange {
    let o = offset(of: needle, in: hay, occurrence: occurrence)
    return ByteRange(o, o + needle.utf8.count)
}

func firstPackageCommand(_ s: String) -> PackageCommand? {
    ShellParser.parse(s).packageCommands.first
}
