import DockerlintCore

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
        let lines = SourceLines(input)
        return compute(input.diagnostics, lines: lines)
    }

    static func compute(_ diagnostics: [Diagnostic], lines: SourceLines) -> [String] {
        var seen: [String: Int] = [:]
        return diagnostics.map { d in
            let text = (lines.lines(of: d) ?? []).map(normaliseWhitespace).joined(separator: "\n")
            var key = ["dockerlint-fingerprint-v1", d.file, d.code, d.message, text].joined(separator: "\u{0}")
            let n = (seen[key] ?? 0) + 1
            seen[key] = n
            if n > 1 { key += "\u{0}#\(n)" }
            return String(SHA256Digest.hex(key).prefix(32))
        }
    }
}
