import DockerlintModel
import DockerlintSupport
import DockerlintSyntax

/// `dockerlint parse`: the parsed tree as JSON, or BuildKit's AST dump.
public struct ParseRunner: Sendable {
    public enum Format: String, CaseIterable, Sendable { case json, buildkit }

    public var path: String
    public var displayPath: String
    public var format: Format

    public init(path: String, displayPath: String? = nil, format: Format) {
        self.path = path
        self.displayPath = displayPath ?? path
        self.format = format
    }

    /// Prints the result; syntax errors go to standard error, one line each, exit 2.
    public func run() throws(CommandError) -> ExitStatus {
        let bytes = try FileIO.read(path)
        let file = DockerfileParser.parse(bytes)
        let errors: [SyntaxError]
        switch format {
        case .buildkit:
            // The AST layer only, as BuildKit's parser tests see it.
            errors = file.errors
            if file.isValid { Console.out(file.buildkitDump()) }
        case .json:
            let model = DockerfileModel.build(file)
            errors = model.errors
            Console.out(model.json() + "\n")
        }
        for e in errors {
            Console.err("\(displayPath):\(e.range.start.line):\(e.range.start.column): error: \(OneLine.clip(e.message))\n")
        }
        return errors.isEmpty ? .clean : .usage
    }

    public static func json(_ file: Dockerfile, path: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("file", path)
        w.field("escape", String(UnicodeScalar(file.escapeToken)))
        w.key("directives"); w.beginArray()
        for d in file.directives {
            w.beginObject(); w.field("name", d.name); w.field("value", d.value); w.key("range"); w.range(d.range); w.endObject()
        }
        w.endArray()
        w.key("instructions"); w.beginArray()
        for i in file.instructions { w.instruction(i) }
        w.endArray()
        w.key("errors"); w.beginArray()
        for e in file.errors {
            w.beginObject(); w.field("message", e.message); w.key("range"); w.range(e.range); w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output
    }
}
