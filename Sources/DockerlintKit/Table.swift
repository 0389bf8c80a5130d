// The tables of the terminal and Markdown outputs: the steps of a build or of a history
// (simulate, compare, report, optimize), the builds of a history, the rule list. One
// renderer owns column widths, alignment, colour and Markdown's header and alignment rows;
// the callers choose the columns and the cells (escaped for Markdown by the caller, since a
// cell may be a code span or a link).

import DockerlintSupport

struct Table {
    enum Alignment: Sendable { case left, right, center }

    struct Column: Sendable {
        var header: String
        var alignment: Alignment
        /// On the terminal: the width the cells are padded to (never cut); 0 pads nothing.
        var width: Int
        /// On the terminal: the text written before the column's cell.
        var gap: String

        static func left(_ header: String, _ width: Int = 0, gap: String = "") -> Column {
            Column(header: header, alignment: .left, width: width, gap: gap)
        }

        static func right(_ header: String, _ width: Int = 0, gap: String = "") -> Column {
            Column(header: header, alignment: .right, width: width, gap: gap)
        }

        static func center(_ header: String) -> Column {
            Column(header: header, alignment: .center, width: 0, gap: "")
        }
    }

    struct Row: Sendable {
        var cells: [String]
        /// On the terminal: the ANSI SGR parameters a cell (by column index) is painted with.
        var styles: [Int: String] = [:]
        /// On the terminal: text after the cells (a row that gives fewer cells than columns
        /// ends with it, e.g. an error in place of the figures).
        var trailing = ""
    }

    var columns: [Column]
    var rows: [Row] = []
    /// On the terminal: control characters in cells (an escape sequence or a line break in a
    /// file name or a Dockerfile line) are written escaped (`OneLine.escaped`), so that no
    /// cell can move the cursor, recolour the terminal or break its row. Off only for a table
    /// whose caller paints parts of cells itself and escapes their text.
    var escapesControlCharacters = true

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ cells: [String], styles: [Int: String] = [:], trailing: String = "") {
        rows.append(Row(cells: cells, styles: styles, trailing: trailing))
    }

    // MARK: terminal

    /// `s` padded with spaces to `width` characters on the side `alignment` leaves free.
    static func pad(_ s: String, _ width: Int, _ alignment: Alignment = .left) -> String {
        let n = width - s.count
        guard n > 0 else { return s }
        switch alignment {
        case .left: return s + String(repeating: " ", count: n)
        case .right: return String(repeating: " ", count: n) + s
        case .center: return String(repeating: " ", count: n / 2) + s + String(repeating: " ", count: n - n / 2)
        }
    }

    /// `s`, or its first `width - 1` characters and `…` when it is longer than `width`.
    static func clip(_ s: String, _ width: Int) -> String {
        s.count > width ? String(s.prefix(width - 1)) + "…" : s
    }

    private func line(_ cells: [String], styles: [Int: String], color: Bool) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() where i < columns.count {
            let c = columns[i]
            let padded = Table.pad(escapesControlCharacters ? OneLine.escaped(cell) : cell, c.width, c.alignment)
            out += c.gap
            if color, let sgr = styles[i] { out += "\u{1B}[\(sgr)m" + padded + "\u{1B}[0m" } else { out += padded }
        }
        return out
    }

    /// The table for the terminal, one line per row (the header first when `header`), each
    /// line starting with `indent`.
    func lines(color: Bool = false, header: Bool = true, indent: String = "") -> [String] {
        var out: [String] = []
        if header { out.append(indent + line(columns.map(\.header), styles: [:], color: false)) }
        for r in rows { out.append(indent + line(r.cells, styles: r.styles, color: color) + r.trailing) }
        return out
    }

    /// `lines`, each ended by a newline.
    func text(color: Bool = false, header: Bool = true, indent: String = "") -> String {
        lines(color: color, header: header, indent: indent).map { $0 + "\n" }.joined()
    }

    // MARK: Markdown

    /// The table in GitHub-flavoured Markdown, one line per row: the header row (an empty
    /// header is `| |`), the alignment row, the rows.
    func markdownLines() -> [String] {
        var out = ["|" + columns.map { $0.header.isEmpty ? " " : " \($0.header) " }.joined(separator: "|") + "|"]
        out.append("|" + columns.map {
            switch $0.alignment {
            case .left: return "---"
            case .right: return "---:"
            case .center: return ":-:"
            }
        }.joined(separator: "|") + "|")
        for r in rows { out.append("| " + r.cells.joined(separator: " | ") + " |") }
        return out
    }

    /// `markdownLines`, each ended by a newline.
    func markdown() -> String { markdownLines().map { $0 + "\n" }.joined() }
}
