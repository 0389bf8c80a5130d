/// A point in a Dockerfile. `line` and `column` are 1-based; `column` counts Unicode
/// scalars from the start of the line (SARIF's `unicodeCodePoints`); `offset` is the
/// 0-based UTF-8 byte offset into the file as read (after nothing is stripped: a BOM
/// counts).
public struct SourcePosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range `[start, end)` of source text.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// An empty range at one position.
    public init(at position: SourcePosition) {
        self.start = position
        self.end = position
    }

    public var description: String { "\(start)-\(end)" }
}

/// Bytes with a line table, to turn byte offsets into positions: the one line table of
/// dockerlint (parser, rules, reporters, ignore files).
///
/// Lines are what BuildKit's scanner reads: `\n` ends a line and a `\r` before it is not
/// part of the line's text; a bare `\r` is an ordinary character. Invalid UTF-8 is kept as
/// bytes (text accessors decode it with U+FFFD).
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset where each line starts (line 1 at index 0). After a UTF-8 BOM, line 1
    /// starts after the BOM, so that columns count what an editor shows.
    public let lineStarts: [Int]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts: [Int] = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<b.count where b[i] == 0x0A {
                if i + 1 < b.count { starts.append(i + 1) }
            }
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            starts[0] = 3
        }
        self.lineStarts = starts
    }

    public init(_ string: String) { self.init(Array(string.utf8)) }

    /// Number of lines (a final line without a newline counts; an empty file has one).
    public var lineCount: Int { lineStarts.count }

    /// The 1-based line that holds byte `offset`.
    public func line(containing offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The position of byte `offset` (an offset at the end of the file is allowed).
    public func position(at offset: Int) -> SourcePosition {
        let off = max(0, min(offset, bytes.count))
        let line = line(containing: off)
        let start = lineStarts[line - 1]
        var column = 1
        if off > start {
            bytes.withUnsafeBufferPointer { b in
                var i = start
                while i < off {
                    if b[i] & 0xC0 != 0x80 { column += 1 }
                    i += 1
                }
            }
        }
        return SourcePosition(line: line, column: column, offset: off)
    }

    /// A range from two byte offsets.
    public func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(start: position(at: start), end: position(at: max(start, end)))
    }

    /// Byte offset of the end of line `line`'s content (before `\r\n` / `\n`).
    public func lineContentEnd(_ line: Int) -> Int {
        let next = line < lineStarts.count ? lineStarts[line] : bytes.count
        var e = next
        if e > lineStarts[line - 1], e - 1 < bytes.count, bytes[e - 1] == 0x0A { e -= 1 }
        while e > lineStarts[line - 1], bytes[e - 1] == 0x0D { e -= 1 }
        return e
    }

    /// The text of line `line` without its line ending.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let s = lineStarts[line - 1], e = lineContentEnd(line)
        return text(s, e)
    }

    /// The text of a byte range.
    public func text(_ start: Int, _ end: Int) -> String {
        let s = max(0, start), e = min(end, bytes.count)
        if s >= e { return "" }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
    }
}
