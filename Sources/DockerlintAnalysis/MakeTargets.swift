// What a `make <goal>...` RUN does, read from the Makefile the build context sends, as far as
// GNU make's reading of it is exact without running it: the goals, their prerequisites
// (depth first, each target once, acyclic), the recipe lines with the file's plain variables
// (`=`, `:=`, `::=`, `?=`, `+=`) expanded, and what each recipe command is. The one question
// the analysis asks of it: is the make a Go build (`go build`/`go install`, with only commands
// a module pre-fetch cannot change around it)? Everything make would do that the reading
// cannot follow exactly means "not known": includes, conditionals, `define`/`eval`, target-
// specific or pattern rules that may apply, a second recipe for a target, recursive make, a
// script or any other program in a recipe, a `$(shell ...)` that is not a known read-only
// command, module settings anywhere in the file.
//
// `$(shell ...)`: make runs it inside the RUN, after the COPY, in either order of the steps; a
// module cache filled earlier changes nothing for the read-only commands allowed here (git
// rev-parse/describe, date, which, realpath, ...). Their output is not known, but it is one
// word without shell syntax (a hash, a tag, a path): it may stand in a flag's value
// (`-ldflags "-X main.version=$(VERSION)"`), never as a program, a Go subcommand or a goal.
// `$(shell which go)`/`$(shell command -v go)` is the `go` on PATH, which is read as `go`.
//
// Why a pre-fetch (`go mod download` after go.mod/go.sum, above the source COPY) cannot change
// what these recipes produce: it only fills the module cache earlier, in a layer of its own.
// The cache is content-addressed and every module is verified against go.sum (and the checksum
// database) when it is downloaded, so `go build`/`install`/`get`/`mod tidy`/`vet`/`list` find
// byte-identical modules whether the pre-fetch or they themselves downloaded them. `go
// generate` runs arbitrary programs (swag, wire, mockgen ...); what they read of modules comes
// through the same cache (go/packages, `go list`), at the same paths, with the same bytes:
// what they generate is the same. A program that listed the cache directory itself, or read
// file times in it, could tell the difference; generators read packages, not the cache's
// listing, which is the assumption made here. `go clean -modcache` or settings that move or
// bypass the cache (GOFLAGS, GOMODCACHE, GOPATH, GOPROXY, `-mod=`; `Moves.goModuleSettings`)
// would make the pre-fetch miss: they stay "not known".

import DockerlintModel
import DockerlintShell
import DockerlintSupport

/// `RUN make <goals>` whose recipes are Go builds: the goals, the directory make runs in, the
/// recipe lines it runs (in order, as written) and the environment assignments on their `go`
/// commands (and exported by the Makefile).
public struct GoMakeBuild: Sendable, Equatable {
    /// The goals as the RUN names them, space-separated (the default goal when none is named).
    public var target: String
    public var workdir: String
    public var recipe: [String]
    /// `NAME=value` on the recipes' `go` commands and the Makefile's exports.
    public var assignments: [String: String]
    /// Script offset of the `make` command in the RUN.
    public var start: Int?
    /// The make command as written (`make clean build`).
    public var command: String

    public init(target: String, workdir: String, recipe: [String], assignments: [String: String] = [:], start: Int? = nil,
                command: String? = nil) {
        self.target = target
        self.workdir = workdir
        self.recipe = recipe
        self.assignments = assignments
        self.start = start
        self.command = command ?? "make " + target
    }
}

/// `RUN make <goals>` whose goals run dependency installs from manifests in a target of their
/// own (`install: ; npm ci; go mod download`), as `StepGraph.installThroughMake` reads it.
public struct MakeInstall: Sendable, Equatable {
    /// The make command as written (`make`, `make all`).
    public var command: String
    public var workdir: String
    /// The targets whose recipes are the installs, in the order make runs them.
    public var installTargets: [String]
    /// The install commands, expanded as make runs them, in order (`npm ci`, `go mod download`).
    public var installs: [String]
    /// The targets make runs before the first install (their recipes read: a `clean`).
    public var before: [String]
    /// The goals that run what make ran but the installs, in order (`clean build` for
    /// `all: clean install build`); empty when the goals are only the installs.
    public var rest: [String]
    /// Whether the installs may run apart from make, before it (see `installThroughMake`).
    public var verdict: MoveVerdict
    /// Script offset of the `make` command in the RUN.
    public var start: Int?

    public init(command: String = "make", workdir: String = "/", installTargets: [String], installs: [String], before: [String],
                rest: [String], verdict: MoveVerdict, start: Int? = nil) {
        self.command = command
        self.workdir = workdir
        self.installTargets = installTargets
        self.installs = installs
        self.before = before
        self.rest = rest
        self.verdict = verdict
        self.start = start
    }

    /// `npm ci && go mod download`: the installs as one RUN's commands.
    public var installText: String { installs.joined(separator: " && ") }
    /// `make clean build`: what stays below (nil when nothing does).
    public var restCommand: String? {
        rest.isEmpty ? nil : ([command.split(separator: " ").first.map(String.init) ?? "make"] + rest).joined(separator: " ")
    }
}

extension StepGraph {
    /// The Go build a RUN step runs through make: one `make [goal...]` command (no options, no
    /// variable overrides, not in a pipeline, subshell or condition, no `cd` before it),
    /// whose goals and their prerequisites `Makefile.run` reads exactly to recipes of Go
    /// commands and harmless file commands, with at least one `go build`/`go install`. The
    /// Makefile is the one in the RUN's working directory, as the COPY put it there. Nil
    /// otherwise (or without a build context).
    public func goBuildThroughMake(_ id: StepID) -> GoMakeBuild? {
        if let known = projectReadings.goMake[id] { return known }
        let made = readGoBuildThroughMake(id)
        projectReadings.goMake[id] = .some(made)
        return made
    }

