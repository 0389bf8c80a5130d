import DockerlintSyntax

/// `dockerlint lint`. Until the rule engine lands this reports syntax errors only.
public struct LintRunner: Sendable {
    public var paths: [String]
    public var stdinPath: String?

    public init(paths: [String], stdinPath: String? = nil) {
        self.paths = paths
        self.stdinPath = stdinPath
    }

    public func run() throws(CommandError) -> ExitStatus {
        var status = ExitStatus.clean
        for p in paths {
            let name = p == "-" ? (stdinPath ?? "-") : p
            let file = DockerfileParser.parse(try FileIO.read(p))
            for e in file.errors {
                Console.err("\(name):\(e.range.start.line):\(e.range.start.column): error: \(e.message)\n")
                status = .usage
            }
        }
        return status
    }
}
