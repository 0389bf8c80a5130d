// What a `mage <target>...` RUN does (magefile/mage: make-like targets written in Go), read
// from the magefiles the build context sends, as far as that reading is exact without running
// Go. The one question the analysis asks of it, as of make (`MakeTargets.swift`): does the RUN
// download the modules of a Go module, so that `go mod download` after go.mod/go.sum above the
// source COPY would keep those downloads out of the per-commit step?
//
// How mage works (magefile/mage `mage/main.go`, docs "Magefiles", "Targets"): mage compiles the
// magefiles with the go command inside the module that holds them (the `magefiles/` folder of
// the current directory when it exists, else the current directory's .go files with the `mage`
// build tag), so the modules the magefiles import are downloaded whatever the target. It then
// runs each target named on the command line, in order: an exported function, or an exported
// method of a type declared `mg.Namespace` (`ns:target`), matched case-insensitively, or a key
// of the `Aliases` map; a target's parameters other than a leading context.Context take the
// following words. `mg.Deps`/`SerialDeps`/`CtxDeps` run other functions first.
//
// The reading: each named target's body, and the functions it runs through `mg.*Deps` or calls,
// are searched for a go command that loads the packages of its module (`go build`, `install`,
// `test`, `vet`, `list`, `run`, `generate`, `get`, `clean <packages>`, `mod download`/`tidy`):
// `exec.Command("go", ...)`, `exec.CommandContext(ctx, "go", ...)`, `sh.Run`/`RunV`/`Output`
// (`"go", ...`), `sh.RunWith`/`RunWithV`/`OutputWith` (`env, "go", ...`), `sh.Exec`, or a
// function of the magefiles that passes its own parameters to one of those
// (`runAndStreamOutput(ctx, "go", "build", ...)`). Only calls that always run count: in the
// function's own statement list (not in an `if`/`for` body or a closure), with no early
// `return` before them other than the error checks of `if ... != nil { return ... }`; not a
// command whose `Dir` is set (it runs in another folder), not `go install pkg@version` (outside
// the module). A target read to no such command gives nothing: compiling the magefile alone
// downloads only the modules the magefile imports (a few of the module's), which is not the
// saving the finding quotes.
//
// Not known, so no finding: mage options other than `-v`, `-f`, `-debug`, `-keep`, `-t`
// (`-d`/`-w` move the magefiles or the targets' directory, `-compile`, `-gocmd`, `-goos`...),
// MAGEFILE_GOCMD in the environment, `go run mage.go` (zero-install: another program), a RUN
// that is not one `&&` list of `cd`, `export PATH=$PATH:...` and mage commands (commands after
// the last mage are free), a target that is not found, both a `magefiles/` folder and tagged
// files, and magefiles that set Go module settings (a string literal starting with one of
// `Moves.goModuleSettings` or MAGEFILE_GOCMD, or holding `-mod=`, `-modfile`, `-modcache`,
// `go env -w`) or change directory (`os.Chdir`). What else a target does (other programs, file
// writes) is assumed not to depend on when the module cache was filled, as for make's `go
// generate`: the cache is content-addressed and verified against go.sum, the pre-fetch only
// fills it earlier.

import DockerlintModel
import DockerlintShell
import DockerlintSupport

/// `RUN mage <target>...` whose targets load the packages of a Go module.
public struct GoMageBuild: Sendable, Equatable {
    /// The targets as the RUN names them (`build:clean`), of every mage command, space-separated.
    public var targets: String
    /// Image folder of the module a target builds (its go.mod's folder).
    public var module: String
    /// Image folders of the other modules whose magefiles mage compiles in the RUN (their
    /// imports are downloaded too), in order, without `module`.
    public var otherModules: [String]
    /// The target that runs the go command found, the command and where it is (`build:clean`,
    /// `go clean ./...`, magefile.go:1135).
    public var target: String
    public var goCommand: String
    public var location: String
    /// The mage commands as written (`mage build:clean`), for the cost model's segments.
    public var commands: [String]