    private func readGoBuildThroughMake(_ id: StepID) -> GoMakeBuild? {
        guard let context, let (make, goals, wd, dir, parsed) = makeRun(id) else { return nil }
        var mf = parsed
        guard let run = mf.run(goals, exists: { context.sends(ImagePath.contextJoin(dir, $0)) }) else { return nil }
        guard run.commands.contains(where: { $0.name == "go" && ["build", "install"].contains($0.arguments.first?.staticValue ?? "") }) else { return nil }
        var assignments = mf.exports
        for c in run.commands where c.name == "go" {
            for a in c.assignments { if let v = a.value?.staticValue ?? (a.value == nil ? "" : nil) { assignments[a.name] = v } }
        }
        return GoMakeBuild(target: goals.isEmpty ? run.goals.joined(separator: " ") : goals.joined(separator: " "),
                           workdir: wd, recipe: run.lines, assignments: assignments, start: make.range.start,
                           command: ([make.path ?? "make"] + goals).joined(separator: " "))
    }

    /// The dependency installs a RUN step runs through make: one `make [goal...]` command (as
    /// `goBuildThroughMake` accepts it) whose goals reach a target whose recipes are installs
    /// from manifests (`npm ci`, `yarn install`, `pip install -r ...`, `go mod download`, ...),
    /// read by `Makefile.installRun`. Nil when the RUN runs no make, the Makefile is not read
    /// exactly (includes, conditionals, `$(shell ...)` not known, ...) or no goal installs;
    /// otherwise the install with the verdict on running it apart, above the make.
    ///
    /// What the verdict covers is make's side only: the install commands are the recipe's
    /// own, run in the Makefile's directory with nothing make adds (no export, no assignment
    /// on the command), and `make <rest>` runs every other target make ran, in its order, the
    /// install targets excepted; the targets make ran before the install (a `clean`) delete
    /// nothing the install writes or reads. Whether the install itself may move above the
    /// source COPY (lifecycle scripts, workspaces, `.npmrc`, patches, the lock file, the user,
    /// the environment) is the question the analysis asks of those commands written in the RUN
    /// (`Moves.runSplit` on `RUN <installs> && make <rest>`), not answered here.
    public func installThroughMake(_ id: StepID) -> MakeInstall? {
        if let known = projectReadings.makeInstall[id] { return known }
        let made = readInstallThroughMake(id)
        projectReadings.makeInstall[id] = .some(made)
        return made
    }

    private func readInstallThroughMake(_ id: StepID) -> MakeInstall? {
        guard let context, let (make, goals, wd, dir, parsed) = makeRun(id, throughBase: true) else { return nil }
        var mf = parsed
        guard let reading = mf.installRun(goals, exists: { context.sends(ImagePath.contextJoin(dir, $0)) }) else { return nil }
        var out = reading
        out.workdir = wd
        out.command = ([make.path ?? "make"] + goals).joined(separator: " ")
        out.start = make.range.start
        if out.verdict.isSafe, let name = mf.exports.keys.sorted().first {
            out.verdict = .unknown("the Makefile exports \(name) to the install's environment, which the install run apart would not have")
        }
        return out
    }

    /// The one `make [goal...]` command of a RUN step, as `goBuildThroughMake` accepts it (no
    /// options, overrides, pipeline, condition or state change before it), with the Makefile
    /// the COPY put in the RUN's working directory, parsed (once per step and file: its
    /// variables take the step's environment); nil otherwise, when the Makefile sets module
    /// settings (GOFLAGS, GOPROXY, ...) anywhere, or is not read exactly.
    /// `throughBase`: a Makefile no COPY of the RUN's stage brings may come from the stage it
    /// is built FROM (and so on up).
    /// What a Makefile must not hold to be read: Go's module settings and the commands and
    /// flags that change them (searched in one pass over the file's bytes).
    private static let makefileSettings = ByteNeedles(Moves.goModuleSettings + ["-mod=", "-modfile", "go env -w", "git config"])

    func makeRun(_ id: StepID, throughBase: Bool = false) -> (make: CommandInvocation, goals: [String], workdir: String, dir: String, makefile: Makefile)? {
        let st = step(id)
        guard st.kind == .run, let context, let script = script(of: id), !script.isExecForm, !script.isHeredocScript else { return nil }
        let makes = script.commands.filter { ["make", "gmake"].contains($0.effective.name ?? "") }
        guard makes.count == 1, let make = makes.first, make.contexts.isEmpty, make.wrappers.isEmpty, !make.isInPipeline,
              make.assignments.isEmpty, make.previousOperator == nil || make.previousOperator == .and,
              make.nextOperator == nil || make.nextOperator == .and else { return nil }
        // Nothing before it may change the directory or environment make runs with.
        let stateChanging: Set<String> = ["cd", "pushd", "popd", "export", "set", "source", ".", "unset", "umask"]
        for c in script.commands where c.range.start < make.range.start {
            if stateChanging.contains(c.effective.name ?? "") || (c.commandWord == nil && !c.assignments.isEmpty) { return nil }
        }
        var goals: [String] = []
        for w in make.arguments {
            guard let v = w.staticValue, !v.isEmpty, !v.hasPrefix("-"), !v.contains("="), !v.contains("$") else { return nil }
            goals.append(v)
        }
        let wd = ImagePath.workdir(st.instruction.workingDirectory)
        let stages = model.stages
        func copied(_ name: String) -> String? {
            let path = ImagePath.absolute(name, workdir: wd)
            var stage = id.stage, before: Int? = id.index, seen = 0
            while seen < 64 {
                if let p = contextPath(ofImagePath: path, stage: stage, before: before) { return p }
                guard throughBase, stage < stages.count, case .stage(let b) = stages[stage].base, b < stage else { return nil }
                stage = b
                before = nil
                seen += 1
            }
            return nil
        }
        guard !wd.contains("$"), let makefile = ["GNUmakefile", "makefile", "Makefile"].lazy
            .compactMap(copied)
            .first(where: { context.sends($0) }) else { return nil }
        let key = ProjectReadings.MakefileKey(step: id, path: makefile)
        let parsed: Makefile?
        if let known = projectReadings.makefiles[key] {
            parsed = known
        } else {
            parsed = context.files.text(makefile).flatMap { text in
                // Module settings anywhere in the file: not read.
                if Self.makefileSettings.occur(in: text) { return nil }
                let scope = st.instruction.scope
                return Makefile(text, workdir: wd, environment: { name in
                    guard let v = scope.variable(named: name), v.origin != .builtin else { return .unset }
                    return v.value.map { .value($0) } ?? .unknown
                })
            }
            projectReadings.makefiles[key] = .some(parsed)
        }
        guard let parsed else { return nil }
        return (make, goals, wd, ImagePath.dirname(makefile), parsed)
    }

}

