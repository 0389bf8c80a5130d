import DockerlintCore
import DockerlintSupport

/// The lint command's arguments read without ArgumentParser: in a pre-commit hook the
/// process start is most of dockerlint's time, and ArgumentParser's reflection over the
/// command tree costs about a third of it. Anything this reader does not know (help, an
/// unknown or misspelt option, another subcommand) makes it return nil, and the CLI goes
/// through ArgumentParser, which then gives the usual help and errors.
public enum FastLintArguments {
    /// Subcommands other than `lint`: these always take the ArgumentParser path.
    /// (A switch, not a Set: building a Set at start-up costs more than this whole check.)
    public static func isOtherSubcommand(_ name: String) -> Bool {
        switch name {
        case "parse", "rules", "explain", "simulate", "compare", "optimize", "bench", "report", "fix", "help": return true
        default: return false
        }
    }

    /// `argv` without the program name. Forms: `--name value`, `--name=value`, `-x value`.
    public static func parse(_ argv: [String]) -> LintOptions? {
        var args = argv[...]
        if let first = args.first {
            if isOtherSubcommand(first) { return nil }
            if first == "lint" { args = args.dropFirst() }
        }
        var o = LintOptions()
        var formatEvents: [(format: String?, output: String?)] = []
        var endOfOptions = false
        while let a = args.first {
            args = args.dropFirst()
            if endOfOptions || a == "-" || !a.hasPrefix("-") { o.paths.append(a); continue }
            if a == "--" { endOfOptions = true; continue }
            // `--name=value`, `--name value`, `-x value`, `-xvalue`.
            var name = a
            var inline: String? = nil
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                name = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            } else if !a.hasPrefix("--"), a.count > 2 {
                return nil  // `-xvalue` or clustered flags: ArgumentParser decides
            }
            func value() -> String? {
                if let inline { return inline }
                guard let v = args.first else { return nil }
                args = args.dropFirst()
                return v
            }
            func flag() -> Bool { inline == nil }
            switch name {
            case "-f", "--format": guard let v = value() else { return nil }; formatEvents.append((v, nil))
            case "-o", "--output": guard let v = value() else { return nil }; formatEvents.append((nil, v))
            case "-t", "--failure-threshold":
                guard let v = value(), let s = ConfigurationLoader.parseSeverity(v, allowOff: true) else { return nil }
                o.failureThreshold = s
            case "--no-fail": guard flag() else { return nil }; o.noFail = true
            case "--no-color": guard flag() else { return nil }; o.noColor = true
            case "--ignore": guard let v = value() else { return nil }; o.ignore.append(v)
            case "--error", "--warning", "--info", "--style":
                guard let v = value(), let s = ConfigurationLoader.parseSeverity(String(name.dropFirst(2)), allowOff: false) else { return nil }
                o.severityOverrides[v] = s
            case "--trusted-registry": guard let v = value() else { return nil }; o.trustedRegistries.append(v)
            case "--require-label": guard let v = value() else { return nil }; o.requireLabels.append(v)
            case "--strict-labels": guard flag() else { return nil }; o.strictLabels = true
            case "--disable-ignore-pragma": guard flag() else { return nil }; o.disableIgnorePragma = true
            case "--context": guard let v = value() else { return nil }; o.contextDirectory = v
            case "--builder":
                guard let v = value(), let b = BuilderKind.named(v) else { return nil }
                o.builder = b
            case "--shellcheck": guard flag() else { return nil }; o.shellcheck = true
            case "--history": guard let v = value(), let n = Int(v), n >= 0 else { return nil }; o.history = n
            case "--min-saving": guard let v = value(), let n = Double(v), n >= 0, n.isFinite else { return nil }; o.minSaving = n
            case "--path": guard let v = value() else { return nil }; o.stdinPath = v
            case "-c", "--config": guard let v = value() else { return nil }; o.configPath = v
            default: return nil
            }
        }
        (o.formats, o.outputs) = pairFormatsAndOutputs(formatEvents)
        return o
    }

    /// `-f`/`-o` in command-line order → formats and their outputs ("" = standard output).
    /// Each output belongs to the format written before it; an output before any format
    /// belongs to the first format.
    public static func pairFormatsAndOutputs(_ events: [(format: String?, output: String?)]) -> ([String], [String]) {
        var pairs: [(String, String?)] = []
        var pending: String? = nil
        for e in events {
            if let f = e.format {
                pairs.append((f, nil))
            } else if let out = e.output {
                if let last = pairs.indices.last {
                    if pairs[last].1 == nil { pairs[last].1 = out } else { pairs.append((pairs[last].0, out)) }
                } else if pending == nil { pending = out }
            }
        }
        if pairs.isEmpty && pending == nil { return ([], []) }
        if pairs.isEmpty { pairs = [("tty", nil)] }
        if let p = pending, pairs[0].1 == nil { pairs[0].1 = p }
        let outputs = pairs.map { $0.1 ?? "" }
        return (pairs.map(\.0), outputs.allSatisfy(\.isEmpty) ? [] : outputs)
    }
}
