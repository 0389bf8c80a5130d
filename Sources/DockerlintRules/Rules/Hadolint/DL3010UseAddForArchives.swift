import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// A tar archive COPYed from the context and then extracted in a RUN of the same stage:
/// ADD extracts it in one step, without the archive staying in a layer.
final class UseAddForArchivesRule: LintRule {
    static let code = "DL3010"
    /// Archives ADD extracts: tar, plain or compressed (gzip, bzip2, xz, zstd).
    static let tarSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst"]
    static let decompressors: Set<String> = ["gunzip", "bunzip2", "unxz", "unzstd", "zcat", "bzcat", "xzcat", "zstdcat"]

    struct Copied { var basename: String; var range: SourceRange; var stage: Int; var reported = false }
    var copied: [Copied] = []
    init() {}

    static func basename(_ p: String) -> String {
        var s = Substring(p)
        while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
        if let k = s.lastIndex(of: "/") { s = s[s.index(after: k)...] }
        return String(s)
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let s = i.stageIndex else { return }
        if i.syntax.kind == .copy, case .copy(let c)? = i.typed?.command, c.from == nil {
            for src in c.sources {
                let l = src.value.lowercased()
                guard !l.contains("$"), Self.tarSuffixes.contains(where: { l.hasSuffix($0) }) else { continue }
                copied.append(Copied(basename: Self.basename(src.value), range: src.range, stage: s))
            }
            return
        }
        guard i.syntax.kind == .run, !copied.isEmpty, let rs = RunScript.of(i, context) else { return }
        for c in rs.effectiveCommands {
            guard let name = c.name else { continue }
            let extracts: Bool
            if name == "tar" {
                let first = c.arguments.first?.staticValue ?? ""
                // `tar -xf`, `tar --extract`, or the old `tar xzf` (first word without a dash).
                extracts = c.hasFlag("x", "extract", "get") || (!first.hasPrefix("-") && first.contains("x") && first.allSatisfy(\.isLetter))
            } else {
                extracts = Self.decompressors.contains(name)
            }
            guard extracts else { continue }
            let names = Set(c.arguments.compactMap { $0.staticValue.map(Self.basename) })
            for k in copied.indices where copied[k].stage == s && !copied[k].reported && names.contains(copied[k].basename) {
                copied[k].reported = true
                sink.report(copied[k].range, "Use `ADD` for extracting archives into an image")
            }
        }
    }
}