/// What the make and mage readers made of a file's RUN steps, kept by its `StepGraph` beside
/// the context scripts it walked (`scriptRuns`): the cost model, the moves and every stage
/// built FROM a stage ask for the same steps again, and the Makefiles and magefiles are read
/// and parsed once per lint of the file.
struct ProjectReadings {
    struct MakefileKey: Hashable {
        var step: StepID
        var path: String
    }
    var goMake: [StepID: GoMakeBuild?] = [:]
    var makeInstall: [StepID: MakeInstall?] = [:]
    var goMage: [StepID: GoMageBuild?] = [:]
    /// A Makefile as a step's make reads it (its `?=` and unset variables take the step's
    /// environment, `$(CURDIR)` its working directory), by step and context path; nil when
    /// not read. Each reading runs on a copy (`Makefile` is a value).
    var makefiles: [MakefileKey: Makefile?] = [:]
    /// The magefiles mage compiles in a context folder (`MageReader.program`), parsed; nil
    /// when they are not read.
    var magefiles: [String: GoProgram?] = [:]
}

/// A Makefile as GNU make reads it, where that is exact: variables, explicit rules, `.PHONY`,
/// exports, the default goal. Nil for a file with anything whose effect is not known
/// (includes, conditionals, `define`, `$(eval ...)`, `SHELL`/`MAKEFLAGS`, a `$(shell ...)`
/// make would run while reading that is not a known read-only command). Reading is linear in
/// the file; expansion is bounded by a budget proportional to it.
struct Makefile {
    enum Environment { case value(String), unknown, unset }
    /// Stand-ins inside expanded text: a value not known but one word without shell syntax,
    /// and a value not known at all.
    static let oneWord: Character = "\u{1}", opaque: Character = "\u{2}"

    private enum Flavor { case recursive, simple }
    private struct Rule {
        var prerequisites: [String] = []
        var recipe: [String] = []
        /// The line of the rule that gave the recipe (a second one is not read).
        var recipeLine: Int? = nil
    }

    private var variables: [String: (value: String, flavor: Flavor)] = [:]
    private var rules: [String: Rule] = [:]
    private var phony: Set<String> = []
    /// Targets that cannot be read (double-colon, target-specific variables, two recipes).
    private var unreadable: Set<String> = []
    /// Rule target words holding a value not known: they may name any target matching them.
    private var unknownTargets: [String] = []
    private var patternRules = false
    private var firstTarget: String?
    /// `export NAME = value`: in the environment of every recipe command.
    private(set) var exports: [String: String] = [:]
    private let workdir: String
    private let environment: (String) -> Environment
    /// Characters expansion may still produce (a guard against exponential definitions).
    private var budget: Int
    /// An expansion met a `$(shell ...)` or function whose effect is not known.
    private var failed = false

    init?(_ text: String, workdir: String, environment: @escaping (String) -> Environment) {
        self.workdir = workdir
        self.environment = environment
        budget = 64 * text.count + 4096
        var lines: [(text: String, number: Int)] = []
        // Logical lines: a backslash-newline joins lines (recipe lines keep their own form).
        var pending: String? = nil, start = 0, number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if let p = pending {
                let recipe = p.hasPrefix("\t")
                // In a recipe the shell removes the backslash-newline; make drops the next line's tab.
                line = recipe ? p + (line.hasPrefix("\t") ? String(line.dropFirst()) : line)
                    : p + " " + line.drop(while: { $0 == " " || $0 == "\t" })
            } else {
                start = number
            }
            if Self.continues(line) { pending = String(line.dropLast()); continue }
            pending = nil
            lines.append((line, start))
        }
        if let p = pending { lines.append((p, start)) }

