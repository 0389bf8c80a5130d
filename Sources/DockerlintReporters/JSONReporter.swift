import DockerlintCore
import DockerlintSupport
import DockerlintSyntax

/// dockerlint's own JSON, described by `reports/schemas/lint-output.schema.json`:
///
///     {"diagnostics": [...], "files": [...], "formatVersion": 1, "summary": {...},
///      "tool": "dockerlint", "version": "1.2.0"}
///
/// Keys are sorted, optional members are omitted rather than null, positions are 1-based
/// with columns in Unicode scalars and exclusive ends. `formatVersion` changes only on
/// incompatible changes.
public struct JSONReporter: Reporter {
    public static let formatVersion = 1
    public init() {}
    public var identifier: String { "json" }
    public var description: String { "dockerlint's JSON (schema: reports/schemas/lint-output.schema.json)" }

    public func report(_ input: ReportInput) -> String {
        // The same bytes as `document(input).serialized()`, with the findings (most of the
        // document) serialized on every core.
        let fingerprints = Fingerprints.compute(input)
        let diagnostics = input.diagnostics
        let chunkSize = 64
        let chunkCount = (diagnostics.count + chunkSize - 1) / chunkSize
        let chunks = parallelMap(chunkCount) { c in
            var out = ""
            for i in c * chunkSize..<min(diagnostics.count, (c + 1) * chunkSize) {
                if i > 0 { out += "," }
                JSONValue.newline(&out, 2)
                diagnosticValue(diagnostics[i], fingerprint: fingerprints[i], input).write(to: &out, indent: 2)
            }
            return out
        }
        var members = header(input)
        members["diagnostics"] = .null
        var out = "{"
        for (n, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if n > 0 { out += "," }
            JSONValue.newline(&out, 1)
            JSONValue.writeString(key, to: &out)
            out += ": "
            if key == "diagnostics" {
                if diagnostics.isEmpty {
                    out += "[]"
                } else {
                    out += "["
                    for chunk in chunks { out += chunk }
                    JSONValue.newline(&out, 1)
                    out += "]"
                }
            } else {
                members[key]!.write(to: &out, indent: 1)
            }
        }
        JSONValue.newline(&out, 0)
        out += "}\n"
        return out
    }

    public func document(_ input: ReportInput) -> JSONValue {
        let fingerprints = Fingerprints.compute(input)
        var members = header(input)
        members["diagnostics"] = .array(zip(input.diagnostics, fingerprints).map { diagnosticValue($0, fingerprint: $1, input) })
        return .object(members)
    }

    func diagnosticValue(_ d: Diagnostic, fingerprint: String, _ input: ReportInput) -> JSONValue {
        var o: [String: JSONValue] = [
            "file": .string(d.file),
            "code": .string(d.code),
            "name": .string(input.ruleName(for: d)),
            "severity": .string(d.severity.rawValue),
            "message": .string(d.message),
            "line": .int(d.range.start.line),
            "column": .int(d.range.start.column),
            "endLine": .int(d.range.end.line),
            "endColumn": .int(d.range.end.column),
            "fingerprint": .string(fingerprint),
        ]
        o.setIfPresent("helpUri", input.helpURI(for: d).map(JSONValue.string))
        if !d.related.isEmpty {
            o["related"] = .array(d.related.map { r in
                [
                    "line": .int(r.range.start.line),
                    "column": .int(r.range.start.column),
                    "endLine": .int(r.range.end.line),
                    "endColumn": .int(r.range.end.column),
                    "message": .string(r.message),
                ]
            })
        }
        if let fix = d.fix {
            o["fix"] = [
                "title": .string(fix.title),
                "applicability": .string(fix.applicability.rawValue),
                "edits": .array(fix.edits.map { edit in
                    [
                        "line": .int(edit.range.start.line),
                        "column": .int(edit.range.start.column),
                        "endLine": .int(edit.range.end.line),
                        "endColumn": .int(edit.range.end.column),
                        "replacement": .string(edit.replacement),
                    ]
                }),
            ]
        }
        if let e = d.evidence { o["evidence"] = e.jsonValue }
        return .object(o)
    }

    /// Every top-level member but the findings.
    func header(_ input: ReportInput) -> [String: JSONValue] {
        let s = input.summary
        var members: [String: JSONValue] = [
            "tool": .string(input.options.toolName),
            "version": .string(input.toolVersion),
            "formatVersion": .int(Self.formatVersion),
            "files": .array(input.allFiles.map(JSONValue.string)),
            "summary": [
                "problems": .int(s.problems),
                "errors": .int(s.errors),
                "warnings": .int(s.warnings),
                "info": .int(s.info),
                "style": .int(s.style),
                "files": .int(s.files),
                "filesWithProblems": .int(s.filesWithProblems),
                "failureThreshold": .string(s.failureThreshold.rawValue),
                "failing": .int(s.failing),
                "failed": .bool(s.failed),
            ],
        ]
        if !input.contexts.isEmpty {
            members["contexts"] = .object(input.contexts.mapValues { .object($0.mapValues(JSONValue.string)) })
        }
        return members
    }
}
