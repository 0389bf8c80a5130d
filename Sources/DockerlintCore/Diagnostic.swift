import DockerlintSyntax

/// How serious a finding is. The order is the failure-threshold order: `error` is the
/// most severe; `off` disables a rule.
public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
    case error, warning, info, style, off

    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        case .style: 3
        case .off: 4
        }
    }

    /// `a < b` when `a` is more severe than `b`.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// True when a finding of this severity fails a run whose threshold is `threshold`.
    public func meets(threshold: Severity) -> Bool { self != .off && rank <= threshold.rank }
}

/// One text replacement: the bytes of `range` become `replacement`.
public struct TextEdit: Hashable, Sendable {
    public var range: SourceRange
    public var replacement: String

    public init(range: SourceRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }
}

/// A fix a rule offers. `safe` fixes apply with `--fix`; unsafe ones need `--unsafe-fixes`.
public struct Fix: Hashable, Sendable {
    public enum Applicability: String, Sendable, Codable { case safe, unsafe, displayOnly = "display-only" }
    public var title: String
    public var edits: [TextEdit]
    public var applicability: Applicability

    public init(title: String, edits: [TextEdit], applicability: Applicability) {
        self.title = title
        self.edits = edits
        self.applicability = applicability
    }
}

/// Another place in the file a finding is about, with what it is there (each unpinned
/// package of an install command reported once).
public struct RelatedLocation: Hashable, Sendable {
    public var range: SourceRange
    public var message: String

    public init(range: SourceRange, message: String) {
        self.range = range
        self.message = message
    }
}

/// A finding: a rule's code and name, where, how serious, what, and optionally a fix.
public struct Diagnostic: Hashable, Sendable {
    /// Path as given by the user (or the `--path` name for standard input).
    public var file: String
    public var code: String
    /// The rule's name (e.g. `JSONArgsRecommended`); empty for syntax errors.
    public var name: String
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var fix: Fix?
    /// A link to the rule's documentation, when it has one.
    public var helpURI: String?
    /// Lines of the steps the finding is about (see `Finding.relatedLines`).
    public var relatedLines: [Int] = []
    /// The other places the finding is about (JSON `related`, SARIF `relatedLocations`).
    public var related: [RelatedLocation] = []
    /// What the finding is about, as data for the code that judges it after linting (the
    /// cache evidence): DC1003 the build argument's name, DC1004 the context paths it
    /// suggests excluding. Never parsed from the message.
    public var subject: [String] = []
    /// What the cache evidence quoted in the message replayed and assumed: lint's JSON
    /// `evidence`, and the same object in SARIF as the result's `properties.evidence`. Set by
    /// the evidence for each finding it quotes, nil otherwise.
    public var evidence: EvidenceReplay? = nil

    public init(file: String, code: String, name: String, severity: Severity, message: String,
                range: SourceRange, fix: Fix? = nil, helpURI: String? = nil, related: [RelatedLocation] = []) {
        self.related = related
        self.file = file
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.range = range
        self.fix = fix
        self.helpURI = helpURI
    }

    /// The deterministic output order: file, line, column, code.
    public static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.range.start.line != b.range.start.line { return a.range.start.line < b.range.start.line }
        if a.range.start.column != b.range.start.column { return a.range.start.column < b.range.start.column }
        return a.code < b.code
    }
}

/// What the cache evidence of a finding replayed, stated so that a reader can replay it
/// (`dockerlint simulate --git RANGE --builder B --engine E --ci-cache C --per-build-arg NAME
/// --churn PATH`, over the history as it is and rewritten with the fix alone): its source, the
/// values it took as new in every build and why, and the numbers it quotes. The evidence
/// (`CacheEvidence` in DockerlintRules) fills it; reporters only print it.
public struct EvidenceReplay: Hashable, Sendable {
    public enum Source: String, Sendable { case history, edits }
    /// A build argument given a new value in every replayed build, and why.
    public struct PerBuildArg: Hashable, Sendable {
        public enum Origin: String, Sendable {
            /// Its name says it holds a commit, date, build number (`VolatileValues.byName`).
            case name
            /// A CI, compose, bake or make file passes it a per-build value.
            case ci
            /// Its default runs `date`.
            case `default`
            /// A DC1003 finding of the file names it (no other reason is known).
            case finding
        }
        public var name: String
        public var origin: Origin
        /// Why, in words (`.github/workflows/x.yml:12 passes a per-build value`).
        public var reason: String
        public init(name: String, origin: Origin, reason: String) {
            self.name = name
            self.origin = origin
            self.reason = reason
        }
    }
    public var source: Source
    /// History: the builds compared (the commits of `range` after its first, which is the
    /// base build); edits: the files of the context the edits were drawn from.
    public var commits: Int
    /// History: the first-parent range replayed, as `simulate --git` takes it (`HEAD~100..HEAD`,
    /// or `HEAD` for a history shorter than the window).
    public var range: String?
    /// Build arguments given a new value in every build (history: the commit id).
    public var perBuildArgs: [PerBuildArg]
    /// Context paths given new content in every build (`.git/HEAD` when the context holds a
    /// `.git` its ignore file lets in).
    public var churn: [String]
    /// The ignore file of the file as it is (it decides `churn`; nil: none). History replays
    /// each commit's own file at the same place.
    public var ignoreFile: String?
    /// Advice to exclude paths (DC1004): the patterns its replay appends to each build's own
    /// ignore file (a new one where there is none); empty otherwise.
    public var ignoreAppended: [String] = []
    /// The builder, engine release and CI cache simulated.
    public var builder: String
    public var engine: String
    public var ciCache: String
    /// The numbers the message quotes: the finding's step, its re-runs over the window (or
    /// per 100 edits) as the file is and with the fix alone (nil: no fix replayed).
    public var step: String
    public var reruns: Int
    public var rerunsWithFix: Int?
    /// History: the builds whose Dockerfile had the step (nil: all of them). An older commit
    /// may predate the step; its build is no re-run of it.
    public var stepBuilds: Int? = nil

    public init(source: Source, commits: Int, range: String?, perBuildArgs: [PerBuildArg], churn: [String], ignoreFile: String?,
                builder: String, engine: String, ciCache: String, step: String, reruns: Int, rerunsWithFix: Int?) {
        self.source = source
        self.commits = commits
        self.range = range
        self.perBuildArgs = perBuildArgs
        self.churn = churn
        self.ignoreFile = ignoreFile
        self.builder = builder
        self.engine = engine
        self.ciCache = ciCache
        self.step = step
        self.reruns = reruns
        self.rerunsWithFix = rerunsWithFix
    }
}

/// What reporters know of a rule: enough for SARIF rule metadata, `explain` and help links.
public struct RuleDescriptor: Hashable, Sendable {
    public var code: String
    public var name: String
    public var aliases: [String]
    public var severity: Severity
    public var category: String
    public var summary: String
    public var helpText: String
    public var helpURI: String?

    public init(code: String, name: String, aliases: [String] = [], severity: Severity, category: String,
                summary: String, helpText: String = "", helpURI: String? = nil) {
        self.code = code
        self.name = name
        self.aliases = aliases
        self.severity = severity
        self.category = category
        self.summary = summary
        self.helpText = helpText
        self.helpURI = helpURI
    }
}
