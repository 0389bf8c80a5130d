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
