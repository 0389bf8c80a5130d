/// A heredoc marker word such as `<<-"EOF"` or `3<<EOF`.
public struct HeredocMarker: Hashable, Sendable {
    public var name: String
    public var nameBytes: [UInt8]
    public var fd: Int
    public var chomp: Bool
    public var expand: Bool
}

extension ParserState {
    /// The words of a logical line as BuildKit's heredoc scan sees them.
    func heredocWords(_ line: [UInt8]) -> [String] {
        HeredocMarker.words(of: String(decoding: line, as: UTF8.self))
    }

    func parseHeredocWord(_ word: String) -> HeredocMarker? { HeredocMarker.parse(word) }
}

extension HeredocMarker {
    /// TEMPORARY until the shell lexer lands.
    static func words(of line: String) -> [String] { [] }
    public static func parse(_ word: String) -> HeredocMarker? { nil }
}
