/// An error from the shell word lexer, worded exactly as BuildKit words it.
///
/// `message` is BuildKit's inner message (e.g. `syntax error: bad substitution`);
/// `description` adds the wrapper BuildKit puts around it:
/// `failed to process "he${}": syntax error: bad substitution`.
public struct ShellLexError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Error, Equatable, Hashable, Sendable {
        /// `'abc` — "unexpected end of statement while looking for matching single-quote"
        case unterminatedSingleQuote
        /// `"abc` — "unexpected end of statement while looking for matching double-quote"
        case unterminatedDoubleQuote
        /// `${x`, `${x:-y` — "syntax error: missing '}'"
        case missingClosingBrace
        /// `${x/pattern` — "syntax error: missing '/' in ${}"
        case missingSlash
        /// `${}`, `${:}`, `${{x}` — "syntax error: bad substitution"
        case badSubstitution
        /// `${x:=y}`, `${#x}`, `${x:1:2}`, `${x:#p}` — "unsupported modifier (:=) in substitution".
        /// The payload is the modifier text BuildKit quotes (one or two characters; U+FFFD
        /// stands for end of input, as Go prints it).
        case unsupportedModifier(String)
        /// `${x?msg}`/`${x:?msg}` — "x: msg" (or "x: is not allowed to be unset" /
        /// "x: is not allowed to be empty" when no message is given).
        case requiredVariable(name: String, message: String)
        /// A `#`, `%` or `/` pattern with a bad escape — "invalid pattern (p) in substitution: invalid escape '\x'".
        case invalidPattern(pattern: String, reason: String)

        public var message: String {
            switch self {
            case .unterminatedSingleQuote:
                return "unexpected end of statement while looking for matching single-quote"
            case .unterminatedDoubleQuote:
                return "unexpected end of statement while looking for matching double-quote"
            case .missingClosingBrace: return "syntax error: missing '}'"
            case .missingSlash: return "syntax error: missing '/' in ${}"
            case .badSubstitution: return "syntax error: bad substitution"
            case .unsupportedModifier(let modifier): return "unsupported modifier (\(modifier)) in substitution"
            case .requiredVariable(let name, let message): return "\(name): \(message)"
            case .invalidPattern(let pattern, let reason): return "invalid pattern (\(pattern)) in substitution: \(reason)"
            }
        }
    }

    public var reason: Reason
    /// The whole word that was being processed.
    public var word: String

    public init(_ reason: Reason, word: String) {
        self.reason = reason
        self.word = word
    }

    /// BuildKit's inner message, without the `failed to process` wrapper.
    public var message: String { reason.message }

    /// The full message BuildKit reports: `failed to process <Go-quoted word>: <message>`.
    public var description: String { "failed to process \(ShellLexText.goQuoted(word)): \(message)" }
}
