import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `ADD <git repository>` at a branch or tag (every new commit upstream re-keys the steps
/// after it), and, for the classic builder only, `ADD <url>` of a fixed artifact without
/// `--checksum` (downloaded again on every build; BuildKit revalidates it by ETag).
final class RemoteAddUnpinnedRule: LintRule {
    static let code = "DC1005"
    init() {}

    static func isGit(_ s: String) -> Bool {
        if s.hasPrefix("git@") || s.hasPrefix("git://") || s.hasPrefix("ssh://") { return true }
        let base = s.split(separator: "#", maxSplits: 1).first.map(String.init) ?? s
        return (s.hasPrefix("https://") || s.hasPrefix("http://")) && (base.hasSuffix(".git") || base.hasSuffix(".git/"))
    }

    /// True when the URL names content meant to change: `latest`, `nightly`, a branch
    /// (`master`, `main`, `HEAD`), a variable, or no version or digest anywhere in it.
    static func meantToMove(raw: String, _ url: String) -> Bool {
        // `${BRANCH}`, `$CHANNEL`, `${GIT_REF}`: a moving target by name.
        if raw.contains("$") {
            let upper = raw.uppercased()
            if ["BRANCH", "CHANNEL", "_REF", "{REF", "$REF"].contains(where: upper.contains) { return true }
        }
        let lower = url.lowercased()
        let parts = lower.split(whereSeparator: { "/?#&=._-+".contains($0) }).map(String.init)
        let moving: Set<String> = ["latest", "nightly", "snapshot", "master", "main", "head", "trunk", "develop", "dev", "current",
                                   "stable", "edge", "unstable", "tip", "canary", "beta", "next"]
        if parts.contains(where: moving.contains) { return true }
        // A version (`1.2`, `v3`, `20.04`) or a digest makes it a fixed artifact.
        let path = lower.split(separator: "/", maxSplits: 3).dropFirst(2).joined(separator: "/")
        var sawDigit = false
        var prevDigitDot = false
        for ch in path {
            if ch.isNumber { if prevDigitDot { return false }; sawDigit = true; prevDigitDot = false; continue }
            prevDigitDot = sawDigit && ch == "."
            if !ch.isNumber && ch != "." { sawDigit = false }
        }
        if path.split(whereSeparator: { !$0.isHexDigit }).contains(where: { $0.count >= 12 }) { return false }
        if path.split(separator: "/").contains(where: { $0.count >= 2 && $0.first == "v" && $0.dropFirst().allSatisfy(\.isNumber) }) { return false }
        return true
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
                // A URL meant to move (`latest`, a branch, a variable, no version at all) is
                // fetched for its current content: a checksum would break the next build.
                if RemoteAddUnpinnedRule.meantToMove(raw: src.value, value) { continue }
                // BuildKit revalidates the source (If-None-Match, a 304 downloads nothing) and keys
                // the steps after it by the file's content, so a fixed artifact costs the cache
                // nothing there (verified on BuildKit 0.8 and 0.13): a checksum would be
                // supply-chain hygiene, not a cache finding. The classic builder downloads it again.
                guard context.configuration.builder == .classic else { continue }
                sink.report(src.range, "`ADD \(value)` is downloaded again on every build by the classic builder, which does not "
                    + "revalidate a remote source (the steps after it still hit while the file is unchanged); BuildKit revalidates it "
                    + "instead, or fetch it in a RUN whose command names the version, which the cache keys by its text",
                    relatedLines: [i.syntax.startLine])
            }
        }
    }
}
