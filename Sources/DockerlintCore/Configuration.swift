import DockerlintModel
import DockerlintSupport
import Yams

/// Where one setting came from, for messages.
public struct ConfigLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem in a configuration file: warnings (unknown keys) are printed and the run
/// goes on; errors (bad values, unreadable YAML) end it with exit 2.
public struct ConfigIssue: Hashable, Sendable, CustomStringConvertible {
    public enum Level: String, Sendable { case warning, error }
    public var level: Level
    public var message: String
    public var location: ConfigLocation?
    public var description: String {
        (location.map { "\($0): " } ?? "") + "\(level.rawValue): \(OneLine.clip(message))"
    }
}

/// A rule code or name written in a configuration file, and where.
public struct ConfigRuleReference: Hashable, Sendable {
    public var name: String
    public var location: ConfigLocation
}

/// Where a configuration named rules: positions for messages, not settings, so two
/// configurations that mean the same compare equal whatever file (or none) they came from.
public struct ConfigRuleReferences: Sendable, Equatable {
    public var list: [ConfigRuleReference] = []
    public init() {}
    public static func == (a: ConfigRuleReferences, b: ConfigRuleReferences) -> Bool { true }
    mutating func append(_ r: ConfigRuleReference) { list.append(r) }
    static func += (a: inout ConfigRuleReferences, b: ConfigRuleReferences) { a.list += b.list }
}

/// The settings of a lint run. Keys and meanings follow hadolint's `.hadolint.yaml`, so
/// that knowledge (and files) carry over.
public struct Configuration: Sendable, Equatable {
    public var failureThreshold: Severity = .info
    public var ignored: [String] = []
    /// Severity overrides: rule code or name → severity.
    public var severityOverrides: [String: Severity] = [:]
    public var trustedRegistries: [String] = []
    /// Label name → type (text, url, semver, hash, rfc3339, spdx, email).
    public var labelSchema: [String: String] = [:]
    public var strictLabels = false
    public var disableIgnorePragma = false
    public var noFail = false
    public var noColor = false
    /// The builder whose cache the cache rules model (buildkit or classic).
    public var builder: BuilderKind = .buildkit
    /// The engine release the cache model keys for; nil: the default.
    public var engine: EngineRelease?
    /// The cache `simulate`, `compare` and `report` assume; nil: local.
    public var ciCache: CICacheMode?
    public var shellcheck = false
    /// Commits of history the cache rules replay (0: none; nil: not set, which means 100 in
    /// CI and 0 elsewhere).
    public var history: Int?
    /// The estimated rebuild time, in seconds per 100 commits (or per 100 plausible edits
    /// without history), a cache finding's fix must save to be reported (`min-saving`).
    public var minSaving: Double = Configuration.defaultMinSaving
    public static let defaultMinSaving: Double = 120
    /// Cache findings are weighed by the simulator before they are reported (`evidence`);
    /// false reports every DC finding the rules find, unweighed (for tools that replay the
    /// fixes themselves, such as the realworld benchmark's independent check).
    public var evidence = true
    /// The build context the cache rules assume (`context`), relative to the configuration
    /// file's folder; nil: discovered (`ContextDiscovery`).
    public var context: String?
    public var formats: [String] = []
    /// Per-path settings, applied in order to files matching one of `paths`.
    public var perPath: [PathOverride] = []
    /// Every rule name the configuration file wrote (`ignored`, `override`, `per-path`),
    /// with its position: the caller, who knows the rules, warns about unknown ones.
    public var ruleReferences = ConfigRuleReferences()

    public struct PathOverride: Sendable, Equatable {
        public var paths: [String]
        public var ignored: [String] = []
        public var severityOverrides: [String: Severity] = [:]
        public var failureThreshold: Severity?
    }

    public init() {}

    /// The settings for one linted file (per-path overrides applied).
    public func resolved(for path: String) -> Configuration {
        var c = self
        for o in perPath where o.paths.contains(where: { GlobMatch.matches(pattern: $0, path: path) }) {
            c.ignored += o.ignored
            c.severityOverrides.merge(o.severityOverrides) { _, new in new }
            if let t = o.failureThreshold { c.failureThreshold = t }
        }
        return c
    }
}

