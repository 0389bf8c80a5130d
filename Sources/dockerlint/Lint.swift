import ArgumentParser
import DockerlintKit

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lint Dockerfiles (the default command).")

    @Argument(help: "Dockerfiles, directories, or - for standard input.")
    var files: [String] = []

    @Option(help: "The name to use for standard input in messages.")
    var path: String?

    func run() throws {
        try finish(try LintRunner(paths: files.isEmpty ? ["Dockerfile"] : files, stdinPath: path).run())
    }
}
