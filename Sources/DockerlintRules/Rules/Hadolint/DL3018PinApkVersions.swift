import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apk add pkg` without a version: reported at each unpinned package word.
final class PinApkVersionsRule: LintRule {
    static let code = "DL3018"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        reportUnpinned(rs, managers: [.apk], subcommands: ["add"], { _ in
            "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`"
        }, &sink)
    }
}
