import DockerlintCore
import DockerlintReporters
import DockerlintSupport

/// The lint command's arguments, read by one reader for both ways in: the fast path (a
/// pre-commit hook's process start is most of dockerlint's time, and ArgumentParser's
/// reflection over the command tree costs about a third of it) and `dockerlint lint` through
/// ArgumentParser, which only gives the help. Settings come from `LintSettings.all`; the
/// options that are not settings (formats, outputs, fixing) from `LintArguments.commandOptions`.
/// Forms: `--name value`, `--name=value`, `-x value`, `-xvalue`.
public enum LintArguments {
    /// An option of the lint command that is not a setting.
    public struct CommandOption: Sendable {
        public let option: String
        public let shortOption: String?
        /// nil: a flag.
        public let valueName: String?
        /// Built when asked for: the table is read at every start, the help almost never
        /// (the list of formats, a generic `joined`, cost 0.3 M instructions at start-up).
        public var help: String { helpText() }
        let helpText: @Sendable () -> String
        let set: @Sendable (inout LintOptions, String?) -> Void

        init(option: String, shortOption: String?, valueName: String?, help: @escaping @autoclosure @Sendable () -> String,
             set: @escaping @Sendable (inout LintOptions, String?) -> Void) {
            self.option = option
            self.shortOption = shortOption
            self.valueName = valueName
            self.helpText = help
            self.set = set
        }
    }

    public static let commandOptions: [CommandOption] = [
        CommandOption(option: "--format", shortOption: "-f", valueName: "FORMAT",
                      help: "Output format: \(Reporters.identifiers.joined(separator: ", ")). Repeatable.") { _, _ in },
        CommandOption(option: "--output", shortOption: "-o", valueName: "FILE",
                      help: "Write the --format before it to this file. Repeatable.") { _, _ in },
        CommandOption(option: "--config", shortOption: "-c", valueName: "FILE",
                      help: "Configuration file (default: .dockerlint.yaml, else .hadolint.yaml, in the working directory or next to the file and upward to the repository root).") { o, v in o.configPath = v },
        CommandOption(option: "--path", shortOption: nil, valueName: "NAME",
                      help: "The name to use for standard input in messages.") { o, v in o.stdinPath = v },
        CommandOption(option: "--context", shortOption: nil, valueName: "DIR",
                      help: "The build context directory (default: the context key of the configuration, else the context a GitHub workflow, bake or compose file of the project builds the Dockerfile with, else the Dockerfile's directory).") { o, v in o.contextDirectory = v },
        CommandOption(option: "--verbose", shortOption: "-v", valueName: nil,
                      help: "Say which build context each file was linted with and why, and what weighing its cache findings took (on standard error).") { o, _ in o.verbose = true },
        CommandOption(option: "--fix", shortOption: nil, valueName: nil,
                      help: "Apply safe fixes (iteratively, all rules), write the files atomically, then lint the result.") { o, _ in o.fix = true },
        CommandOption(option: "--unsafe-fixes", shortOption: nil, valueName: nil,
                      help: "With --fix or --diff: also apply unsafe fixes (reorders whose safety depends on what a RUN reads).") { o, _ in
            o.fix = true
            o.unsafeFixes = true
        },
        CommandOption(option: "--diff", shortOption: nil, valueName: nil,
                      help: "Print the fixes as a unified diff instead of writing them.") { o, _ in o.diff = true },
    ]

    /// Subcommands other than `lint`: these always take the ArgumentParser path.
    /// (A switch, not a Set: building a Set at start-up costs more than this whole check.)
    public static func isOtherSubcommand(_ name: String) -> Bool {
        switch name {
        case "parse", "rules", "explain", "simulate", "compare", "bench", "report", "fix", "optimize", "help": return true
        default: return false
        }
    }

    /// `argv` without the program name. nil: not a lint invocation this reader handles
    /// (another subcommand, help, the version); ArgumentParser takes those. Throws on a bad
    /// lint option or value.
    public static func read(_ argv: [String]) throws(CommandError) -> LintOptions? {
        var args = argv[...]
        if let first = args.first {
            if isOtherSubcommand(first) { return nil }
            if first == "lint" { args = args.dropFirst() }
        }
        var o = LintOptions()
        var formatEvents: [(format: String?, output: String?)] = []
        var endOfOptions = false
        var scratch = Configuration()
        while let a = args.first {
            args = args.dropFirst()
            if endOfOptions || a == "-" || !a.hasPrefix("-") { o.paths.append(a); continue }
            if a == "--" { endOfOptions = true; continue }
            if a == "-h" || a == "--help" || a == "--version" { return nil }
            // `--name=value`, `--name value`, `-x value`, `-xvalue`.
            var name = a
            var inline: String? = nil
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                name = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            } else if !a.hasPrefix("--"), a.count > 2 {
                name = String(a.prefix(2))
                inline = String(a.dropFirst(2))
            }
            func value(_ display: String) throws(CommandError) -> String {
                if let inline { return inline }
                guard let v = args.first else { throw CommandError("missing value for '\(display)'", status: .usage) }
                args = args.dropFirst()
                return v
            }
            if let c = commandOptions.first(where: { $0.option == name || $0.shortOption == name }) {
                if c.valueName == nil {
                    guard inline == nil else { throw CommandError("'\(c.option)' takes no value", status: .usage) }
                    c.set(&o, nil)
                    continue
                }
                let v = try value(c.option)
                switch c.option {
                case "--format": formatEvents.append((v, nil))
                case "--output": formatEvents.append((nil, v))
                default: c.set(&o, v)
                }
                continue
            }
            guard let setting = LintSettings.named(option: name), let option = setting.option else {
                throw CommandError("unknown option '\(name)'", status: .usage)
            }
            let input: LintSetting.Input
            if setting.shape == .flag {
                guard inline == nil else { throw CommandError("'\(option)' takes no value", status: .usage) }
                input = .flag(true)
            } else {
                let v = try value(option)
                input = setting.shape == .list ? .values([v]) : .value(v)
            }
            do throws(LintSetting.SettingError) { try setting.apply(input, to: &scratch) } catch {
                throw CommandError("\(option): \(error.message)", status: .usage)
            }
            o.set(option, input)
        }
        (o.formats, o.outputs) = pairFormatsAndOutputs(formatEvents)
        return o
    }

    /// The fast path: the options when `argv` is a lint invocation without mistakes, else nil
    /// (ArgumentParser then gives help, other subcommands, and the same errors).
    public static func fastPath(_ argv: [String]) -> LintOptions? {
        (try? read(argv)) ?? nil
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

    /// The options part of `dockerlint lint --help`, from the two tables.
    public static var helpText: String {
        var rows: [(String, String)] = []
        for c in commandOptions {
            let names = [c.shortOption, c.option].compactMap { $0 }.joined(separator: ", ")
            rows.append((names + (c.valueName.map { " " + $0 } ?? ""), c.help))
        }
        for s in LintSettings.all {
            guard let option = s.option else { continue }
            let names = [s.shortOption, option].compactMap { $0 }.joined(separator: ", ")
            var help = s.help
            var also: [String] = []
            if let key = s.key { also.append("config key \(key)") }
            if let env = s.environment.first { also.append(env) }
            if !also.isEmpty { help += " (" + also.joined(separator: ", ") + ")" }
            rows.append((names + (s.valueName.map { " " + $0 } ?? ""), help))
        }
        return "OPTIONS:\n" + rows.map { "  \($0.0)\n        \($0.1)" }.joined(separator: "\n")
    }
}