/// YAML read as a tree of nodes, as the lint path reads it (the configuration, the build
/// files that name a Dockerfile's context): scalars are kept as their text, never typed.
public enum YAMLNodes {
    /// The first document of `text` (nil when empty); Yams' errors are thrown as they are.
    /// The basic resolver: every scalar is a string, which is all the readers need, and the
    /// default resolver's implicit-type regexes cost more than the rest of a one-file lint's
    /// start-up. The nodes are never constructed into values: an empty constructor spares
    /// building the default one's tables of tags. The encoding is given: Yams' default reads
    /// the whole process environment through Foundation for one variable.
    public static func compose(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8)
    }
}

/// Reads `.dockerlint.yaml` / `.hadolint.yaml` with positions for every problem.
public enum ConfigurationLoader {
    public static let fileNames = [".dockerlint.yaml", ".dockerlint.yml"]
    public static let hadolintFileNames = [".hadolint.yaml", ".hadolint.yml"]
    /// The largest configuration file read: a configuration is a few hundred bytes, and
    /// one of megabytes is a mistake or an attack, never a setting.
    public static let maximumSize = 1 << 20

    /// The keys "did you mean" suggests (aliases are accepted but not suggested).
    static var documentedKeys: [String] { LintSettings.documentedKeys }

    /// Parses configuration text. `issues` receives warnings and errors.
    public static func parse(_ text: String, file: String, into config: inout Configuration, issues: inout [ConfigIssue]) {
        let node: Node?
        do {
            // `~` and `null` are read as "no value" below (`YAMLNodes`: every scalar a string).
            node = try YAMLNodes.compose(text)
        } catch let e as YamlError {
            issues.append(yamlIssue(e, file: file))
            return
        } catch {
            issues.append(ConfigIssue(level: .error, message: "\(error)", location: ConfigLocation(file: file, line: 1, column: 1)))
            return
        }
        guard let node else { return }  // an empty file is an empty configuration
        guard let map = node.mapping else {
            issues.append(ConfigIssue(level: .error, message: "the configuration must be a mapping of keys to values", location: loc(node, file)))
            return
        }
        for (k, v) in map {
            guard let key = k.string else {
                issues.append(ConfigIssue(level: .error, message: "a key must be a string", location: loc(k, file)))
                continue
            }
            apply(key: key, value: v, keyNode: k, file: file, config: &config, issues: &issues)
        }
    }

