import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `useradd -u <large uid>` without `-l`: useradd writes a sparse lastlog/faillog entry of
/// that size, which becomes gigabytes in the layer (+ONBUILD).
final class UseraddLongUidRule: LintRule {
    static let code = "DL3046"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for c in rs.commands(named: "useradd") {
            var uid: Word?
            var noLog = false
            var k = 0
            let args = c.arguments
            while k < args.count {
                let t = args[k].unquoted
                if t == "-l" || t == "--no-log-init" { noLog = true }
                else if t == "-u" || t == "--uid" { if k + 1 < args.count { uid = args[k + 1] }; k += 1 }
                else if t.hasPrefix("--uid=") { uid = args[k] }
                else if t.hasPrefix("-"), !t.hasPrefix("--"), t.count > 2 {
                    // a cluster such as -lu 1000 or -u1000
                    let flags = Array(t.dropFirst())
                    for (n, f) in flags.enumerated() {
                        if f == "l" { noLog = true }
                        if f == "u" {
                            if n == flags.count - 1 { if k + 1 < args.count { uid = args[k + 1] }; k += 1 } else { uid = args[k] }
                            break
                        }
                    }
                }
                k += 1
            }
            guard !noLog, let w = uid else { continue }
            var value = w.unquoted
            if let eq = value.firstIndex(of: "="), value.hasPrefix("--") { value = String(value[value.index(after: eq)...]) }
            else if value.hasPrefix("-") { value = String(value.drop { $0 == "-" || $0.isLetter }) }
            if value.count > 5, value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                sink.report(rs.range(of: w), "`useradd` without flag `-l` and high UID will result in excessively large Image.")
            }
        }
    }
}
