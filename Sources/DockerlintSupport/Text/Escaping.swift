// Escaping for the text formats dockerlint writes: XML, HTML, Markdown table cells,
// GitHub workflow commands, URIs. (JSON strings: `JSONValue.writeString`.)

/// XML 1.0 escaping. Characters XML 1.0 cannot carry at all (C0 controls other than tab,
/// LF, CR; U+FFFE, U+FFFF) become U+FFFD.
public enum XML {
    /// For attribute values in double quotes: whitespace other than space is written as a
    /// character reference so attribute-value normalisation does not turn it into spaces.
    public static func attribute<S: StringProtocol>(_ text: S) -> String {
        escape(text, attribute: true)
    }

    /// For element content.
    public static func text<S: StringProtocol>(_ text: S) -> String {
        escape(text, attribute: false)
    }

    private static func escape<S: StringProtocol>(_ text: S, attribute: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += attribute ? "&quot;" : "\""
            case "'": out += attribute ? "&apos;" : "'"
            case "\n": out += attribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            case "\t": out += attribute ? "&#9;" : "\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// GitHub Actions workflow-command escaping, as the runner's toolkit does it.
public enum GitHubEscaping {
    /// The message after `::`: `%`, CR and LF.
    public static func data(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A `key=value` property: as data, plus `:` and `,`.
    public static func property(_ text: String) -> String {
        var out = ""
        for scalar in data(text).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Markdown escaping for GitHub/GitLab-flavoured table cells.
public enum Markdown {
    /// Text that must render literally inside a table cell: every ASCII punctuation mark
    /// that can start inline markup is backslash-escaped (CommonMark allows escaping any
    /// ASCII punctuation; GFM splits cells on unescaped `|`, also inside code spans), `$`
    /// too (GitHub math), and line breaks become `<br>` since a cell is one line. `(`, `!`
    /// and `#` need nothing once `[` is escaped and we are inside a cell.
    public static func cell(_ text: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "$":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "\r": out += "<br>"
            case "\n": if !previousWasCR { out += "<br>" }
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A code span for a table cell: backticks in the text lengthen the fence, pipes are
    /// escaped (GitHub and markdown-it split table rows before reading code spans), `\n`
    /// becomes a space.
    public static func codeCell(_ s: String) -> String {
        var t = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": t += " "
            case "|": t += "\\|"
            default: t.unicodeScalars.append(scalar)
            }
        }
        var fence = "`"
        while t.contains(fence) { fence += "`" }
        let pad = t.hasPrefix("`") || t.hasSuffix("`") ? " " : ""
        return fence + pad + t + pad + fence
    }

    /// Markdown text kept as markup inside a table cell (a rule's summary with its code
    /// spans): pipes escaped, line breaks written as spaces.
    public static func inline(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// A link destination in `<…>` form: characters that could end it are percent-encoded.
    public static func destination(_ uri: String) -> String {
        var out = ""
        for scalar in uri.unicodeScalars {
            switch scalar {
            case "<", ">", " ", "|", "\\", "\n", "\r", "\t", "(", ")":
                out += percentEncode(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return "<" + out + ">"
    }
}

/// Percent-encodes every UTF-8 byte of the scalar.
public func percentEncode(_ scalar: Unicode.Scalar) -> String {
    var out = ""
    for byte in String(scalar).utf8 {
        let hex = String(byte, radix: 16, uppercase: true)
        out += "%" + (byte < 16 ? "0" + hex : hex)
    }
    return out
}

/// A file path as a URI reference (RFC 3986): unreserved characters, `/` and sub-delims
/// that are harmless in a path are kept; everything else, including non-ASCII, is
/// percent-encoded as UTF-8 (a backslash is a file-name character on Linux and macOS, so
/// it is encoded too). A leading `./` is dropped.
public func uriReference(forPath path: String) -> String {
    var p = path
    while p.hasPrefix("./") { p.removeFirst(2) }
    var out = ""
    for scalar in p.unicodeScalars {
        let v = scalar.value
        let keep = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
            || "-._~/!$&'()*+,;=@".unicodeScalars.contains(scalar)
        out += keep ? String(scalar) : percentEncode(scalar)
    }
    // A first segment with ':' would read as a scheme; it was encoded above, so fine.
    return out
}

/// HTML escaping for element content and double- or single-quoted attribute values.
public enum HTML {
    public static func escape<S: StringProtocol>(_ s: S) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Messages that must stay on one line (`file:line:column: severity: message`): control
/// characters shown as escapes, and at most a line's worth of text.
public enum OneLine {
    /// An instruction's first line as messages quote it, for a plain-ASCII line (see
    /// `isPlainASCII`: one byte per Character): runs of spaces made one, the ends trimmed; a
    /// final `\\` (a continuation) written ` ...`; longer than `limit`, cut to `limit - 3`
    /// with `...`.
    public static func shortened(_ line: String, limit: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(line.utf8.count, limit + 4))
        for b in line.utf8 {
            if b == 0x20 {
                if let l = out.last, l != 0x20 { out.append(b) }
            } else {
                out.append(b)
            }
        }
        if out.last == 0x20 { out.removeLast() }
        if out.last == UInt8(ascii: "\\") {
            out.removeLast()
            // Spaces and tabs off both ends (`trimmingCharacters(in: .whitespaces)`).
            while let l = out.last, l == 0x20 || l == 0x09 { out.removeLast() }
            var k = 0
            while k < out.count, out[k] == 0x20 || out[k] == 0x09 { k += 1 }
            out.removeFirst(k)
            out += Array(" ...".utf8)
        }
        if out.count > limit { return String(decoding: out[..<(limit - 3)], as: UTF8.self) + "..." }
        return String(decoding: out, as: UTF8.self)
    }

    /// The longest message, in Unicode scalars, that `clip` keeps whole.
    public static let defaultLimit = 240

    /// `text` with line breaks, tabs and other control characters written as `\n`, `\t`,
    /// `\u{1}`, and invalid-input replacement characters kept as they are.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for u in text.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u == "\u{2028}" || u == "\u{2029}" {
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// `text` escaped and, when longer than `limit` scalars, cut in the middle with `…`: the
    /// start says what failed and the end usually says why, so both are kept.
    public static func clip(_ text: String, limit: Int = defaultLimit) -> String {
        let s = escaped(text)
        let scalars = s.unicodeScalars
        if scalars.count <= limit { return s }
        let tail = limit / 3
        let head = limit - tail - 1
        var out = String(String.UnicodeScalarView(scalars.prefix(head)))
        out += "…"
        out += String(String.UnicodeScalarView(scalars.suffix(tail)))
        return out
    }
}