    static func apply(key: String, value v: Node, keyNode: Node, file: String, config: inout Configuration, issues: inout [ConfigIssue]) {
        func bad(_ msg: String, _ n: Node) { issues.append(ConfigIssue(level: .error, message: "\(key): \(msg)", location: loc(n, file))) }
        guard let setting = LintSettings.named(key: key) else {
            let hint = suggestion(key, among: documentedKeys)
            issues.append(ConfigIssue(level: .warning, message: "unknown key '\(key)' is ignored" + (hint.map { " (did you mean '\($0)'?)" } ?? ""),
                                      location: loc(keyNode, file)))
            return
        }
        if setting.key == "ignored", let seq = v.sequence {
            for item in seq { if let s = item.scalar?.string { config.ruleReferences.append(ConfigRuleReference(name: s, location: loc(item, file))) } }
        }
        switch setting.key {
        case "override":
            guard let m = v.mapping else { bad("expected a mapping of severity to a list of rules", v); return }
            for (sk, sv) in m {
                guard let name = sk.string, let sev = parseSeverity(name, allowOff: true) else {
                    bad("'\(sk.string ?? "?")' is not one of error, warning, info, style", sk); continue
                }
                guard let seq = sv.sequence else { bad("expected a list of rules under '\(name)'", sv); continue }
                for item in seq {
                    guard let code = item.scalar?.string else { bad("expected a rule code", item); continue }
                    config.severityOverrides[code] = sev
                    config.ruleReferences.append(ConfigRuleReference(name: code, location: loc(item, file)))
                }
            }
        case "label-schema":
            guard let m = v.mapping else { bad("expected a mapping of label to type", v); return }
            for (lk, lv) in m {
                guard let label = lk.string, let type = lv.scalar?.string else { bad("expected label: type", lk); continue }
                do throws(LintSetting.SettingError) {
                    try LintSettings.requireLabel(label + ":" + type, into: &config)
                } catch { bad(error.message, lv) }
            }
        case "context":
            // Relative to the configuration file's folder.
            guard let s = v.scalar?.string, !s.isEmpty, !isNull(v) else { bad("expected the path of the build context", v); return }
            var path = s
            if !s.hasPrefix("/") {
                let dir = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : "."
                path = dir == "." ? s : dir + "/" + s
            }
            do throws(LintSetting.SettingError) { try setting.apply(.value(path), to: &config) } catch { bad(error.message, v) }
        case "per-path":
            guard let seq = v.sequence else { bad("expected a list of {paths, ignored, override, failure-threshold}", v); return }
            for item in seq {
                guard let m = item.mapping else { bad("expected a mapping", item); continue }
                var o = Configuration.PathOverride(paths: [])
                var sub = Configuration()
                for (ik, iv) in m {
                    guard let name = ik.string else { continue }
                    switch name {
                    case "paths":
                        guard let ps = iv.sequence?.compactMap({ $0.scalar?.string }) else { bad("paths: expected a list of globs", iv); continue }
                        o.paths = ps
                    case "ignored", "override", "failure-threshold":
                        var subIssues: [ConfigIssue] = []
                        sub.failureThreshold = .off
                        apply(key: name, value: iv, keyNode: ik, file: file, config: &sub, issues: &subIssues)
                        issues += subIssues
                        if name == "failure-threshold", subIssues.isEmpty { o.failureThreshold = sub.failureThreshold }
                    default:
                        issues.append(ConfigIssue(level: .warning, message: "unknown key 'per-path.\(name)' is ignored", location: loc(ik, file)))
                    }
                }
                o.ignored = sub.ignored
                o.severityOverrides = sub.severityOverrides
                config.ruleReferences += sub.ruleReferences
                if o.paths.isEmpty { bad("each entry needs paths", item) } else { config.perPath.append(o) }
            }
        default:
            // Every other key's value is a scalar or a list, applied by its table entry.
            // An empty value (`key:`, `~`, `null`) leaves a scalar setting as it is and
            // makes a list empty.
            let input: LintSetting.Input
            if isNull(v) {
                guard setting.shape == .list else { return }
                input = .values([])
            } else {
            switch setting.shape {
            case .flag, .single, .structured:
                guard let scalar = v.scalar?.string else { bad(setting.shape == .flag ? "expected true or false" : "expected a single value", v); return }
                input = .value(scalar)
            case .list:
                if let seq = v.sequence {
                    var out: [String] = []
                    for item in seq {
                        guard let s = item.scalar?.string else { bad("expected a list of strings", item); return }
                        out.append(s)
                    }
                    input = .values(out)
                } else { bad("expected a list", v); return }
            }
            }
            do throws(LintSetting.SettingError) { try setting.apply(input, to: &config) } catch { bad(error.message, v) }
        }
    }

    /// Severity names, hadolint's included (`ignore`/`none` turn a rule off).
    public static func parseSeverity(_ s: String, allowOff: Bool) -> Severity? {
        switch s.lowercased() {
        case "error": return .error
        case "warning": return .warning
        case "info": return .info
        case "style": return .style
        case "ignore", "none", "off": return allowOff ? .off : nil
        default: return nil
        }
    }

    /// A plain scalar YAML reads as null: empty, `~`, `null`.
    static func isNull(_ n: Node) -> Bool {
        guard let s = n.scalar, s.style == .plain || s.string.isEmpty else { return false }
        switch s.string { case "", "~", "null", "Null", "NULL": return true
        default: return false }
    }

