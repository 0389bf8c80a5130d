import DockerlintCore
import DockerlintSupport

/// Stable identities for findings, for Code Climate, GitLab and SARIF baselines.
///
/// A fingerprint is the first 128 bits (32 hex digits, the length of the MD5 sums these
/// tools usually carry) of SHA-256 over the file, the code, the message and the source
/// text of the lines the finding covers with whitespace normalised. Line numbers are not
/// part of it, so findings keep their identity when lines are inserted above them. When
/// one file has several findings with the same identity (the same line repeated), the
/// second and later get `#2`, `#3`… mixed in, in source order.
public enum Fingerprints {
    public static func compute(_ input: ReportInput) -> [String] {
        // Files are independent (the repeat counter is per file): one group per file, in
        // parallel, each with its own line cache.
        let diagnostics = input.diagnostics
        let groups = groupedIndices(diagnostics) { $0.file }
        let perGroup = parallelMap(groups.count, minimum: diagnostics.count >= 64 ? 2 : Int.max) { g in
            compute(groups[g].map { diagnostics[$0] }, lines: SourceLines(input))
        }
        var out = [String](repeating: "", count: diagnostics.count)
        for (g, indices) in groups.enumerated() {
            for (k, i) in indices.enumerated() { out[i] = perGroup[g][k] }
        }
        return out
    }

    static func compute(_ diagnostics: [Diagnostic], lines: SourceLines) -> [String] {
        var seen: [Key: Int] = [:]
        return diagnostics.map { d in
            var key: [UInt8] = Array("dockerlint-fingerprint-v1".utf8)
            for part in [d.file, d.code, d.message] {
                key.append(0)
                key.append(contentsOf: part.utf8)
            }
            key.append(0)
            for (i, line) in (lines.lines(of: d) ?? []).enumerated() {
                if i > 0 { key.append(0x0A) }
                appendNormalised(line, to: &key)
            }
            let k = Key(bytes: key)
            let n = (seen[k] ?? 0) + 1
            seen[k] = n
            if n > 1 { key.append(contentsOf: "\u{0}#\(n)".utf8) }
            return SHA256Hex.of(key, digits: 32)
        }
    }

    /// A key's bytes, hashed in one pass (an array of bytes hashes byte by byte).
    struct Key: Hashable {
        let bytes: [UInt8]
        func hash(into h: inout Hasher) { bytes.withUnsafeBytes { h.combine(bytes: $0) } }
    }

    /// `normaliseWhitespace(line)`'s bytes appended to `key`: on the bytes of an ASCII line,
    /// where each byte is a scalar.
    static func appendNormalised<S: StringProtocol>(_ line: S, to key: inout [UInt8]) {
        guard line.utf8.allSatisfy({ $0 < 0x80 }) else { key.append(contentsOf: normaliseWhitespace(line).utf8); return }
        var pendingSpace = false
        var wrote = false
        for b in line.utf8 {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                pendingSpace = wrote
                continue
            }
            if pendingSpace { key.append(0x20); pendingSpace = false }
            key.append(b)
            wrote = true
        }
    }
}
