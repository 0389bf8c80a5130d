// The shell AST. Every node carries a `ByteRange`: UTF-8 byte offsets into the text the
// caller handed to `ShellParser.parse` (shifted by `baseOffset`, or mapped through an
// offset map), so the caller can turn them into Dockerfile lines and columns.

/// A half-open range `[start, end)` of UTF-8 byte offsets.
public struct ByteRange: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }
    public var length: Int { end - start }
    public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
    public var description: String { "\(start)..<\(end)" }
}

/// A problem found while parsing; the AST is still returned (partial).
public struct ShellParseError: Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
    public var description: String { "\(offset): \(message)" }
}

/// One piece of a word.
public struct WordPart: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Unquoted literal text (may contain glob characters or a leading `~`).
        case literal(String)
        /// A backslash escape outside quotes (or a meaningful one inside double quotes);
        /// the value is the escaped character.
        case escaped(String)
        /// `'...'`; the value is the text between the quotes.
        case singleQuoted(String)
        /// `$'...'`; the value is the decoded text.
        case ansiCQuoted(String)
        /// `"..."` (or `$"..."`); the parts inside.
        case doubleQuoted([WordPart])
        /// `$name`, `$1`, `${...}`.
        case parameter(ParameterExpansion)
        /// `$(...)` or `` `...` ``, parsed recursively.
        case commandSubstitution(CommandList, backquoted: Bool)
        /// `$((...))` or `$[...]`; the raw expression text.
        case arithmetic(String)
        /// `<(...)` or `>(...)`.
        case processSubstitution(CommandList, input: Bool)
    }
    public var kind: Kind
    public var range: ByteRange
    /// The part's source text exactly as written.
    public var source: String
    public init(_ kind: Kind, _ range: ByteRange, source: String) {
        self.kind = kind
        self.range = range
        self.source = source
    }
}

/// `$name` or `${[#|!]name[index][op operand]}`.
public struct ParameterExpansion: Hashable, Sendable {
    /// The parameter name: an identifier, digits, or one of `@*#?-$!0`.
    public var name: String
    /// True for the braced form `${...}`.
    public var braced: Bool
    /// `${#name}`.
    public var isLength: Bool
    /// `${!name}` (indirection or prefix listing).
    public var isIndirect: Bool
    /// The text inside `[...]` for arrays, raw.
    public var index: String?
    /// The operator: `-`, `:-`, `=`, `:=`, `?`, `:?`, `+`, `:+`, `#`, `##`, `%`, `%%`,
    /// `/`, `//`, `/#`, `/%`, `^`, `^^`, `,`, `,,`, `:` (substring), `@` (transform).
    public var op: String?
    /// The word after the operator, if any.
    public var operand: Word?
    public init(name: String, braced: Bool, isLength: Bool = false, isIndirect: Bool = false,
                index: String? = nil, op: String? = nil, operand: Word? = nil) {
        self.name = name
        self.braced = braced
        self.isLength = isLength
        self.isIndirect = isIndirect
        self.index = index
        self.op = op
        self.operand = operand
    }
}

/// A shell word: a sequence of parts with no unquoted blanks between them.
public struct Word: Hashable, Sendable {
    public var parts: [WordPart]
    public var range: ByteRange
    /// The source text of the word, exactly as written.
    public var source: String
    public init(parts: [WordPart], range: ByteRange, source: String) {
        self.parts = parts
        self.range = range
        self.source = source
    }
}

/// `NAME=value`, `NAME+=value` or `NAME=(a b c)`.
public struct Assignment: Hashable, Sendable {
    public var name: String
    public var append: Bool
    /// The value for the scalar form (possibly an empty word).
    public var value: Word?
    /// The elements for the array form `NAME=(...)`.
    public var arrayValue: [Word]?
    public var range: ByteRange
    public init(name: String, append: Bool, value: Word?, arrayValue: [Word]?, range: ByteRange) {
        self.name = name
        self.append = append
        self.value = value
        self.arrayValue = arrayValue
        self.range = range
    }
}

