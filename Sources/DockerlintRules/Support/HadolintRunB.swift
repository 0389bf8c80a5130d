import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// Shared pieces of the package-manager RUN rules of DL3030 and up.
enum RunRulesB {
    /// Package commands of `managers` in a RUN or ONBUILD RUN.
    static func packageCommands(_ i: ModelInstruction, _ context: LintContext, _ managers: [PackageManager]) -> (RunScript, [PackageCommand])? {
        guard let rs = RunScript.of(i, context) else { return nil }
        let cmds = rs.packageCommands.filter { managers.contains($0.manager) }
        return cmds.isEmpty ? nil : (rs, cmds)
    }

    /// The range of a package command's subcommand word (`install`), else its command word.
    static func subcommandRange(_ rs: RunScript, _ c: PackageCommand) -> SourceRange {
        if let first = c.subcommand.first, let w = c.invocation.arguments.first(where: { $0.staticValue == first }) {
            return rs.range(of: w)
        }
        return rs.range(of: c.invocation)
    }

    /// True when an `rm` in the script removes a path starting with one of `prefixes`
    /// (after the package command at `offset`).
    static func removes(_ rs: RunScript, after offset: Int, prefixes: [String]) -> Bool {
        rs.commands(named: "rm").contains { rm in
            rm.range.start > offset && rm.arguments.contains { a in
                let t = a.unquoted
                return prefixes.contains { t.hasPrefix($0) }
            }
        }
    }

    /// A cache or tmpfs mount whose target is `path` or ends with `/suffix`.
    static func hasCacheMount(_ rs: RunScript, paths: [String] = [], suffixes: [String] = []) -> Bool {
        rs.mounts.contains { m in
            guard m.type == .cache || m.type == .tmpfs, var t = m.target else { return false }
            while t.count > 1, t.hasSuffix("/") { t.removeLast() }
            return paths.contains(t) || suffixes.contains { t.hasSuffix("/" + $0) || t == $0 }
        }
    }

    /// True when a later command of the script is `<manager> clean <what>`.
    static func cleans(_ rs: RunScript, after offset: Int, managers: [PackageManager], all: Bool) -> Bool {
        rs.packageCommands.contains { c in
            managers.contains(c.manager) && c.isClean && c.invocation.range.start > offset
                && (!all || c.invocation.arguments.contains { $0.staticValue == "all" })
        }
    }
}
