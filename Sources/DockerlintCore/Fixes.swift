import DockerlintSyntax

/// Applies text edits to a file's bytes (edits sorted by position; overlapping edits after
/// the first are skipped).
public enum FixApplier {
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
        let sorted = edits.sorted { ($0.range.start.offset, $0.range.end.offset) < ($1.range.start.offset, $1.range.end.offset) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        for e in sorted {
            let s = e.range.start.offset, en = e.range.end.offset
            guard s >= cursor, en >= s, en <= bytes.count else { continue }
            out += bytes[cursor..<s]
            out += Array(e.replacement.utf8)
            cursor = en
        }
        out += bytes[cursor...]
        return out
    }
}
