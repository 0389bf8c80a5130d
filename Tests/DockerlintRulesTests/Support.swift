import DockerlintCore
import DockerlintModel
import DockerlintRules
import DockerlintSyntax
import Foundation

/// A Dockerfile with `↓` markers removed and where they were (line, column).
struct MarkedDockerfile {
    var text: String
    var markers: [(line: Int, column: Int)]

    init(_ marked: String) {
        var out = ""
        var markers: [(Int, Int)] = []
        var line = 1, column = 1
        for ch in marked.unicodeScalars {
            if ch == "↓" { markers.append((line, column)); continue }
            out.unicodeScalars.append(ch)
            if ch == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        text = out
        self.markers = markers
    }
}

enum Variant: String, CaseIterable, Sendable, CustomStringConvertible {
    case plain, ignorePragma = "ignore-pragma", crlf, lowercase
    var description: String { rawValue }
}

/// One triggering or non-triggering example of one rule, in one variant.
struct RuleExampleCase: Sendable, CustomStringConvertible {
    var code: String
    var example: RuleExample
    var variant: Variant
    var description: String { "\(code) › \(example.name) [\(variant)]" }

    static let all: [RuleExampleCase] = builtinRuleCatalog.flatMap { rule in
        rule.examples.flatMap { ex -> [RuleExampleCase] in
            var variants: [Variant] = [.plain]
            for v in [Variant.crlf, .lowercase] where !ex.skip.contains(v.rawValue) { variants.append(v) }
            if !ex.valid && !ex.skip.contains(Variant.ignorePragma.rawValue) { variants.append(.ignorePragma) }
            return variants.map { RuleExampleCase(code: rule.code, example: ex, variant: $0) }
        }
    }
}

enum RuleHarness {
    /// The shellcheck program SC0000 runs, where the rule looks for it.
    static let shellcheckInstalled = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/shellcheck") }

    static func type(for code: String) -> (any LintRule.Type)? {
        BuiltinRules.types.first { $0.code == code }
    }

    /// Lints `text` with only the rule `code` enabled (plus its example configuration).
    static func lint(_ text: String, code: String, config: String = "", context: [String: String] = [:],
                     buildArgs: [String: String] = [:]) throws -> [Diagnostic] {
        var configuration = Configuration()
        var issues: [ConfigIssue] = []
        if !config.isEmpty { ConfigurationLoader.parse(config, file: "example.yaml", into: &configuration, issues: &issues) }
        if let e = issues.first { throw HarnessError(message: "example config: \(e)") }
        guard let type = type(for: code) else { throw HarnessError(message: "no Swift rule registered for \(code)") }
        var dir: String? = nil
        if !context.isEmpty {
            let d = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-example-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            for (path, content) in context {
                let url = d.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try content.write(to: url, atomically: true, encoding: .utf8)
            }
            dir = d.path
        }
        defer { if let dir { try? FileManager.default.removeItem(atPath: dir) } }
        // Preview rules run in examples as if enabled.
        if let meta = builtinRuleCatalog.first(where: { $0.code == code }), meta.status == .preview, configuration.severityOverrides[code] == nil {
            configuration.severityOverrides[code] = meta.severity
        }
        let rules = RuleSet(catalog: builtinRuleCatalog, types: [type])
        let out = Linter(rules: rules).lint(Linter.Input(path: "Dockerfile", bytes: Array(text.utf8), configuration: configuration,
                                                         contextDirectory: dir, buildArgs: BuildArgs(buildArgs)))
        if out.hasSyntaxErrors { throw HarnessError(message: "example does not parse: \(out.diagnostics.map(\.message))") }
        // ShellCheck's rule reports under the external SCnnnn codes.
        return out.diagnostics.filter { $0.code == code || (code == "SC0000" && RuleSet.isExternalCode($0.code)) }
    }

    /// Applies a variant to an example's text; marker lines move with inserted lines.
    static func transform(_ m: MarkedDockerfile, _ variant: Variant, code: String) -> MarkedDockerfile {
        var m = m
        switch variant {
        case .plain: break
        case .crlf:
            m.text = m.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        case .lowercase:
            let file = DockerfileParser.parse(m.text)
            var bytes = Array(m.text.utf8)
            func lower(_ i: Instruction) {
                for k in i.keywordRange.start.offset..<i.keywordRange.end.offset where bytes[k] >= 65 && bytes[k] <= 90 { bytes[k] += 32 }
                if let c = i.child?.value { lower(c) }
            }
            file.instructions.forEach(lower)
            m.text = String(decoding: bytes, as: UTF8.self)
        case .ignorePragma:
            let file = DockerfileParser.parse(m.text)
            var insertBefore = Set<Int>()
            for mk in m.markers {
                if let i = file.instructions.last(where: { $0.startLine <= mk.line }) { insertBefore.insert(i.startLine) }
            }
            var lines = m.text.components(separatedBy: "\n")
            for l in insertBefore.sorted(by: >) where l - 1 <= lines.count {
                lines.insert("# dockerlint ignore=\(code)", at: l - 1)
            }
            m.text = lines.joined(separator: "\n")
            m.markers = m.markers.map { mk in (mk.line + insertBefore.filter { $0 <= mk.line }.count, mk.column) }
        }
        return m
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
