import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `npm install pkg` without `@version`: one finding per install command, naming its unpinned packages.
final class PinNpmVersionsRule: LintRule {
    static let code = "DL3016"
    static let installWords: Set<String> = ["install", "i", "add", "isntall", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal"]
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.npm], selects: { Self.installWords.contains($0.subcommand.first ?? "") },
                       lead: "Pin versions in npm",
                       advice: "Instead of `npm install <package>` use `npm install <package>@<version>`", &sink)
    }
}
