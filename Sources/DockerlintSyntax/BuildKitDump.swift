extension Instruction {
    /// BuildKit's `Node.Dump()` for this instruction, without the surrounding parentheses.
    public func buildkitDump() -> String {
        var s = keyword.lowercased()
        if !flags.isEmpty {
            s += " [" + flags.map { goQuote($0.text) }.joined(separator: " ") + "]"
        }
        if let child = child?.value {
            s += " (" + child.buildkitDump() + ")"
        }
        if kind == .unknown {
            // BuildKit's `parseIgnore` drops the arguments and leaves one empty node.
            s += " \"\""
        } else {
            for a in arguments {
                s += " " + goQuote(a.value)
            }
        }
        return trimASCIISpace(s)
    }
}

extension Dockerfile {
    /// The text BuildKit's parser tests compare with their `result` files: one
    /// `(instruction …)` line per instruction.
    public func buildkitDump() -> String {
        var out = ""
        for i in instructions {
            out += "(" + i.buildkitDump() + ")\n"
        }
        return out
    }
}

private func trimASCIISpace(_ s: String) -> String {
    var u = Substring(s)
    while let f = u.unicodeScalars.first, f.properties.isWhitespace { u = u.dropFirst() }
    while let l = u.unicodeScalars.last, l.properties.isWhitespace { u = u.dropLast() }
    return String(u)
}
