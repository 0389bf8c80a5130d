import ArgumentParser
import DockerlintKit

/// `dockerlint lint`: the options are read by `LintArguments` (one table for the
/// configuration file, the environment and the command line); ArgumentParser only routes
/// here and prints the help, which comes from the same tables.
struct Lint: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            abstract: "Lint Dockerfiles (the default command).",
            discussion: LintArguments.helpText
                + "\n\nExit codes: 0 clean, 1 findings at or above the failure threshold, 2 usage/input/configuration error, 3 environment error.")
    }

    @Argument(parsing: .allUnrecognized,
              help: "Dockerfiles, directories (searched for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile), or - for standard input; and the options below.")
    var arguments: [String] = []

    func run() throws {
        // The command line as written (ArgumentParser may reorder what it collects).
        guard let o = try LintArguments.read(Array(CommandLine.arguments.dropFirst())) else {
            throw CommandError("unexpected arguments for lint")
        }
        try finish(try LintRunner(options: o).run())
    }
}
