import DockerlintCore
import DockerlintSyntax

/// Source lines of the checked files, fetched once per file per report, numbered as the
/// parser numbers them (one line table: `SourceText`): `\n` ends a line, a `\r` before it
/// is dropped, a bare `\r` is text, and line 1 starts after a UTF-8 byte order mark.
final class SourceLines {
    private let source: (String) -> String?
    private var cache: [String: SourceText?] = [:]

    init(_ input: ReportInput) { source = input.source }

    /// Line `line` (1-based) of `file` without its line ending, or nil when the text or the
    /// line is unknown (an empty file has no lines).
    func line(_ line: Int, of file: String) -> Substring? {
        let text: SourceText?
        if let cached = cache[file] {
            text = cached
        } else {
            text = source(file).flatMap { $0.isEmpty ? nil : SourceText($0) }
            cache[file] = text
        }
        guard let text, line >= 1, line <= text.lineCount else { return nil }
        return Substring(text.lineText(line))
    }

    /// The lines a range touches; an end at column 1 of a later line does not touch it.
    func lines(of diagnostic: Diagnostic) -> [Substring]? {
        let start = diagnostic.range.start.line
        var end = max(start, diagnostic.range.end.line)
        if end > start && diagnostic.range.end.column <= 1 { end -= 1 }
        var result: [Substring] = []
        for n in start...end {
            guard let text = line(n, of: diagnostic.file) else { return result.isEmpty ? nil : result }
            result.append(text)
        }
        return result
    }
}

/// Terminal cell width of a scalar: 0 for combining marks and zero-width characters, 2
/// for East Asian wide and emoji, 1 otherwise. A heuristic, good enough to place a caret.
func displayWidth(_ s: Unicode.Scalar) -> Int {
    let v = s.value
    switch v {
    case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
         0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F,
         0xFE20...0xFE2F, 0xE0100...0xE01EF:
        return 0
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
         0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
        return 2
    default:
        return 1
    }
}

/// Replaces characters that would let a Dockerfile drive the terminal (C0 controls other
/// than tab, DEL, C1 controls) with U+FFFD, one for one, so columns are unchanged.
func sanitizeForTerminal<S: StringProtocol>(_ text: S) -> String {
    // Most text has nothing to replace: its bytes say so (0xC2 leads U+0080...U+00BF, the
    // C1 controls among them), and it is copied whole.
    if !anyByte(text, { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }) { return String(text) }
    var out = ""
    for scalar in text.unicodeScalars {
        let v = scalar.value
        if (v < 0x20 && scalar != "\t") || v == 0x7F || (0x80...0x9F).contains(v) {
            out.unicodeScalars.append("\u{FFFD}")
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Whether a byte of `text` passes `test`, read in place (walking a string's UTF-8 view
/// through its indices costs several times more).
func anyByte<S: StringProtocol>(_ text: S, _ test: (UInt8) -> Bool) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { $0.contains(where: test) } ?? text.utf8.contains(where: test)
}

/// Collapses runs of whitespace to one space and trims: the same code re-indented keeps
/// its fingerprint.
func normaliseWhitespace<S: StringProtocol>(_ text: S) -> String {
    // Runs of white space become one space, none at either end (on scalars: the
    // Character-based split is several times slower and gives the same result).
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for u in text.unicodeScalars {
        if u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D) || (u.value >= 0x80 && u.properties.isWhitespace) {
            pendingSpace = !out.isEmpty
            continue
        }
        if pendingSpace { out.append(" "); pendingSpace = false }
        out.append(u)
    }
    return String(out)
}

/// A path for formats that want it relative to the project (Code Climate, GitLab).
func relativePath(_ path: String) -> String {
    var p = path
    while p.hasPrefix("./") { p.removeFirst(2) }
    return p
}
