import DockerlintCore
import DockerlintModel

/// The USER an image ends with should be numeric: a name cannot be checked for
/// "non-root" by Kubernetes' `runAsNonRoot` and may not resolve on the host.
final class NonNumericUserRule: LintRule {
    static let code = "DL3066"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        for s in context.model.stages {
            guard let last = s.instructions.last(where: { $0.syntax.kind == .user }),
                  case .user(let u)? = last.typed?.command else { continue }
            let raw = Labels.unquote(u.value.value)
            let user = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? raw
            if user.contains("$") || user.isEmpty { continue }
            if user.utf8.allSatisfy(LabelValidators.isDigit) { continue }
            sink.report(u.value.range, "Non-numeric user-id may not be resolvable by host system")
        }
    }
}
