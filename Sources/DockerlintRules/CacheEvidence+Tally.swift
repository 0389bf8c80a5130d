// The weighted tally of a replay's builds: how often each finding's step re-ran as the file is
// and with its fix alone, what caused the re-runs, and the saving that follows.

import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

extension CacheEvidence {
    /// Weighted counts over the builds of a replay.
    struct Tally {
        let subjects: [Subject]
        var weight: Double = 0
        /// Per variant: estimated seconds.
        var seconds: [Double]
        /// Per subject, per own step: weighted re-runs as is and with the fix.
        var reruns: [[Double]]
        var rerunsFixed: [[Double]]
        /// Per subject: cause → weight (of the as-is re-runs of its first own step that re-ran).
        var causes: [[String: Double]]
        /// Per subject: weighted re-runs of its first own step that re-ran because of what the
        /// step itself reads (`readsCause`), not edits of the Dockerfile or a new base image,
        /// and their estimated seconds.
        var inputReruns: [Double]
        var inputSeconds: [Double]
        /// Whether a step (second) reads what changed in the step that started its re-run
        /// (first): false when the two commute, i.e. the step re-ran only because it comes
        /// after an unrelated change (a reorder is the fix there, not a cache mount).
        var readsCause: ((StepPrediction, StepPrediction) -> Bool)? = nil
        /// Per subject, per own step: weighted builds whose file had the step (history: an
        /// older commit may predate it; a build without it is no re-run of it).
        var present: [[Double]]
        /// The files the subjects' steps are named in, by text (`StepKey.source`), and the
        /// simulator that names steps.
        let references: [[UInt8]: DockerfileModel]
        let namer: CacheSimulator
        /// Per (file named in, file built): the identities of the one's steps in the other.
        var aligned: [[[UInt8]]: [String: String]] = [:]
        /// The pairs of `aligned` looked up last: every subject and step of a build asks for
        /// the same few pairs, and so do the builds of an unchanged file. Found by `==`, which
        /// reads no byte when the texts share their buffer (the replay hands each version's
        /// text out once), where a dictionary lookup hashes both texts byte by byte.
        var recentAligned: [(source: [UInt8], text: [UInt8], map: [String: String])] = []

        init(subjects: [Subject], variants: Int, references: [[UInt8]: DockerfileModel] = [:], engine: BuilderKind = .buildkit) {
            self.subjects = subjects
            self.references = references
            namer = CacheSimulator(engine: engine)
            present = subjects.map { Array(repeating: 0, count: $0.steps.count) }
            seconds = Array(repeating: 0, count: variants)
            reruns = subjects.map { Array(repeating: 0, count: $0.steps.count) }
            rerunsFixed = reruns
            causes = subjects.map { _ in [:] }
            inputReruns = subjects.map { _ in 0 }
            inputSeconds = inputReruns
        }

        /// The identity in build `b`'s file of the step `key` names (nil: that file has no such step).
        mutating func identity(_ key: StepKey, in b: VariantBuild) -> String? {
            guard let map = alignment(key.source, b) else { return key.identity }
            return map[key.identity]
        }

        /// The identities of `source`'s steps in build `b`'s file; nil when no alignment is
        /// needed (no source, the same text, or a text not among `references`). `bounded`: a
        /// full table is emptied before a new pair enters it.
        mutating func alignment(_ source: [UInt8], _ b: VariantBuild, bounded: Bool = true) -> [String: String]? {
            guard !source.isEmpty, b.text != source else { return nil }
            for r in recentAligned where r.text == b.text && r.source == source { return r.map }
            guard let reference = references[source] else { return nil }
            let pair = [source, b.text]
            let map: [String: String]
            if let m = aligned[pair] { map = m } else {
                if bounded, aligned.count > 512 { aligned.removeAll(); recentAligned.removeAll() }
                map = namer.alignedIdentities(from: reference, to: b.model)
                aligned[pair] = map
            }
            if recentAligned.count >= 16 { recentAligned.removeFirst() }
            recentAligned.append((source, b.text, map))
            return map
        }

        /// The step `key` names as build `b` predicted it (nil: not built, or not in its file).
        mutating func status(_ b: VariantBuild, _ key: StepKey) -> StepPrediction? {
            guard let id = identity(key, in: b) else { return nil }
            return b.prediction.steps.first { $0.identity == id && $0.status != .notBuilt }
        }

        /// A step of build `b` named as the file `source` names it (for judgements made on that
        /// file; unchanged when it has no counterpart there).
        mutating func renamed(_ step: StepPrediction, in b: VariantBuild, source: [UInt8]) -> StepPrediction {
            guard let map = alignment(source, b, bounded: false) else { return step }
            guard let today = map.first(where: { $0.value == step.identity })?.key else { return step }
            var s = step
            s.identity = today
            return s
        }

        mutating func add(_ builds: [VariantBuild], weight w: Double, editLabel: String?) {
            guard builds[0].prediction.errors.isEmpty || !builds[0].prediction.steps.isEmpty else { return }
            weight += w
            let base = builds[0]
            for (k, b) in builds.enumerated() {
                let effective = b.applied && (b.prediction.errors.isEmpty || !b.prediction.steps.isEmpty) ? b : base
                seconds[k] += w * effective.prediction.estimatedSeconds
            }
            for (s, subject) in subjects.enumerated() {
                let fixed = builds[subject.variant]
                let applied = subject.variant != 0 && fixed.applied
                var attributed = false
                for (j, step) in subject.steps.enumerated() {
                    if identity(step.asIs, in: base) != nil { present[s][j] += w }
                    let before = status(base, step.asIs)
                    let missed = before?.status == .miss
                    if missed { reruns[s][j] += w }
                    if let fk = step.fixed {
                        let after = applied ? status(fixed, fk) : before
                        if after?.status == .miss { rerunsFixed[s][j] += w }
                    }
                    if missed && !attributed, let before {
                        attributed = true
                        causes[s][Tally.cause(of: before, in: base, editLabel: editLabel), default: 0] += w
                        let root = Tally.root(of: before, in: base)
                        var counts = !Tally.dockerfileCauses.contains(root.cause) && (!subject.ownStepOnly || root.identity == before.identity)
                        if counts, let readsCause {
                            counts = readsCause(renamed(root, in: base, source: step.asIs.source), renamed(before, in: base, source: step.asIs.source))
                        }
                        if counts {
                            inputReruns[s] += w
                            inputSeconds[s] += w * before.costSeconds
                        }
                    }
                }
            }
        }

