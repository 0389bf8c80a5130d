// The simulator decides the cache findings (DC). Each finding's fix is applied ALONE to the
// file as it is, and the file and every such variant are simulated side by side:
// - over the git history (`--history N`; 100 in CI): each commit with its own Dockerfile and
//   .dockerignore, the variant being the same fix applied to that commit's Dockerfile (a
//   commit where the fix does not apply counts as unchanged from the file as it was);
// - without history, over plausible edits of the context: each file changed alone, weighted
//   by how often files of its kind change (`EditWeights`).
// A finding with a fix is reported only when its fix saves at least `min-saving` seconds of
// estimated rebuild time per 100 commits (default 60); cache-mount advice (DC1007) only when
// the downloads a cache mount keeps save as much over the re-runs of its step that edits of
// the Dockerfile or a new base image did not cause (those re-run the step whatever is
// mounted: the advice is for steps that re-run because of their inputs); any other finding
// without a fix (a volatile value) only when its step re-runs at all. The message quotes the
// saving and the re-runs of the finding's own step, and what caused those re-runs.
//
// Cost: nothing happens unless a DC finding exists; then one replay for the file as it is and
// one per distinct fix, all fed by one `git log` stream and one `cat-file` process (history),
// or by one walk of the context that reads no file contents (plausible edits).

