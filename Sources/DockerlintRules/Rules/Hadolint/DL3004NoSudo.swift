import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `sudo` in RUN: the build already runs as the USER it needs.
final class NoSudoRule: LintRule {
    static let code = "DL3004"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for c in rs.commands {
            let word: Word?
            if c.name == "sudo" {
                word = c.commandWord
            } else if c.effective.wrappers.contains("sudo") {
                // Reached through another wrapper (`env FOO=1 sudo ...`).
                word = c.arguments.first { $0.staticValue.map { $0 == "sudo" || $0.hasSuffix("/sudo") } ?? false }
            } else {
                continue
            }
            sink.report(word.map(rs.range(of:)) ?? rs.range(of: c),
                        "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root")
        }
    }
}
