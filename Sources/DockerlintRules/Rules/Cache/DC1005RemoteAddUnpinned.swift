import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `ADD <url>` without `--checksum` and `ADD <git repository>` at a branch or tag: the
/// builder fetches them again on every build, and every change upstream re-keys the steps after.
final class RemoteAddUnpinnedRule: LintRule {
    static let code = "DC1005"
    init() {}

    static func isGit(_ s: String) -> Bool {
        if s.hasPrefix("git@") || s.hasPrefix("git://") || s.hasPrefix("ssh://") { return true }
        let base = s.split(separator: "#", maxSplits: 1).first.map(String.init) ?? s
        return (s.hasPrefix("https://") || s.hasPrefix("http://")) && (base.hasSuffix(".git") || base.hasSuffix(".git/"))
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .add(let add)? = i.typed?.command, add.from == nil else { return }
        for (k, src) in add.sources.enumerated() {
            let value = (i.resolved?.sources).flatMap { k < $0.count ? $0[k] : nil } ?? src.value
            if RemoteAddUnpinnedRule.isGit(value) {
                let ref = value.split(separator: "#", maxSplits: 1).dropFirst().first.map { String($0.split(separator: ":").first ?? $0) }
                if add.checksum != nil { continue }
                if let ref, ref.count == 40, ref.allSatisfy(\.isHexDigit) { continue }
                sink.report(src.range, "`ADD \(value)` fetches \(ref.map { "the git ref \($0)" } ?? "the default branch") on every build: "
                    + "each new commit upstream re-runs this step and every step after it; pin a commit (`#<sha>`) or add --checksum=<commit>",
                    relatedLines: [i.syntax.startLine])
            } else if value.hasPrefix("http://") || value.hasPrefix("https://") {
                if add.checksum != nil { continue }
                sink.report(src.range, "`ADD \(value)` without --checksum is downloaded again on every build, and any change "
                    + "of the remote file re-runs this step and every step after it; add --checksum=sha256:<digest>",
                    relatedLines: [i.syntax.startLine])
            }
        }
    }
}
