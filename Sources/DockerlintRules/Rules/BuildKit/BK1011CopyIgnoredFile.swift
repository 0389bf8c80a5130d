import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// COPY (from the build context) or ADD of a local path that `.dockerignore` excludes: the
/// file is not sent to the builder, so the instruction fails or copies less than meant.
/// As in BuildKit, nothing is judged when the ignore file has exception (`!`) patterns.
final class CopyIgnoredFileRule: LintRule {
    static let code = "BK1011"
    init() {}
    private var loaded = false
    private var ignore: DockerIgnore?

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case let cmd? = i.typed?.command else { return }
        let c: CopyCommand
        switch cmd {
        case .copy(let x): guard x.from == nil else { return }; c = x
        case .add(let x): c = x
        default: return
        }
        if !loaded { loaded = true; ignore = Self.load(context) }
        guard let ig = ignore, !ig.patterns.isEmpty, !ig.hasExceptions, let resolved = i.resolved?.sources else { return }
        for (arg, src) in zip(c.sources, resolved) {
            if c.isAdd && Self.isRemote(src) { continue }
            let clean = goPathClean(src)
            if clean == "." || clean == "/" {
                guard ig.patterns.contains(where: { !$0.isException && ["*", "**", "**/*"].contains($0.text) }) else { continue }
            }
            guard (try? ig.matchesOrParentMatches(clean)) == true else { continue }
            sink.report(arg.range, "Attempting to \(c.isAdd ? "Add" : "Copy") file \(goQuote(clean)) that is excluded by .dockerignore")
        }
    }

    static func isRemote(_ s: String) -> Bool {
        s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("git@") || s.hasPrefix("git://") || s.hasPrefix("ssh://")
    }

    /// The ignore file that applies (`IgnoreFile.select`); nil when there is none or it
    /// does not parse.
    static func load(_ context: LintContext) -> DockerIgnore? {
        (try? DockerIgnore.load(dockerfile: context.path, contextDirectory: context.contextDirectory))??.ignore
    }
}
