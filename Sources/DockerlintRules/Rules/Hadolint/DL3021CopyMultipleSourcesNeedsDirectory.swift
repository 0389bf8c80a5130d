import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// COPY/ADD of several sources to a destination that does not end in `/`.
final class CopyMultipleSourcesNeedsDirectoryRule: LintRule {
    static let code = "DL3021"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        let c: CopyCommand
        switch i.typed?.command {
        case .copy(let x)?: c = x
        case .add(let x)?: c = x
        default: return
        }
        guard c.sources.count + c.inlineSources.count > 1 else { return }
        let dest = c.destination.value
        let unquoted = String(dest.drop { $0 == "\"" || $0 == "'" }.reversed().drop { $0 == "\"" || $0 == "'" }.reversed())
        if unquoted.hasSuffix("/") || unquoted.hasSuffix("\\") { return }
        if let r = i.resolved?.destination, r.hasSuffix("/") { return }
        if dest.contains("$") && i.resolved?.destination == nil { return }
        let name = i.syntax.kind == .add ? "ADD" : "COPY"
        let r = c.destination.range
        var fix: Fix?
        if dest == unquoted, r.end.offset - r.start.offset == dest.utf8.count {
            fix = Fix(title: "Add a trailing /", edits: [TextEdit(range: SourceRange(at: r.end), replacement: "/")], applicability: .safe)
        }
        sink.report(r, "\(name) with more than 2 arguments requires the last argument to end with /", fix: fix)
    }
}
