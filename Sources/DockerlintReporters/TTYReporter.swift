import DockerlintCore
import DockerlintSyntax

/// Human output for terminals and editors' output panes:
///
///     Dockerfile:3:1: warning: Use arguments JSON notation for CMD [DL3025 JSONArgsRecommended]
///       3 | CMD node server.js
///         | ^~~~~~~~~~~~~~~~~~
///
///     1 problem (1 warning) in 1 file
///
/// Columns are Unicode scalars; the caret line copies the source's tabs and pads wide
/// (East Asian, emoji) characters with two cells so the caret sits under the range.
/// Control characters from the Dockerfile are shown as U+FFFD so a file cannot send
/// escape sequences to the terminal. Colour only when `options.color`.
public struct TTYReporter: Reporter {
    public init() {}
    public var identifier: String { "tty" }
    public var aliases: [String] { ["text", "human"] }
    public var description: String { "Human-readable lines with source excerpts and a summary (default)" }

    public func report(_ input: ReportInput) -> String {
        var out = ""
        write(input, to: &out)
        return out
    }

    public func write<Target: TextOutputStream>(_ input: ReportInput, to stream: inout Target) {
        let color = Palette(enabled: input.options.color)
        let lines = SourceLines(input)
        for d in input.diagnostics {
            var head = color.bold("\(sanitizeForTerminal(d.file)):\(d.range.start.line):\(d.range.start.column):")
            head += " " + color.severity(d.severity, d.severity.rawValue + ":")
            // A message of several lines goes on indented (most have one: no split).
            let text = normaliseNewlines(d.message)
            let message = anyByte(text, { $0 == 0x0A })
                ? text.split(separator: "\n", omittingEmptySubsequences: false).map(sanitizeForTerminal).joined(separator: "\n  ")
                : sanitizeForTerminal(text)
            head += " " + message
            let name = input.ruleName(for: d)
            head += " " + color.dim("[" + (name.isEmpty ? d.code : "\(d.code) \(name)") + "]")
            stream.write(head + "\n")
            if let source = lines.line(d.range.start.line, of: d.file) {
                stream.write(excerpt(source, d.range, color: color))
            }
        }
        let summary = input.summary
        if !input.diagnostics.isEmpty { stream.write("\n") }
        let sentence = summary.sentence
        stream.write((summary.problems == 0 ? color.green(sentence)
                      : summary.failed ? color.boldRed(sentence) : color.bold(sentence)) + "\n")
    }

    /// Source lines longer than this many characters are shown cut to it, starting
    /// `excerptLead` characters before the range.
    static let excerptWidth = 160
    static let excerptLead = 40

    /// The source line under a gutter with the line number, and the caret line.
    func excerpt(_ source: Substring, _ range: SourceRange, color: Palette) -> String {
        let sanitized = sanitizeForTerminal(source)
        var scalars = Array(sanitized.unicodeScalars)
        var start = min(max(range.start.column, 1), scalars.count + 1)
        var end: Int
        if range.end.line > range.start.line {
            end = scalars.count + 1
        } else {
            end = min(max(range.end.column, start), scalars.count + 1)
        }
        // A line longer than a terminal line is shown as a window of it around the start
        // of the range, with `…` where it was cut.
        var clippedLeft = false, clippedRight = false
        if scalars.count > Self.excerptWidth {
            let lo = max(0, min(start - 1 - Self.excerptLead, scalars.count - Self.excerptWidth))
            let hi = lo + Self.excerptWidth
            clippedLeft = lo > 0
            clippedRight = hi < scalars.count
            scalars = Array(scalars[lo..<hi])
            start -= lo
            end = min(end - lo, hi - lo + 1)
        }
        let count = scalars.count
        if end <= start { end = start + 1 }  // empty range: one caret

        // The caret line is ASCII (spaces, tabs, `^`, `~`): built as bytes.
        let space: UInt8 = 0x20, tab: UInt8 = 0x09, caret: UInt8 = 0x5E, tilde: UInt8 = 0x7E
        var marks: [UInt8] = clippedLeft ? [space] : []
        marks.reserveCapacity(end + 1)
        for i in 1..<end {
            let scalar: Unicode.Scalar? = i <= count ? scalars[i - 1] : nil
            if scalar == "\t" {
                // Keep the tab so what follows lines up; a range starting on a tab still
                // gets its caret (then the tab, if marks follow).
                if i == start { marks.append(caret); if i + 1 < end { marks.append(tab) } } else { marks.append(tab) }
                continue
            }
            let width = scalar.map(displayWidth) ?? 1
            if i < start {
                for _ in 0..<width { marks.append(space) }
            } else if i == start {
                marks.append(caret)
                for _ in 0..<max(0, width - 1) { marks.append(tilde) }
            } else {
                for _ in 0..<width { marks.append(tilde) }
            }
        }
        let number = String(range.start.line)
        let gutter = String(repeating: " ", count: number.count)
        let markLine: String
        if let first = marks.firstIndex(where: { $0 != space && $0 != tab }) {
            markLine = String(decoding: marks[..<first], as: UTF8.self) + color.green(String(decoding: marks[first...], as: UTF8.self))
        } else {
            markLine = String(decoding: marks, as: UTF8.self)
        }
        // A line shown whole is the sanitised line itself (rebuilding it scalar by scalar
        // costs more than the rest of the excerpt).
        let text = clippedLeft || clippedRight
            ? (clippedLeft ? "…" : "") + String(String.UnicodeScalarView(scalars)) + (clippedRight ? "…" : "")
            : sanitized
        return color.dim("  \(number) |") + (text.isEmpty ? "" : " " + text) + "\n"
            + color.dim("  \(gutter) |") + " " + markLine + "\n"
    }
}

func normaliseNewlines(_ text: String) -> String {
    // On bytes: the generic `replacing` of string processing costs more than the report.
    guard anyByte(text, { $0 == 0x0D }) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var previousCR = false
    for b in text.utf8 {
        if b == 0x0A && previousCR { previousCR = false; continue }
        previousCR = b == 0x0D
        out.append(previousCR ? 0x0A : b)
    }
    return String(decoding: out, as: UTF8.self)
}

/// ANSI SGR sequences, or nothing.
struct Palette {
    let enabled: Bool
    private func wrap(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    func bold(_ t: String) -> String { wrap("1", t) }
    func dim(_ t: String) -> String { wrap("2", t) }
    func green(_ t: String) -> String { wrap("32", t) }
    func boldRed(_ t: String) -> String { wrap("1;31", t) }
    func severity(_ s: Severity, _ t: String) -> String {
        switch s {
        case .error: wrap("1;31", t)
        case .warning: wrap("1;33", t)
        case .info: wrap("1;36", t)
        case .style, .off: wrap("1;35", t)
        }
    }
}
