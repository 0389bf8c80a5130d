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
        (location.map { "\($0): " } ?? "") + "\(level.rawValue): \(message)"
    }
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
    /// Commits of history the cache rules replay (0: none).
    public var history = 0
    /// The estimated rebuild time, in seconds per 100 commits (or per 100 plausible edits
    /// without history), a cache finding's fix must save to be reported (`min-saving`).
    public var minSaving: Double = Configuration.defaultMinSaving
    public static let defaultMinSaving: Double = 60
    /// The build context the cache rules assume (`context`), relative to the configuration
    /// file's folder; nil: discovered (`ContextDiscovery`).
    public var context: String?
    public var formats: [String] = []
    /// Per-path settings, applied in order to files matching one of `paths`.
    public var perPath: [PathOverride] = []

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

/// Reads `.dockerlint.yaml` / `.hadolint.yaml` with positions for every problem.
public enum ConfigurationLoader {
    public static let fileNames = [".dockerlint.yaml", ".dockerlint.yml"]
    public static let hadolintFileNames = [".hadolint.yaml", ".hadolint.yml"]

    /// Known keys. hadolint spellings are accepted too.
    static let keys: Set<String> = [
        "failure-threshold", "ignored", "ignore", "override", "trusted-registries", "trustedRegistries",
        "label-schema", "strict-labels", "disable-ignore-pragma", "no-fail", "no-color", "builder",
        "shellcheck", "history", "format", "formats", "per-path", "verbose", "engine", "ci-cache",
        "min-saving", "context",
    ]

    /// The keys "did you mean" suggests (aliases are accepted but not suggested).
    static let documentedKeys = ["failure-threshold", "ignored", "override", "trusted-registries", "label-schema",
                                 "strict-labels", "disable-ignore-pragma", "no-fail", "no-color", "builder", "shellcheck",
                                 "history", "format", "formats", "per-path", "engine", "ci-cache", "min-saving", "context"]

