import DockerlintCore
import DockerlintSupport

/// GNU style (`file:line.col-endLine.endCol: severity: message [CODE]`), understood by
/// Emacs compilation mode, Vim's errorformat and many editors. One line per finding:
/// line breaks in messages become spaces. The severity word is dockerlint's own
/// (`error`, `warning`, `info`, `style`). The end is exclusive, as everywhere in dockerlint.
public struct GNUReporter: Reporter {
    public init() {}
    public var identifier: String { "gnu" }
    public var description: String { "GNU-style file:line.col-endLine.endCol lines for editors" }

    public func report(_ input: ReportInput) -> String {
        var out = ""
        for d in input.diagnostics {
            let r = d.range
            let message = normaliseNewlines(d.message).split(separator: "\n").joined(separator: " ")
            out += "\(oneLine(d.file)):\(r.start.line).\(r.start.column)-\(r.end.line).\(r.end.column):"
                + " \(d.severity.rawValue): \(sanitizeForTerminal(message)) [\(d.code)]\n"
        }
        return out
    }

    private func oneLine(_ s: String) -> String {
        sanitizeForTerminal(normaliseNewlines(s).split(separator: "\n").joined(separator: " "))
    }
}

/// GitHub Actions workflow commands: one annotation per finding,
/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
/// Data is escaped `%`→`%25`, CR→`%0D`, LF→`%0A`; property values also `:`→`%3A`,
/// `,`→`%2C`. Info and style become `notice`. Columns are given only for single-line
/// ranges (GitHub ignores or rejects them otherwise).
public struct GitHubReporter: Reporter {
    public init() {}
    public var identifier: String { "github" }
    public var aliases: [String] { ["github-actions"] }
    public var description: String { "GitHub Actions workflow commands (annotations)" }

    static func command(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info, .style, .off: "notice"
        }
    }

    public func report(_ input: ReportInput) -> String {
        var out = ""
        for d in input.diagnostics {
            let r = d.range
            let name = input.ruleName(for: d)
            var props = ["file=" + GitHubEscaping.property(d.file), "line=\(r.start.line)"]
            if r.end.line <= r.start.line {
                props.append("col=\(r.start.column)")
                props.append("endLine=\(r.start.line)")
                props.append("endColumn=\(max(r.start.column, r.end.column))")
            } else {
                props.append("endLine=\(r.end.line)")
            }
            props.append("title=" + GitHubEscaping.property(name.isEmpty ? d.code : "\(d.code) \(name)"))
            out += "::\(Self.command(d.severity)) \(props.joined(separator: ","))::\(GitHubEscaping.data(d.message))\n"
        }
        return out
    }
}

/// A Markdown report for pull/merge-request comments: a heading with the summary, then a
/// table File | Line | Severity | Rule | Message, the rule linking to its documentation.
/// Cell text is escaped so `|`, backticks, `<`, `$`, `*` and line breaks render literally.
public struct MarkdownReporter: Reporter {
    public init() {}
    public var identifier: String { "markdown" }
    public var aliases: [String] { ["md"] }
    public var description: String { "A Markdown table for pull-request comments" }

    public func report(_ input: ReportInput) -> String {
        let summary = input.summary
        var out = "### \(Markdown.cell(input.options.toolName)): \(Markdown.cell(summary.sentence))\n"
        guard !input.diagnostics.isEmpty else { return out }
        out += "\n| File | Line | Severity | Rule | Message |\n"
        out += "| --- | ---: | --- | --- | --- |\n"
        for d in input.diagnostics {
            let name = input.ruleName(for: d)
            var rule = Markdown.cell(d.code)
            if let uri = input.helpURI(for: d) { rule = "[\(rule)](\(Markdown.destination(uri)))" }
            if !name.isEmpty { rule += " " + Markdown.cell(name) }
            out += "| \(Markdown.cell(d.file)) | \(d.range.start.line):\(d.range.start.column)"
                + " | \(d.severity.rawValue) | \(rule) | \(Markdown.cell(d.message)) |\n"
        }
        return out
    }
}