    static func loc(_ n: Node, _ file: String) -> ConfigLocation {
        ConfigLocation(file: file, line: (n.mark?.line ?? 0), column: (n.mark?.column ?? 0))
    }

    /// One printable line at the problem's position (Yams' own descriptions span several
    /// lines and quote the raw input, control characters included).
    public static func yamlIssue(_ e: YamlError, file: String) -> ConfigIssue {
        func issue(_ message: String, _ line: Int, _ column: Int) -> ConfigIssue {
            ConfigIssue(level: .error, message: "invalid YAML: " + OneLine.clip(message), location: ConfigLocation(file: file, line: max(line, 1), column: max(column, 1)))
        }
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return issue((context.map { "\($0.text) " } ?? "") + problem, mark.line, mark.column)
        case .reader(let problem, let offset, let value, let yaml):
            let (line, column) = offset.map { position(ofCharacter: $0, in: yaml) } ?? (1, 1)
            let what = value >= 0 && value <= 0x10FFFF ? " (U+" + String(String(value, radix: 16, uppercase: true).leftPadded(4)) + ")" : ""
            return issue(problem + what, line, column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return issue("duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) \(context.text)", context.mark.line, context.mark.column)
        default:
            return issue("\(e)", 1, 1)
        }
    }

    /// 1-based line and column (in Unicode scalars) of the `offset`-th Character of `text`.
    static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1, n = 0
        for ch in text {
            if n == offset { break }
            n += 1
            if ch == "\n" || ch == "\r\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
        }
        return (line, column)
    }

    /// Applies `DOCKERLINT_*` environment variables (hadolint's `HADOLINT_*` meanings).
    public static func applyEnvironment(_ env: [String: String], into c: inout Configuration, issues: inout [ConfigIssue]) {
        for setting in LintSettings.all {
            guard let name = setting.environment.first(where: { env[$0] != nil }), let raw = env[name] else { continue }
            let input: LintSetting.Input
            switch setting.shape {
            case .flag:
                switch raw.lowercased() {
                case "1", "true", "yes", "on": input = .flag(true)
                case "0", "false", "no", "off", "": input = .flag(false)
                default:
                    issues.append(ConfigIssue(level: .error, message: "\(name): expected true or false, not '\(raw)'", location: nil))
                    continue
                }
            case .list:
                input = .values(raw.split(separator: ",").map { $0.trimmingASCIISpace() }.filter { !$0.isEmpty })
            case .single, .structured:
                input = .value(raw)
            }
            do throws(LintSetting.SettingError) { try setting.apply(input, to: &c) } catch {
                issues.append(ConfigIssue(level: .error, message: "\(name): \(error.message)", location: nil))
            }
        }
        // NO_COLOR (no-color.org): any non-empty value turns colour off.
        if env["NO_COLOR"].map({ !$0.isEmpty }) == true { c.noColor = true }
    }

    /// The rule to suggest for an unknown rule name: a close name or alias (`suggestion`),
    /// else, for a code-shaped word (`DL9999`), the nearest code with the same letters.
    public static func nearestRule(_ word: String, names: [String], codes: [String]) -> String? {
        if word.unicodeScalars.count > 64 { return nil }
        if let s = suggestion(word, among: names) { return s }
        let letters = String(word.prefix { $0.isLetter }).uppercased()
        let digits = word.dropFirst(letters.count)
        guard !letters.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
        var best: (String, Int)? = nil
        for c in codes.sorted() where c.hasPrefix(letters) {
            let d = Suggest.distance(word.uppercased(), c)
            if best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// The closest known name within edit distance 2, for "did you mean" hints.
    public static func suggestion(_ word: String, among candidates: some Collection<String>) -> String? {
        var best: (String, Int)? = nil
        // Sorted, so that ties always resolve the same way.
        for c in candidates.sorted() {
            let d = Suggest.distance(word.lowercased(), c.lowercased())
            if d <= max(2, word.count / 4), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Substring {
    func trimmingASCIISpace() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
