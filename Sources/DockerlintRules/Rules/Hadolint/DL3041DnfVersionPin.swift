import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `dnf install` (+ONBUILD): one finding per install command, naming its unpinned packages.
final class DnfVersionPinRule: LintRule {
    static let code = "DL3041"
    init() {}
    /// `reinstall` installs the versions already there; a group cannot be pinned.
    static let notPinnable: Set<String> = ["reinstall", "groupinstall", "group"]

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.dnf, .microdnf], selects: { $0.isInstall && !Self.notPinnable.contains($0.subcommand.first ?? "") }, lead: "Specify version with `dnf install -y <package>-<version>`",
                       advice: "", &sink)
    }
}