        // The targets (and their rule's line) whose recipe the tab lines belong to.
        var current: (targets: [String], line: Int)? = nil
        for (line, n) in lines {
            if line.hasPrefix("\t") {
                guard let (targets, at) = current else {
                    if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                    return nil
                }
                recipe(targets, at, String(line.dropFirst()))
                continue
            }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            current = nil
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let first = words.first.map(String.init) ?? ""
            let directives: Set<String> = ["include", "-include", "sinclude", "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif",
                                           "define", "endef", "override", "unexport", "undefine", "private", "vpath", "load", "-load"]
            // (A line starting with `$(` is read only as a rule: `$(eval ...)`, `$(info ...)` alone are not.)
            if directives.contains(first) { return nil }
            var body = Substring(trimmed)
            var exported = false
            if first == "export" {
                body = body.dropFirst(6).drop(while: { $0 == " " || $0 == "\t" })
                exported = true
                if body.isEmpty { return nil }   // `export` alone exports every variable
            }
            if let (name, op, value) = Self.assignment(body) {
                guard assign(name, op, value) else { return nil }
                if exported {
                    guard let s = valueOf(name), !s.contains(Self.opaque), !s.contains(Self.oneWord) else { return nil }
                    exports[name] = s
                }
                continue
            }
            if exported {
                // `export NAME ...`: the variables as they are.
                for w in body.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    let name = String(w)
                    guard let s = valueOf(name), !s.contains(Self.opaque), !s.contains(Self.oneWord) else { return nil }
                    exports[name] = s
                }
                continue
            }
            guard let targets = rule(body, line: n) else { return nil }
            current = (targets, n)
        }
        if failed { return nil }
    }

    /// The value of a variable of the file, expanded (nil: not defined, or not known).
    private mutating func valueOf(_ name: String) -> String? {
        guard let v = variables[name] else { return nil }
        return v.flavor == .simple ? v.value : expand(v.value)
    }

    /// True when a line ends with an odd number of backslashes (a continuation).
    private static func continues(_ line: String) -> Bool {
        var n = 0
        for c in line.reversed() { if c == "\\" { n += 1 } else { break } }
        return n % 2 == 1
    }

    /// `NAME op value` with op one of `=`, `:=`, `::=`, `:::=`, `?=`, `+=`, `!=`.
    private static func assignment(_ line: Substring) -> (String, String, String)? {
        var i = line.startIndex
        while i < line.endIndex, !" \t:=?+!#".contains(line[i]) { i = line.index(after: i) }
        let name = String(line[..<i])
        guard !name.isEmpty else { return nil }
        var j = i
        while j < line.endIndex, line[j] == " " || line[j] == "\t" { j = line.index(after: j) }
        let rest = line[j...]
        for op in [":::=", "::=", ":=", "?=", "+=", "!=", "="] where rest.hasPrefix(op) {
            var value = rest.dropFirst(op.count).drop(while: { $0 == " " || $0 == "\t" })
            value = Self.withoutComment(value)
            return (name, op, String(value).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The text before an unescaped `#`.
    private static func withoutComment(_ s: Substring) -> Substring {
        var prev: Character = " "
        for i in s.indices {
            if s[i] == "#", prev != "\\" { return s[..<i] }
            prev = s[i]
        }
        return s
    }

    private mutating func assign(_ name: String, _ op: String, _ value: String) -> Bool {
        let special: Set<String> = ["SHELL", ".SHELLFLAGS", "MAKEFLAGS", "GNUMAKEFLAGS", "MAKE", "MAKEFILES", "VPATH", "MAKESHELL",
                                    ".RECIPEPREFIX", ".DEFAULT_GOAL"]
        guard !name.contains("$"), !special.contains(name) else { return name == ".DEFAULT_GOAL" && setDefaultGoal(op, value) }
        switch op {
        case "=":
            variables[name] = (value, .recursive)
        case ":=", "::=":
            guard let v = expand(value) else { return false }
            variables[name] = (v, .simple)
        case "?=":
            if variables[name] != nil { return true }
            // The environment's value wins (the RUN's, as this Dockerfile sets it; base images
            // are taken not to set the project's own variable names).
            switch environment(name) {
            case .value(let v): variables[name] = (v, .simple)
            case .unknown: variables[name] = (String(Self.opaque), .simple)
            case .unset: variables[name] = (value, .recursive)
            }
        case "+=":
            guard let old = variables[name] else {
                guard case .unset = environment(name) else { return false }
                variables[name] = (value, .recursive)
                return true
            }
            if old.flavor == .simple {
                guard let v = expand(value) else { return false }
                variables[name] = (old.value + " " + v, .simple)
            } else {
                variables[name] = (old.value + " " + value, .recursive)
            }
        case "!=":
            guard let v = expand("$(shell " + value + ")") else { return false }
            variables[name] = (v, .simple)
        default:
            return false
        }
        return true
    }

    private var defaultGoal: String?
    private mutating func setDefaultGoal(_ op: String, _ value: String) -> Bool {
        guard op == "=" || op == ":=" || op == "?=", let v = expand(value), !v.contains(Self.opaque), !v.contains(Self.oneWord),
              !v.contains(" ") else { return false }
        if op == "?=", defaultGoal != nil { return true }
        defaultGoal = v
        return true
    }


    /// A rule line: `targets: prerequisites [; recipe]`. The targets (nil: not a rule make
    /// reads exactly).
    private mutating func rule(_ line: Substring, line n: Int) -> [String]? {
        // The first `:` outside `$(...)`.
        var depth = 0, colon: Substring.Index? = nil
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "(" || c == "{" { depth += 1 } else if c == ")" || c == "}" { depth -= 1 } else if c == ":", depth == 0 { colon = i; break }
            i = line.index(after: i)
        }
        guard let colon else { return nil }
        guard let targetText = expand(String(line[..<colon])) else { return nil }
        var rest = Self.withoutComment(line[line.index(after: colon)...])
        let targets = targetText.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if targets.isEmpty { return nil }
        // Double-colon, grouped and target-specific-variable rules: their targets are not read.
        if rest.hasPrefix(":") || targetText.hasSuffix("&") || Self.assignment(rest.drop(while: { $0 == " " || $0 == "\t" })) != nil {
            unreadable.formUnion(targets)
            if targets.contains(where: { $0.contains(Self.opaque) || $0.contains(Self.oneWord) }) { return nil }
            return targets
        }
        var inline: String? = nil
        if let semi = rest.firstIndex(of: ";") {
            inline = String(rest[rest.index(after: semi)...]).trimmingCharacters(in: .whitespaces)
            rest = rest[..<semi]
        }
        guard let pre = expand(String(rest)) else { return nil }
        let prerequisites = pre.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "|" }).map(String.init)
        var explicit: [String] = []
        for t in targets {
            if t.contains(Self.opaque) || t.contains(Self.oneWord) { unknownTargets.append(t); continue }
            if t.contains("%") { patternRules = true; continue }
            if t == ".PHONY" { phony.formUnion(prerequisites); continue }
            if t.hasPrefix(".") {
                let harmless: Set<String> = [".SILENT", ".NOTPARALLEL", ".DELETE_ON_ERROR", ".PRECIOUS", ".INTERMEDIATE", ".SECONDARY",
                                             ".IGNORE", ".LOW_RESOLUTION_TIME", ".NOTINTERMEDIATE", ".WAIT"]
                if harmless.contains(t) { continue }
                if t == ".SUFFIXES" { if !prerequisites.isEmpty { patternRules = true }; continue }
                // .ONESHELL, .POSIX, .EXPORT_ALL_VARIABLES, .DEFAULT, suffix rules (`.c.o`): not read.
                return nil
            }
            explicit.append(t)
            if firstTarget == nil { firstTarget = t }
            var r = rules[t] ?? Rule()
            r.prerequisites += prerequisites
            rules[t] = r
        }
        if let inline { recipe(explicit, n, inline) }
        return explicit
    }

    /// A recipe line of the rule at `line` for `targets`; a second rule giving a target a
    /// recipe makes it unreadable (make warns and takes the last).
    private mutating func recipe(_ targets: [String], _ line: Int, _ body: String) {
        for t in targets {
            var r = rules[t] ?? Rule()
            if let at = r.recipeLine, at != line { unreadable.insert(t) }
            r.recipeLine = line
            r.recipe.append(body)
            rules[t] = r
        }
    }

    // MARK: - Expansion

    /// `text` with the variables and functions make would expand; nil (and `failed`) when it
    /// holds one whose effect is not known.
    private mutating func expand(_ text: String, target: String? = nil, depth: Int = 0) -> String? {
        guard depth < 24, !failed else { failed = true; return nil }
        var out = ""
        let chars = Array(text)
        var k = 0
        while k < chars.count {
            let c = chars[k]
            guard c == "$", k + 1 < chars.count else { out.append(c); k += 1; continue }
            let d = chars[k + 1]
            if d == "$" { out.append("$"); k += 2; continue }
            if d != "(" && d != "{" {
                // `$X`: one-character name; `$@` is the target, the other automatic ones not known.
                if d == "@", let target { out += target } else if "<^*?+|%".contains(d) { out.append(Self.opaque) } else if let v = lookup(String(d), target, depth) { out += v } else { return nil }
                k += 2
                continue
            }
            let close: Character = d == "(" ? ")" : "}"
            var level = 0, e = k + 1
            while e < chars.count {
                if chars[e] == d { level += 1 } else if chars[e] == close { level -= 1; if level == 0 { break } }
                e += 1
            }
            guard e < chars.count else { failed = true; return nil }
            let inner = String(chars[(k + 2)..<e])
            k = e + 1
            if let space = inner.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                let fn = String(inner[..<space])
                let args = String(inner[inner.index(after: space)...])
                if fn == "shell" {
                    guard let v = shell(args, target, depth) else { return nil }
                    out += v
                } else if ["eval", "call", "file", "value", "origin", "flavor", "guile", "error"].contains(fn) {
                    failed = true; return nil
                } else if ["info", "warning"].contains(fn) {
                    continue
                } else {
                    // Text functions (`patsubst`, `wildcard`, ...): a value not known.
                    guard expand(args, target: target, depth: depth + 1) != nil else { return nil }
                    out.append(Self.opaque)
                }
                continue
            }
            if inner.contains(":") || inner.contains("$") {
                // Substitution references and computed names.
                out.append(Self.opaque)
                continue
            }
            if inner == "@", let target { out += target; continue }
            guard let v = lookup(inner, target, depth) else { return nil }
            out += v
        }
        budget -= out.count
        if budget < 0 { failed = true; return nil }
        return out
    }

    private mutating func lookup(_ name: String, _ target: String?, _ depth: Int) -> String? {
        if name == "CURDIR" { return workdir }
        if name == "MAKE" { return "make" }
        if let v = variables[name] {
            return v.flavor == .simple ? v.value : expand(v.value, target: target, depth: depth + 1)
        }
        switch environment(name) {
        case .value(let v): return v
        case .unknown, .unset: return String(Self.opaque)   // from the base image's environment, or empty
        }
    }

    /// The output of `$(shell command)`: `go` for `which go`/`command -v go`, a one-word value
    /// for the read-only commands that print one (a hash, a tag, a path), a value not known
    /// for other read-only commands; nil (`failed`) for anything else.
    private mutating func shell(_ command: String, _ target: String?, _ depth: Int) -> String? {
        guard let text = expand(command, target: target, depth: depth + 1) else { return nil }
        guard !text.contains(Self.opaque), !text.contains(Self.oneWord) else { failed = true; return nil }
        let script = ShellParser.parse(text)
        let cs = script.commands
        guard !cs.isEmpty else { failed = true; return nil }
        if cs.count == 1, let c = cs.first, c.assignments.isEmpty, c.command.redirections.isEmpty,
           (c.name == "which" && c.argumentValues == ["go"]) || (c.name == "command" && c.argumentValues == ["-v", "go"]) {
            return "go"
        }
        var oneWord = true
        for c in cs {
            guard let one = Self.readOnlyOutput(c) else { failed = true; return nil }
            oneWord = oneWord && one
        }
        return String(oneWord ? Self.oneWord : Self.opaque)
    }

    /// Whether a command inside a command substitution only reads and prints (git rev-parse/
    /// describe/log/rev-list/symbolic-ref/show, date, which, realpath, readers and filters
    /// without in-place edits, `go env/version/list`, ...): true when what it prints is one
    /// word without shell syntax (a hash, a tag, a path), false when it is a value not known,
    /// nil when the command is not one of these (or runs in the background, with assignments
    /// or wrappers, outside a substitution, or writes output anywhere but /dev/null). Shared by
    /// make's `$(shell ...)` and the commands a RUN runs before its Go build
    /// (`StepGraph.prefetchSequenceObstacle`): neither can change what a module pre-fetch
    /// downloads, and a module cache filled earlier changes nothing they print.
    static func readOnlyOutput(_ c: CommandInvocation) -> Bool? {
        guard c.assignments.isEmpty, c.wrappers.isEmpty, quietRedirections(c),
              c.contexts.allSatisfy({ $0 == .commandSubstitution }), c.nextOperator != .background else { return nil }
        let args = c.argumentValues
        switch c.name ?? "" {
        case "git":
            guard let sub = args.first ?? nil, ["rev-parse", "describe", "log", "rev-list", "symbolic-ref", "show"].contains(sub) else { return nil }
            return ["rev-parse", "describe", "symbolic-ref"].contains(sub)
        case "date":
            return !(args.contains(where: { $0 == nil || ($0!.hasPrefix("+") && $0!.contains(" ")) }) || args.isEmpty)
        case "which", "realpath", "pwd", "basename", "dirname", "uname", "whoami", "hostname", "true":
            return true
        case "command":
            return args.first == "-v" ? true : nil
        case "mkdir":
            return args.contains("-p") ? true : nil
        case "echo", "printf":
            return !(args.count > 1 || args.contains(where: { $0 == nil || $0!.contains(" ") || $0!.contains("\"") || $0!.contains("'") }))
        case "go":
            guard let sub = args.first ?? nil, ["env", "version", "list"].contains(sub),
                  !args.contains("-w"), !args.contains("-u") else { return nil }
            return sub == "env" && args.count == 2
        case "cat", "head", "tail", "cut", "tr", "sed", "awk", "grep", "sort", "wc":
            // Readers and filters (no in-place edit): a value not known.
            guard !args.contains(where: { $0 == "-i" || ($0?.hasPrefix("-i") ?? false) && c.name == "sed" }) else { return nil }
            return false
        default:
            return nil
        }
    }

    /// Redirections only of output to /dev/null or between descriptors.
    static func quietRedirections(_ c: CommandInvocation) -> Bool {
        c.command.redirections.allSatisfy { r in
            r.op == .duplicateOutput || r.op == .duplicateInput
                || ([.output, .append, .outputAndError, .appendOutputAndError, .clobber].contains(r.op) && r.target.staticValue == "/dev/null")
        }
    }

    // MARK: - Running goals

    /// What `make goals` runs: the recipe lines in order (as written, without `@-+`) and the
    /// commands they hold. Nil when `walk` cannot follow the goals, or a recipe runs anything
    /// but the commands `allowed` accepts.
    mutating func run(_ goals: [String], exists: (String) -> Bool) -> (goals: [String], lines: [String], commands: [CommandInvocation])? {
        var lines: [String] = [], commands: [CommandInvocation] = []
        let wanted = walk(goals, exists: exists) { _, recipe in
            for (line, text) in recipe {
                guard !text.contains(Self.opaque) else { return false }
                let script = ShellParser.parse(text.replacingOccurrences(of: String(Self.oneWord), with: "dockerlintvalue"))
                for c in script.commands {
                    guard Self.allowed(c) else { return false }
                    commands.append(c)
                }
                lines.append(line)
            }
            return true
        }
        return wanted.map { ($0, lines, commands) }
    }

    /// The targets `make goals` runs (the default goal when none is named), depth first as
    /// make runs them, each once: `recipe` gets each target, in that order, with its recipe
    /// lines (comments and blank lines left out) as written and as make expands them, both
    /// without their `@`, `-`, `+` prefixes, and answers false to stop. The goals followed; nil
    /// when `recipe` stopped, when a goal or prerequisite has no rule (and is no file the
    /// context sends, or an implicit rule may apply), a target may be up to date (not .PHONY
    /// and a path the context sends) or is not read (two recipes, target-specific variables,
    /// a rule target whose value is not known may name it), prerequisites form a cycle or go
    /// deeper than 16, or a recipe line cannot be expanded exactly (a `$(shell ...)` that is
    /// not a known read-only command, `$(eval ...)`, `$(call ...)`, ...): make would run what
    /// the reading cannot follow.
    private mutating func walk(_ goals: [String], exists: (String) -> Bool,
                               recipe: (String, [(written: String, expanded: String)]) -> Bool) -> [String]? {
        let wanted = goals.isEmpty ? [defaultGoal ?? firstTarget].compactMap { $0 } : goals
        guard !wanted.isEmpty else { return nil }
        var done = Set<String>(), stack = Set<String>()
        func visit(_ t: String, _ depth: Int) -> Bool {
            if done.contains(t) { return true }
            guard depth <= 16, !stack.contains(t), !unreadable.contains(t) else { return false }
            if unknownTargets.contains(where: { Self.mayName($0, t) }) { return false }
            guard let rule = rules[t] else {
                // A file prerequisite: nothing runs for it when no implicit rule may apply.
                guard depth > 0, !patternRules, !phony.contains(t), exists(t) else { return false }
                done.insert(t)
                return true
            }
            if !phony.contains(t), exists(t) { return false }
            if rule.recipe.isEmpty, patternRules { return false }
            stack.insert(t)
            for p in rule.prerequisites where !visit(p, depth + 1) { return false }
            stack.remove(t)
            var lines: [(written: String, expanded: String)] = []
            for raw in rule.recipe {
                let line = Self.withoutPrefixes(raw)
                if line.hasPrefix("#") || line.isEmpty { continue }
                guard let text = expand(line, target: t) else { return false }
                lines.append((line, Self.withoutPrefixes(text)))
            }
            guard recipe(t, lines) else { return false }
            done.insert(t)
            return true
        }
        for g in wanted where !visit(g, 0) { return nil }
        return failed ? nil : wanted
    }

    /// A recipe line without its `@`, `-`, `+` prefixes and surrounding blanks.
    private static func withoutPrefixes(_ s: String) -> String {
        var body = Substring(s).drop(while: { $0 == " " || $0 == "\t" })
        while let f = body.first, f == "@" || f == "-" || f == "+" { body = body.dropFirst().drop(while: { $0 == " " || $0 == "\t" }) }
        return String(body).trimmingCharacters(in: .whitespaces)
    }

    /// Whether a rule target word holding values not known may be `t`.
    private static func mayName(_ word: String, _ t: String) -> Bool {
        if word.contains(opaque) { return true }
        // One-word values: a glob of the literal parts.
        let pattern = word.map { $0 == oneWord ? "*" : String($0) }.joined()
        return ImagePath.globMatch(pattern, t)
    }

    /// Recipe commands a Go module pre-fetch cannot change and that do not change the modules
    /// the build reads: Go's build, install, get, generate, vet, list, env, version, fmt, clean
    /// (not `-modcache`) and `mod tidy/download/verify/graph/why` (no `-mod=`/`-modfile`);
    /// `rm` of relative paths in the build directory other than the module's files; `mkdir`,
    /// `echo`, `printf`, `true`, `:`, and `date` (in a substitution). Not in a condition,
    /// loop, subshell or background, output redirected only to /dev/null.
    static func allowed(_ c: CommandInvocation) -> Bool {
        guard c.wrappers.isEmpty, c.contexts.allSatisfy({ $0 == .commandSubstitution }), c.nextOperator != .background,
              quietRedirections(c), let name = c.name, c.path == name || name == "go" else { return false }
        let args = c.argumentValues
        switch name {
        case "go":
            guard c.path == "go" || (c.path ?? "").hasSuffix("/bin/go") else { return false }
            for a in c.assignments {
                guard let v = a.value.map({ $0.staticValue }) ?? "", !v.contains("dockerlintvalue") else { return false }
                if a.name == "GO111MODULE", !["", "on", "auto"].contains(v) { return false }
            }
            guard let sub = args.first ?? nil else { return false }
            if args.contains(where: { $0 != nil && ($0!.contains("-mod=") || $0!.hasPrefix("-modfile") || $0!.hasPrefix("--mod")) }) { return false }
            switch sub {
            case "build", "install", "get", "generate", "vet", "list", "version", "fmt": return true
            case "env": return !args.contains("-w") && !args.contains("-u")
            case "clean": return !args.contains("-modcache")
            case "mod": return ["tidy", "download", "verify", "graph", "why"].contains((args.dropFirst().first ?? nil) ?? "")
            default: return false
            }
        case "rm":
            guard c.assignments.isEmpty else { return false }
            var operands = 0
            for a in args {
                guard let a, !a.contains("dockerlintvalue") else { return false }
                if a.hasPrefix("-") {
                    guard ["-f", "-r", "-rf", "-fr", "-R", "-Rf", "-fR", "--force", "--recursive"].contains(a) else { return false }
                    continue
                }
                let parts = a.split(separator: "/")
                guard !a.hasPrefix("/"), !a.hasPrefix("~"), !a.contains("$"), !parts.contains(".."), a != ".", a != "*",
                      !["go.mod", "go.sum", "go.work", "go.work.sum", "vendor"].contains(String(parts.first.map { $0 == "." ? (parts.dropFirst().first ?? "") : $0 } ?? "")) else { return false }
                operands += 1
            }
            return operands > 0
        case "mkdir", "echo", "printf", "true", ":":
            return c.assignments.isEmpty
        case "date":
            return c.assignments.isEmpty && c.contexts == [.commandSubstitution]
        default:
            return false
        }
    }
}