    public init(targets: String, module: String, otherModules: [String] = [], target: String, goCommand: String, location: String,
                commands: [String]) {
        self.targets = targets
        self.target = target
        self.module = module
        self.otherModules = otherModules
        self.goCommand = goCommand
        self.location = location
        self.commands = commands
    }
}

extension StepGraph {
    /// The Go build a RUN step runs through mage (see the file comment); nil when it has none,
    /// when anything on the way cannot be read exactly, or without a build context.
    public func goBuildThroughMage(_ id: StepID) -> GoMageBuild? {
        if let known = projectReadings.goMage[id] { return known }
        let made = readGoBuildThroughMage(id)
        projectReadings.goMage[id] = .some(made)
        return made
    }

    private func readGoBuildThroughMage(_ id: StepID) -> GoMageBuild? {
        let st = step(id)
        guard st.kind == .run, let context, let script = script(of: id), !script.isExecForm, !script.isHeredocScript else { return nil }
        let commands = script.commands
        guard let lastMage = commands.lastIndex(where: { $0.effective.name == "mage" }) else { return nil }
        if ShellValues(st.instruction).values["MAGEFILE_GOCMD"] != nil { return nil }
        let wd = ImagePath.workdir(st.instruction.workingDirectory)
        guard !wd.contains("$") else { return nil }
        let bytes = Array(script.script.source.utf8)
        var cwd = wd, saved: [String] = [], previousEnd = 0
        var found: (module: String, target: String, command: String, location: String)? = nil
        var modules: [String] = []
        var targets: [String] = [], mageCommands: [String] = []
        for (k, c) in commands.enumerated() where k <= lastMage {
            // One `&&` list, with `( ... )` groups: the text between two commands is only
            // operators, blanks, line continuations and parentheses, which move the directory.
            guard c.wrappers.isEmpty, !c.isInPipeline, c.contexts.allSatisfy({ $0 == .subshell }), c.contexts.count <= 1,
                  c.previousOperator == nil || c.previousOperator == .and, c.nextOperator == nil || c.nextOperator == .and || k == lastMage,
                  c.range.start >= previousEnd, c.range.start <= bytes.count else { return nil }
            for b in bytes[previousEnd..<c.range.start] {
                switch b {
                case UInt8(ascii: "("): saved.append(cwd)
                case UInt8(ascii: ")"): guard let s = saved.popLast() else { return nil }; cwd = s
                case UInt8(ascii: "&"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\\"): break
                default: return nil
                }
            }
            previousEnd = min(c.range.end, bytes.count)
            guard (c.contexts.isEmpty) == saved.isEmpty else { return nil }
            let name = c.effective.name ?? ""
            if name == "cd" {
                guard c.assignments.isEmpty, c.arguments.count == 1, let v = c.arguments[0].staticValue, !v.isEmpty, !v.hasPrefix("-"), v != "~" else { return nil }
                cwd = ImagePath.absolute(v, workdir: cwd)
                continue
            }
            if name == "export" {
                // PATH with folders appended: the go command found before stays the one found.
                guard c.arguments.count == 1, let raw = Optional(c.arguments[0].unquoted),
                      raw.hasPrefix("PATH=$PATH:") || raw.hasPrefix("PATH=${PATH}:"),
                      !raw.contains("$("), !raw.contains("`") else { return nil }
                continue
            }
            guard name == "mage", c.assignments.isEmpty else { return nil }
            guard let read = MageReader.read(c, cwd: cwd, stage: id.stage, before: id.index, graph: self, context: context) else { return nil }
            targets += read.targets
            mageCommands.append(([c.path ?? "mage"] + c.arguments.map(\.unquoted)).joined(separator: " "))
            if !modules.contains(read.module) { modules.append(read.module) }
            if found == nil, let g = read.goCommand { found = (read.module, g.target, g.command, g.location) }
        }
        guard let found else { return nil }
        return GoMageBuild(targets: targets.joined(separator: " "), module: found.module, otherModules: modules.filter { $0 != found.module },
                           target: found.target, goCommand: found.command, location: found.location, commands: mageCommands)
    }

    /// The magefiles in context folder `dir` (`MageReader.program`), parsed once per lint of the
    /// file (the same folder may be read for several steps).
    func magefiles(in dir: String, _ context: BuildContext) -> GoProgram? {
        if let known = projectReadings.magefiles[dir] { return known }
        let made = MageReader.program(in: dir, context)
        projectReadings.magefiles[dir] = .some(made)
        return made
    }
}

/// One mage command read: its module, its targets, and the first go command a target runs
/// that loads the module's packages (nil when no target does).
struct MageReader {
    var targets: [String]
    var module: String
    var goCommand: (target: String, command: String, location: String)?