        /// Causes that are edits of the Dockerfile itself or a new base image.
        static let dockerfileCauses: Set<StepCause> = [.instructionChanged, .newStep, .envChanged, .workdirChanged, .userChanged,
                                                       .shellChanged, .mountsChanged, .baseChanged]

        /// The step whose own change started a step's re-run: the first step of its stage that
        /// re-ran for a reason of its own, or, when every miss of its stage only follows
        /// another stage, the first such step of the build.
        static func root(of step: StepPrediction, in build: VariantBuild) -> StepPrediction {
            let steps = build.prediction.steps
            return steps.first { $0.stage == step.stage && $0.status == .miss && $0.cause != .parentRebuilt }
                ?? steps.first { $0.status == .miss && $0.cause != .parentRebuilt } ?? step
        }

        /// What made a step re-run: the first step of its stage that re-ran for a reason of its own.
        static func cause(of step: StepPrediction, in build: VariantBuild, editLabel: String?) -> String {
            let steps = build.prediction.steps
            let root = steps.first { $0.stage == step.stage && $0.status == .miss && $0.cause != .parentRebuilt } ?? step
            switch root.cause {
            case .sourcesChanged, .stageFilesChanged, .staleTransfer:
                if let editLabel { return "edits to \(editLabel)" }
                // "app.py changed (COPY . .)" → "app.py changed"
                if let cut = root.reason.range(of: " (", options: .backwards) { return String(root.reason[..<cut.lowerBound]) }
                return root.reason
            case .argChanged:
                let name = root.reason.split(separator: " ").dropFirst().first.map(String.init) ?? "an ARG"
                return "a new value of ARG \(name) in every build"
            case .envChanged:
                // "ENV X changed": an edit of the Dockerfile, or a build argument the ENV expands.
                if root.reason.hasPrefix("ENV "), root.reason.hasSuffix(" changed") {
                    return "a new value of ENV \(root.reason.dropFirst(4).dropLast(8))"
                }
                return "edits to the Dockerfile"
            case .instructionChanged, .newStep, .workdirChanged, .userChanged, .shellChanged, .mountsChanged:
                return "edits to the Dockerfile"
            case .baseChanged:
                return "a new base image"
            default:
                return root.reason
            }
        }

        func evidence(subject s: Int, source: Evidence.Source, minSaving: Double) -> Evidence {
            let subject = subjects[s]
            let scale = weight > 0 ? 100 / weight : 0
            // The step quoted: the own step whose re-runs the fix lowers most (else the first that re-ran).
            var best = 0
            var bestGain = -Double.infinity
            for j in subject.steps.indices {
                let gain = subject.steps[j].fixed != nil ? reruns[s][j] - rerunsFixed[s][j] : reruns[s][j]
                if gain > bestGain { bestGain = gain; best = j }
            }
            let reran = subject.steps.isEmpty ? 0 : reruns[s][best] * scale
            let fixedReruns: Double? = subject.steps.isEmpty || subject.steps[best].fixed == nil ? nil : rerunsFixed[s][best] * scale
            let saving: Double? = subject.fixable ? (seconds[0] - seconds[subject.variant]) * scale : nil
            let causesPer100 = causes[s].map { ($0.key, $0.value * scale) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let reported: Bool
            if subject.cacheMount {
                // The downloads of the re-runs its inputs caused.
                let inputs = inputReruns[s] * scale
                // A build's dependency cache: the download share of each counted re-run (compiles
                // are not saved); other installs: a third of the step's time.
                let mountSaving = subject.mountDependencies.map { inputs * Double($0) * CostModel.secondsPerDependency }
                    ?? inputSeconds[s] * scale * CacheEvidence.cacheMountShare
                var e = Evidence(source: source, savingPer100: mountSaving,
                                step: subject.steps.isEmpty ? "" : subject.steps[0].asIs.display,
                                reruns: subject.steps.isEmpty ? 0 : reruns[s][0] * scale, rerunsFixed: nil, causes: causesPer100,
                                reported: inputs >= 0.5 && mountSaving >= max(minSaving, 0.001), inputReruns: inputs,
                                mountDependencies: subject.mountDependencies)
                e.present = subject.steps.isEmpty ? weight * scale : present[s][0] * scale
                return e
            }
            if let saving {
                reported = saving >= max(minSaving, 0.001) && (fixedReruns.map { $0 < reran } ?? true)
            } else {
                reported = reran >= 0.5
            }
            var e = Evidence(source: source, savingPer100: saving,
                             step: subject.steps.isEmpty ? "" : subject.steps[best].asIs.display,
                             reruns: reran, rerunsFixed: fixedReruns, causes: causesPer100, reported: reported,
                             downloadStep: subject.downloadStep, hypothetical: subject.hypothetical)
            e.present = subject.steps.isEmpty ? weight * scale : present[s][best] * scale
            return e
        }
    }
}
