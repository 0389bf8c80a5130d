import DockerlintCore
import DockerlintSupport
import Yams

/// `simulate --plan PLAN.yaml`: a `builds:` list replayed in order, the cache carrying across.
///
///     builds:
///       - context: v1            # a directory, relative to the plan file
///         dockerfile: v1/Dockerfile   # optional, relative to the plan file (default: Dockerfile in the context)
///         build-args: {VERSION: "1"}
///         target: app
///         name: first            # optional label
public struct SimulationPlan: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var context: String
        public var dockerfile: String?
        public var buildArgs: [String: String] = [:]
        public var target: String?
        public var name: String?
        /// 1-based line of the entry in the plan file.
        public var line: Int
    }

    public var builds: [Entry]

    public struct ParseError: Error, Sendable { public var message: String }

    static let keys = ["context", "dockerfile", "build-args", "target", "name"]

    public static func parse(_ text: String, path: String) throws(ParseError) -> SimulationPlan {
        func fail(_ n: Node?, _ msg: String) -> ParseError {
            let line = (n?.mark?.line ?? 0)
            let col = (n?.mark?.column ?? 0)
            return ParseError(message: "\(path):\(line):\(col): error: \(msg)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            let issue = (error as? YamlError).map { ConfigurationLoader.yamlIssue($0, file: path).description }
                ?? "\(path): error: not valid YAML (\(OneLine.clip(String(describing: error))))"
            return try { () throws(ParseError) -> SimulationPlan in throw ParseError(message: issue) }()
        }
        guard let root, let map = root.mapping else { throw fail(root, "expected a mapping with a 'builds:' list") }
        var list: Node.Sequence?
        for (k, v) in map {
            guard k.string == "builds" else { throw fail(k, "unknown key '\(k.string ?? "?")' (expected builds)") }
            guard let seq = v.sequence else { throw fail(v, "'builds' must be a list") }
            list = seq
        }
        guard let list else { throw fail(root, "missing 'builds:' list") }
        if list.isEmpty { throw fail(root, "'builds' is empty") }
        var entries: [Entry] = []
        for item in list {
            guard let m = item.mapping else { throw fail(item, "each build must be a mapping with a 'context'") }
            var e = Entry(context: "", line: item.mark?.line ?? 0)
            var hasContext = false
            for (k, v) in m {
                let key = k.string ?? ""
                switch key {
                case "context", "dockerfile", "target", "name":
                    guard let s = v.scalar?.string, !s.isEmpty else { throw fail(v, "'\(key)' must be a non-empty string") }
                    switch key {
                    case "context": e.context = s; hasContext = true
                    case "dockerfile": e.dockerfile = s
                    case "target": e.target = s
                    default: e.name = s
                    }
                case "build-args":
                    guard let am = v.mapping else { throw fail(v, "'build-args' must be a mapping of names to values") }
                    for (ak, av) in am {
                        guard let name = ak.string, !name.isEmpty, let value = av.scalar?.string else {
                            throw fail(ak, "build-args: expected NAME: value")
                        }
                        e.buildArgs[name] = value
                    }
                default:
                    throw fail(k, "unknown key '\(key)' (expected \(keys.joined(separator: ", ")))")
                }
            }
            if !hasContext { throw fail(item, "missing 'context'") }
            entries.append(e)
        }
        return SimulationPlan(builds: entries)
    }
}