    static func read(_ c: CommandInvocation, cwd: String, stage: Int, before: Int, graph: StepGraph, context: BuildContext) -> MageReader? {
        // Options: only those that change neither the files, the folder nor the go command.
        var words: [Word] = c.arguments
        var positional: [Word] = []
        while let w = words.first {
            words.removeFirst()
            guard let v = w.staticValue else { positional.append(w); positional += words; break }
            if v.hasPrefix("-") {
                if ["-v", "-f", "-debug", "-keep"].contains(v) { continue }
                if v == "-t", !words.isEmpty { words.removeFirst(); continue }
                return nil
            }
            positional.append(w)
            positional += words
            break
        }
        guard !positional.isEmpty else { return nil }   // no target: mage lists them, or runs a Default not read here
        // The magefiles: `magefiles/` when it exists, else the folder's files tagged `mage`.
        func contextPath(_ image: String) -> String? {
            graph.contextPath(ofImagePath: image, stage: stage, before: before).flatMap { context.sends($0) ? $0 : nil }
        }
        guard let dirPath = graph.contextPath(ofImagePath: cwd, stage: stage, before: before), context.files.isDirectory(dirPath) == true,
              let program = graph.magefiles(in: dirPath, context) else { return nil }
        // The module that holds them: the nearest go.mod above, in the image.
        var dir = cwd, module: String? = nil
        while true {
            if contextPath(ImagePath.absolute("go.mod", workdir: dir)) != nil { module = dir; break }
            if dir == "/" { break }
            dir = ImagePath.dirname(dir)
        }
        guard let module else { return nil }
        // The targets, each with the words its parameters take.
        var targets: [String] = []
        var goCommand: (String, String, String)? = nil
        var k = 0
        while k < positional.count {
            guard let name = positional[k].staticValue, !name.hasPrefix("-"), let fn = program.target(name) else { return nil }
            targets.append(name)
            k += 1 + fn.arity
            if goCommand == nil, let g = program.moduleLoad(from: fn) { goCommand = (name, g.0, g.1) }
        }
        guard k == positional.count else { return nil }
        return MageReader(targets: targets, module: module, goCommand: goCommand)
    }

    /// The magefiles mage compiles in context folder `dir`: `magefiles/` when it exists, else
    /// the folder's files tagged `mage` (not both), at most 32; nil when there are none, or
    /// they set Go module settings.
    static func program(in dir: String, _ context: BuildContext) -> GoProgram? {
        guard let names = context.files.list(dir) else { return nil }
        // A file over 1 MiB is not read (its size asked first: it is not loaded either).
        func readable(_ p: String) -> String? {
            guard let size = context.files.size(p), size <= 1 << 20 else { return nil }
            return context.files.text(p)
        }
        var files: [(path: String, text: String)] = []
        for n in names.sorted() where n.hasSuffix(".go") && !n.hasSuffix("_test.go") {
            let p = ImagePath.contextJoin(dir, n)
            guard context.sends(p), let t = readable(p), GoFile.hasMageTag(t) else { continue }
            files.append((p, t))
        }
        let folder = ImagePath.contextJoin(dir, "magefiles")
        if context.files.isDirectory(folder) == true, context.sends(folder) {
            guard files.isEmpty, let inner = context.files.list(folder) else { return nil }
            for n in inner.sorted() where n.hasSuffix(".go") && !n.hasSuffix("_test.go") {
                let p = ImagePath.contextJoin(folder, n)
                guard context.sends(p), let t = readable(p) else { continue }
                files.append((p, t))
            }
        }
        guard !files.isEmpty, files.count <= 32 else { return nil }
        let program = GoProgram(files.map { GoFile(path: $0.path, text: $0.text) })
        return program.setsModuleSettings ? nil : program
    }
}

/// One Go source file, read as far as this analysis needs: comments blanked, string literals
/// kept aside (by offset), braces matched.
struct GoFile {
    let path: String
    /// The text with comments and the insides of string and rune literals replaced by blanks
    /// or `x` (same offsets): every brace, parenthesis and keyword left is code.
    let code: [UInt8]
    let text: [UInt8]
    /// Offset of a string literal's opening quote → its value.
    var literals: [Int: String] = [:]

