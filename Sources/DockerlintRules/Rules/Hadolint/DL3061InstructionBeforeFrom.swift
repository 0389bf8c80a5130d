import DockerlintCore
import DockerlintModel

/// Only ARG (and comments, parser directives) may come before the first FROM.
final class InstructionBeforeFromRule: LintRule {
    static let code = "DL3061"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        for inst in context.dockerfile.instructions {
            if inst.kind == .from { break }
            if inst.kind == .arg || inst.kind == .unknown { continue }
            sink.report(inst.keywordRange, "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.")
        }
    }
}
