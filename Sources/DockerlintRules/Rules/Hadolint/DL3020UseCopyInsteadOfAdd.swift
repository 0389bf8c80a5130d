import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// ADD of plain local files, where COPY says what happens.
final class UseCopyInsteadOfAddRule: LintRule {
    static let code = "DL3020"
    init() {}

    /// Names ADD would extract (tar, optionally compressed) or that are plainly archives.
    static let archiveSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz",
                                  ".tar.lzma", ".tlz", ".tar.z", ".taz", ".tz", ".tar.zst", ".tzst", ".gz", ".bz2", ".xz",
                                  ".lz", ".lzma", ".z", ".zst", ".zip", ".7z"]

    static func isRemoteOrArchive(_ s: String) -> Bool {
        let l = s.lowercased()
        if l.contains("://") || l.hasPrefix("git@") { return true }
        return archiveSuffixes.contains { l.hasSuffix($0) }
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .add, case .add(let c)? = i.typed?.command, !c.sources.isEmpty else { return }
        // ADD-only features.
        if c.checksum != nil || c.keepGitDir != nil || c.unpack != nil { return }
        var sources = c.sources.map(\.value)
        if sources.contains(where: { $0.contains("$") }) {
            // A variable may hold a URL: judge the expanded values, or nothing when unknown.
            guard let r = i.resolved?.sources, r.count == sources.count,
                  r.allSatisfy({ !$0.isEmpty && !$0.contains("$") }) else { return }
            sources = r
        }
        if sources.contains(where: Self.isRemoteOrArchive) { return }
        let kw = i.syntax.keywordRange
        let replacement = i.syntax.keyword == i.syntax.keyword.lowercased() ? "copy"
            : i.syntax.keyword == i.syntax.keyword.uppercased() ? "COPY" : "Copy"
        let fix = Fix(title: "Use COPY", edits: [TextEdit(range: kw, replacement: replacement)], applicability: .safe)
        sink.report(kw, "Use COPY instead of ADD for files and folders", fix: fix)
    }
}
