import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Images from registries outside `trustedRegistries` (FROM, COPY --from, RUN --mount from=).
final class TrustedRegistryRule: LintRule {
    static let code = "DL3026"
    init() {}

    static func isTrusted(_ registry: String, _ trusted: [String]) -> Bool {
        let r = registry.lowercased()
        let hub = r == "docker.io" || r == "index.docker.io" || r == "registry-1.docker.io" || r == "hub.docker.com"
        for t in trusted.map({ $0.lowercased() }) {
            if t == r { return true }
            if hub && (t == "docker.io" || t == "hub.docker.com" || t == "index.docker.io") { return true }
            if t == "*" { return true }
            if t.hasPrefix("*"), r.hasSuffix(t.dropFirst()) { return true }
            if t.hasSuffix("*"), r.hasPrefix(t.dropLast()) { return true }
        }
        return false
    }

    func check(_ image: String, _ range: SourceRange, _ context: LintContext, _ sink: inout FindingSink) {
        if image.isEmpty || image.contains("$") || image.lowercased() == "scratch" { return }
        let ref = ImageReference(image)
        if !Self.isTrusted(ref.effectiveRegistry, context.configuration.trustedRegistries) {
            sink.report(range, "Use only an allowed registry in the FROM image")
        }
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        let trusted = context.configuration.trustedRegistries
        guard !trusted.isEmpty, let s = i.stageIndex else { return }
        let stages = context.model.stages
        switch i.typed?.command {
        case .from(let f)?:
            guard stages.indices.contains(s) else { return }
            if case .image(let name) = stages[s].base {
                check(name.isEmpty ? f.image.value : name, f.image.range, context, &sink)
            }
        case .copy(let c)?:
            guard let from = c.from else { return }
            // Only image references (a stage name or index is not a registry).
            for d in stages.indices.contains(s) ? stages[s].dependencies : [] where d.kind == .copyFrom && d.stage == nil {
                if d.range.start.offset >= i.syntax.range.start.offset && d.range.end.offset <= i.syntax.range.end.offset, let img = d.image {
                    check(img, from.range, context, &sink)
                }
            }
        case .run(let r)?:
            for (k, m) in (i.resolved?.mounts ?? r.mounts).enumerated() {
                guard let from = m.from, !from.isEmpty else { continue }
                if stages.prefix(s + 1).contains(where: { $0.name == from.lowercased() }) || Int(from) != nil { continue }
                let range = k < r.mountFlags.count ? r.mountFlags[k].range : i.syntax.range
                check(from, range, context, &sink)
            }
        default:
            return
        }
    }
}
