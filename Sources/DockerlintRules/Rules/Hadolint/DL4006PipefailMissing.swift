import DockerlintCore
import DockerlintModel
import DockerlintShell

/// A shell-form RUN with a pipe while pipefail is off: `a | b` succeeds when `a` fails.
final class PipefailMissingRule: LintRule {
    static let code = "DL4006"
    init() {}
    /// Per stage: the shell from SHELL and whether it sets pipefail.
    var shell: [Int: (argv: [String], pipefail: Bool)] = [:]

    static let pipefailShells: Set<String> = ["bash", "zsh", "ash", "ksh", "mksh", "busybox", "dash"]
    static let nonPOSIX: Set<String> = ["pwsh", "powershell", "cmd", "pwsh.exe", "powershell.exe", "cmd.exe"]

    static func basename(_ s: String) -> String {
        String(s.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(s)).lowercased()
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let s = i.stageIndex else { return }
        if shell[s] == nil, let stage = context.stage(of: i), case .stage(let j) = stage.base, let inherited = shell[j] {
            shell[s] = inherited
        }
        if i.syntax.kind == .shell, case .shell(let sh)? = i.typed?.command {
            let argv = sh.shell
            var pf = false
            for (k, a) in argv.enumerated() where a == "-o" && k + 1 < argv.count && argv[k + 1] == "pipefail" { pf = true }
            if argv.contains(where: { $0 == "-eo" || $0 == "-euo" || $0 == "-exo" || $0 == "-euxo" }) && argv.contains("pipefail") { pf = true }
            shell[s] = (argv, pf && Self.pipefailShells.contains(Self.basename(argv.first ?? "")))
            return
        }
        guard i.syntax.kind == .run, let rs = RunScript.ofRun(i, context), !rs.isExecForm else { return }
        if let pragma = context.pragmas.shell, Self.nonPOSIX.contains(Self.basename(pragma.split(separator: " ").first.map(String.init) ?? pragma)) { return }
        if let sh = shell[s] {
            if Self.nonPOSIX.contains(Self.basename(sh.argv.first ?? "")) { return }
            if sh.pipefail { return }
        }
        // The command after the first pipe; when that is a compound command (`a | while read x; do
        // …; done`, `a | ( cd d && tar x )`), the command before it.
        guard let pipe = rs.commands.first(where: { $0.isInPipeline && $0.pipelineIndex > 0 })
                ?? rs.commands.first(where: { $0.isInPipeline && ($0.nextOperator == .pipe || $0.nextOperator == .pipeAll) }) else { return }
        if ShellScript.pipefailEnabled(before: pipe.range.start, in: ShellScript.optionChanges(effective: rs.effectiveCommands)) { return }
        sink.report(rs.range(of: pipe), "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check")
    }
}
