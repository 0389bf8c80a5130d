import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// Runs the `shellcheck` program on the shell-form RUN scripts (and ONBUILD RUN) of a
/// file, once per file, and reports its findings under their own `SCnnnn` codes at the
/// exact Dockerfile position (mapped through continuation lines and heredocs).
///
/// Each script becomes one temporary file: `#!<shell>`, then `export NAME=1` for every
/// ARG/ENV in scope and the proxy variables (so SC2154 does not fire on them), then the
/// script. All files go to one `shellcheck --format=json1` process (each is checked on its
/// own, as separate RUNs run in separate shells).
final class ShellCheckRule: LintRule {
    static let code = "SC0000"
    init() {}

    struct Script {
        /// Script text and, for each byte, its Dockerfile offset (-1 for the added prelude).
        var text: [UInt8]
        var map: [Int]
    }
    var scripts: [Script] = []
    /// Per stage: the SHELL argv.
    var shells: [Int: [String]] = [:]

    static let proxyVariables = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
                                 "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"]
    static let excluded = "SC2187,SC1090,SC1091"

    /// The shebang ShellCheck understands for a shell, or nil for shells it cannot check.
    static func shebang(for shell: String) -> String? {
        let base = String(shell.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? Substring(shell)).lowercased()
        switch base {
        case "sh", "ash", "busybox": return "#!/bin/sh"
        case "bash": return "#!/bin/bash"
        case "dash": return "#!/bin/dash"
        case "ksh", "mksh", "ksh93": return "#!/bin/ksh"
        default: return nil  // pwsh, powershell, cmd, zsh, fish, ...
        }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first, !(f >= 48 && f <= 57) else { return false }
        return s.utf8.allSatisfy { LabelValidators.isAlpha($0) || LabelValidators.isDigit($0) || $0 == 95 }
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard context.configuration.shellcheck, let s = i.stageIndex else { return }
        if shells[s] == nil, let stage = context.stage(of: i), case .stage(let j) = stage.base, let sh = shells[j] { shells[s] = sh }
        if i.syntax.kind == .shell, case .shell(let sh)? = i.typed?.command { shells[s] = sh.shell; return }
        guard i.syntax.kind == .run || i.syntax.kind == .onbuild, let rs = RunScript.of(i, context), !rs.isExecForm else { return }
        let shell = context.pragmas.shell ?? shells[s]?.first ?? "/bin/sh"
        guard var bang = Self.shebang(for: shell) else { return }
        guard let body = Self.body(rs, context) else { return }
        var text = body.text
        var map = body.map
        // A heredoc script with its own shebang keeps it (RunScript dropped non-shell ones).
        if text.starts(with: Array("#!".utf8)) {
            let nl = text.firstIndex(of: 0x0A) ?? text.count
            let line = String(decoding: text[0..<nl], as: UTF8.self)
            let interp = line.dropFirst(2).split(separator: " ").map(String.init)
            let name = interp.first.map { ($0.hasSuffix("/env") && interp.count > 1) ? interp[1] : $0 } ?? "sh"
            guard let b = Self.shebang(for: name) else { return }
            bang = b
            // The shebang line becomes an empty line, so line numbers stay aligned.
            let cut = min(nl + 1, text.count)
            text = [0x0A] + Array(text[cut...])
            map = [map[min(nl, map.count - 1)]] + Array(map[cut...])
        }
        var names: [String] = []
        var seen = Set<String>()
        for v in i.scope where v.origin != .builtin && v.origin != .defaultPath && Self.isIdentifier(v.name) {
            if seen.insert(v.name).inserted { names.append(v.name) }
        }
        for p in Self.proxyVariables where seen.insert(p).inserted { names.append(p) }
        var prelude = bang + "\n"
        for n in names { prelude += "export \(n)=1\n" }
        var out = Array(prelude.utf8)
        var outMap = [Int](repeating: -1, count: out.count)
        out += text
        outMap += map
        scripts.append(Script(text: out, map: outMap))
    }

    /// The script exactly as the shell receives it, with the Dockerfile offset of each byte.
    static func body(_ rs: RunScript, _ context: LintContext) -> (text: [UInt8], map: [Int])? {
        let node = rs.instruction
        let src = context.source
        let (text, map, lastLine) = RunScript.logicalLine(node, src, escape: context.dockerfile.escapeToken)
        if let doc = node.heredocs.first, RunScript.isWholeHeredoc(text) {
            let body = Array(doc.content.utf8)
            let start = doc.bodyRange.start.offset
            return (body, (0..<body.count).map { start + $0 })
        }
        var t = Array(text.utf8)
        var m = map
        if !node.heredocs.isEmpty, lastLine < src.lineCount {
            t.append(0x0A); m.append(src.lineContentEnd(lastLine))
            let from = src.lineStarts[lastLine]
            let to = min(node.range.end.offset, src.bytes.count)
            if to > from { t += src.bytes[from..<to]; m += Array(from..<to) }
        }
        t.append(0x0A)
        m.append(m.last.map { $0 + 1 } ?? node.argumentsRange.start.offset)
        return (t, m)
    }

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        guard context.configuration.shellcheck, !scripts.isEmpty, let exe = Self.findExecutable() else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-sc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch { return }
        var paths: [String: Int] = [:]
        var args = ["--format=json1", "--exclude=\(Self.excluded)", "--severity=style", "--norc"]
        for (k, s) in scripts.enumerated() {
            let p = dir.appendingPathComponent("run\(k).sh").path
            guard FileManager.default.createFile(atPath: p, contents: Data(s.text)) else { continue }
            paths[p] = k
            args.append(p)
        }
        guard let json = Self.run(exe, args), let output = try? JSONDecoder().decode(Output.self, from: json) else { return }
        for c in output.comments {
            guard let file = c.file, let k = paths[file], let code = c.code, let line = c.line, let col = c.column else { continue }
            let s = scripts[k]
            guard let start = Self.offset(s.text, line: line, column: col) else { continue }
            let endOff = Self.offset(s.text, line: c.endLine ?? line, column: c.endColumn ?? col) ?? start
            guard let fs = Self.fileOffset(s.map, start) else { continue }
            var fe = Self.fileOffset(s.map, max(start, endOff - 1)).map { $0 + 1 } ?? fs
            if fe < fs { fe = fs }
            let level = c.level ?? "warning"
            let sev: Severity = level == "error" ? .error : level == "info" ? .info : level == "style" ? .style : .warning
            sink.report(externalCode: "SC\(code)", context.source.range(fs, fe), c.message ?? "", severity: sev)
        }
    }

    /// ShellCheck's `--format=json1` output, the members used.
    struct Output: Decodable {
        struct Comment: Decodable {
            var file: String?
            var line: Int?
            var column: Int?
            var endLine: Int?
            var endColumn: Int?
            var level: String?
            var code: Int?
            var message: String?
        }
        var comments: [Comment]
    }

    /// The byte offset of a 1-based line and character column (tabs count 1, as in json1).
    static func offset(_ text: [UInt8], line: Int, column: Int) -> Int? {
        var l = 1, i = 0
        while l < line {
            guard let nl = text[i...].firstIndex(of: 0x0A) else { return nil }
            i = nl + 1; l += 1
        }
        var col = 1
        while col < column, i < text.count, text[i] != 0x0A {
            i += 1
            while i < text.count, text[i] & 0xC0 == 0x80 { i += 1 }  // UTF-8 continuation bytes
            col += 1
        }
        return i
    }

    /// The Dockerfile offset of a script byte (the nearest mapped byte at or before it).
    static func fileOffset(_ map: [Int], _ i: Int) -> Int? {
        var k = min(i, map.count - 1)
        while k >= 0, map[k] < 0 { k -= 1 }
        if k < 0 { return map.first { $0 >= 0 } }
        return map[k]
    }

    static func findExecutable() -> String? { ExecutableSearch.find("shellcheck") }

    /// Runs `exe` with `args` and returns its standard output (its exit status is 1 when it
    /// finds something, so only a failure to start counts).
    static func run(_ exe: String, _ args: [String]) -> Data? {
        guard let r = try? Subprocess.run(exe, args, standardError: .discard) else { return nil }
        return Data(r.stdout)
    }
}