    /// Parses configuration text. `issues` receives warnings and errors.
    public static func parse(_ text: String, file: String, into config: inout Configuration, issues: inout [ConfigIssue]) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
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
        func bool() -> Bool? {
            guard let s = v.scalar?.string else { bad("expected true or false", v); return nil }
            switch s { case "true": return true; case "false": return false
            default: bad("expected true or false, not '\(s)'", v); return nil }
        }
        func strings() -> [String]? {
            if let seq = v.sequence {
                var out: [String] = []
                for item in seq {
                    guard let s = item.scalar?.string else { bad("expected a list of strings", item); return nil }
                    out.append(s)
                }
                return out
            }
            if v.scalar != nil, v.scalar?.string == "" || v.tag.description.hasSuffix("null") { return [] }
            bad("expected a list", v)
            return nil
        }
        func severity(_ n: Node, allowOff: Bool = true) -> Severity? {
            guard let s = n.scalar?.string else { bad("expected a severity", n); return nil }
            if let sev = parseSeverity(s, allowOff: allowOff) { return sev }
            bad("'\(s)' is not one of error, warning, info, style, \(allowOff ? "ignore, none" : "")", n)
            return nil
        }
        switch key {
        case "failure-threshold":
            if let s = severity(v) { config.failureThreshold = s }
        case "ignored", "ignore":
            if let l = strings() { config.ignored += l }
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
                }
            }
        case "trusted-registries", "trustedRegistries":
            if let l = strings() { config.trustedRegistries += l }
        case "label-schema":
            guard let m = v.mapping else { bad("expected a mapping of label to type", v); return }
            let types: Set<String> = ["text", "url", "semver", "hash", "rfc3339", "spdx", "email", ""]
            for (lk, lv) in m {
                guard let label = lk.string, let type = lv.scalar?.string else { bad("expected label: type", lk); continue }
                guard types.contains(type) else { bad("unknown label type '\(type)' (text, url, semver, hash, rfc3339, spdx, email)", lv); continue }
                config.labelSchema[label] = type.isEmpty ? "text" : type
            }
        case "strict-labels": if let b = bool() { config.strictLabels = b }
        case "disable-ignore-pragma": if let b = bool() { config.disableIgnorePragma = b }
        case "no-fail": if let b = bool() { config.noFail = b }
        case "no-color": if let b = bool() { config.noColor = b }
        case "verbose": _ = bool()
        case "shellcheck": if let b = bool() { config.shellcheck = b }
        case "builder":
            guard let s = v.scalar?.string, let b = BuilderKind.named(s) else { bad(BuilderKind.expected(), v); return }
            config.builder = b
        case "engine":
            guard let s = v.scalar?.string, let r = EngineRelease(argument: s) else { bad(EngineRelease.expected, v); return }
            config.engine = r
        case "ci-cache":
            guard let s = v.scalar?.string, let m = CICacheMode(rawValue: s) else { bad(CICacheMode.expected, v); return }
            config.ciCache = m
        case "history":
            guard let s = v.scalar?.string, let n = Int(s), n >= 0 else { bad("expected a number of commits (0 or more)", v); return }
            config.history = n
        case "min-saving":
            guard let s = v.scalar?.string, let n = Double(s), n >= 0, n.isFinite else {
                bad("expected a number of seconds per 100 commits (0 or more)", v); return
            }
            config.minSaving = n
        case "context":
            guard let s = v.scalar?.string, !s.isEmpty else { bad("expected the path of the build context", v); return }
            if s.hasPrefix("/") { config.context = s } else {
                let dir = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : "."
                config.context = dir == "." ? s : dir + "/" + s
            }
        case "format":
            guard let s = v.scalar?.string else { bad("expected a format name", v); return }
            config.formats = [s]
        case "formats":
            if let l = strings() { config.formats = l }
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
                if o.paths.isEmpty { bad("each entry needs paths", item) } else { config.perPath.append(o) }
            }
        default:
            let hint = suggestion(key, among: documentedKeys)
            issues.append(ConfigIssue(level: .warning, message: "unknown key '\(key)' is ignored" + (hint.map { " (did you mean '\($0)'?)" } ?? ""),
                                      location: loc(keyNode, file)))
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

    static func loc(_ n: Node, _ file: String) -> ConfigLocation {
        ConfigLocation(file: file, line: (n.mark?.line ?? 0), column: (n.mark?.column ?? 0))
    }

    static func yamlIssue(_ e: YamlError, file: String) -> ConfigIssue {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigIssue(level: .error, message: "invalid YAML: \(problem)", location: ConfigLocation(file: file, line: mark.line, column: mark.column))
        default:
            return ConfigIssue(level: .error, message: "invalid YAML: \(e)", location: ConfigLocation(file: file, line: 1, column: 1))
        }
    }

    /// Applies `DOCKERLINT_*` environment variables (hadolint's `HADOLINT_*` meanings).
    public static func applyEnvironment(_ env: [String: String], into c: inout Configuration, issues: inout [ConfigIssue]) {
        func list(_ k: String) -> [String] {
            (env[k] ?? "").split(separator: ",").map { $0.trimmingASCIISpace() }.filter { !$0.isEmpty }
        }
        func flag(_ k: String) -> Bool? {
            guard let v = env[k] else { return nil }
            switch v.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off", "": return false
            default:
                issues.append(ConfigIssue(level: .error, message: "\(k): expected true or false, not '\(v)'", location: nil))
                return nil
            }
        }
        if let t = env["DOCKERLINT_FAILURE_THRESHOLD"] {
            if let s = parseSeverity(t, allowOff: true) { c.failureThreshold = s } else {
                issues.append(ConfigIssue(level: .error, message: "DOCKERLINT_FAILURE_THRESHOLD: '\(t)' is not one of error, warning, info, style, none", location: nil))
            }
        }
        c.ignored += list("DOCKERLINT_IGNORE")
        for (sev, name) in [(Severity.error, "ERROR"), (.warning, "WARNING"), (.info, "INFO"), (.style, "STYLE")] {
            for code in list("DOCKERLINT_OVERRIDE_\(name)") { c.severityOverrides[code] = sev }
        }
        c.trustedRegistries += list("DOCKERLINT_TRUSTED_REGISTRIES")
        for item in list("DOCKERLINT_REQUIRE_LABELS") {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            c.labelSchema[parts[0]] = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "text"
        }
        if let b = flag("DOCKERLINT_STRICT_LABELS") { c.strictLabels = b }
        if let b = flag("DOCKERLINT_DISABLE_IGNORE_PRAGMA") { c.disableIgnorePragma = b }
        if let b = flag("DOCKERLINT_NO_FAIL") ?? flag("DOCKERLINT_NOFAIL") { c.noFail = b }
        if let b = flag("DOCKERLINT_SHELLCHECK") { c.shellcheck = b }
        if env["NO_COLOR"].map({ !$0.isEmpty }) == true { c.noColor = true }
        if let b = env["DOCKERLINT_BUILDER"] {
            if let v = BuilderKind.named(b) { c.builder = v } else {
                issues.append(ConfigIssue(level: .error, message: "DOCKERLINT_BUILDER: \(BuilderKind.expected())", location: nil))
            }
        }
        if let e = env["DOCKERLINT_ENGINE"], !e.isEmpty {
            if let r = EngineRelease(argument: e) { c.engine = r } else {
                issues.append(ConfigIssue(level: .error, message: "DOCKERLINT_ENGINE: \(EngineRelease.expected)", location: nil))
            }
        }
        if let m = env["DOCKERLINT_CI_CACHE"], !m.isEmpty {
            if let v = CICacheMode(rawValue: m) { c.ciCache = v } else {
                issues.append(ConfigIssue(level: .error, message: "DOCKERLINT_CI_CACHE: \(CICacheMode.expected)", location: nil))
            }
        }
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

extension Substring {
    func trimmingASCIISpace() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
