import DockerlintCore
import DockerlintRules
import DockerlintSyntax

/// A unified diff of two texts, by lines (line endings kept as written).
public enum UnifiedDiff {
    public static func diff(_ a: [UInt8], _ b: [UInt8], oldName: String, newName: String, context: Int = 3) -> String {
        let x = lines(a), y = lines(b)
        if x == y { return "" }
        // LCS table (Dockerfiles are small).
        let n = x.count, m = y.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        // kind: 0 same, 1 delete, 2 insert; a/b: line indexes before the op.
        struct Op { var kind: Int; var a: Int; var b: Int }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, x[i] == y[j] { ops.append(Op(kind: 0, a: i, b: j)); i += 1; j += 1 }
            else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] { ops.append(Op(kind: 2, a: i, b: j)); j += 1 }
            else { ops.append(Op(kind: 1, a: i, b: j)); i += 1 }
        }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var k = 0
        while k < ops.count {
            guard let firstChange = ops[k...].firstIndex(where: { $0.kind != 0 }) else { break }
            let start = max(k, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].kind == 0 {
                    if end - lastChange > 2 * context { break }
                } else { lastChange = end }
                end += 1
            }
            let stop = min(ops.count, lastChange + context + 1)
            var aCount = 0, bCount = 0, body = ""
            for op in ops[start..<stop] {
                switch op.kind {
                case 0: aCount += 1; bCount += 1; body += " " + show(x[op.a])
                case 1: aCount += 1; body += "-" + show(x[op.a])
                default: bCount += 1; body += "+" + show(y[op.b])
                }
            }
            let aStart = ops[start].a, bStart = ops[start].b
            out += "@@ -\(aCount == 0 ? aStart : aStart + 1),\(aCount) +\(bCount == 0 ? bStart : bStart + 1),\(bCount) @@\n" + body
            k = stop
        }
        return out
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        var cur: [UInt8] = []
        for c in bytes {
            cur.append(c)
            if c == 0x0A { out.append(String(decoding: cur, as: UTF8.self)); cur = [] }
        }
        if !cur.isEmpty { out.append(String(decoding: cur, as: UTF8.self)) }
        return out
    }

    static func show(_ line: String) -> String {
        line.hasSuffix("\n") ? line : line + "\n\\ No newline at end of file\n"
    }
}
