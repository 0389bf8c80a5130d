import DockerlintCore
import DockerlintSupport
import DockerlintSyntax

/// SARIF 2.1.0 for GitHub code scanning, Azure DevOps, GitLab and IDE viewers.
///
/// One run; `tool.driver.rules` lists every known rule (and a minimal entry for codes
/// without a descriptor, such as syntax errors), sorted by code, and each result points
/// at its rule with `ruleId` and `ruleIndex`. Levels: error → `error`, warning →
/// `warning`, info and style → `note`. Paths are relative URI references against
/// `%SRCROOT%` (absolute paths become `file://` URIs without a base). Regions use the
/// run's `columnKind: unicodeCodePoints`, which matches our scalar columns. Fixes become
/// `fixes[].artifactChanges[].replacements`. `partialFingerprints` carries our stable
/// fingerprint. A cache finding that quotes evidence carries it in the result's property
/// bag, `properties.evidence`, the object lint's JSON gives as `evidence`. Validated against
/// the OASIS schema in the tests.
public struct SARIFReporter: Reporter {
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    public static let fingerprintKey = "dockerlint/v1"

    public init() {}
    public var identifier: String { "sarif" }
    public var usesRuleDocumentation: Bool { true }
    public var description: String { "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers" }

    public func report(_ input: ReportInput) -> String {
        document(input).serialized() + "\n"
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info, .style: "note"
        case .off: "none"
        }
    }

    static func artifactLocation(_ path: String, index: Int?) -> JSONValue {
        var o: [String: JSONValue]
        if path.hasPrefix("/") {
            o = ["uri": .string("file://" + uriReference(forPath: path))]
        } else {
            o = ["uri": .string(uriReference(forPath: path)), "uriBaseId": "%SRCROOT%"]
        }
        o.setIfPresent("index", index.map(JSONValue.int))
        return .object(o)
    }

    static func region(_ range: SourceRange) -> JSONValue {
        // SARIF requires end ≥ start; clamp a malformed range rather than emit invalid SARIF.
        let startLine = max(1, range.start.line)
        let startColumn = max(1, range.start.column)
        var endLine = max(startLine, range.end.line)
        var endColumn = max(1, range.end.column)
        if endLine == startLine && endColumn < startColumn { endColumn = startColumn }
        if range.end.line < startLine { endLine = startLine; endColumn = startColumn }
        return [
            "startLine": .int(startLine), "startColumn": .int(startColumn),
            "endLine": .int(endLine), "endColumn": .int(endColumn),
        ]
    }

    public func document(_ input: ReportInput) -> JSONValue {
        // Rules: every descriptor, plus codes seen without one.
        var descriptors = input.rules
        for d in input.diagnostics where descriptors[d.code] == nil {
            descriptors[d.code] = RuleDescriptor(code: d.code, name: d.name, severity: d.severity,
                                                 category: "", summary: "", helpURI: d.helpURI)
        }
        let codes = descriptors.keys.sorted()
        var ruleIndex: [String: Int] = [:]
        for (i, code) in codes.enumerated() { ruleIndex[code] = i }
        let rules: [JSONValue] = codes.map { code in
            let r = descriptors[code]!
            let short = r.summary.isEmpty ? (r.name.isEmpty ? r.code : r.name) : r.summary
            let full = r.helpText.isEmpty ? short : r.helpText
            var o: [String: JSONValue] = [
                "id": .string(r.code),
                "shortDescription": ["text": .string(short)],
                "fullDescription": ["text": .string(full)],
                "defaultConfiguration": [
                    "level": .string(Self.level(r.severity)),
                    "enabled": .bool(r.severity != .off),
                ],
            ]
            if !r.name.isEmpty { o["name"] = .string(r.name) }
            var helpText = full
            var helpMarkdown = r.helpText.isEmpty ? Markdown.cell(short) : r.helpText
            if let uri = r.helpURI, !uri.isEmpty {
                o["helpUri"] = .string(uri)
                helpText += "\n\nSee " + uri
                helpMarkdown += "\n\n[Documentation for \(r.code)](\(Markdown.destination(uri)))"
            }
            o["help"] = ["text": .string(helpText), "markdown": .string(helpMarkdown)]
            var tags: [JSONValue] = []
            if !r.category.isEmpty { tags.append(.string(r.category)) }
            var properties: [String: JSONValue] = ["tags": .array(tags)]
            if !r.aliases.isEmpty { properties["aliases"] = .array(r.aliases.map(JSONValue.string)) }
            o["properties"] = .object(properties)
            return .object(o)
        }

        let files = input.allFiles
        var fileIndex: [String: Int] = [:]
        for (i, f) in files.enumerated() { fileIndex[f] = i }
        let artifacts: [JSONValue] = files.map { f in
            ["location": Self.artifactLocation(f, index: nil), "sourceLanguage": "dockerfile"]
        }

        let fingerprints = Fingerprints.compute(input)
        let results: [JSONValue] = zip(input.diagnostics, fingerprints).map { d, fingerprint in
            var o: [String: JSONValue] = [
                "ruleId": .string(d.code),
                "ruleIndex": .int(ruleIndex[d.code]!),
                "level": .string(Self.level(d.severity)),
                "message": ["text": .string(d.message)],
                "locations": [[
                    "physicalLocation": [
                        "artifactLocation": Self.artifactLocation(d.file, index: fileIndex[d.file]),
                        "region": Self.region(d.range),
                    ],
                ]],
                "partialFingerprints": [.init(stringLiteral: Self.fingerprintKey): .string(fingerprint)],
            ]
            if !d.related.isEmpty {
                o["relatedLocations"] = .array(d.related.enumerated().map { i, r in
                    [
                        "id": .int(i),
                        "physicalLocation": [
                            "artifactLocation": Self.artifactLocation(d.file, index: fileIndex[d.file]),
                            "region": Self.region(r.range),
                        ],
                        "message": ["text": .string(r.message)],
                    ]
                })
            }
            // The property bag: our severity where SARIF's levels have none, and the cache
            // evidence as lint's JSON gives it.
            var properties: [String: JSONValue] = [:]
            if d.severity == .style { properties["severity"] = "style" }
            if let e = d.evidence { properties["evidence"] = e.jsonValue }
            if !properties.isEmpty { o["properties"] = .object(properties) }
            if let fix = d.fix, !fix.edits.isEmpty {
                o["fixes"] = [[
                    "description": ["text": .string(fix.title)],
                    "artifactChanges": [[
                        "artifactLocation": Self.artifactLocation(d.file, index: fileIndex[d.file]),
                        "replacements": .array(fix.edits.map { edit in
                            [
                                "deletedRegion": Self.region(edit.range),
                                "insertedContent": ["text": .string(edit.replacement)],
                            ]
                        }),
                    ]],
                    "properties": ["applicability": .string(fix.applicability.rawValue)],
                ]]
            }
            return .object(o)
        }

        var driver: [String: JSONValue] = [
            "name": .string(input.options.toolName),
            "version": .string(input.toolVersion),
            "informationUri": .string(input.options.informationURI),
            "rules": .array(rules),
        ]
        if Self.isSemanticVersion(input.toolVersion) { driver["semanticVersion"] = .string(input.toolVersion) }
        return [
            "$schema": .string(Self.schemaURI),
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": .object(driver)],
                "columnKind": "unicodeCodePoints",
                "artifacts": .array(artifacts),
                "results": .array(results),
            ]],
        ]
    }

    /// Loosely: digits.digits.digits with an optional pre-release or build suffix.
    static func isSemanticVersion(_ v: String) -> Bool {
        let core = v.split(whereSeparator: { $0 == "-" || $0 == "+" }).first.map(String.init) ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
