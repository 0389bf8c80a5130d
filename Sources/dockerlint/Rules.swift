import ArgumentParser
import DockerlintKit

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List all rules: code, name, default severity, category.")

    @Option(name: [.short, .long], help: "tty, json or markdown.")
    var format: String = "tty"

    func run() throws { Console.out(try RulesRunner.list(format: format)) }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a rule's documentation (by code, name or alias).")

    @Argument(help: "A rule code, name or alias, e.g. DL3025, JSONArgsRecommended.")
    var rule: String

    func run() throws { Console.out(try RulesRunner.explain(rule)) }
}