import DockerlintAnalysis
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

    /// Plausible edits simulated at most (the heaviest groups of files), so that linting
    /// without history stays fast on large contexts.
    public static let maxEditGroups = 32

    /// Entries of the context (files and folders, `.dockerignore` applied while walking) walked
    /// at most for evidence without history. A larger context is not walked further: its cache
    /// findings are reported as the rules found them, and their message says that they were
    /// not weighed and why.
    public static let maxContextEntries = 20_000

    static func cappedNote(_ limit: Int) -> String {
        "not weighed against edits of the context: it has more than \(limit) files and folders, the most walked without "
            + "history (`--history N` weighs the finding against the last N commits instead)"
    }

    /// What the evidence of one file cost (for tests and benchmarks: what ran, not how long).
    public struct Work: Sendable, Equatable {
        /// Builds simulated (every variant of every replayed commit or edit, recorded builds
        /// passed on again not counted).
        public var simulatedBuilds = 0
        /// Contexts walked for plausible edits (0 when another file of the run walked it).
        public var contextScans = 0
        /// The context was larger than `maxContextEntries`: the findings were not weighed.
        public var capped = false
        public init() {}
    }

    /// Findings that are not about what re-runs (the simulator cannot tell whether they pay).
    static let notSimulated: Set<String> = ["DC1005"]

    /// Cache-mount advice: the saving is the downloads of the step's re-runs.
    static let cacheMountCodes: Set<String> = ["DC1007"]

    /// The share of a package-install step's estimated time a warm cache mount saves on a
    /// re-run: the downloads (and, for pip and uv, the wheels built from source), not the
    /// unpacking, installing and compiling the step still does.
    public static let cacheMountShare = 1.0 / 3

    /// What the evidence of one finding found (also used by tests and reports).
    public struct Evidence: Sendable, Equatable {
        public enum Source: Sendable, Equatable {
            /// The last `commits` commits of the repository.
            case history(commits: Int)
            /// Plausible edits of a context of `files` files.
            case edits(files: Int)

            public var isHistory: Bool { if case .history = self { return true }; return false }
        }
        public var source: Source
        /// Estimated rebuild seconds per 100 commits (edits) saved by the finding's fix alone
        /// (nil for findings without a fix).
        public var savingPer100: Double?
        /// The finding's own step (text, re-runs per 100 as is, with the fix).
        public var step: String
        public var reruns: Double
        public var rerunsFixed: Double?
        /// Per 100 commits: what made the step re-run, most frequent first.
        public var causes: [(String, Double)]
        public var reported: Bool
        /// Cache-mount advice: the re-runs per 100 that edits of the Dockerfile or a new base
        /// image did not cause (the ones whose downloads a cache mount saves; nil otherwise).
        public var inputReruns: Double? = nil
        /// A pre-fetch fix (`go mod download` above the source COPY): the new step, whose
        /// re-runs (`rerunsFixed`) are the downloads left; the build step still re-runs.
        public var downloadStep: String? = nil
        /// The pre-fetch is not offered: `downloadStep` is a hypothetical step, replayed only to
        /// count the commits (edits) that changed the dependency inputs.
        public var hypothetical = false
        /// Cache-mount advice on a build's dependency cache: the dependencies whose download
        /// share (`CostModel.secondsPerDependency` each) a counted re-run saves.
        public var mountDependencies: Int? = nil
        /// Per 100 commits (edits): the builds whose Dockerfile had the quoted step (an older
        /// commit may predate it).
        public var present: Double = 100

        public static func == (a: Evidence, b: Evidence) -> Bool {
            a.source == b.source && a.savingPer100 == b.savingPer100 && a.step == b.step && a.reruns == b.reruns
                && a.rerunsFixed == b.rerunsFixed && a.reported == b.reported
                && a.causes.map(\.0) == b.causes.map(\.0) && a.causes.map(\.1) == b.causes.map(\.1)
                && a.inputReruns == b.inputReruns && a.downloadStep == b.downloadStep && a.hypothetical == b.hypothetical
                && a.mountDependencies == b.mountDependencies && a.present == b.present
        }
    }

    /// A finding under test: its variant (0: the file as it is, for findings without a fix)
    /// and its own steps (as `StepKey`s in the file as it is and in its variant).
    struct Subject {
        var index: Int
        var variant: Int
        var steps: [(asIs: StepKey, fixed: StepKey?)]
        var fixable: Bool
        /// Cache-mount advice (`cacheMountCodes`): judged by the downloads it saves.
        var cacheMount = false
        /// The advice is about a system package manager (apt, apk), whose downloads depend on
        /// the Dockerfile alone: only re-runs that start at the step itself count (a build
        /// argument it expands); one that follows a COPY the RUN's other commands read calls
        /// for splitting the RUN, not for a cache mount.
        var ownStepOnly = false
        /// A pre-fetch fix: `steps` pairs the build as it is with the new pre-fetch step.
        var downloadStep: String? = nil
        /// The variant is evidence only (a pre-fetch that is not offered): not a fix.
        var hypothetical = false
        /// Cache-mount advice on a build's dependency cache (`PreferCacheMountRule.buildCacheSubject`):
        /// the dependencies whose download share each counted re-run saves.
        var mountDependencies: Int? = nil
    }

    /// The edits replayed for a finding: its fix, or the hypothetical pre-fetch step of a
    /// one-command build whose pre-fetch is not offered (`SourceCopiedBeforeInstallRule
    /// .evidenceOnlySubject`: the text inserted before a line); nil when it has neither.
    static func replayEdits(_ d: Diagnostic, _ bytes: [UInt8]) -> [TextEdit]? {
        if let fix = d.fix, !fix.edits.isEmpty { return fix.edits }
        // A RUN split that is not offered (steps between block it): the COPY narrowed to the
        // files the install reads, the whole COPY again after the RUN (`first-last-after`).
        if d.subject.count == 5, d.subject[0] == SourceCopiedBeforeInstallRule.runSplitSubject,
           d.subject[2] == SourceCopiedBeforeInstallRule.evidenceOnlySubject {
            let l = d.subject[3].split(separator: "-").compactMap { Int($0) }
            let src = SourceText(bytes)
            guard l.count == 3, l[0] >= 1, l[0] <= l[1], l[1] < l[2], l[2] <= src.lineCount else { return nil }
            let whole = LineEdits.text(l[0], l[1], src)
            let s = LineEdits.start(of: l[0], src), e = LineEdits.start(of: l[1] + 1, src)
            return [TextEdit(range: src.range(s, e), replacement: d.subject[4]), LineEdits.insert(whole, after: l[2], src)]
        }
        guard d.subject.count == 5, d.subject[0] == SourceCopiedBeforeInstallRule.prefetchSubject,
              d.subject[2] == SourceCopiedBeforeInstallRule.evidenceOnlySubject, let line = Int(d.subject[3]), line >= 1 else { return nil }
        let src = SourceText(bytes)
        guard line <= src.lineCount else { return nil }
        return [LineEdits.insert(d.subject[4], after: line - 1, src)]
    }

    /// A step found by the simulator's identity (`stage:KEYWORD#n`) in `source`, the text of
    /// the file that names it (the file as it is, or a fix of it). Identities are ordinals: in
    /// another version of the file the step is found by aligning the two files
    /// (`CacheSimulator.alignedIdentities`), not by its identity.
    struct StepKey: Hashable {
        var identity: String
        var display: String
        var source: [UInt8] = []
    }

    /// Line → step identity of a model, as the simulator names its steps.
    static func identities(_ model: DockerfileModel, engine: BuilderKind) -> [Int: String] {
        CacheSimulator(engine: engine).stepIdentities(model)
    }

    static func norm(_ s: String) -> String {
        // ASCII without carriage returns (a CR LF pair is one character, no separator): the
        // same words on bytes, where a byte is a character.
        let u = s.utf8
        if u.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            var out: [UInt8] = []
            out.reserveCapacity(u.count)
            var pending = false
            for b in u {
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x5C {
                    pending = !out.isEmpty
                } else {
                    if pending { out.append(0x20); pending = false }
                    out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return characterNorm(s)
    }

    /// `norm` on characters (any text).
    static func characterNorm(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\\" }).joined(separator: " ")
    }

    static func key(line: Int, in model: DockerfileModel, identities: [Int: String], source: [UInt8] = [],
                    instructions: [ModelInstruction]? = nil) -> StepKey? {
        guard let mi = (instructions ?? model.allInstructions).first(where: { $0.syntax.startLine == line }), let id = identities[line] else { return nil }
        return StepKey(identity: id, display: mi.shortText, source: source)
    }

    /// Decides and annotates the DC findings of one file. Findings the simulator cannot judge
    /// (no context directory) are returned as they are. `model` is the linter's model of
    /// `bytes` (the file is not parsed again).
    /// `shared` carries what the files of one run share (each context walked once).
    public static func annotate(_ diagnostics: [Diagnostic], model: DockerfileModel, path: String, bytes: [UInt8],
                                configuration: Configuration, contextDirectory: String?, history: Int, rules: RuleSet,
                                shared: SharedWork = SharedWork()) -> [Diagnostic] {
        evaluate(diagnostics, model: model, path: path, bytes: bytes, configuration: configuration, contextDirectory: contextDirectory,
                 history: history, rules: rules, shared: shared).diagnostics
    }

    /// `annotate`, with the evidence of each judged finding (by index in `diagnostics`) and
    /// what it cost.
    public static func evaluate(_ diagnostics: [Diagnostic], model: DockerfileModel, path: String, bytes: [UInt8],
                                configuration: Configuration, contextDirectory: String?, history: Int, rules: RuleSet,
                                shared: SharedWork = SharedWork(), analysis: AnyObject? = nil)
        -> (diagnostics: [Diagnostic], evidence: [Int: Evidence], work: Work) {
        var work = Work()
        // Nothing is simulated unless a finding's report depends on it.
        let candidates = diagnostics.indices.filter { i in
            let d = diagnostics[i]
            return d.code.hasPrefix("DC") && !notSimulated.contains(d.code) && d.severity != .off
        }
        guard !candidates.isEmpty, let ctx = contextDirectory else { return (diagnostics, [:], work) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: ctx, isDirectory: &isDir), isDir.boolValue else { return (diagnostics, [:], work) }

        let engine = configuration.builder.cacheModel
        let ids = identities(model, engine: engine)
        // The model's instructions in file order (`allInstructions` sorts them on each call).
        let instructions = model.allInstructions
        let linter = Linter(rules: rules)
        // The step graph of the file as it is: the rules' own (`analysis`, built with the same
        // model, context and scripts) when they built one, else built here once.
        let fileAnalysis = analysis.flatMap { $0 as? FileAnalysis } ?? FileAnalysis()
        func graph() -> StepGraph { fileAnalysis.graph(model, contextDirectory: ctx, dockerfile: path) }
        // The replays' cost model, worked out when a replay (or a finding's quote) needs it: most
        // files' findings are decided without simulating.
        var costsMemo: CostModel? = nil
        func costs() -> CostModel {
            if let c = costsMemo { return c }
            let c = downloadCosts(model, graph: graph)
            costsMemo = c
            return c
        }
        // Findings of other versions of the file (history), linted once per text.
        var linted: [BytesKey: [Diagnostic]] = [BytesKey(bytes): diagnostics]
        func findings(_ text: [UInt8]) -> [Diagnostic] {
            if let f = linted[BytesKey(text)] { return f }
            let out = linter.lint(Linter.Input(path: path, bytes: text, configuration: configuration, contextDirectory: ctx,
                                               runState: shared.projectCI))
            let f = out.hasSyntaxErrors ? [] : out.diagnostics
            if linted.count > 256 { linted.removeAll() }
            linted[BytesKey(text)] = f
            return f
        }
        func lineText(_ text: [UInt8], _ line: Int) -> String {
            var n = 1, start = 0
            var i = 0
            while i < text.count && n < line { if text[i] == 0x0A { n += 1; start = i + 1 }; i += 1 }
            var end = start
            while end < text.count && text[end] != 0x0A { end += 1 }
            return norm(String(decoding: text[start..<end], as: UTF8.self))
        }

        // Variants: the file as it is, then one per distinct fix (or extra ignore patterns).
        var variants: [ReplayVariant] = [.asIs]
        var variantKeys: [String: Int] = [:]
        var fixedModels: [Int: DockerfileModel] = [:]
        var fixedTexts: [Int: [UInt8]] = [:]
        var fixedIdentities: [Int: [Int: String]] = [:]
        var fixedInstructions: [Int: [ModelInstruction]] = [:]
        // The files the subjects' steps are named in, by text (their steps are aligned with each build's file).
        var references: [[UInt8]: DockerfileModel] = [bytes: model]
        var subjects: [Subject] = []
        // Build arguments that change in every build (by name, default or the project's CI),
        // whether or not DC1003 reports them: the replay gives them a new value per commit.
        // Each with why: the JSON `evidence` states them, so that a reader can replay the quote.
        var perBuildArgs = VolatileArgEarlyRule.perBuildArguments(model, contextDirectory: ctx, project: shared.projectCI)
        for i in candidates {
            let d = diagnostics[i]
            let ownLines = (d.relatedLines.isEmpty ? [d.range.start.line] : d.relatedLines).filter { line in
                ids[line] != nil && instructions.contains { $0.syntax.startLine == line }
            }
            if d.code == "DC1003" {
                for name in d.subject where !perBuildArgs.contains(where: { $0.name == name }) {
                    perBuildArgs.append(EvidenceReplay.PerBuildArg(name: name, origin: .finding, reason: "DC1003 at line \(d.range.start.line) reports it"))
                }
            }
            var variant = 0
            var fixable = false
            if let edits = replayEdits(d, bytes) {
                let fixed = FixApplier.apply(edits, to: bytes)
                let fixedAST = DockerfileParser.parse(fixed)
                if !fixedAST.isValid { continue }  // a fix that does not parse is not reported
                fixable = true
                let vk = String(decoding: fixed, as: UTF8.self)
                if let v = variantKeys[vk] { variant = v } else {
                    let code = d.code, title = d.fix?.title, anchor = lineText(bytes, d.range.start.line)
                    // Which of the findings on the same text it is (`COPY . /app` in two stages).
                    let occurrence = diagnostics.filter { f in
                        f.code == code && f.fix?.title == title && f.range.start.line < d.range.start.line && lineText(bytes, f.range.start.line) == anchor
                    }.count
                    variants.append(ReplayVariant { own in
                        guard let own else { return nil }
                        if own == bytes { return fixed }
                        // The same move in another version of the file: the finding of the same
                        // rule, fix and instruction there (the same occurrence of that text).
                        let same = findings(own).filter { f in
                            f.code == code && f.fix?.title == title && lineText(own, f.range.start.line) == anchor
                        }.sorted { $0.range.start.line < $1.range.start.line }
                        guard occurrence < same.count, let edits = replayEdits(same[occurrence], own) else { return nil }
                        return FixApplier.apply(edits, to: own)
                    })
                    variant = variants.count - 1
                    variantKeys[vk] = variant
                    fixedModels[variant] = DockerfileModel.build(fixedAST)
                    fixedIdentities[variant] = identities(fixedModels[variant]!, engine: engine)
                    fixedInstructions[variant] = fixedModels[variant]!.allInstructions
                    fixedTexts[variant] = fixed
                    references[fixed] = fixedModels[variant]!
                }
            } else if d.code == "DC1004" {
                // The advice alone: the paths the finding suggests excluding, added to each
                // build's own .dockerignore (none: a new one), its Dockerfile as it is. Advice
                // with nothing left to exclude (`.git` kept for a step that reads it) cannot pay.
                let extra = d.subject
                let vk = "\u{0}ignore:" + extra.joined(separator: "\n")
                if let v = variantKeys[vk] { variant = v } else {
                    variants.append(ReplayVariant(extraIgnore: extra) { own in own })
                    variant = variants.count - 1
                    variantKeys[vk] = variant
                }
                fixable = true
            }
            let steps = ownLines.map { line -> (asIs: StepKey, fixed: StepKey?) in
                let k = key(line: line, in: model, identities: ids, source: bytes, instructions: instructions)!
                guard variant != 0, let fm = fixedModels[variant], let fixedAll = fixedInstructions[variant] else { return (k, variant != 0 ? k : nil) }
                guard let mi = instructions.first(where: { $0.syntax.startLine == line }),
                      let l = matchingLine(mi, in: fm, original: model, instructions: (instructions, fixedAll)),
                      let fk = key(line: l, in: fm, identities: fixedIdentities[variant]!, source: fixedTexts[variant]!,
                                   instructions: fixedAll) else { return (k, nil) }
                return (k, fk)
            }
            // A pre-fetch: the downloads move from the build (which still re-runs) to the new step.
            // A RUN split: the install moves to the new RUN above the COPY (the rest may hold the
            // RUN's text as it was: a composer install runs again there).
            var steps2 = steps, downloadStep: String? = nil
            let newStep = d.subject.first == SourceCopiedBeforeInstallRule.prefetchSubject || d.subject.first == SourceCopiedBeforeInstallRule.runSplitSubject
            if newStep, let command = d.subject.dropFirst().first.map(norm),
               let fm = fixedModels[variant], let build = steps.first,
               let stage = instructions.first(where: { $0.syntax.startLine == d.range.start.line })?.stageIndex,
               let l = fixedInstructions[variant]!.first(where: { $0.stageIndex == stage && $0.syntax.kind == .run
                   && norm(String($0.syntax.original.dropFirst(3))).hasSuffix(command) })?.syntax.startLine,
               let fk = key(line: l, in: fm, identities: fixedIdentities[variant]!, source: fixedTexts[variant]!,
                            instructions: fixedInstructions[variant]!) {
                steps2 = [(build.asIs, fk)]
                if d.subject.first == SourceCopiedBeforeInstallRule.prefetchSubject { downloadStep = fk.display }
            }
            let hypothetical = d.fix == nil && fixable && d.subject.dropFirst(2).first == SourceCopiedBeforeInstallRule.evidenceOnlySubject
            subjects.append(Subject(index: i, variant: variant, steps: steps2, fixable: fixable,
                                    cacheMount: cacheMountCodes.contains(d.code) && !fixable,
                                    ownStepOnly: d.code == PreferCacheMountRule.code && PreferCacheMountRule.isSystemPackageAdvice(d),
                                    downloadStep: downloadStep, hypothetical: hypothetical,
                                    mountDependencies: d.code == PreferCacheMountRule.code && d.subject.first == PreferCacheMountRule.buildCacheSubject
                                        ? d.subject.dropFirst().first.flatMap(DownloadEcosystem.init(rawValue:)).flatMap { costs().dependencies[$0] } : nil))
        }
        guard !subjects.isEmpty else { return (diagnostics, [:], work) }

        // Volatile `.git`: a context that holds it and does not exclude it gets new `.git`
        // content with every commit.
        let ignoreFile = (try? DockerIgnore.load(dockerfile: path, contextDirectory: ctx)) ?? nil
        let currentIgnore = ignoreFile?.ignore ?? .empty
        let churn: [String] = FileManager.default.fileExists(atPath: ctx + "/.git")
            && (try? currentIgnore.matchesOrParentMatches(".git")) != true ? [".git/HEAD"] : []

        var options = SimulatorOptions()
        if let r = configuration.engine { options.release = r }
        if let c = configuration.ciCache { options.ciCache = c }
        let located = history > 0 ? try? GitReplay.locate(dockerfile: path, contextDirectory: ctx) : nil
        // One reader of the repository's objects for every replay of the file (and for
        // naming the first replayed commit): its `cat-file` processes start once.
        let objects = located.map { GitObjectReader(repository: $0.repository) }
        defer { objects?.close() }
        var useHistory = located != nil
        var editsMemo: (ContextSnapshot, [PlausibleEdits.Edit])? = nil
        // The context walked (once per run and ignore file), nil when it cannot be walked.
        func walkedFiles() -> PlausibleEdits.Files? {
            let scanned = shared.scan(scanKey, directory: ctx, ignore: currentIgnore)
            if scanned.walked { work.contextScans += 1 }
            guard case .snapshot(_, let files) = scanned.result else {
                if case .tooLarge = scanned.result { work.capped = true }
                return nil
            }
            return files
        }
        // The context walked (once per run and ignore file) and its heaviest groups of files
        // (pre-commit time: the rest of the context weighs little); nil when it cannot be walked.
        func plausibleEdits() -> (ContextSnapshot, [PlausibleEdits.Edit])? {
            if let memo = editsMemo { return memo }
            let scanned = shared.scan(scanKey, directory: ctx, ignore: currentIgnore)
            if scanned.walked { work.contextScans += 1 }
            guard case .snapshot(let snapshot, let files) = scanned.result else {
                if case .tooLarge = scanned.result { work.capped = true }
                return nil
            }
            // The groups depend on the names of the context the Dockerfile mentions only: the
            // Dockerfiles of one context that mention none of them (or the same ones) share them.
            let names = mentionedNames(bytes, among: files)
            let edits = shared.edits(scanKey, names: names) {
                Array(PlausibleEdits.edits(of: files, mentioned: names)
                    .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : utf8Less($0.path, $1.path) }.prefix(maxEditGroups))
            }
            editsMemo = (snapshot, edits)
            return editsMemo
        }
        let perBuildNames = perBuildArgs.map(\.name)
        // The range the history replay took (`HEAD~N..HEAD`, or `HEAD` for a shorter history).
        var replayedRange: String? = nil
        // The builds of the file as it is from the first replay: a later replay (pairs of
        // fixes) passes them on instead of simulating them again.
        var asIs: (history: Bool, builds: [VariantBuild])? = nil
        let scanKey = SharedWork.key(directory: ctx, ignore: currentIgnore)
        // Cache-mount advice about system packages (apt, apk) counts only the re-runs that start
        // at its own step. Without history every build differs from the first by files of the
        // context alone: a RUN that binds no context files (nor another stage's), on BuildKit's
        // local cache, with no build argument taking a new value per build, has the same inputs
        // in every build, so it re-runs only after an earlier step or stage did: its advice can
        // never pay and is dropped without being simulated, wherever the edits are weighed at all.
        let inputsNeverChange: Set<Int> = history > 0 || engine != .buildkit || options.ciCache != .local || !perBuildArgs.isEmpty ? []
            : Set(subjects.indices.filter { k in
                let s = subjects[k], d = diagnostics[s.index]
                guard s.cacheMount, s.ownStepOnly, !s.fixable else { return false }
                return (d.relatedLines.isEmpty ? [d.range.start.line] : d.relatedLines).allSatisfy { line in
                    guard let mi = instructions.first(where: { $0.syntax.startLine == line }), mi.syntax.kind == .run else { return false }
                    return !(mi.resolved?.mounts ?? []).contains { $0.type == .bind }
                }
            })
        // Advice to exclude paths from the context (DC1004) pays only through edits of what it
        // excludes: where none of the edits weighed (nor the context's churn) touches a path its
        // patterns exclude, each edit re-runs at least the same steps with the advice as without
        // it (a step that copies an excluded path only misses more), so it cannot pay either.
        let ignoreText = ignoreFile?.text
        // Advice with nothing left to exclude builds exactly as the file is: it cannot pay either.
        var touchesNoEdit = Set(subjects.indices.filter { k in
            diagnostics[subjects[k].index].code == "DC1004" && diagnostics[subjects[k].index].fix == nil
                && variants[subjects[k].variant].extraIgnore.isEmpty
        })
        if history == 0, options.ciCache == .local {
            for k in subjects.indices where subjects[k].variant != 0 && diagnostics[subjects[k].index].fix == nil && !touchesNoEdit.contains(k) {
                let variant = variants[subjects[k].variant]
                guard let ignore = try? DockerIgnore(text: variant.ignoreText(ignoreText)),
                      let edits = plausibleEdits()?.1 else { continue }
                if !(edits.map(\.path) + churn).contains(where: { (try? ignore.matchesOrParentMatches($0)) != false }) { touchesNoEdit.insert(k) }
            }
        }
        // In CI (history) evidence, a finding about installs and builds that sit only in an
        // `if` branch the CI builds never take (the test reads a build argument every CI build
        // of this Dockerfile passes with one value) would price builds CI never runs: it is not
        // reported. Local builds, which take the default, keep it (no history: edits).
        var untakenInCI: Set<Int> = []
        if history > 0 {
            let root = VolatileValues.repositoryRoot(of: ctx)
            let full = URL(fileURLWithPath: path).standardizedFileURL.path
            let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
            let constants = full.hasPrefix(rootPath + "/")
                ? shared.projectCI.constants(root: root, dockerfile: String(full.dropFirst(rootPath.count + 1))) : [:]
            if !constants.isEmpty {
                let contextFiles = DiskProjectFiles(root: ctx)
                for k in subjects.indices {
                    let d = diagnostics[subjects[k].index]
                    guard d.code == SourceCopiedBeforeInstallRule.code || d.code == PreferCacheMountRule.code else { continue }
                    let runs = ([d.range.start.line] + d.relatedLines).compactMap { line in
                        instructions.first { $0.syntax.startLine == line && $0.syntax.kind == .run }
                    }
                    guard !runs.isEmpty, runs.allSatisfy({ mi in
                        guard let script = fileAnalysis.script(mi, in: model) else { return false }
                        return CIBranches.installsOnlyInUntakenBranches(script, instruction: mi, constants: constants,
                                                                       contextHas: { contextFiles.isDirectory($0) == false })
                    }) else { continue }
                    untakenInCI.insert(k)
                }
            }
        }
        let decided = inputsNeverChange.union(touchesNoEdit).union(untakenInCI)
        let simulated = subjects.indices.filter { !decided.contains($0) }.map { subjects[$0] }
        // Only the variants a simulated finding needs (the file as it is first), renumbered for the replay.
        var replayed = [0]
        var renumbered: [Int: Int] = [0: 0]
        for s in simulated where renumbered[s.variant] == nil { renumbered[s.variant] = replayed.count; replayed.append(s.variant) }
        let replayVariants = replayed.map { variants[$0] }
        let replaySubjects = simulated.map { s in var s = s; s.variant = renumbered[s.variant]!; return s }
        let readsCause = simulated.contains(where: \.cacheMount)
            ? CacheEvidence.readsCause(model: model, identities: ids, graph: graph()) : nil
        // The simulators of one replay: the file as it is first, explained; the fixes' variants
        // only count what re-runs (the tally reads their statuses and costs, never their
        // reasons), and take the keys of the steps they share with the file from it.
        func simulators(_ count: Int) -> [CacheSimulator] {
            let shared = SharedStepHashes(simulators: count)
            let costs = costs()
            var counting = options
            counting.explains = false
            return (0..<count).map { k in
                var sim = CacheSimulator(engine: engine, costs: costs, options: k == 0 ? options : counting)
                sim.sharedHashes = shared
                return sim
            }
        }
        // One replay of `variants` (the first: the file as it is): the history when there is
        // one, else plausible edits.
        func replay(_ variants: [ReplayVariant], _ subjects: [Subject]) -> (Tally, Evidence.Source)? {
            var variants = variants
            var sims = simulators(variants.count)
            var recorded: [VariantBuild] = []
            func counted(_ builds: [VariantBuild], history: Bool) {
                if history { work.simulatedBuilds += variants.filter { $0.recorded == nil }.count }
                if variants[0].recorded == nil { recorded.append(builds[0]) }
            }
            if useHistory, let located {
                if let a = asIs, a.history { variants[0].recorded = a.builds }
                var tally = Tally(subjects: subjects, variants: variants.count, references: references, engine: engine)
                tally.readsCause = readsCause
                let windowStart = objects.flatMap { try? $0.commit("HEAD~\(history)") }
                let range = windowStart.map { "\($0)..HEAD" } ?? "HEAD"
                var commits = 0
                do {
                    try GitReplay.replayVariants(located, range: range, perBuildArgs: perBuildNames, churn: churn, objects: objects,
                                                 variants: variants,
                                                 simulators: &sims) { builds in
                        counted(builds, history: true)
                        guard !builds[0].prediction.baseline else { return }
                        commits += 1
                        tally.add(builds, weight: 1, editLabel: nil)
                    }
                    if tally.weight > 0 {
                        if asIs == nil { asIs = (true, recorded) }
                        replayedRange = windowStart == nil ? "HEAD" : "HEAD~\(history)..HEAD"
                        return (tally, .history(commits: commits))
                    }
                } catch {}
                useHistory = false
                variants[0].recorded = nil
                recorded = []
                sims = simulators(variants.count)
            }
            // Plausible edits of the context as it is.
            if let a = asIs, !a.history { variants[0].recorded = a.builds }
            var tally = Tally(subjects: subjects, variants: variants.count, references: references, engine: engine)
            tally.readsCause = readsCause
            guard let prepared = plausibleEdits() else { return nil }
            let (snapshot, edits) = prepared
            work.simulatedBuilds += PlausibleEdits.replay(snapshot: snapshot, ignoreText: ignoreText, dockerfile: bytes, dockerfilePath: path,
                                                          edits: edits, perBuildArgs: perBuildNames, churn: churn, variants: variants,
                                                          simulators: &sims, firstBuilt: { shared.memoised(scanKey, $0, ignore: currentIgnore) },
                                                          models: references) { edit, builds in
                counted(builds, history: false)
                guard let edit else { return }
                tally.add(builds, weight: edit.weight, editLabel: edit.label)
            }
            guard tally.weight > 0 else { return nil }
            if asIs == nil { asIs = (false, recorded) }
            return (tally, .edits(files: edits.reduce(0) { $0 + $1.files }))
        }
        let weighed: (Tally, Evidence.Source)?
        if simulated.isEmpty {
            // Nothing left to simulate: a replay would weigh the edits whenever the context has a
            // file to edit and the file as it is builds a step (or builds without errors).
            let built = engine == .buildkit ? model.reachableStages() : model.classicStages()
            var builds = false
            if case .success = built, case .success = model.targetStage() { builds = !model.stages.isEmpty || model.errors.isEmpty }
            let anyEdit = builds && (editsMemo.map { !$0.1.isEmpty } ?? walkedFiles().map { !$0.isEmpty } == true)
            weighed = anyEdit ? (Tally(subjects: [], variants: 1), .edits(files: 0)) : nil
        } else {
            weighed = replay(replayVariants, replaySubjects)
        }
        guard let first = weighed else {
            guard work.capped else { return (diagnostics, [:], work) }
            var out = diagnostics
            for subject in subjects { out[subject.index].message += "; " + cappedNote(shared.maxContextEntries) }
            return (out, [:], work)
        }
        let (tally, source) = first
        // What each quote replayed and assumed (JSON `evidence`), and the assumption a reader
        // of the message must know: the build arguments taken as new in every build.
        func statement(_ e: Evidence, ignoreAppended: [String] = []) -> EvidenceReplay {
            let f: Double
            let commits: Int
            switch e.source {
            case .history(let n): f = Double(n) / 100; commits = n
            case .edits(let n): f = 1; commits = n
            }
            var r = EvidenceReplay(source: e.source.isHistory ? .history : .edits, commits: commits,
                                  range: e.source.isHistory ? replayedRange : nil, perBuildArgs: perBuildArgs, churn: churn,
                                  ignoreFile: ignoreFile?.path, builder: engine.rawValue, engine: options.release.rawValue,
                                  ciCache: options.ciCache.rawValue, step: e.step, reruns: Int((e.reruns * f).rounded()),
                                  rerunsWithFix: e.hypothetical ? nil : e.rerunsFixed.map { Int(($0 * f).rounded()) })
            r.ignoreAppended = ignoreAppended
            let had = Int((e.present * f).rounded())
            if e.source.isHistory, had < commits { r.stepBuilds = had }
            return r
        }
        func assumed(_ d: Diagnostic) -> String {
            let others = perBuildArgs.filter { !(d.code == "DC1003" && d.subject.contains($0.name)) }
            guard !others.isEmpty else { return "" }
            func list(_ names: [String]) -> String {
                names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
            }
            // Why, grouped: the CI file and lines that pass them, their names, a default, DC1003.
            var groups: [(key: String, names: [String], lines: [String])] = []
            for a in others {
                var key: String, line = ""
                switch a.origin {
                case .ci:
                    let place = a.reason.components(separatedBy: " ").first ?? a.reason
                    if let colon = place.lastIndex(of: ":") { key = String(place[..<colon]); line = String(place[place.index(after: colon)...]) } else { key = place }
                case .name: key = "\u{0}name"
                case .default: key = "its default runs `date`"
                case .finding: key = "DC1003"
                }
                if let k = groups.firstIndex(where: { $0.key == key }) {
                    groups[k].names.append(a.name)
                    if !line.isEmpty { groups[k].lines.append(line) }
                } else {
                    groups.append((key, [a.name], line.isEmpty ? [] : [line]))
                }
            }
            func why(_ g: (key: String, names: [String], lines: [String])) -> String {
                if g.key == "\u{0}name" { return g.names.count == 1 ? "by its name" : "by their names" }
                return g.lines.isEmpty ? g.key : g.key + ":" + g.lines.joined(separator: ",")
            }
            let reasons = groups.count == 1 ? why(groups[0]) : groups.map { "\(list($0.names)): \(why($0))" }.joined(separator: "; ")
            return "; replayed with ARG \(list(others.map(\.name))) new in every build (\(reasons))"
        }

        // Decide and word each finding.
        var out = diagnostics
        var drop: Set<Int> = []
        var evidence: [Int: Evidence] = [:]
        var unpaid: [Subject] = []
        for k in decided { drop.insert(subjects[k].index) }
        for (s, subject) in simulated.enumerated() {
            let e = tally.evidence(subject: s, source: source, minSaving: configuration.minSaving)
            evidence[subject.index] = e
            if !e.reported {
                drop.insert(subject.index)
                if subject.variant != 0, diagnostics[subject.index].fix != nil { unpaid.append(subject) }
                continue
            }
            out[subject.index].message += "; " + sentence(e) + assumed(diagnostics[subject.index])
            out[subject.index].evidence = statement(e, ignoreAppended: variants[subject.variant].extraIgnore)
        }

        // Fixes that only pay together: pairs of fixes that did not pay alone, replayed once
        // more side by side; the best pairs are reported as one finding naming both moves.
        if unpaid.count >= 2 {
            var pairVariants: [ReplayVariant] = [.asIs]
            var pairSubjects: [Subject] = []
            var pairs: [(Int, Int, Fix)] = []
            let candidates = Array(unpaid.prefix(5))
            for x in candidates.indices {
                for y in candidates.indices where y > x {
                    let a = diagnostics[candidates[x].index], b = diagnostics[candidates[y].index]
                    guard let fa = a.fix, let fb = b.fix, a.code != b.code || a.range != b.range,
                          !fa.edits.contains(where: { e in fb.edits.contains { Fixer.conflict($0, e) } }) else { continue }
                    let both = FixApplier.apply(fa.edits + fb.edits, to: bytes)
                    let ast = DockerfileParser.parse(both)
                    guard ast.isValid else { continue }
                    let combinedModel = DockerfileModel.build(ast)
                    let combinedIds = identities(combinedModel, engine: engine)
                    references[both] = combinedModel
                    let va = variants[candidates[x].variant].transform, vb = (b.code, fb.title, lineText(bytes, b.range.start.line))
                    pairVariants.append(ReplayVariant { own in
                        guard let own else { return nil }
                        if own == bytes { return both }
                        guard let first = va(own) else { return nil }
                        guard let match = findings(first).first(where: { f in
                            f.code == vb.0 && f.fix?.title == vb.1 && lineText(first, f.range.start.line) == vb.2
                        }), let edits = match.fix?.edits, !edits.isEmpty else { return nil }
                        return FixApplier.apply(edits, to: first)
                    })
                    let steps = (candidates[x].steps + candidates[y].steps).map { st -> (asIs: StepKey, fixed: StepKey?) in
                        guard let line = instructions.first(where: { ids[$0.syntax.startLine] == st.asIs.identity })?.syntax.startLine,
                              let mi = instructions.first(where: { $0.syntax.startLine == line }),
                              let l = matchingLine(mi, in: combinedModel, original: model),
                              let fk = key(line: l, in: combinedModel, identities: combinedIds, source: both) else { return (st.asIs, nil) }
                        return (st.asIs, fk)
                    }
                    let applicability: Fix.Applicability = fa.applicability == .safe && fb.applicability == .safe ? .safe : .unsafe
                    pairs.append((candidates[x].index, candidates[y].index,
                                  Fix(title: fa.title + "; " + fb.title, edits: fa.edits + fb.edits, applicability: applicability)))
                    pairSubjects.append(Subject(index: candidates[x].index, variant: pairVariants.count - 1, steps: steps, fixable: true))
                }
            }
            if !pairs.isEmpty, let second = replay(pairVariants, pairSubjects) {
                let (pairTally, pairSource) = second
                let judged = pairSubjects.indices.map { pairTally.evidence(subject: $0, source: pairSource, minSaving: configuration.minSaving) }
                var used: Set<Int> = []
                for k in judged.indices.sorted(by: { (judged[$0].savingPer100 ?? 0) > (judged[$1].savingPer100 ?? 0) }) where judged[k].reported {
                    let (a, b, fix) = pairs[k]
                    if used.contains(a) || used.contains(b) { continue }
                    used.insert(a); used.insert(b)
                    drop.remove(a)
                    let other = diagnostics[b]
                    out[a].fix = fix
                    out[a].message += "; this fix pays only together with \(other.code)'s at line \(other.range.start.line) "
                        + "(\(other.fix?.title ?? other.name)), which alone saves nothing either: both moves together "
                        + sentence(judged[k]) + assumed(diagnostics[a])
                    out[a].evidence = statement(judged[k])
                    evidence[a] = judged[k]
                }
            }
        }
        return (out.indices.filter { !drop.contains($0) }.map { out[$0] }, evidence, work)
    }

    /// The cost model of the replays: the standard one, with the dependency counts of the
    /// project (`DependencyDownloads`) when a RUN downloads for an ecosystem that has them, so
    /// that a build below a pre-fetch step does not pay the downloads again.
    static func downloadCosts(_ model: DockerfileModel, graph: () -> StepGraph) -> CostModel {
        let downloads = model.allInstructions.contains { mi in
            guard case .run(let r)? = mi.typed?.command else { return false }
            let command = r.commandLine.arguments.joined(separator: " ")
            return DependencyDownloads.mayDownload(command) || DependencyDownloads.mayRunScript(command)
        }
        guard downloads else { return .standard }
        let graph = graph()
        return CostModel(dependencies: DependencyDownloads.count(graph), builds: DependencyDownloads.scriptedBuilds(graph),
                         madeInstalls: DependencyDownloads.madeInstalls(graph))
    }

    /// Names the Dockerfile mentions: each word, without `./` and trailing `/`, and each of
    /// its path components.
    static func mentionedNames(_ bytes: [UInt8]) -> Set<String> {
        var mentioned: Set<String> = []
        for word in bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x22 || $0 == 0x27
            || $0 == 0x2C || $0 == 0x5B || $0 == 0x5D || $0 == 0x3D }) {
            var w = String(decoding: word, as: UTF8.self)
            if w.hasPrefix("./") { w.removeFirst(2) }
            while w.hasSuffix("/") { w.removeLast() }
            mentioned.insert(w)
            for part in w.split(separator: "/") { mentioned.insert(String(part)) }
        }
        return mentioned
    }

    /// The names of `mentionedNames(bytes)` that name something in `files` (the only ones
    /// `PlausibleEdits.edits` looks up).
    static func mentionedNames(_ bytes: [UInt8], among files: PlausibleEdits.Files) -> Set<String> {
        // Not ASCII: the names as words are, those of the context kept.
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return mentionedNames(bytes).filter { files.names(Substring($0)) } }
        // ASCII (a byte is a character): the same words, parts and trimming, on byte offsets;
        // a name becomes a String only when the context has a name of its length.
        var out: Set<String> = []
        func check(_ s: Int, _ e: Int) {
            guard files.names(length: e - s) else { return }
            let name = String(decoding: bytes[s..<e], as: UTF8.self)
            if files.names(Substring(name)) { out.insert(name) }
        }
        func separates(_ b: UInt8) -> Bool {
            b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x22 || b == 0x27 || b == 0x2C || b == 0x5B || b == 0x5D || b == 0x3D
        }
        var i = 0
        while i < bytes.count {
            if separates(bytes[i]) { i += 1; continue }
            var e = i
            while e < bytes.count, !separates(bytes[e]) { e += 1 }
            let next = e
            var s = i
            if e - s >= 2, bytes[s] == UInt8(ascii: "."), bytes[s + 1] == UInt8(ascii: "/") { s += 2 }
            while e > s, bytes[e - 1] == UInt8(ascii: "/") { e -= 1 }
            check(s, e)
            // Its parts between slashes (empty ones skipped).
            var p = s
            while p < e {
                var q = p
                while q < e, bytes[q] != UInt8(ascii: "/") { q += 1 }
                if q > p { check(p, q) }
                p = q + 1
            }
            i = next
        }
        return out
    }

    /// What the files of one run share: each context directory is read once (`listing`) for
    /// all the Dockerfiles built from it, and walked once per set of ignore patterns (two
    /// `.dockerignore` files with the same patterns send the same context).
    public final class SharedWork: @unchecked Sendable {
        enum Scan { case snapshot(ContextSnapshot, PlausibleEdits.Files), tooLarge, failed }
        private let lock = PosixMutex()
        private var scans: [String: Scan] = [:]
        /// The context files split so far (each walk of a folder with other patterns has most of them).
        private let files = PlausibleEdits.Files.Memo()
        /// `edits` by walk and names mentioned.
        private let groups = BoundedMemo<String, [PlausibleEdits.Edit]>(limit: 256)
        /// The folders read so far, whatever patterns each walk applied.
        private let listing = DirectoryListing()
        /// Entries walked at most per context.
        let maxContextEntries: Int
        /// The project's CI files, read once for every lint and replay of the run.
        public let projectCI = ProjectCI()

        public init(maxContextEntries: Int = CacheEvidence.maxContextEntries) {
            self.maxContextEntries = maxContextEntries
        }

        /// The walk of `directory` with `ignore`'s patterns (the snapshot depends on nothing else).
        static func key(directory: String, ignore: DockerIgnore) -> String {
            directory + "\u{0}" + ignore.fingerprint
        }

        /// The snapshot of `directory` as `ignore` sends it (`.git` not walked; contents not
        /// read: files stand in by path and size), walking it only if no earlier file did.
        func scan(_ key: String, directory: String, ignore: DockerIgnore) -> (result: Scan, walked: Bool) {
            if let s = lock.locked({ scans[key] }) { return (s, false) }
            let s: Scan
            do {
                let snapshot = try ContextSnapshot.scan(directory: directory, ignore: ignore, hashContents: false, skip: [".git"],
                                                        limit: maxContextEntries, listing: listing)
                s = .snapshot(snapshot, PlausibleEdits.Files(snapshot, memo: files))
            } catch ContextSnapshotError.tooManyEntries {
                s = .tooLarge
            } catch {
                s = .failed
            }
            lock.locked { scans[key] = s }
            return (s, true)
        }

        /// The heaviest edit groups of the walk `key` for a Dockerfile that mentions `names` of
        /// its files (`make` when no Dockerfile of the run mentioned the same ones).
        func edits(_ key: String, names: Set<String>, make: () -> [PlausibleEdits.Edit]) -> [PlausibleEdits.Edit] {
            groups.value(key + "\u{1}" + names.sorted(by: utf8Less).joined(separator: "\u{0}"), make)
        }

        /// The same snapshot after a simulated build: the digests it memoised serve the next
        /// Dockerfile built from this context.
        func memoised(_ key: String, _ snapshot: ContextSnapshot, ignore: DockerIgnore) {
            var snapshot = snapshot
            snapshot.keepMemos(of: ignore)
            lock.locked {
                guard case .snapshot(_, let files) = scans[key] else { return }
                scans[key] = .snapshot(snapshot, files)
            }
        }
    }

    static func lineTextKey(_ mi: ModelInstruction) -> String { norm(mi.syntax.original) }

    /// Whether a step reads what changed in the step that started its re-run, judged on the
    /// file as it is (steps found by their simulator identity): a re-run of the step itself
    /// (a build argument, a bind mount's files) counts when the step reads that argument or
    /// those files; a re-run that follows another step of the stage counts unless the two
    /// commute (`Moves.commute`: the step reads nothing the other writes). A step of another
    /// stage, or one the file as it is lacks, does not count (nothing to tell).
    static func readsCause(model: DockerfileModel, identities ids: [Int: String], graph: StepGraph)
        -> (StepPrediction, StepPrediction) -> Bool {
        var found: [String: StepID] = [:]
        for mi in model.allInstructions {
            guard let identity = ids[mi.syntax.startLine], found[identity] == nil, let id = graph.id(of: mi) else { continue }
            found[identity] = id
        }
        let byIdentity = found
        let moves = Moves(graph)
        // Memo per (root, step) identity: the answer does not change between builds. It reads
        // the root's cause only when the step started its own re-run, and the reason (which
        // names the files that changed: new in nearly every build) only when that cause is a
        // build argument.
        let memo = CauseMemo()
        return { root, step in
            var key = root.identity + "\u{0}" + step.identity
            if root.identity == step.identity { key += root.cause == .argChanged ? "\u{0}arg\u{0}" + root.reason : "\u{0}own" }
            if let v = memo.get(key) { return v }
            let answer: Bool
            if let s = byIdentity[step.identity] {
                if root.identity == step.identity {
                    if root.cause == .argChanged {
                        let name = root.reason.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                        answer = graph.step(s).reads.env.contains(name)
                    } else {
                        answer = true
                    }
                } else if let r = byIdentity[root.identity], r.stage == s.stage {
                    answer = !moves.commute(graph.step(r), graph.step(s)).isSafe
                } else {
                    answer = false
                }
            } else {
                answer = false
            }
            memo.set(key, answer)
            return answer
        }
    }

    /// The memo of `readsCause` (one replay at a time uses it).
    final class CauseMemo {
        private var values: [String: Bool] = [:]
        func get(_ k: String) -> Bool? { values[k] }
        func set(_ k: String, _ v: Bool) { values[k] = v }
    }

    /// The line of the instruction of `fixed` that is `step` of `original`: the same text
    /// (the k-th of that text in its stage), else the first whose text contains it.
    static func matchingLine(_ step: ModelInstruction, in fixed: DockerfileModel, original: DockerfileModel,
                             instructions: (original: [ModelInstruction], fixed: [ModelInstruction])? = nil) -> Int? {
        // Each instruction's text normalised at most once (the fallbacks compare every pair).
        let originals = instructions?.original ?? original.allInstructions, fixeds = instructions?.fixed ?? fixed.allInstructions
        var originalNorms = [String?](repeating: nil, count: originals.count), fixedNorms = [String?](repeating: nil, count: fixeds.count)
        func o(_ i: Int) -> String {
            if let n = originalNorms[i] { return n }
            let n = norm(originals[i].syntax.original)
            originalNorms[i] = n
            return n
        }
        func f(_ i: Int) -> String {
            if let n = fixedNorms[i] { return n }
            let n = norm(fixeds[i].syntax.original)
            fixedNorms[i] = n
            return n
        }
        let key = norm(step.syntax.original)
        let same = originals.indices.filter { originals[$0].stageIndex == step.stageIndex && o($0) == key }
        let k = same.firstIndex { originals[$0].syntax.startLine == step.syntax.startLine } ?? 0
        let candidates = fixeds.indices.filter { fixeds[$0].stageIndex == step.stageIndex && f($0) == key }
        if k < candidates.count { return fixeds[candidates[k]].syntax.startLine }
        let args = norm(step.syntax.original.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
        if let i = fixeds.indices.first(where: { fixeds[$0].stageIndex == step.stageIndex && fixeds[$0].syntax.kind == step.syntax.kind && f($0).contains(args) }) {
            return fixeds[i].syntax.startLine
        }
        // A RUN split in two (`RUN install && build` → `RUN install`, `RUN build`): its first part.
        var originalSet: Set<String>? = nil
        return fixeds.indices.first { i in
            let mi = fixeds[i]
            guard mi.stageIndex == step.stageIndex, mi.syntax.kind == step.syntax.kind else { return false }
            if originalSet == nil { originalSet = Set(originals.indices.map(o)) }
            guard !originalSet!.contains(f(i)) else { return false }
            let part = norm(mi.syntax.original.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
            return part.count >= 3 && args.hasPrefix(part)
        }.map { fixeds[$0].syntax.startLine }
    }
}
