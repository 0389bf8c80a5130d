import DockerlintCore
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
        document(input).serialized() + "\n"
    }

    public func document(_ input: ReportInput) -> JSONValue {
        let fingerprints = Fingerprints.compute(input)
        let diagnostics: [JSONValue] = zip(input.diagnostics, fingerprints).map { d, fingerprint in
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
            return .object(o)
        }
        let s = input.summary
        return [
            "tool": .string(input.options.toolName),
            "version": .string(input.toolVersion),
            "formatVersion": .int(Self.formatVersion),
            "files": .array(input.allFiles.map(JSONValue.string)),
            "diagnostics": .array(diagnostics),
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
    }
}