// MARK: - Installs in a target

extension Makefile {
    /// What the installs write or read that a target run before them must not delete: the
    /// package directories (`node_modules`, `vendor`, Yarn's `.yarn` and PnP files, a
    /// virtualenv) and the manifests and lock files of every ecosystem read here.
    static let installOwned: Set<String> = ["node_modules", "vendor", ".yarn", ".pnp.cjs", ".pnp.loader.mjs", ".pnpm-store", ".venv", "venv",
                                            "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                                            "pnpm-workspace.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml", "go.mod", "go.sum", "go.work",
                                            "composer.json", "composer.lock", "Gemfile", "Gemfile.lock", ".bundle", "requirements.txt"]

    /// The installs `make goals` runs: the targets make runs, as `walk` follows them, one
    /// of them (or more) an install target, every recipe line of which is an install from
    /// manifests (`PackageCommand`, source `.manifest`, reading no source tree), alone, in an
    /// `&&` chain of installs, or with a failure branch that only reports and fails
    /// (`npm ci || (echo "..." && exit 1)`), besides lines that only print. Nil when no
    /// target is one, or `walk` cannot follow the goals (no rule, a cycle, a target that may
    /// be up to date, a recipe line make cannot expand exactly, in any target make runs:
    /// what it would run there is not known); otherwise the reading, with a verdict
    /// that is not safe when:
    /// - an install target has prerequisites, or a recipe line mixes installs with other
    ///   commands, sets variables on the install, redirects it or lets it fail;
    /// - a target make runs before the install runs a command other than `rm` of relative
    ///   paths, `mkdir`, `echo`, `printf`, `true`, or `go clean` (not `-modcache`); unsafe when
    ///   it removes what the installs write or read (`node_modules`, `vendor`, a manifest, a
    ///   lock file; a glob that may name them; Go's module cache with `go clean -modcache`):
    ///   run before them as the install moves up, it would delete the moved install's output
    ///   (or inputs), which the build then lacks;
    /// - the goals cannot be written without the install targets: a goal target with a
    ///   recipe of its own that needs an install, or a remaining target needing one (make
    ///   would run the install again: no saving).
    mutating func installRun(_ goals: [String], exists: (String) -> Bool) -> MakeInstall? {
        // The targets in the order make runs them, each with its expanded recipe commands.
        var order: [(target: String, lines: [String])] = []
        guard let wanted = walk(goals, exists: exists, recipe: { t, recipe in
            order.append((t, recipe.map(\.expanded)))
            return true
        }) else { return nil }

        // Which targets install, and the install commands of each line.
        var installTargets: [String] = [], installs: [String] = []
        var verdict = MoveVerdict.safe
        func doubt(_ v: MoveVerdict) { if verdict.isSafe { verdict = v } }
        for (t, lines) in order {
            var found: [String] = [], other: String? = nil
            for line in lines {
                switch Self.installLine(line) {
                case .print: continue
                case .installs(let cs): found += cs
                case .not(let why): other = other ?? why
                case .other: other = other ?? "`\(line.filter { $0 != Self.opaque && $0 != Self.oneWord })`"
                }
            }
            guard !found.isEmpty else { continue }
            installTargets.append(t)
            installs += found
            if let other { doubt(.unknown("the install target `\(t)` runs \(other) besides its installs")) }
            if let p = rules[t]?.prerequisites, !p.isEmpty {
                doubt(.unknown("the install target `\(t)` has prerequisites (\(p.joined(separator: " "))), which make runs before it"))
            }
        }
        guard let firstInstall = order.firstIndex(where: { installTargets.contains($0.target) }),
              let lastInstall = order.lastIndex(where: { installTargets.contains($0.target) }) else { return nil }
        // Installs in several targets run together above: nothing make runs between them.
        if let between = order[firstInstall...lastInstall].first(where: { !installTargets.contains($0.target) }) {
            doubt(.unknown("make runs `\(between.target)` between the install targets, which would run after them all"))
        }

        // What make runs before the install must not undo it when the install moves up.
        var before: [String] = []
        for (t, lines) in order[..<firstInstall] {
            before.append(t)
            for line in lines {
                guard !line.contains(Self.opaque), !line.contains(Self.oneWord) else {
                    doubt(.unknown("`\(t)`, which make runs before the install, has a recipe line whose value is not known")); continue
                }
                for c in ShellParser.parse(line).commands {
                    if let why = Self.undoesInstall(c) { doubt(.unsafe("`\(t)`, which make runs before the install, \(why)")); continue }
                    guard Self.allowed(c), ["rm", "mkdir", "echo", "printf", "true", ":", "go"].contains(c.name ?? ""),
                          c.name != "go" || c.argumentValues.first == "clean" else {
                        doubt(.unknown("`\(t)`, which make runs before the install, runs `\(c.path ?? c.name ?? "a command")`, which is not read")); continue
                    }
                }
            }
        }

        // The goals without the install targets: a goal with no recipe of its own stands for
        // its prerequisites.
        func needsInstall(_ t: String, _ seen: inout Set<String>) -> Bool {
            guard seen.insert(t).inserted else { return false }
            if installTargets.contains(t) { return true }
            return (rules[t]?.prerequisites ?? []).contains { needsInstall($0, &seen) }
        }
        var rest: [String] = []
        func flatten(_ g: String, _ depth: Int) {
            if installTargets.contains(g) { return }
            var seen = Set<String>()
            guard needsInstall(g, &seen) else { if !rest.contains(g) { rest.append(g) }; return }
            guard depth < 16, let r = rules[g], r.recipe.allSatisfy({ Self.withoutPrefixes($0).isEmpty || Self.withoutPrefixes($0).hasPrefix("#") }) else {
                doubt(.unknown("`\(g)` needs the install and has a recipe of its own: make cannot run it without the install"))
                return
            }
            for p in r.prerequisites { flatten(p, depth + 1) }
        }
        for g in wanted { flatten(g, 0) }
        for g in rest {
            var seen = Set<String>()
            if needsInstall(g, &seen) { doubt(.unknown("`\(g)` needs the install: `make` would run it again below")) }
        }
        return MakeInstall(installTargets: installTargets, installs: installs, before: before, rest: rest, verdict: verdict)
    }

