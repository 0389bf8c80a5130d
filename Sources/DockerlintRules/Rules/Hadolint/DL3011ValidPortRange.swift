import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// EXPOSE of a port (or range end) above 65535.
final class ValidPortRangeRule: LintRule {
    static let code = "DL3011"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        let ports: [Argument]
        if case .expose(let e)? = i.typed?.command {
            ports = e.ports
        } else if i.syntax.kind == .onbuild, let child = i.syntax.child?.value, child.kind == .expose {
            // BuildKit rejects a bad port in EXPOSE itself; in a trigger it fails only in the child build.
            ports = child.arguments
        } else {
            return
        }
        for p in ports {
            var v = Substring(p.value)
            if v.contains("$") { continue }
            if let slash = v.firstIndex(of: "/") { v = v[..<slash] }
            // `ip:host:container` forms: the container port is last.
            if let colon = v.lastIndex(of: ":") { v = v[v.index(after: colon)...] }
            let bounds = v.split(separator: "-", omittingEmptySubsequences: false)
            guard !bounds.isEmpty, bounds.count <= 2, bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { continue }
            if bounds.contains(where: { $0.count > 5 || Int($0)! > 65535 }) {
                sink.report(p.range, "Valid UNIX ports range from 0 to 65535")
            }
        }
    }
}
