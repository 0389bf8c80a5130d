/// The instructions BuildKit knows. Anything else parses as `.unknown` and is an error
/// at the instruction level ("unknown instruction: X").
public enum InstructionKind: String, CaseIterable, Sendable {
    case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer,
         onbuild, run, shell, stopsignal, user, volume, workdir
    case unknown

    public init(keyword: String) {
        self = InstructionKind(rawValue: keyword.lowercased()) ?? .unknown
        if self == .unknown, keyword.lowercased() == "unknown" { self = .unknown }
    }

    /// The keyword in upper case, as the docs write it.
    public var keyword: String { rawValue.uppercased() }
}

/// A word of an instruction with its exact source range. `value` is what BuildKit's AST
/// holds (quotes are still in it where BuildKit keeps them).
public struct Argument: Hashable, Sendable {
    public var value: String
    public var range: SourceRange

    public init(value: String, range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// A raw builder flag word such as `--mount=type=cache,target=/root/.cache`.
public struct Flag: Hashable, Sendable {
    /// The word as BuildKit's flag scanner produced it (quotes and escapes removed).
    public var text: String
    public var range: SourceRange

    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }

    /// `mount` for `--mount=x`; empty when the word does not start with `--`.
    public var name: String {
        guard text.hasPrefix("--") else { return "" }
        let body = text.dropFirst(2)
        if let eq = body.firstIndex(of: "=") { return String(body[..<eq]) }
        return String(body)
    }

    /// The text after the first `=`, or nil for a bare `--flag`.
    public var value: String? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        return String(text[text.index(after: eq)...])
    }
}

/// An `ENV`/`LABEL` pair. `hasEquals` is false for the legacy `ENV key value` form.
public struct KeyValue: Hashable, Sendable {
    public var key: Argument
    public var value: Argument
    public var hasEquals: Bool

    public init(key: Argument, value: Argument, hasEquals: Bool) {
        self.key = key
        self.value = value
        self.hasEquals = hasEquals
    }
}

/// A here-document attached to RUN/COPY/ADD.
public struct Heredoc: Hashable, Sendable {
    /// The delimiter word with quotes removed (`EOF` for `<<'EOF'`).
    public var name: String
    public var fileDescriptor: Int
    /// False when any part of the delimiter was quoted: the body is not expanded.
    public var expand: Bool
    /// True for `<<-`: leading tabs are stripped from body lines and the terminator.
    public var chomp: Bool
    /// The body exactly as read: every line with its line ending, the terminator excluded.
    public var content: String
    /// The body lines (empty range at the terminator when the body is empty).
    public var bodyRange: SourceRange
    /// The terminator line.
    public var terminatorRange: SourceRange

    /// The body with `<<-` tab stripping applied (what the builder uses).
    public var effectiveContent: String { chomp ? Heredoc.chomp(content) : content }

    /// BuildKit's `ChompHeredocContent`: leading tabs removed from every line.
    public static func chomp(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var atLineStart = true
        for ch in s.unicodeScalars {
            if atLineStart && ch == "\t" { continue }
            atLineStart = ch == "\n"
            out.unicodeScalars.append(ch)
        }
        return out
    }
}

/// A parser directive at the top of the file (`# syntax=…`, `# escape=…`, `# check=…`).
public struct ParserDirective: Hashable, Sendable {
    /// Lower-cased name.
    public var name: String
    public var value: String
    public var range: SourceRange
}

/// A comment line (`#` as the first non-blank character), outside continuations.
public struct Comment: Hashable, Sendable {
    /// The text after `#`, trimmed.
    public var text: String
    public var range: SourceRange
    /// True when this comment sits inside a continued instruction (dropped by BuildKit).
    public var insideContinuation: Bool
}

/// One Dockerfile instruction as BuildKit's parser sees it.
public struct Instruction: Hashable, Sendable {
    /// The keyword exactly as written (`run`, `Run`, `RUN`).
    public var keyword: String
    public var kind: InstructionKind
    public var keywordRange: SourceRange
    /// From the keyword to the end of the last line (heredoc terminators included).
    public var range: SourceRange
    public var startLine: Int { range.start.line }
    public var endLine: Int { range.end.line }
    /// Builder flags in order.
    public var flags: [Flag]
    /// The values of BuildKit's AST node chain. ENV/LABEL hold key, value, separator
    /// triplets (separator `=` or empty for the legacy form); HEALTHCHECK holds the type
    /// then the command; ONBUILD holds nothing (see `child`).
    public var arguments: [Argument]
    /// ENV/LABEL pairs.
    public var keyValues: [KeyValue]
    /// The JSON (exec) form was used.
    public var isJSON: Bool
    /// The instruction wrapped by ONBUILD.
    public var child: Box<Instruction>?
    public var heredocs: [Heredoc]
    /// The logical line BuildKit parsed (continuations joined, comments dropped).
    public var original: String
    /// Range of the text after the keyword and the flags (the instruction's arguments).
    public var argumentsRange: SourceRange
    /// Comment lines directly above (BuildKit's PrevComment).
    public var comments: [String]
    /// Lines inside the continuation that were empty (NoEmptyContinuation).
    public var emptyContinuationLines: [Int]
}

/// A reference box so that `Instruction` can hold its ONBUILD child by value semantics.
public final class Box<T: Hashable & Sendable>: Hashable, Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
    public static func == (a: Box, b: Box) -> Bool { a.value == b.value }
    public func hash(into h: inout Hasher) { value.hash(into: &h) }
}

/// A syntax error with where it happened.
public struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The file, or an instruction's form, is malformed: BuildKit's parser rejects it
        /// before building anything.
        case syntax
        /// The file is well formed, but BuildKit rejects this one instruction when it builds
        /// it: a variable expansion fails, or the value it expands to is invalid. The rest of
        /// the file is not affected.
        case build
    }

    public var message: String
    public var range: SourceRange
    public var kind: Kind

    public init(message: String, range: SourceRange, kind: Kind = .syntax) {
        self.message = message
        self.range = range
        self.kind = kind
    }

    public var description: String { "\(range.start.line):\(range.start.column): \(message)" }
}

/// A parsed Dockerfile.
public struct Dockerfile: Sendable {
    public var source: SourceText
    public var directives: [ParserDirective]
    /// `\` or `` ` ``.
    public var escapeToken: UInt8
    public var instructions: [Instruction]
    public var comments: [Comment]
    /// Errors. BuildKit stops at the first; dockerlint goes on where the rest of the file
    /// can still be read, so that one run shows every problem.
    public var errors: [SyntaxError]

    public var isValid: Bool { errors.isEmpty }

    public func directive(_ name: String) -> ParserDirective? {
        directives.first { $0.name == name }
    }
}
