import DockerlintCore
import DockerlintRules
import DockerlintSupport
import DockerlintSyntax

/// `dockerlint rules` and `dockerlint explain`.
public enum RulesRunner {
    /// One line per rule: code, name, default severity, category (status when not stable).
    public static func list(format: String, rules: RuleSet = BuiltinRules.ruleSet) throws(CommandError) -> String {
        switch format {
        case "json":
            return json(rules.catalog)
        case "tty", "text":
            let codeW = max(4, rules.catalog.map(\.code.count).max() ?? 4)
            let nameW = max(4, rules.catalog.map(\.name.count).max() ?? 4)
            var t = Table([.left("CODE", codeW), .left("NAME", nameW, gap: "  "), .left("SEVERITY", 8, gap: "  "), .left("CATEGORY", gap: "  ")])
            for r in rules.catalog {
                t.add([r.code, r.name, r.severity.rawValue, r.category + (r.status != .stable ? " (\(r.status.rawValue))" : "")])
            }
            return t.text() + "\(rules.catalog.count) rules\n"
        case "markdown":
            var t = Table([.left("code"), .left("name"), .left("severity"), .left("category"), .left("summary")])
            for r in rules.catalog {
                t.add([r.code, r.name, r.severity.rawValue, r.category + (r.status == .stable ? "" : " (\(r.status.rawValue))"), Markdown.inline(r.summary)])
            }
            return t.markdown()
        default:
            throw CommandError("unknown format '\(format)' (tty, json, markdown)")
        }
    }

    /// A rule's documentation, by code, name or alias.
    public static func explain(_ name: String, rules: RuleSet = BuiltinRules.ruleSet) throws(CommandError) -> String {
        guard let r = rules.rule(named: name) else {
            let hint = ConfigurationLoader.suggestion(name, among: rules.catalog.flatMap(\.allNames)).map { " (did you mean \($0)?)" } ?? ""
            throw CommandError("unknown rule '\(name)'\(hint)")
        }
        var s = "\(r.code) \(r.name): \(r.summary)\n"
        s += "Severity: \(r.severity.rawValue). Category: \(r.category). Status: \(r.status.rawValue)."
        if !r.aliases.isEmpty { s += " Also named: \(r.aliases.joined(separator: ", "))." }
        if r.fix != .none { s += " Fix: \(r.fix.rawValue)." }
        s += "\n"
        if let u = r.url { s += "Docs: \(u)\n" }
        s += "\n" + r.docs.markdown(title: "\(r.code) \(r.name)")
        return s
    }

    /// The rule list as JSON: code, names, severity, category, status, summary, docs, fix.
    static func json(_ list: [RuleMetadata]) -> String {
        var w = JSONWriter()
        w.beginArray()
        for r in list {
            w.beginObject()
            w.field("code", r.code); w.field("name", r.name)
            w.key("aliases"); w.beginArray(); for a in r.aliases { w.string(a) }; w.endArray()
            w.field("severity", r.severity.rawValue); w.field("category", r.category); w.field("status", r.status.rawValue)
            w.field("summary", r.summary); w.field("url", r.url); w.field("fix", r.fix.rawValue)
            w.endObject()
        }
        w.endArray()
        return w.output + "\n"
    }
}
