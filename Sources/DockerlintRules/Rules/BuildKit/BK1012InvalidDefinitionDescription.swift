import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// (Preview) A comment directly above a named FROM or an ARG should start with the stage
/// or argument name: `# <name> <description>`. Tool pragmas (`# dockerlint …`, `# hadolint …`,
/// `# check=…`) are not descriptions and are passed over. Only the comment lines directly
/// above count: an empty line separates, as BuildKit's documentation says (its parser
/// keeps comments across empty lines, which the documentation does not promise).
final class InvalidDefinitionDescriptionRule: LintRule {
    static let code = "BK1012"
    init() {}
    private var commentLines: [Int: String]?

    /// The comment block that ends on the line above `line` (stopping at an empty `#`).
    func block(above line: Int, _ context: LintContext) -> [String] {
        if commentLines == nil {
            var m: [Int: String] = [:]
            for c in context.dockerfile.comments where !c.insideContinuation { m[c.range.start.line] = c.text }
            commentLines = m
        }
        var out: [String] = []
        var l = line - 1
        while let t = commentLines?[l], !t.isEmpty { out.insert(t, at: 0); l -= 1 }
        return out
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        let keys: [String]
        let instruction: String
        switch i.typed?.command {
        case .from(let f)?:
            guard let n = f.stageName else { return }
            keys = [n]; instruction = "FROM"
        case .arg(let a)?:
            keys = a.definitions.map(\.key); instruction = "ARG"
        default: return
        }
        let comments = block(above: i.syntax.startLine, context).filter { !Self.isPragma($0) }
        guard let last = comments.last, !keys.isEmpty else { return }
        let first = last.split(separator: " ", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if keys.contains(first) { return }
        let example = keys.count > 1 ? "<arg_key>" : keys[0]
        sink.report(i.syntax.keywordRange, "Comment for \(instruction) should follow the format: `# \(example) <description>`")
    }

    static func isPragma(_ c: String) -> Bool {
        c.hasPrefix("dockerlint ") || c.hasPrefix("hadolint ") || c.hasPrefix("check=") || c.hasPrefix("check ")
    }
}