/// A heredoc body read after the line that holds its `<<` operator.
public struct HereDoc: Hashable, Sendable {
    /// The delimiter after quote removal.
    public var delimiter: String
    /// True when any part of the delimiter was quoted: the body is literal.
    public var quoted: Bool
    /// `<<-`: leading tabs are stripped.
    public var stripsTabs: Bool
    /// The body text (tabs stripped for `<<-`), without the closing delimiter line.
    public var body: String
    /// Where the body sits in the source (up to the closing delimiter line).
    public var bodyRange: ByteRange
    /// For an unquoted delimiter, the expansions found in the body.
    public var parts: [WordPart]
    /// False when the input ended before the closing delimiter.
    public var terminated: Bool
    /// The source offset of each UTF-8 byte of `body` plus an end entry (tabs stripped by
    /// `<<-` make the body non-contiguous in the source).
    public var bodyOffsets: [Int]
    public init(delimiter: String, quoted: Bool, stripsTabs: Bool, body: String,
                bodyRange: ByteRange, parts: [WordPart], terminated: Bool, bodyOffsets: [Int]) {
        self.bodyOffsets = bodyOffsets
        self.delimiter = delimiter
        self.quoted = quoted
        self.stripsTabs = stripsTabs
        self.body = body
        self.bodyRange = bodyRange
        self.parts = parts
        self.terminated = terminated
    }
}

/// A redirection such as `>out`, `2>&1`, `&>log`, `<<<word`, `<<EOF`.
public struct Redirection: Hashable, Sendable {
    public enum Operator: String, Hashable, Sendable {
        case input = "<"
        case output = ">"
        case append = ">>"
        case clobber = ">|"
        case readWrite = "<>"
        case duplicateInput = "<&"
        case duplicateOutput = ">&"
        case outputAndError = "&>"
        case appendOutputAndError = "&>>"
        case hereString = "<<<"
        case hereDoc = "<<"
        case hereDocStripTabs = "<<-"
    }
    /// The explicit file descriptor (`2` in `2>&1`), if any.
    public var fd: Int?
    public var op: Operator
    /// The target word (the delimiter word for heredocs).
    public var target: Word
    /// The heredoc body, for `<<` and `<<-`.
    public var hereDoc: HereDoc?
    public var range: ByteRange
    public init(fd: Int?, op: Operator, target: Word, hereDoc: HereDoc?, range: ByteRange) {
        self.fd = fd
        self.op = op
        self.target = target
        self.hereDoc = hereDoc
        self.range = range
    }
}

/// Assignments, words and redirections: `A=1 cmd arg >out`.
public struct SimpleCommand: Hashable, Sendable {
    public var assignments: [Assignment]
    /// The command name followed by its arguments.
    public var words: [Word]
    public var redirections: [Redirection]
    public var range: ByteRange
    public init(assignments: [Assignment], words: [Word], redirections: [Redirection], range: ByteRange) {
        self.assignments = assignments
        self.words = words
        self.redirections = redirections
        self.range = range
    }
}

public struct IfClause: Hashable, Sendable {
    public struct Branch: Hashable, Sendable {
        public var condition: CommandList
        public var body: CommandList
        public init(condition: CommandList, body: CommandList) {
            self.condition = condition
            self.body = body
        }
    }
    /// The `if` branch followed by any `elif` branches.
    public var branches: [Branch]
    public var elseBody: CommandList?
    public init(branches: [Branch], elseBody: CommandList?) {
        self.branches = branches
        self.elseBody = elseBody
    }
}

public struct ForClause: Hashable, Sendable {
    public var variable: String
    /// The words after `in`; nil when there is no `in` (iterates `"$@"`).
    public var items: [Word]?
    /// The raw `((init; cond; step))` text for the arithmetic form.
    public var arithmetic: String?
    public var body: CommandList
    public init(variable: String, items: [Word]?, arithmetic: String?, body: CommandList) {
        self.variable = variable
        self.items = items
        self.arithmetic = arithmetic
        self.body = body
    }
}

public struct LoopClause: Hashable, Sendable {
    public var isUntil: Bool
    public var condition: CommandList
    public var body: CommandList
    public init(isUntil: Bool, condition: CommandList, body: CommandList) {
        self.isUntil = isUntil
        self.condition = condition
        self.body = body
    }
}

