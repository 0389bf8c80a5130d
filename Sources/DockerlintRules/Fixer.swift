import DockerlintCore
import DockerlintSyntax

/// Applies the fixes rules offer, round after round until nothing changes (a fix can make
/// another possible, or two fixes conflict in one round). A fix is all-or-nothing: within a
/// round, a fix whose edits touch an edit already taken waits for the next round. A round
/// whose result does not parse is dropped.
public enum Fixer {
    public struct Result: Sendable {
        public var bytes: [UInt8]
        /// Codes of the fixes applied, in order (one entry per fix).
        public var applied: [String]
        public var rounds: Int
        /// True when the last round still had fixes to apply (max rounds reached).
        public var converged: Bool
    }

    public static let defaultMaxRounds = 10

    public static func fix(_ bytes: [UInt8], path: String, configuration: Configuration, contextDirectory: String?,
                           rules: RuleSet = BuiltinRules.ruleSet, unsafe: Bool, only: Set<String>? = nil,
                           maxRounds: Int = defaultMaxRounds) -> Result {
        let linter = Linter(rules: rules)
        var current = bytes
        var applied: [String] = []
        var rounds = 0
        while rounds < maxRounds {
            let out = linter.lint(Linter.Input(path: path, bytes: current, configuration: configuration, contextDirectory: contextDirectory))
            if out.hasSyntaxErrors { break }
            let candidates = out.diagnostics.filter { d in
                guard let f = d.fix, !f.edits.isEmpty, d.severity != .off else { return false }
                if let only, !only.contains(d.code) { return false }
                return f.applicability == .safe || (unsafe && f.applicability == .unsafe)
            }
            if candidates.isEmpty { return Result(bytes: current, applied: applied, rounds: rounds, converged: true) }
            var taken: [TextEdit] = []
            var codes: [String] = []
            for d in candidates {
                let edits = d.fix!.edits
                if edits.contains(where: { e in taken.contains { conflict($0, e) } }) { continue }
                taken += edits
                codes.append(d.code)
            }
            let next = FixApplier.apply(taken, to: current)
            rounds += 1
            if next == current { return Result(bytes: current, applied: applied, rounds: rounds, converged: true) }
            let check = linter.lint(Linter.Input(path: path, bytes: next, configuration: configuration, contextDirectory: contextDirectory))
            if check.hasSyntaxErrors { return Result(bytes: current, applied: applied, rounds: rounds, converged: false) }
            current = next
            applied += codes
        }
        return Result(bytes: current, applied: applied, rounds: rounds, converged: false)
    }

    /// Two edits conflict when their ranges overlap or they insert at the same place.
    static func conflict(_ a: TextEdit, _ b: TextEdit) -> Bool {
        let (as_, ae) = (a.range.start.offset, a.range.end.offset)
        let (bs, be) = (b.range.start.offset, b.range.end.offset)
        if as_ == ae && bs == be { return as_ == bs }
        if as_ == ae { return as_ > bs && as_ < be }
        if bs == be { return bs > as_ && bs < ae }
        return as_ < be && bs < ae
    }
}

