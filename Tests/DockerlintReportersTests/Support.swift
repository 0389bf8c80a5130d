import DockerlintCore
import DockerlintSyntax
import Foundation
import Testing

@testable import DockerlintReporters

/// The fixed inputs every format is tested on.
enum Fixture {
    static let dockerfile = """
        FROM ubuntu:22.04
        RUN apt-get update
        \tRUN echo "héllo 日本" && curl -fsSL http://x | sh
        CMD node server.js

        """
    /// CRLF line endings and a continuation.
    static let prod = "FROM alpine\r\nRUN a \\\r\n  && b\r\n"

    static let sources: [String: String] = ["Dockerfile": dockerfile, "sub dir/Dockerfile.prod": prod]

    static func pos(_ line: Int, _ column: Int) -> SourcePosition {
        SourcePosition(line: line, column: column, offset: 0)
    }

    static func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> SourceRange {
        SourceRange(start: pos(l1, c1), end: pos(l2, c2))
    }

    static let rules: [RuleDescriptor] = [
        RuleDescriptor(code: "DL3025", name: "JSONArgsRecommended", severity: .warning, category: "maintainability",
                       summary: "Use JSON notation for CMD and ENTRYPOINT",
                       helpText: "Shell form runs the command under `/bin/sh -c`, so signals are not delivered.",
                       helpURI: "https://docs.dockerlint.dev/rules/DL3025"),
        RuleDescriptor(code: "DL4006", name: "SetPipefail", severity: .warning, category: "reliability",
                       summary: "Set pipefail before RUN with a pipe",
                       helpURI: "https://docs.dockerlint.dev/rules/DL4006"),
        RuleDescriptor(code: "DL3008", name: "PinAptVersions", aliases: ["apt-pin"], severity: .warning,
                       category: "reproducibility", summary: "Pin versions in apt-get install"),
        RuleDescriptor(code: "DL3006", name: "TagImageVersion", severity: .warning, category: "security",
                       summary: "Always tag the version of an image explicitly"),
        RuleDescriptor(code: "DL3000", name: "AbsoluteWorkdir", severity: .error, category: "correctness",
                       summary: "Use absolute WORKDIR"),
    ]

    /// Deliberately out of order.
    static let diagnostics: [Diagnostic] = [
        Diagnostic(file: "sub dir/Dockerfile.prod", code: "DL3059", name: "", severity: .style,
                   message: "Multiple consecutive RUN instructions", range: range(2, 1, 4, 1)),
        Diagnostic(file: "Dockerfile", code: "DL3025", name: "JSONArgsRecommended", severity: .warning,
                   message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
                   range: range(4, 1, 4, 19),
                   fix: Fix(title: "Convert to JSON form",
                            edits: [TextEdit(range: range(4, 5, 4, 19), replacement: "[\"node\", \"server.js\"]")],
                            applicability: .safe)),
        Diagnostic(file: "Dockerfile", code: "DL4006", name: "SetPipefail", severity: .warning,
                   message: "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before RUN with a | in it",
                   range: range(3, 2, 3, 49)),
        Diagnostic(file: "Dockerfile", code: "DL3008", name: "PinAptVersions", severity: .error,
                   message: "Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x'",
                   range: range(2, 5, 2, 19), related: [RelatedLocation(range: range(2, 5, 2, 9), message: "`curl` has no version"),
                                                        RelatedLocation(range: range(3, 40, 3, 44), message: "`wget` has no version")]),
        Diagnostic(file: "Dockerfile", code: "DL1000", name: "", severity: .info,
                   message: "Unicode ✓ naïve 日本語 — `$HOME` | pipe, a:b",
                   range: range(3, 18, 3, 20)),
        Diagnostic(file: "sub dir/Dockerfile.prod", code: "DL3006", name: "TagImageVersion", severity: .warning,
                   message: "Always tag the version of an image explicitly", range: range(1, 6, 1, 12),
                   helpURI: "https://docs.dockerlint.dev/rules/DL3006?x=(1)"),
    ]

    static let files = ["sub dir/Dockerfile.prod", "clean/Dockerfile", "Dockerfile"]

    static func input(diagnostics: [Diagnostic] = diagnostics, color: Bool = false,
                      threshold: Severity = .info, files: [String] = files,
                      sources: [String: String] = sources) -> ReportInput {
        ReportInput(diagnostics: diagnostics, rules: rules, files: files, toolVersion: "1.2.0",
                    options: ReportOptions(color: color, failureThreshold: threshold),
                    source: { sources[$0] })
    }
}

/// Runs python3 on a script with the given files; the test fails if python3 is missing.
enum Python {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ script: String, arguments: [String] = [], input: String? = nil) throws -> Result {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("dockerlint-reporters-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scriptURL = dir.appendingPathComponent("check.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        var args = [scriptURL.path]
        if let input {
            let inputURL = dir.appendingPathComponent("input")
            try Data(input.utf8).write(to: inputURL)
            args.append(inputURL.path)
        }
        args += arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + args
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Validates `document` against the JSON Schema at `schemaPath` with the `jsonschema`
    /// package (the schema's own `$schema` picks the draft). Returns the errors.
    static func validate(_ document: String, schemaPath: String) throws -> (ok: Bool, errors: String) {
        let script = """
            import json, sys
            import jsonschema
            instance = json.load(open(sys.argv[1], encoding="utf-8"))
            schema = json.load(open(sys.argv[2], encoding="utf-8"))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            errors = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(instance), key=str)
            for e in errors:
                print("/".join(map(str, e.absolute_path)), ":", e.message)
            sys.exit(1 if errors else 0)
            """
        let result = try run(script, arguments: [schemaPath], input: document)
        return (result.status == 0, result.stdout + result.stderr)
    }

    /// Parses XML with xml.etree and returns it as JSON: {tag, attrib, text, children}.
    static func parseXML(_ document: String) throws -> [String: Any] {
        let script = """
            import json, sys
            import xml.etree.ElementTree as ET
            def conv(e):
                return {"tag": e.tag, "attrib": dict(e.attrib), "text": e.text or "",
                        "children": [conv(c) for c in e]}
            root = ET.parse(sys.argv[1]).getroot()
            sys.stdout.write(json.dumps(conv(root)))
            """
        let result = try run(script, input: document)
        guard result.status == 0 else {
            throw XMLError(message: "python3 could not parse the XML: \(result.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    struct XMLError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

enum Paths {
    /// The package root (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var lintOutputSchema: String {
        packageRoot.appendingPathComponent("reports/schemas/lint-output.schema.json").path
    }

    /// `$DOCKERLINT_SARIF_SCHEMA`, else `shared/schemas/sarif-schema-2.1.0.json` in the
    /// package root or its nearest ancestor that has one (worktrees live deeper).
    static var sarifSchema: String? {
        if let env = ProcessInfo.processInfo.environment["DOCKERLINT_SARIF_SCHEMA"] { return env }
        var dir = packageRoot
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}

func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}
