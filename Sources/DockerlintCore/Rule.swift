import DockerlintModel
import DockerlintSyntax

/// A finding as a rule reports it; the linter adds the file, severity and name.
public struct Finding: Hashable, Sendable {
    public var code: String
    public var range: SourceRange
    public var message: String
    public var fix: Fix?
    /// The severity an external tool gave the finding (ShellCheck); nil for catalog rules.
    public var severity: Severity? = nil
    /// For external codes: the catalog rule that reported it (its names suppress it too).
    public var owner: String? = nil
    /// Lines of the steps the finding is about (cache rules: the step that re-runs), for
    /// evidence added after linting.
    public var relatedLines: [Int] = []
    /// The other places the finding is about (see `Diagnostic.related`).
    public var related: [RelatedLocation] = []
    /// What the finding is about, as data (see `Diagnostic.subject`).
    public var subject: [String] = []
}

/// Where rules report. The linter sets `code` to the running rule's code.
public struct FindingSink: Sendable {
    public internal(set) var findings: [Finding] = []
    /// The running rule's code (`codes[current]`): the linter sets an index per visit
    /// rather than a string.
    public var code: String { current < codes.count ? codes[current] : "" }
    var codes: [String] = []
    var current = 0

    public init() {}

    public mutating func report(_ range: SourceRange, _ message: String, fix: Fix? = nil) {
        findings.append(Finding(code: code, range: range, message: message, fix: fix))
    }

    /// Reports one finding about several places: `range` is the first, `related` all of
    /// them with what each one is.
    public mutating func report(_ range: SourceRange, _ message: String, fix: Fix? = nil, related: [RelatedLocation]) {
        findings.append(Finding(code: code, range: range, message: message, fix: fix, related: related))
    }

    /// Reports a finding under an external code (`SCnnnn`, see `RuleSet.isExternalCode`)
    /// with the tool's own severity. The linter filters it by that code: config
    /// `ignored`/`override` and ignore pragmas name the external code.
    public mutating func report(externalCode: String, _ range: SourceRange, _ message: String, severity: Severity, fix: Fix? = nil) {
        precondition(RuleSet.isExternalCode(externalCode), "not an external code: \(externalCode)")
        findings.append(Finding(code: externalCode, range: range, message: message, fix: fix, severity: severity, owner: code))
    }

    /// Reports a finding about other steps (their first lines in `relatedLines`).
    public mutating func report(_ range: SourceRange, _ message: String, fix: Fix? = nil, relatedLines: [Int], subject: [String] = []) {
        findings.append(Finding(code: code, range: range, message: message, fix: fix, relatedLines: relatedLines, subject: subject))
    }
}

/// A rule: a small type that sees the parsed model. The linter makes one instance per
/// file and calls `visit` for every instruction in file order (global ARGs, then each
/// stage's FROM and its instructions), then `finish`: one pass for all rules.
public protocol LintRule: AnyObject {
    /// The code of the rule's `rules/<CODE>.yaml`.
    static var code: String { get }
    init()
    func visit(_ instruction: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink)
    func finish(_ context: LintContext, _ sink: inout FindingSink)
}

extension LintRule {
    public func visit(_ instruction: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {}
    public func finish(_ context: LintContext, _ sink: inout FindingSink) {}
}

/// What every rule can read about the file being linted.
public final class LintContext {
    public let path: String
    public let model: DockerfileModel
    public var dockerfile: Dockerfile { model.dockerfile }
    public var source: SourceText { model.dockerfile.source }
    public let configuration: Configuration
    /// The build context directory (for `.dockerignore`), when known.
    public let contextDirectory: String?
    public let pragmas: Pragmas
    /// Per-file analyses the rules share (parsed shell scripts, what a RUN reads, what a
    /// COPY writes), owned and typed by the rules module: one object, no keyed lookups
    /// or dynamic casts on the hot path.
    public var ruleState: AnyObject?
    /// What the lints of one run share about the project (the CI files, read once), owned
    /// and typed by the rules module like `ruleState`; nil: this lint reads its own.
    public let runState: AnyObject?

    public init(path: String, model: DockerfileModel, configuration: Configuration, contextDirectory: String?, pragmas: Pragmas,
                runState: AnyObject? = nil) {
        self.path = path
        self.model = model
        self.configuration = configuration
        self.contextDirectory = contextDirectory
        self.pragmas = pragmas
        self.runState = runState
    }

