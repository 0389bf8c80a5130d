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
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw CommandError("\(path): invalid YAML: \(error)")
        }
        guard let top = root as? [String: Any], let list = top["builds"] as? [Any], !list.isEmpty else {
            throw CommandError("\(path): a plan needs a non-empty `builds:` list")
        }
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : URL(fileURLWithPath: dir).appendingPathComponent(p).standardized.path }
        return try list.enumerated().map { i, item in
            guard let b = item as? [String: Any] else { throw CommandError("\(path): builds[\(i)] is not a mapping") }
            var args: [String: String] = [:]
            if let m = b["build-args"] as? [String: Any] {
                for (k, v) in m { args[k] = "\(v)" }
            } else if let l = b["build-args"] as? [Any] {
                for e in l {
                    let s = "\(e)"
                    guard let eq = s.firstIndex(of: "=") else { throw CommandError("\(path): builds[\(i)].build-args: \(s) is not K=V") }
                    args[String(s[..<eq])] = String(s[s.index(after: eq)...])
                }
            }
            let ctx = resolve(b["context"].map { "\($0)" } ?? ".")
            return BenchPlanBuild(name: b["name"].map { "\($0)" }, context: ctx,
                                  dockerfile: b["dockerfile"].map { "\($0)" }, buildArgs: args,
                                  target: b["target"].map { "\($0)" })
        }
    }
}
