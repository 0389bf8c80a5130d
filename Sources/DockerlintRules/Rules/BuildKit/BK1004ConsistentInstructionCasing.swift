import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Every instruction keyword should be all upper case or all lower case, following the
/// majority of the file (ties: upper case).
final class ConsistentInstructionCasingRule: LintRule {
    static let code = "BK1004"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        let insts = context.dockerfile.instructions
        var lower = 0, upper = 0
        for i in insts {
            let k = i.keyword
            if k == k.lowercased() { lower += 1 } else if k == k.uppercased() { upper += 1 }
        }
        let majorityLower = lower > upper
        for i in insts {
            let k = i.keyword
            let wanted = majorityLower ? k.lowercased() : k.uppercased()
            guard k != wanted else { continue }
            sink.report(i.keywordRange, "Command '\(k)' should match the case of the command majority (\(majorityLower ? "lowercase" : "uppercase"))",
                        fix: Fix(title: "Write '\(wanted)'", edits: [TextEdit(range: i.keywordRange, replacement: wanted)], applicability: .safe))
        }
    }
}