    /// The stage an instruction belongs to.
    public func stage(of instruction: ModelInstruction) -> Stage? {
        guard let i = instruction.stageIndex, i < model.stages.count else { return nil }
        return model.stages[i]
    }
}

/// The rules a run uses: their metadata and their Swift types.
public struct RuleSet: @unchecked Sendable {
    /// Every rule's lint-time metadata, sorted by code.
    public let infos: [RuleInfo]
    public let types: [any LintRule.Type]
    /// The full metadata (docs, examples), sorted by code like `infos`. Built on first
    /// use for the built-in set: a lint run that shows no documentation never builds it.
    public var catalog: [RuleMetadata] { catalogSource() }
    private let catalogSource: @Sendable () -> [RuleMetadata]
    /// Lower-cased code, name or alias → index in `infos` and `catalog`, sorted by name for
    /// a binary search (`index(named:)`): the built-in set takes it as generated.
    let names: [(String, Int)]
    /// What linting needs of each rule of `types` (in that order).
    let plan: [PlannedRule]
    /// Exact code → index in `plan`; nil when `plan` is sorted by code (the built-in set),
    /// whose codes are found by a binary search instead (`planIndex(of:)`).
    let planTable: [String: Int]?
    /// A model error's message → index in `plan` of the rule that reports it (`buildErrors`).
    let buildErrorOwners: [String: Int]

    struct PlannedRule {
        let type: any LintRule.Type
        let info: RuleInfo
        /// `info.allNames` and the category test, computed once rather than per file.
        let allNames: [String]
        let isBuildKit: Bool
        var code: String { info.code }
    }

    public init(catalog: [RuleMetadata], types: [any LintRule.Type]) {
        let sorted = catalog.sorted { $0.code < $1.code }
        self.init(infos: sorted.map(\.info), types: types, catalog: { sorted })
    }

    /// `infos` must be sorted by code and `catalog()` must return the same rules in the
    /// same order (a test checks the generated built-in tables).
    /// `names`: the name table of `infos` (`RuleSet.nameTable`) when it is known ahead (the
    /// generated one of the built-in set); computed here otherwise.
    public init(infos: [RuleInfo], types: [any LintRule.Type], catalog: @escaping @Sendable () -> [RuleMetadata],
                names: [(String, Int)]? = nil) {
        self.infos = infos
        self.types = types
        self.catalogSource = catalog
        self.names = names ?? RuleSet.nameTable(infos)
        var plan: [PlannedRule] = []
        plan.reserveCapacity(types.count)
        var owners: [String: Int] = [:]
        // Types in the order of `infos` (the generated tables): rule k is info k.
        let aligned = types.count == infos.count && types.indices.allSatisfy { types[$0].code == infos[$0].code }
        for (t, type) in types.enumerated() {
            guard let k = aligned ? t : RuleSet.index(named: type.code, in: self.names) else { continue }
            let m = infos[k]
            for message in m.buildErrors { owners[message] = plan.count }
            plan.append(PlannedRule(type: type, info: m, allNames: m.allNames, isBuildKit: m.category == "buildkit"))
        }
        self.plan = plan
        if plan.indices.dropFirst().allSatisfy({ plan[$0 - 1].code < plan[$0].code }) {
            self.planTable = nil
        } else {
            var table: [String: Int] = [:]
            for (k, p) in plan.enumerated() { table[p.code] = k }
            self.planTable = table
        }
        self.buildErrorOwners = owners
    }

    /// Every lower-cased code, name and alias of `infos` with the index of its rule (the
    /// last rule of a name shared by several), sorted by name.
    public static func nameTable(_ infos: [RuleInfo]) -> [(String, Int)] {
        var names: [String: Int] = [:]
        for (k, r) in infos.enumerated() { for n in r.allNames { names[n.lowercased()] = k } }
        return names.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }
    }

    /// The index in `infos` of a code, name or alias (case-insensitive).
    static func index(named name: String, in names: [(String, Int)]) -> Int? {
        let key = name.lowercased()
        var lo = 0, hi = names.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if names[mid].0 < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < names.count && names[lo].0 == key ? names[lo].1 : nil
    }

    /// The index in `plan` of a rule by its exact code.
    func planIndex(of code: String) -> Int? {
        if let planTable { return planTable[code] }
        var lo = 0, hi = plan.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if plan[mid].code < code { lo = mid + 1 } else { hi = mid }
        }
        return lo < plan.count && plan[lo].code == code ? lo : nil
    }

    /// A rule's full metadata by code, name or alias (case-insensitive).
    public func rule(named name: String) -> RuleMetadata? { RuleSet.index(named: name, in: names).map { catalog[$0] } }

    /// A rule's lint-time metadata by code, name or alias (case-insensitive).
    public func info(named name: String) -> RuleInfo? { RuleSet.index(named: name, in: names).map { infos[$0] } }

    /// The code of the rule a code, name or alias (case-insensitive) names.
    public func code(named name: String) -> String? { RuleSet.index(named: name, in: names).map { infos[$0].code } }

    /// True for names that are not rules of this set but are still valid selectors
    /// (ShellCheck codes).
    public static func isExternalCode(_ name: String) -> Bool {
        let u = Array(name.utf8)
        return u.count > 2 && u[0] == UInt8(ascii: "S") && u[1] == UInt8(ascii: "C") && u[2...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
