import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Consecutive RUN instructions that are each one cheap command: merging them saves a
/// layer and costs no caching. A RUN that installs or fetches dependencies, downloads,
/// clones or builds is never asked to merge: keeping it a layer of its own is what keeps
/// it cached when the steps after it change.
final class ConsecutiveRunsRule: LintRule {
    static let code = "DL3059"
    init() {}
    var previous: (stage: Int?, flags: [String], cheap: Bool)?

    /// Commands whose layer is worth caching apart from what follows.
    static let expensive: Set<String> = [
        "curl", "wget", "git", "svn", "hg", "make", "cmake", "ninja", "meson", "gcc", "g++", "cc", "clang", "rustc",
        "javac", "tsc", "webpack", "vite", "docker", "helm", "conda", "mamba", "micromamba", "sdkmanager", "rustup",
        "nvm", "pyenv", "rbenv", "asdf", "bazel", "scons", "luarocks", "cpanm", "cpan", "R", "Rscript", "julia",
    ]

    static func isCheap(_ rs: RunScript) -> Bool {
        if rs.isHeredocScript { return false }
        // One command: chained commands (and command substitutions) are a deliberate split,
        // as hadolint takes them.
        let cmds = rs.effectiveCommands
        if cmds.count > 1 { return false }
        for c in cmds {
            if let n = c.name, expensive.contains(n) { return false }
            if let n = c.name, n.hasSuffix(".sh") || n.hasPrefix("./") || n.hasPrefix("/") && n.hasSuffix("install") { return false }
        }
        for p in rs.packageCommands where [.install, .update, .upgrade, .download, .build, .run].contains(p.action) {
            return false
        }
        return true
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .run, let rs = RunScript.ofRun(i, context) else {
            previous = nil
            return
        }
        let flags = i.syntax.flags.map(\.text)
        let cheap = Self.isCheap(rs)
        if let p = previous, p.stage == i.stageIndex, p.flags == flags, p.cheap, cheap {
            sink.report(i.syntax.keywordRange, "Multiple consecutive `RUN` instructions. Consider consolidation.")
        }
        previous = (i.stageIndex, flags, cheap)
    }
}