    init(path: String, text t: String) {
        self.path = path
        text = Array(t.utf8)
        var code = text
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if b == UInt8(ascii: "/"), i + 1 < n, text[i + 1] == UInt8(ascii: "/") {
                while i < n, text[i] != UInt8(ascii: "\n") { code[i] = 32; i += 1 }
            } else if b == UInt8(ascii: "/"), i + 1 < n, text[i + 1] == UInt8(ascii: "*") {
                while i < n, !(text[i] == UInt8(ascii: "*") && i + 1 < n && text[i + 1] == UInt8(ascii: "/")) {
                    if text[i] != UInt8(ascii: "\n") { code[i] = 32 }
                    i += 1
                }
                if i < n { code[i] = 32; i += 1 }
                if i < n { code[i] = 32; i += 1 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                let start = i
                var value: [UInt8] = []
                i += 1
                while i < n, text[i] != b, text[i] != UInt8(ascii: "\n") {
                    if text[i] == UInt8(ascii: "\\"), i + 1 < n {
                        code[i] = UInt8(ascii: "x"); i += 1
                        switch text[i] {
                        case UInt8(ascii: "n"): value.append(10)
                        case UInt8(ascii: "t"): value.append(9)
                        default: value.append(text[i])
                        }
                        code[i] = UInt8(ascii: "x"); i += 1
                        continue
                    }
                    value.append(text[i])
                    code[i] = UInt8(ascii: "x")
                    i += 1
                }
                if b == UInt8(ascii: "\"") { literals[start] = String(decoding: value, as: UTF8.self) }
                i += 1
            } else if b == UInt8(ascii: "`") {
                let start = i
                i += 1
                let from = i
                while i < n, text[i] != UInt8(ascii: "`") { if text[i] != UInt8(ascii: "\n") { code[i] = UInt8(ascii: "x") }; i += 1 }
                literals[start] = String(decoding: text[from..<min(i, n)], as: UTF8.self)
                i += 1
            } else {
                i += 1
            }
        }
        self.code = code
    }

    /// A `//go:build` (or `// +build`) line before the package clause that names the tag `mage`.
    /// (Line by line up to the package clause only: the rest of the file is not split.)
    static func hasMageTag(_ t: String) -> Bool {
        var rest = Substring(t), more = true
        while more {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            let line = rest[..<end]
            more = end < rest.endIndex
            if more { rest = rest[rest.index(after: end)...] }
            let s = line.trimmingCharacters(in: .whitespaces)
            if s.hasPrefix("package ") { return false }
            guard s.hasPrefix("//go:build") || s.hasPrefix("// +build") else { continue }
            let expr = s.dropFirst(s.hasPrefix("//go:build") ? 10 : 9)
            let words = expr.split(whereSeparator: { " \t()&|,".contains($0) })
            // `mage` asked for, not negated.
            if words.contains("mage") { return !expr.contains("!mage") }
        }
        return false
    }

    func lineNumber(_ offset: Int) -> Int { text[..<min(offset, text.count)].reduce(1) { $0 + ($1 == 10 ? 1 : 0) } }
}

/// A function or method of the magefiles.
struct GoFunction {
    var file: Int
    var name: String
    /// The receiver's type name (`Build` for `func (Build) Clean`), nil for a function.
    var receiver: String?
    var parameters: [(name: String, type: String)]
    /// Offsets of the body's `{` and `}` in the file.
    var body: Range<Int>
    /// Parameters the command line fills (not a leading context.Context).
    var arity: Int { parameters.filter { $0.type != "context.Context" }.count }
}

/// The magefiles of one mage command, read: functions, namespaces, aliases.
struct GoProgram {
    var files: [GoFile]
    var functions: [GoFunction] = []
    var namespaces: Set<String> = []

