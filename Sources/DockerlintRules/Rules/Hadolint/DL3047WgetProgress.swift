import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `wget` without `--progress`, `-q`, `-nv`, `-o` or `-a` floods the build log with a
/// progress bar (+ONBUILD).
final class WgetProgressRule: LintRule {
    static let code = "DL3047"
    init() {}
    /// Short options of wget that take a value (the rest of a cluster is that value).
    static let valueShort: Set<Character> = ["O", "o", "a", "P", "t", "T", "U", "e", "w", "Q", "i", "B", "l", "A", "R", "D", "X", "I", "Y"]

    static func quietens(_ args: [Word]) -> Bool {
        for a in args {
            let t = a.unquoted
            if t == "--" { break }
            if t.hasPrefix("--") {
                let name = t.dropFirst(2).prefix { $0 != "=" }
                if ["progress", "quiet", "no-verbose", "output-file", "append-output"].contains(String(name)) { return true }
                continue
            }
            guard t.hasPrefix("-"), t.count > 1 else { continue }
            if t == "-nv" { return true }
            for f in t.dropFirst() {
                if f == "q" || f == "o" || f == "a" { return true }
                if valueShort.contains(f) { break }
            }
        }
        return false
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for c in rs.commands(named: "wget") where !Self.quietens(c.arguments) {
            sink.report(rs.range(of: c), "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).")
        }
    }
}
