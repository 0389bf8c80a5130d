// History evidence for the cache rules (DC): the findings of one file are checked against
// the last N commits of its git repository. The simulator replays those commits twice, each
// commit's context built once with the Dockerfile as it is now and once with every DC fix
// applied, and each finding quotes how often the step it is about re-ran in each.
//
// Cost: nothing happens unless a DC finding with a step exists and history > 0; then one
// `git log` stream per replay (two per file), whatever the number of findings.

import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

public enum CacheEvidence {
    /// The commits replayed when neither `--history` nor the configuration says: 100 in CI
    /// (the `CI` environment variable is set to anything but `false`/`0`/empty, as GitHub
    /// Actions, GitLab CI, CircleCI, Travis, Buildkite and Azure Pipelines do), 0 otherwise
    /// (pre-commit hooks and editors, where linting must take milliseconds).
    public static let ciDefault = 100
    public static func defaultHistory(environment: [String: String]) -> Int {
        guard let ci = environment["CI"]?.lowercased(), !ci.isEmpty, ci != "false", ci != "0" else { return 0 }
        return ciDefault
    }

    /// Per-step replay results of one file.
    public struct Replay: Sendable {
        /// Builds counted (the baseline is not).
        public var builds: Int
        /// Misses by line of the Dockerfile as it is now.
        public var missesByLine: [Int: Int]
        /// Misses by line of the fixed Dockerfile.
        public var fixedMissesByLine: [Int: Int]
        public var fixedText: [UInt8]
        public var builtByLine: [Int: Int]
    }

    /// Replays the last `history` commits with the current and the fixed Dockerfile.
    public static func replay(path: String, bytes: [UInt8], configuration: Configuration, contextDirectory: String,
                              history: Int, rules: RuleSet) -> Replay? {
        guard history > 0, let source = try? GitReplay.locate(dockerfile: path, contextDirectory: contextDirectory) else { return nil }
        let range = (try? GitHistory.resolve(repository: source.repository, revision: "HEAD~\(history)")).map { "\($0)..HEAD" } ?? "HEAD"
        let dcCodes = Set(rules.catalog.filter { $0.code.hasPrefix("DC") }.map(\.code))
        let fixed = Fixer.fix(bytes, path: path, configuration: configuration, contextDirectory: contextDirectory, rules: rules,
                              unsafe: true, only: dcCodes).bytes
        let engine = configuration.builder.cacheModel
        func run(_ text: [UInt8]) -> SimulationSummary? {
            var sim = CacheSimulator(engine: engine)
            var summary = SimulationSummary(engine: engine)
            do {
                try GitReplay.replay(source, range: range, dockerfileText: text, simulator: &sim) { summary.add($0) }
            } catch { return nil }
            return summary
        }
        guard let a = run(bytes), a.builds > 0 else { return nil }
        let b = fixed == bytes ? a : (run(fixed) ?? a)
        var ma: [Int: Int] = [:], mb: [Int: Int] = [:], built: [Int: Int] = [:]
        for s in a.steps { ma[s.line] = s.misses; built[s.line] = s.built }
        for s in b.steps { mb[s.line] = s.misses }
        return Replay(builds: a.builds, missesByLine: ma, fixedMissesByLine: mb, fixedText: fixed, builtByLine: built)
    }

    /// Appends history evidence to the DC findings of one file (unchanged when history is 0,
    /// there is no DC finding, or the file is not in a git repository).
    public static func annotate(_ diagnostics: [Diagnostic], path: String, bytes: [UInt8], configuration: Configuration,
                                contextDirectory: String?, history: Int, rules: RuleSet) -> [Diagnostic] {
        guard history > 0, let ctx = contextDirectory,
              diagnostics.contains(where: { $0.code.hasPrefix("DC") && !$0.relatedLines.isEmpty }) else { return diagnostics }
        guard let r = replay(path: path, bytes: bytes, configuration: configuration, contextDirectory: ctx, history: history, rules: rules) else {
            // No replay: say why when the reason is a shallow clone (CI checkouts fetch one
            // commit by default), so a finding without evidence is not read as "no misses".
            guard let shallow = shallowClone(contextDirectory: ctx) else { return diagnostics }
            return diagnostics.map { d in
                guard d.code.hasPrefix("DC"), !d.relatedLines.isEmpty else { return d }
                var d = d
                d.message += "; no history evidence: \(shallow.reason)"
                return d
            }
        }
        let original = DockerfileModel.build(DockerfileParser.parse(bytes))
        let fixedModel = DockerfileModel.build(DockerfileParser.parse(r.fixedText))
        return diagnostics.map { d in
            guard d.code.hasPrefix("DC"), let line = d.relatedLines.first, let misses = r.missesByLine[line] else { return d }
            var d = d
            let step = original.allInstructions.first { $0.syntax.startLine == line }
            let text = step.map { "`\($0.shortText)` (line \(line))" } ?? "line \(line)"
            var sentence = "in the last \(r.builds) commit\(r.builds == 1 ? "" : "s"), \(text) would have re-run \(times(misses))"
            if r.fixedText != bytes, let step, let fixedLine = matchingLine(step, in: fixedModel, original: original),
               let after = r.fixedMissesByLine[fixedLine] {
                sentence += "; with the fix, \(times(after))"
            }
            d.message += "; " + sentence
            return d
        }
    }

    /// A shallow clone and the commits it holds, with the sentence that says so.
    public struct ShallowClone: Sendable, Equatable {
        public var commits: Int
        public var reason: String { "the repository is a shallow clone (\(commits) commit\(commits == 1 ? "" : "s") of history)" }
        /// The one line for standard error: what is missing and how to get it.
        public var advice: String {
            "history unavailable: \(reason); fetch the history the cache rules replay (`fetch-depth: 0` on actions/checkout, "
                + "`GIT_DEPTH: 0` on GitLab, or `git fetch --unshallow`)"
        }
    }

    /// Whether the repository holding `contextDirectory` is shallow (nil: not shallow, not a
    /// repository, or no git).
    public static func shallowClone(contextDirectory: String) -> ShallowClone? {
        guard let flag = try? Git.text(repository: contextDirectory, ["rev-parse", "--is-shallow-repository"]),
              flag.trimmingCharacters(in: .whitespacesAndNewlines) == "true" else { return nil }
        let count = (try? Git.text(repository: contextDirectory, ["rev-list", "--count", "HEAD"]))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return ShallowClone(commits: count)
    }

    static func times(_ n: Int) -> String { n == 1 ? "once" : "\(n) times" }

    /// The line of the instruction of `fixed` that is `step` of `original`: the same text
    /// (the k-th of that text in its stage), else the first whose text contains it.
    static func matchingLine(_ step: ModelInstruction, in fixed: DockerfileModel, original: DockerfileModel) -> Int? {
        func norm(_ s: String) -> String { s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ") }
        let key = norm(step.syntax.original)
        let same = original.allInstructions.filter { $0.stageIndex == step.stageIndex && norm($0.syntax.original) == key }
        let k = same.firstIndex { $0.syntax.startLine == step.syntax.startLine } ?? 0
        let candidates = fixed.allInstructions.filter { $0.stageIndex == step.stageIndex && norm($0.syntax.original) == key }
        if k < candidates.count { return candidates[k].syntax.startLine }
        let args = norm(step.syntax.original.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
        return fixed.allInstructions.first { $0.stageIndex == step.stageIndex && $0.syntax.kind == step.syntax.kind && norm($0.syntax.original).contains(args) }?.syntax.startLine
    }
}