    init(_ files: [GoFile]) {
        self.files = files
        for (k, f) in files.enumerated() { scan(k, f) }
    }

    static func isIdent(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95
    }

    private mutating func scan(_ k: Int, _ f: GoFile) {
        let c = f.code
        var depth = 0
        var i = 0
        while i < c.count {
            let b = c[i]
            if b == UInt8(ascii: "{") { depth += 1 } else if b == UInt8(ascii: "}") { depth -= 1 }
            if depth == 0, (i == 0 || !Self.isIdent(c[i - 1])), Self.word(c, i) == "func" {
                if let fn = function(k, c, from: i + 4) {
                    functions.append(fn)
                    i = fn.body.upperBound
                    continue
                }
            }
            if depth == 0, (i == 0 || !Self.isIdent(c[i - 1])), Self.word(c, i) == "type" {
                // `type Name mg.Namespace`
                var j = i + 4
                Self.skipBlanks(c, &j)
                let name = Self.word(c, j)
                j += name.utf8.count
                Self.skipBlanks(c, &j)
                if !name.isEmpty, Self.word(c, j, dots: true) == "mg.Namespace" { namespaces.insert(name) }
            }
            i += 1
        }
    }

    static func skipBlanks(_ c: [UInt8], _ j: inout Int) {
        while j < c.count, c[j] == 32 || c[j] == 9 { j += 1 }
    }

    static func skipSpace(_ c: [UInt8], _ j: inout Int) {
        while j < c.count, c[j] == 32 || c[j] == 9 || c[j] == 10 || c[j] == 13 { j += 1 }
    }

    static func word(_ c: [UInt8], _ i: Int, dots: Bool = false) -> String {
        var j = i
        while j < c.count, isIdent(c[j]) || (dots && c[j] == UInt8(ascii: ".")) { j += 1 }
        return String(decoding: c[i..<j], as: UTF8.self)
    }

    /// The offset after the bracket matching the one at `i` (`(`, `[`, `{`).
    static func matching(_ c: [UInt8], _ i: Int) -> Int? {
        var depth = 0
        var j = i
        while j < c.count {
            switch c[j] {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return j + 1 }
            default: break
            }
            j += 1
        }
        return nil
    }

