// Here-documents: delimiters, and the bodies read after the line that opens them.

extension Parser {
    func hereDocDelimiter(_ w: Word) -> (String, Bool) {
        var s = ""
        var quoted = false
        for p in w.parts {
            switch p.kind {
            case .literal(let t): s += t
            case .escaped(let t): s += t; quoted = true
            case .singleQuoted(let t), .ansiCQuoted(let t): s += t; quoted = true
            case .doubleQuoted(let inner):
                quoted = true
                for q in inner { s += q.source }
            default: s += p.source
            }
        }
        return (s, quoted)
    }

    mutating func readHereDocBodies() {
        let docs = pending
        pending.removeAll()
        for d in docs {
            let bodyStart = pos
            var bodyEnd = n
            var terminated = false
            var lines: [String] = []
            var offsets: [Int] = []
            while pos < n {
                let lineStart = pos
                var lineEnd = pos
                while lineEnd < n, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                var contentStart = lineStart
                if d.stripTabs { while contentStart < lineEnd, bytes[contentStart] == 0x09 { contentStart += 1 } }
                var contentEnd = lineEnd
                if contentEnd > contentStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                if contentEnd - contentStart == d.delimiter.count,
                   bytes[contentStart..<contentEnd].elementsEqual(d.delimiter) {
                    bodyEnd = lineStart
                    terminated = true
                    pos = lineEnd < n ? lineEnd + 1 : n
                    break
                }
                let lineStop = lineEnd < n ? lineEnd + 1 : n
                if d.stripTabs { lines.append(text(contentStart, lineStop)) }
                for k in (d.stripTabs ? contentStart : lineStart)..<lineStop { offsets.append(off(k)) }
                pos = lineStop
            }
            if !terminated {
                bodyEnd = n
                error("heredoc '\(String(decoding: d.delimiter, as: UTF8.self))' is not terminated", at: n)
            }
            let body = d.stripTabs ? lines.joined() : text(bodyStart, bodyEnd)
            var parts: [WordPart] = []
            if !d.quoted, bodyStart < bodyEnd {
                var sub = Parser(bytes: Array(bytes[bodyStart..<bodyEnd]),
                                 map: (bodyStart...bodyEnd).map { off($0) }, base: 0, depth: depth + 1)
                parts = sub.parseHereDocParts()
                errors += sub.errors
            }
            hereDocs[d.key] = HereDoc(delimiter: String(decoding: d.delimiter, as: UTF8.self), quoted: d.quoted,
                                      stripsTabs: d.stripTabs, body: body, bodyRange: range(bodyStart, bodyEnd),
                                      parts: parts, terminated: terminated, bodyOffsets: offsets + [off(bodyEnd)])
        }
    }

    mutating func parseHereDocParts() -> [WordPart] {
        var parts: [WordPart] = []
        var litStart = pos
        while pos < n {
            let b = bytes[pos]
            if b == 0x5C, pos + 1 < n, [0x24, 0x60, 0x5C, 0x0A].contains(bytes[pos + 1]) {
                flushLiteral(&parts, from: litStart)
                let s = pos
                pos += 2
                if bytes[s + 1] != 0x0A {
                    parts.append(WordPart(.escaped(text(s + 1, pos)), range(s, pos), source: text(s, pos)))
                }
                litStart = pos
            } else if b == 0x24 || b == 0x60 {
                flushLiteral(&parts, from: litStart)
                let before = pos
                if let part = b == 0x24 ? parseDollar(inDoubleQuotes: true) : parseBackquote(inDoubleQuotes: false) {
                    parts.append(part)
                    litStart = pos
                } else {
                    pos = before + 1
                    litStart = before
                }
            } else {
                pos += 1
            }
        }
        flushLiteral(&parts, from: litStart)
        return parts
    }
}
