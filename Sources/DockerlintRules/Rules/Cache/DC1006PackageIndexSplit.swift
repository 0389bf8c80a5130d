import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// `apt-get update` (apk, yum, ...) alone in a RUN, the install in a later RUN: the cached
/// update layer keeps an index that gets older with every build, and a changed install
/// line installs from it (or fails on packages that are gone).
final class PackageIndexSplitRule: LintRule {
    static let code = "DC1006"
    init() {}

    static func family(_ m: PackageManager) -> Int? {
        switch m {
        case .aptGet, .apt, .aptitude: return 1
        case .apk: return 2
        case .yum, .dnf, .microdnf: return 3
        case .zypper: return 4
        default: return nil
        }
    }

    /// The first index update (`apt-get update`, `apk update`) of a RUN whose every named
    /// command, seen through wrappers, is one; nil otherwise.
    static func onlyIndexUpdates(_ rs: RunScript) -> PackageCommand? {
        var first: PackageCommand? = nil
        for inv in rs.effectiveCommands where inv.name != nil {
            guard let pc = PackageCommand.parse(inv),
                  pc.action == .update || (pc.manager.isSystemPackageManager && pc.subcommand.first == "update" && pc.action != .upgrade)
            else { return nil }
            if first == nil { first = pc }
        }
        return first
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .run, let rs = RunScript.ofRun(i, context), let update = Self.onlyIndexUpdates(rs),
              let fam = PackageIndexSplitRule.family(update.manager) else { return }
        let insts = context.stageInstructions(i)
        guard let idx = insts.firstIndex(where: { $0.syntax.range.start.offset == i.syntax.range.start.offset }) else { return }
        for n in insts[(idx + 1)...] where n.syntax.kind == .run {
            guard let nrs = RunScript.ofRun(n, context) else { continue }
            let pcs = nrs.packageCommands.filter { PackageIndexSplitRule.family($0.manager) == fam }
            if pcs.contains(where: { $0.action == .update || $0.subcommand.first == "update" || $0.subcommand.first == "makecache" || $0.subcommand.first == "refresh" }) { return }
            guard let install = pcs.first(where: { $0.action == .install || $0.action == .upgrade }) else { continue }
            let updateText = rs.script.source.trimmingCharacters(in: .whitespacesAndNewlines)
            let message = "`\(updateText)` runs in a RUN of its own: its cached layer keeps the package index of the first build, "
                + "and `\(n.shortText)` (line \(n.syntax.startLine)) installs from that stale index whenever it changes; update and install in the same RUN"
            var fix: Fix? = nil
            if i.syntax.flags.isEmpty, !rs.isExecForm, !rs.isHeredocScript, !nrs.isExecForm, !nrs.isHeredocScript,
               !updateText.contains("\n"), !updateText.contains("\\") {
                let src = context.source
                let lines = InstructionLines.of(i.syntax, context.dockerfile, withComments: false)
                let at = n.syntax.argumentsRange.start
                fix = Fix(title: "Run the index update in the install's RUN",
                          edits: [LineEdits.delete(lines.first, lines.last, src),
                                  TextEdit(range: SourceRange(at: at), replacement: updateText + " && ")],
                          applicability: .safe)
                _ = install
            }
            sink.report(rs.range(of: update.invocation), message, fix: fix, relatedLines: [n.syntax.startLine])
            return
        }
    }
}