public struct CaseClause: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var patterns: [Word]
        public var body: CommandList
        /// `;;`, `;&`, `;;&`, or nil for the last item without a terminator.
        public var terminator: String?
        public var range: ByteRange
        public init(patterns: [Word], body: CommandList, terminator: String?, range: ByteRange) {
            self.patterns = patterns
            self.body = body
            self.terminator = terminator
            self.range = range
        }
    }
    public var subject: Word
    public var items: [Item]
    public init(subject: Word, items: [Item]) {
        self.subject = subject
        self.items = items
    }
}

public struct FunctionDefinition: Hashable, Sendable {
    public var name: String
    public var body: Command
    public init(name: String, body: Command) {
        self.name = name
        self.body = body
    }
}

/// A command: simple or compound. Compound commands can carry redirections.
public struct Command: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case simple(SimpleCommand)
        case subshell(CommandList)
        case braceGroup(CommandList)
        case ifClause(IfClause)
        case forClause(ForClause)
        case loop(LoopClause)
        case caseClause(CaseClause)
        case function(FunctionDefinition)
        /// `(( expr ))`: the raw expression.
        case arithmetic(String)
        /// `[[ ... ]]`: the words between the brackets (operators included as words).
        case conditional([Word])
    }
    public var kind: Kind
    /// Redirections applying to a compound command (simple commands keep theirs inside).
    public var redirections: [Redirection]
    public var range: ByteRange
    public init(kind: Kind, redirections: [Redirection] = [], range: ByteRange) {
        self.kind = kind
        self.redirections = redirections
        self.range = range
    }
}

public enum PipeOperator: String, Hashable, Sendable {
    case pipe = "|"
    /// `|&`: stdout and stderr.
    case pipeAll = "|&"
}

/// `[time] [!] cmd | cmd |& cmd`.
public struct Pipeline: Hashable, Sendable {
    public var negated: Bool
    public var timed: Bool
    public var commands: [Command]
    /// `operators[i]` joins `commands[i]` and `commands[i+1]`.
    public var operators: [PipeOperator]
    public var range: ByteRange
    public init(negated: Bool, timed: Bool, commands: [Command], operators: [PipeOperator], range: ByteRange) {
        self.negated = negated
        self.timed = timed
        self.commands = commands
        self.operators = operators
        self.range = range
    }
}

public enum AndOrOperator: String, Hashable, Sendable {
    case and = "&&"
    case or = "||"
}

/// `pipeline && pipeline || pipeline`.
public struct AndOrList: Hashable, Sendable {
    public var pipelines: [Pipeline]
    /// `operators[i]` joins `pipelines[i]` and `pipelines[i+1]`.
    public var operators: [AndOrOperator]
    public var range: ByteRange
    public init(pipelines: [Pipeline], operators: [AndOrOperator], range: ByteRange) {
        self.pipelines = pipelines
        self.operators = operators
        self.range = range
    }
}

public enum ListSeparator: String, Hashable, Sendable {
    case semicolon = ";"
    case background = "&"
    case newline = "\n"
}

/// A sequence of and-or lists separated by `;`, `&` or newlines.
public struct CommandList: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var andOr: AndOrList
        /// The separator after this item, if any.
        public var separator: ListSeparator?
        public init(andOr: AndOrList, separator: ListSeparator?) {
            self.andOr = andOr
            self.separator = separator
        }
    }
    public var items: [Item]
    public var range: ByteRange
    public init(items: [Item], range: ByteRange) {
        self.items = items
        self.range = range
    }
}

/// A comment `# ...` (range includes the `#`, excludes the newline).
public struct Comment: Hashable, Sendable {
    public var text: String
    public var range: ByteRange
    public init(text: String, range: ByteRange) {
        self.text = text
        self.range = range
    }
}

/// The result of parsing a script.
public struct ShellScript: Hashable, Sendable {
    public var body: CommandList
    public var comments: [Comment]
    public var errors: [ShellParseError]
    /// The exact text that was parsed.
    public var source: String
    public init(body: CommandList, comments: [Comment], errors: [ShellParseError], source: String) {
        self.body = body
        self.comments = comments
        self.errors = errors
        self.source = source
    }
}
