import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// In a file that already uses BuildKit, package-manager caches deleted in the layer could
/// be kept in a cache mount instead: same image size, and a changed install downloads only
/// what is new.
final class PreferCacheMountRule: LintRule {
    static let code = "DC1007"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .run, context.usesBuildKit, let rs = RunScript.ofRun(i, context) else { return }
        func suggest(_ range: SourceRange, _ what: String, _ targets: [String]) {
            if targets.allSatisfy({ rs.hasCacheOrTmpfsMount(at: $0) }) { return }
            let mounts = targets.map { "--mount=type=cache,target=\($0)" }.joined(separator: " ")
            sink.report(range, "\(what) is thrown away in the layer, so each time this RUN re-runs it downloads everything again; "
                + "with BuildKit, `RUN \(mounts)` keeps it between builds outside the image", relatedLines: [i.syntax.startLine])
        }
        for pc in rs.packageCommands {
            switch pc.manager {
            case .pip, .uv:
                if let o = pc.options.first(where: { $0.name == "no-cache-dir" || $0.name == "no-cache" }) {
                    suggest(rs.range(o.range), "`--\(o.name)` means the \(pc.manager == .uv ? "uv" : "pip") cache",
                            [pc.manager == .uv ? "/root/.cache/uv" : "/root/.cache/pip"])
                }
            case .apk:
                if let o = pc.options.first(where: { $0.name == "no-cache" }) {
                    suggest(rs.range(o.range), "`--no-cache` means the apk cache", ["/var/cache/apk"])
                }
            default: break
            }
        }
        // rm -rf of well-known caches.
        let caches: [(String, String, [String])] = [
            ("/var/lib/apt/lists", "the apt package lists", ["/var/lib/apt/lists", "/var/cache/apt"]),
            ("/root/.cache/pip", "the pip cache", ["/root/.cache/pip"]),
            ("/root/.npm", "the npm cache", ["/root/.npm"]),
            ("/usr/local/share/.cache/yarn", "the yarn cache", ["/usr/local/share/.cache/yarn"]),
            ("/var/cache/apk", "the apk cache", ["/var/cache/apk"]),
            ("/root/.cache", "the build cache", ["/root/.cache"]),
        ]
        for cmd in rs.commands(named: "rm") {
            for w in cmd.arguments {
                guard let v = w.staticValue else { continue }
                let p = v.hasSuffix("/*") ? String(v.dropLast(2)) : (v.hasSuffix("/") ? String(v.dropLast()) : v)
                if let hit = caches.first(where: { $0.0 == p }) {
                    suggest(rs.range(of: w), "\(hit.1) (`\(v)`)", hit.2)
                    break
                }
            }
        }
    }
}