    private func function(_ k: Int, _ c: [UInt8], from start: Int) -> GoFunction? {
        var j = start
        Self.skipBlanks(c, &j)
        var receiver: String? = nil
        if j < c.count, c[j] == UInt8(ascii: "(") {
            guard let e = Self.matching(c, j) else { return nil }
            let inner = String(decoding: c[(j + 1)..<(e - 1)], as: UTF8.self)
            receiver = inner.split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "\t" }).last.map(String.init)
            j = e
            Self.skipBlanks(c, &j)
        }
        let name = Self.word(c, j)
        guard !name.isEmpty else { return nil }
        j += name.utf8.count
        if j < c.count, c[j] == UInt8(ascii: "[") { guard let e = Self.matching(c, j) else { return nil }; j = e }
        guard j < c.count, c[j] == UInt8(ascii: "("), let pe = Self.matching(c, j) else { return nil }
        let params = Self.parameters(String(decoding: c[(j + 1)..<(pe - 1)], as: UTF8.self))
        // The body: the first `{` after the results (which may hold parentheses).
        // (Go requires the `{` on the line of the declaration.)
        var b = pe
        while b < c.count, c[b] != UInt8(ascii: "{"), c[b] != UInt8(ascii: "\n") {
            if c[b] == UInt8(ascii: "("), let e = Self.matching(c, b) { b = e; continue }
            b += 1
        }
        guard b < c.count, c[b] == UInt8(ascii: "{"), let be = Self.matching(c, b) else { return nil }
        return GoFunction(file: k, name: name, receiver: receiver, parameters: params, body: b..<be)
    }

    /// `a, b string, ctx context.Context, args ...string` → names with their types.
    static func parameters(_ s: String) -> [(name: String, type: String)] {
        var parts: [String] = []
        var depth = 0, cur = ""
        for ch in s {
            if "([{".contains(ch) { depth += 1 } else if ")]}".contains(ch) { depth -= 1 }
            if ch == ",", depth == 0 { parts.append(cur); cur = "" } else { cur.append(ch) }
        }
        if !cur.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(cur) }
        var out: [(String, String)] = []
        var pendingType: String? = nil
        for p in parts.reversed() {
            let t = p.trimmingCharacters(in: .whitespacesAndNewlines)
            if let sp = t.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                let name = String(t[..<sp]), type = t[sp...].trimmingCharacters(in: .whitespaces)
                pendingType = type
                out.append((name, type))
            } else {
                out.append((t, pendingType ?? t))
            }
        }
        return out.reversed()
    }

    /// True when a string literal of the magefiles sets or names a Go module setting, or the
    /// code changes directory (see the file comment).
    var setsModuleSettings: Bool {
        let names = Moves.goModuleSettings + ["MAGEFILE_GOCMD"]
        for f in files {
            for v in f.literals.values {
                if names.contains(where: { v.hasPrefix($0) }) { return true }
                if Self.settingFlags.occur(in: v) { return true }
            }
            if Self.directoryChanges.occur(in: String(decoding: f.code, as: UTF8.self)) { return true }
        }
        return false
    }

    /// Searched in the literals' and the code's bytes (one pass each, not one Foundation
    /// search per needle).
    private static let settingFlags = ByteNeedles(["-mod=", "-modfile", "-modcache", "go env -w"])
    private static let directoryChanges = ByteNeedles(["os.Chdir", "mg.GoCmd"])

    /// The function a command-line target names: `ns:name` a method of namespace `ns`, `name`
    /// an exported function, case-insensitively; else a key of the `Aliases` map.
    func target(_ raw: String) -> GoFunction? {
        let name = raw.lowercased()
        let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func exported(_ s: String) -> Bool { s.first.map { $0.isUppercase } ?? false }
        let hits: [GoFunction]
        if parts.count == 2 {
            hits = functions.filter { f in
                guard let r = f.receiver, namespaces.contains(r) else { return false }
                return r.lowercased() == parts[0] && f.name.lowercased() == parts[1] && exported(f.name)
            }
        } else if parts.count == 1 {
            hits = functions.filter { $0.receiver == nil && exported($0.name) && $0.name.lowercased() == name }
        } else {
            return nil
        }
        if hits.count == 1 { return hits[0] }
        if !hits.isEmpty { return nil }
        // Aliases: `"name": Ns.Method,` or `"name": Function,` in `Aliases = map[string]...{...}`.
        for f in files {
            let code = String(decoding: f.code, as: UTF8.self)
            guard let r = code.range(of: "Aliases = map[string]") ?? code.range(of: "Aliases := map[string]") else { continue }
            let from = code.utf8.distance(from: code.utf8.startIndex, to: r.upperBound.samePosition(in: code.utf8) ?? code.utf8.endIndex)
            guard let open = f.code[from...].firstIndex(of: UInt8(ascii: "{")), let close = Self.matching(f.code, open) else { continue }
            for (offset, value) in f.literals where offset > open && offset < close && value.lowercased() == name {
                var j = offset + 1
                while j < close, f.code[j] != UInt8(ascii: ":") { j += 1 }
                j += 1
                Self.skipSpace(f.code, &j)
                let ref = Self.word(f.code, j, dots: true)
                return function(named: ref)
            }
        }
        return nil
    }

    /// `Name` (a function) or `Type.Method`.
    func function(named ref: String) -> GoFunction? {
        let parts = ref.split(separator: ".").map(String.init)
        let hits: [GoFunction]
        if parts.count == 1 {
            hits = functions.filter { $0.receiver == nil && $0.name == parts[0] }
        } else if parts.count == 2 {
            hits = functions.filter { $0.receiver == parts[0] && $0.name == parts[1] }
        } else {
            return nil
        }
        return hits.count == 1 ? hits[0] : nil
    }

    /// A call in a function body: the callee as written (`exec.CommandContext`), its
    /// arguments (offsets in the file), and whether it always runs when the body runs.
    struct Call {
        var callee: String
        var arguments: [Range<Int>]
        var at: Int
        var always: Bool
    }

    /// The calls of a body, in order, with whether each is in the body's own statement list
    /// before any early return other than an error check.
    func calls(_ fn: GoFunction) -> [Call] {
        let f = files[fn.file], c = f.code
        var out: [Call] = []
        var depth = 0
        var exited = false
        var i = fn.body.lowerBound + 1
        let end = fn.body.upperBound - 1
        var blockHeads: [Bool] = []   // per open brace: is it an error check's body?
        while i < end {
            let b = c[i]
            if b == UInt8(ascii: "{") {
                // The statement that opens it: from the last `;`, newline or brace.
                var s = i - 1
                while s > fn.body.lowerBound, c[s] != 10, c[s] != UInt8(ascii: ";"), c[s] != UInt8(ascii: "{"), c[s] != UInt8(ascii: "}") { s -= 1 }
                let head = String(decoding: c[(s + 1)..<i], as: UTF8.self)
                blockHeads.append(head.contains("!= nil") && !head.contains("&&") && !head.contains("||"))
                depth += 1
                i += 1
                continue
            }
            if b == UInt8(ascii: "}") { depth -= 1; _ = blockHeads.popLast(); i += 1; continue }
            if Self.isIdent(b), i == 0 || (!Self.isIdent(c[i - 1]) && c[i - 1] != UInt8(ascii: ".")) {
                let w = Self.word(c, i, dots: true)
                if w == "return", depth > 0, blockHeads.last != true { exited = true }
                // `goto`, `panic` and `os.Exit` before a command also make it conditional.
                if (w == "goto" || w == "os.Exit" || w == "break"), depth > 0 { exited = true }
                var j = i + w.utf8.count
                if w != "func", w != "return", !w.isEmpty, j < end, c[j] == UInt8(ascii: "("), let e = Self.matching(c, j) {
                    out.append(Call(callee: w, arguments: Self.split(c, j + 1, e - 1), at: i, always: depth == 0 && !exited))
                    // Calls in the arguments: not read as statements (they run, but as values).
                    i = j
                    _ = e
                }
                j = max(j, i + 1)
                i = j
                continue
            }
            i += 1
        }
        return out
    }

    /// Top-level comma-separated ranges of `c[from..<to]`, trimmed.
    static func split(_ c: [UInt8], _ from: Int, _ to: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var depth = 0, start = from, j = from
        func add(_ a: Int, _ b: Int) {
            var a = a, b = b
            while a < b, [32, 9, 10, 13].contains(c[a]) { a += 1 }
            while b > a, [32, 9, 10, 13].contains(c[b - 1]) { b -= 1 }
            if a < b { out.append(a..<b) }
        }
        while j < to {
            switch c[j] {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 0 { add(start, j); start = j + 1 }
            default: break
            }
            j += 1
        }
        add(start, to)
        return out
    }

    /// The value of an argument that is one string literal.
    func literal(_ f: GoFile, _ r: Range<Int>) -> String? {
        guard let v = f.literals[r.lowerBound] else { return nil }
        // The literal must be the whole argument.
        var j = r.lowerBound + 1
        let q = f.text[r.lowerBound]
        while j < r.upperBound, !(f.text[j] == q && f.code[j] == q) { j += 1 }
        return j == r.upperBound - 1 ? v : nil
    }

    func source(_ f: GoFile, _ r: Range<Int>) -> String { String(decoding: f.text[r], as: UTF8.self) }

    /// Where the program and its arguments are in a call that runs a program: `exec.Command`,
    /// `exec.CommandContext`, mage's `sh` helpers.
    static func programIndex(_ callee: String) -> Int? {
        switch callee {
        case "exec.Command", "sh.Run", "sh.RunV", "sh.Output": return 0
        case "exec.CommandContext", "sh.RunWith", "sh.RunWithV", "sh.OutputWith": return 1
        case "sh.Exec": return 3
        default: return nil
        }
    }

    /// The first go command that loads the module's packages which `target` always runs,
    /// following `mg.*Deps` and calls of the magefiles' functions (8 deep, each once).
    func moduleLoad(from target: GoFunction) -> (String, String)? {
        var seen = Set<String>()
        return moduleLoad(target, depth: 0, seen: &seen)
    }

    private func key(_ f: GoFunction) -> String { "\(f.receiver ?? "").\(f.name)" }

    private func moduleLoad(_ fn: GoFunction, depth: Int, seen: inout Set<String>) -> (String, String)? {
        guard depth <= 8, seen.insert(key(fn)).inserted, seen.count <= 200 else { return nil }
        let f = files[fn.file]
        let setsDir = String(decoding: f.code[fn.body], as: UTF8.self).contains(".Dir =")
        for call in calls(fn) where call.always {
            // mg.Deps(a, B.c), mg.SerialDeps, mg.CtxDeps(ctx, ...), mg.SerialCtxDeps.
            if ["mg.Deps", "mg.SerialDeps", "mg.CtxDeps", "mg.SerialCtxDeps"].contains(call.callee) {
                let args = call.callee.contains("Ctx") ? Array(call.arguments.dropFirst()) : call.arguments
                for a in args {
                    var ref = source(f, a)
                    if ref.hasPrefix("mg.F("), let inner = ref.dropFirst(5).split(separator: ",").first { ref = String(inner).trimmingCharacters(in: .whitespaces) }
                    if let d = function(named: ref), let g = moduleLoad(d, depth: depth + 1, seen: &seen) { return g }
                }
                continue
            }
            let args = call.arguments
            var program: String? = nil, rest: [Range<Int>] = []
            if let p = Self.programIndex(call.callee), args.count > p {
                program = literal(f, args[p])
                rest = Array(args.dropFirst(p + 1))
            } else if let helper = function(named: call.callee) {
                if let (p, runsDir) = wrapsProgram(helper), args.count > p, !runsDir {
                    program = literal(f, args[p])
                    rest = Array(args.dropFirst(p + 1))
                } else if let g = moduleLoad(helper, depth: depth + 1, seen: &seen) {
                    return g
                }
            }
            guard program == "go", !setsDir, let sub = rest.first.flatMap({ literal(f, $0) }) else { continue }
            let values = rest.dropFirst().map { literal(f, $0) }
            if values.contains(where: { $0?.contains("@") == true }) { continue }
            let loads: Bool
            switch sub {
            case "build", "install", "test", "vet", "list", "run", "generate", "get": loads = true
            case "clean": loads = values.contains { v in v.map { !$0.hasPrefix("-") } ?? false }
            case "mod": loads = ["download", "tidy"].contains(values.first.flatMap { $0 } ?? "")
            default: loads = false
            }
            guard loads else { continue }
            let shown = (["go"] + rest.map { r in literal(f, r) ?? "…" }).joined(separator: " ")
            return (shown, "\(f.path):\(f.lineNumber(call.at))")
        }
        return nil
    }

    /// A function that runs the program named by one of its parameters, with the parameters
    /// after it as the arguments (`func run(ctx context.Context, cmd string, args ...string)`
    /// calling `exec.CommandContext(ctx, cmd, args...)`): that parameter's index, and whether
    /// the function sets the command's folder.
    func wrapsProgram(_ fn: GoFunction) -> (Int, Bool)? {
        let f = files[fn.file]
        for call in calls(fn) {
            guard let p = Self.programIndex(call.callee), call.arguments.count == p + 2 else { continue }
            let prog = source(f, call.arguments[p]), rest = source(f, call.arguments[p + 1])
            guard let k = fn.parameters.firstIndex(where: { $0.name == prog }), k + 1 < fn.parameters.count,
                  rest == fn.parameters[k + 1].name + "...", fn.parameters[k + 1].type.hasPrefix("..."),
                  k + 2 == fn.parameters.count else { continue }
            return (k, String(decoding: f.code[fn.body], as: UTF8.self).contains(".Dir ="))
        }
        return nil
    }
}