    private enum InstallLine { case print, installs([String]), not(String), other }

    /// A recipe line: output only, installs from manifests (alone, joined by `&&`, or with a
    /// failure branch that reports and fails), an install made otherwise (`.not`, why), or
    /// anything else.
    private static func installLine(_ line: String) -> InstallLine {
        guard !line.contains(opaque), !line.contains(oneWord) else { return .other }
        let script = ShellParser.parse(line)
        let cs = script.commands
        guard !cs.isEmpty else { return .print }
        let printing: Set<String> = ["echo", "printf", "true", ":"]
        if cs.allSatisfy({ printing.contains($0.name ?? "") && $0.contexts.isEmpty && $0.assignments.isEmpty && $0.nextOperator != .background }) {
            return .print
        }
        func install(_ c: CommandInvocation) -> Bool {
            guard let pc = PackageCommand.parse(c), let dep = pc.dependencyInstall else { return false }
            return dep.source == .manifest && !dep.needsSourceTree
        }
        let top = cs.filter { $0.contexts.isEmpty }
        guard top.contains(where: install) else { return .other }
        var out: [String] = []
        let bytes = Array(line.utf8)
        for (k, c) in top.enumerated() {
            guard install(c) else { return .not("`\(c.name ?? "a command")` in the line of an install") }
            if let a = c.assignments.first { return .not("`\(a.name)=` on `\(c.name ?? "")`") }
            guard c.wrappers.isEmpty, c.command.redirections.isEmpty, !c.isInPipeline, c.nextOperator != .background else {
                return .not("`\(c.name ?? "")` with a redirection, wrapper or pipe")
            }
            if k > 0, c.previousOperator != .and { return .not("installs joined by something other than `&&`") }
            let end = min(c.range.end, bytes.count)
            guard c.range.start >= 0, c.range.start < end else { return .other }
            out.append(String(decoding: bytes[c.range.start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces))
        }
        // After the last install: nothing, or `|| (report; exit N)` with N not 0.
        let rest = cs.filter { !$0.contexts.isEmpty }
        if let last = top.last, last.nextOperator == .or {
            let reporting = rest.allSatisfy { c in
                [[.subshell], [.braceGroup]].contains(c.contexts) && c.assignments.isEmpty
                    && (["echo", "printf"].contains(c.name ?? "") || (c.name == "exit" && c.argumentValues.count == 1
                        && (c.argumentValues[0].flatMap { Int($0) }.map { $0 != 0 } ?? false)))
            }
            guard reporting, rest.contains(where: { $0.name == "exit" }) else { return .not("a failure branch that does not fail the recipe") }
        } else if !rest.isEmpty || top.last?.nextOperator != nil {
            return .not("more than the installs in their line")
        }
        return .installs(out)
    }

    /// Why a command run before the installs would delete what they write or read: `rm` of
    /// a package directory, manifest or lock file (or a glob or value that may name one),
    /// `go clean -modcache`.
    private static func undoesInstall(_ c: CommandInvocation) -> String? {
        let args = c.argumentValues
        if c.name == "go", args.first == "clean", args.contains("-modcache") {
            return "removes Go's module cache (`go clean -modcache`), which `go mod download` fills"
        }
        guard c.name == "rm" else { return nil }
        for a in args {
            guard let a else { return "removes a path whose value is not known" }
            if a.hasPrefix("-") { continue }
            let parts = a.split(separator: "/").map(String.init).filter { $0 != "." }
            guard let first = parts.first else { continue }
            if installOwned.contains(first) || installOwned.contains(parts.last ?? "") {
                return "removes \(a), which the install writes or reads"
            }
            if a.contains("*") || a.contains("?") || a.contains("[") {
                return "removes \(a), a glob that may name what the install writes or reads"
            }
        }
        return nil
    }
}
