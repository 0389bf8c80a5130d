import ArgumentParser
import DockerlintKit
// Linked statically on Linux: see the dockerlint target in Package.swift.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

@main
struct Dockerlint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dockerlint",
        abstract: "Reads Dockerfiles the way BuildKit does and tells what their layer cache will do.",
        version: DockerlintVersion.string,
        subcommands: [Lint.self, Fix.self, Parse.self, Rules.self, Explain.self, Simulate.self, Compare.self, Optimize.self, Bench.self, Report.self],
        defaultSubcommand: Lint.self)

    /// Maps every outcome to the documented exit codes: usage errors are 2, not 64.
    static func main() {
        do {
            // The common lint invocation skips ArgumentParser (start-up time; see LintArguments).
            // DOCKERLINT_ARGUMENT_PARSER=1 forces the full parser (tests compare both paths).
            if getenv("DOCKERLINT_ARGUMENT_PARSER") == nil,
               let options = LintArguments.fastPath(Array(CommandLine.arguments.dropFirst())) {
                let status = try LintRunner(options: options).run()
                Glibc.exit(status.rawValue)
            }
            var command = try parseAsRoot(Bench.expandPushRegistry(Array(CommandLine.arguments.dropFirst())))
            try command.run()
            Console.flush()
        } catch let e as CommandError {
            Console.flush()
            // Messages that already say where (FILE: error: …) print as they are.
            Console.err(e.message.contains(": error: ") || e.message.contains(": warning: ")
                        ? "\(e.message)\n" : "dockerlint: error: \(e.message)\n")
            Glibc.exit(e.status.rawValue)
        } catch let e as ExitCode {
            // Not ArgumentParser's exit(withError:): it renders help text it then drops.
            Console.flush()
            Glibc.exit(e.rawValue)
        } catch {
            Console.flush()
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            Console.err(fullMessage(for: error) + "\n")
            exit(withError: ExitCode(ExitStatus.usage.rawValue))
        }
    }
}

func finish(_ status: ExitStatus) throws {
    if status != .clean { throw ExitCode(status.rawValue) }
}

struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the parsed Dockerfile: the typed tree as JSON, or BuildKit's AST dump.")

    @Argument(help: "The Dockerfile, or - for standard input.")
    var file: String

    @Option(help: "json (the tree with exact ranges) or buildkit (BuildKit's Node.Dump() text).")
    var format: ParseRunner.Format = .json

    @Option(help: "The name to use for standard input in messages.")
    var path: String?

    func run() throws {
        try finish(try ParseRunner(path: file, displayPath: path, format: format).run())
    }
}

extension ParseRunner.Format: ExpressibleByArgument {}
