// Reads the simulator's plan format (`builds:` list) for `dockerlint bench --plan`.
import Foundation
import Yams

public enum BenchPlan {
    /// Parses a plan file. Paths are resolved against the plan file's directory. Accepted keys per
    /// build: `name`, `context` (default `.`), `dockerfile`, `build-args` (map or `K=V` list),
    /// `target`.
    public static func load(_ path: String) throws -> [BenchPlanBuild] {
        let text = String(decoding: try FileIO.read(path), as: UTF8.self)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw CommandError("\(path): invalid YAML: \(error)")
        }
        guard let list = root?.mapping?["builds"]?.sequence, !list.isEmpty else {
            throw CommandError("\(path): a plan needs a non-empty `builds:` list")
        }
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : URL(fileURLWithPath: dir).appendingPathComponent(p).standardized.path }
        return try list.enumerated().map { i, item in
            guard let b = item.mapping else { throw CommandError("\(path): builds[\(i)] is not a mapping") }
            var args: [String: String] = [:]
            if let m = b["build-args"]?.mapping {
                for (k, v) in m { args[k.string ?? ""] = v.string ?? "" }
            } else if let l = b["build-args"]?.sequence {
                for e in l {
                    let s = e.string ?? ""
                    guard let eq = s.firstIndex(of: "=") else { throw CommandError("\(path): builds[\(i)].build-args: \(s) is not K=V") }
                    args[String(s[..<eq])] = String(s[s.index(after: eq)...])
                }
            }
            return BenchPlanBuild(name: b["name"]?.string, context: resolve(b["context"]?.string ?? "."),
                                  dockerfile: b["dockerfile"]?.string, buildArgs: args, target: b["target"]?.string)
        }
    }
}
