// Outputs of GitHub (Gitea, Forgejo) workflow steps and jobs that change on every build: a
// `run:` step that writes `NAME=VALUE` to `$GITHUB_OUTPUT` where VALUE holds the commit, the
// run number or the date (`echo "version=${BASE}-dev.${GITHUB_SHA::9}" >> "$GITHUB_OUTPUT"`),
// directly or through shell variables the script set from one; then `steps.<id>.outputs.NAME`
// in the same job, and `needs.<job>.outputs.X` where the job maps its output X to such a step
// output, carry a per-build value into whatever passes them (a `build-args:` entry).
// The workflow is read line by line, as the rest of VolatileValues reads workflows; a step's
// `run:` script with the shell parser, as the shell runs it.

import DockerlintShell
import Foundation

struct WorkflowOutputs {
    /// "job\u{1}step\u{1}name" of step outputs that change per build.
    var stepOutputs: Set<String> = []
    /// "job\u{1}name" of job outputs that change per build.
    var jobOutputs: Set<String> = []
    /// The job (its key under `jobs:`) that holds each line, 0-based; "" outside any job.
    var jobOfLine: [String] = []

    var isEmpty: Bool { stepOutputs.isEmpty && jobOutputs.isEmpty }

    init() {}

    /// The outputs of a workflow, from its lines as `VolatileValues.lines` splits them.
    init(lines: [Substring]) {
        jobOfLine = Array(repeating: "", count: lines.count)
        var jobsIndent = -1, jobIndent = -1, job = ""
        var jobChildIndent = -1
        var outputsIndent = -1
        var declared: [(job: String, name: String, value: String)] = []
        var stepIndent = -1, stepID: String? = nil, stepRun: [String] = [], runIndent = -1
        func closeStep() {
            if let id = stepID {
                for name in Self.perBuildOutputs(stepRun) { stepOutputs.insert(job + "\u{1}" + id + "\u{1}" + name) }
            }
            stepID = nil; stepRun = []; runIndent = -1
        }
        for (k, line) in lines.enumerated() {
            let indent = line.prefix { $0 == " " }.count
            var body = Substring(line.dropFirst(indent))
            let blank = body.isEmpty || body.hasPrefix("#")
            // Lines of a `run:` block scalar.
            if runIndent >= 0 {
                if blank || indent > runIndent { stepRun.append(String(body)); jobOfLine[k] = job; continue }
                runIndent = -1
            }
            if blank { jobOfLine[k] = job; continue }
            if indent == 0 {
                closeStep(); stepIndent = -1; outputsIndent = -1
                jobsIndent = body.hasPrefix("jobs:") ? 0 : -1
                job = ""; jobIndent = -1
                continue
            }
            if jobsIndent >= 0, jobIndent < 0 || indent <= jobIndent, !body.hasPrefix("- "), body.hasSuffix(":") {
                // A job's key.
                closeStep(); stepIndent = -1; outputsIndent = -1
                jobIndent = indent; jobChildIndent = -1
                job = String(body.dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                jobOfLine[k] = job
                continue
            }
            jobOfLine[k] = job
            guard !job.isEmpty else { continue }
            if jobChildIndent < 0, indent > jobIndent { jobChildIndent = indent }
            // The job's `outputs:` map.
            if outputsIndent >= 0 {
                if indent > outputsIndent, let colon = body.firstIndex(of: ":") {
                    let name = body[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                    declared.append((job, name, String(body[body.index(after: colon)...])))
                    continue
                }
                outputsIndent = -1
            }
            if indent == jobChildIndent, body.hasPrefix("outputs:") {
                outputsIndent = indent
                continue
            }
            // Steps: `- ` items.
            var keyIndent = indent
            if body.hasPrefix("- ") {
                if stepIndent < 0 || indent <= stepIndent { closeStep(); stepIndent = indent }
                if indent == stepIndent { body = body.dropFirst(2).drop { $0 == " " }; keyIndent = indent + 2 }
            } else if stepIndent >= 0, indent <= stepIndent {
                closeStep(); stepIndent = -1
            }
            guard stepIndent >= 0 else { continue }
            if body.hasPrefix("id:") {
                stepID = body.dropFirst(3).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            } else if body.hasPrefix("run:") {
                let rest = body.dropFirst(4).trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix("|") || rest.hasPrefix(">") { runIndent = keyIndent } else { stepRun.append(rest) }
            }
        }
        closeStep()
        for d in declared where d.value.contains("steps.") && stepReferences(d.value, job: d.job) { jobOutputs.insert(d.job + "\u{1}" + d.name) }
    }

    /// Whether `value`, on line `line` (1-based), expands a step output of its job or a job
    /// output (`needs.<job>.outputs.<name>`) that changes per build.
    func isVolatile(_ value: String, line: Int) -> Bool {
        guard !isEmpty else { return false }
        let job = line >= 1 && line <= jobOfLine.count ? jobOfLine[line - 1] : ""
        if value.contains("steps."), stepReferences(value, job: job) { return true }
        for (head, output) in Self.references(value, prefix: "needs.") where jobOutputs.contains(head + "\u{1}" + output) { return true }
        return false
    }

    func stepReferences(_ value: String, job: String) -> Bool {
        Self.references(value, prefix: "steps.").contains { stepOutputs.contains(job + "\u{1}" + $0.0 + "\u{1}" + $0.1) }
    }

    /// `prefix<id>.outputs.<name>` references in an expression, as (id, name).
    static func references(_ value: String, prefix: String) -> [(String, String)] {
        func isIDChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" }
        var out: [(String, String)] = []
        var rest = Substring(value)
        while let r = rest.range(of: prefix) {
            if r.lowerBound > rest.startIndex, let c = rest[rest.index(before: r.lowerBound)...].first, isIDChar(c) || c == "." {
                rest = rest[r.upperBound...]; continue
            }
            let after = rest[r.upperBound...]
            let id = after.prefix(while: isIDChar)
            rest = after.dropFirst(id.count)
            guard rest.hasPrefix(".outputs.") else { continue }
            let name = rest.dropFirst(9).prefix(while: isIDChar)
            rest = rest.dropFirst(9 + name.count)
            out.append((String(id), String(name)))
        }
        return out
    }

    /// The outputs a step's script writes with a per-build value: `echo "NAME=VALUE" >>
    /// "$GITHUB_OUTPUT"` (or `>`, `$GITHUB_OUTPUT`, `${GITHUB_OUTPUT}`; the echo alone or at the
    /// head of a pipeline whose end writes there), VALUE holding a per-build token or expanding a
    /// shell variable the script set from one (`SHORT_SHA="${GITHUB_SHA::7}"`, `export
    /// V=...`), as the shell runs the script: its commands in order, wherever they stand in
    /// a line or a construct. `${{ ... }}` is GitHub's, substituted before the shell runs: it
    /// is read in the text as written, a word of its own to the shell parser.
    static func perBuildOutputs(_ script: [String]) -> [String] {
        let text = script.joined(separator: "\n")
        guard text.contains("GITHUB_OUTPUT") else { return [] }
        let bytes = Array(text.utf8)
        let commands = ShellParser.parse(Self.withoutExpressions(bytes)).commands
        func written(_ r: ByteRange) -> String { String(decoding: bytes[max(0, r.start)..<min(r.end, bytes.count)], as: UTF8.self) }
        var variables: Set<String> = []
        var out: [String] = []
        // A value written at `range`, whose expansions are `words`'.
        func perBuild(_ range: ByteRange, _ words: [Word]) -> Bool {
            VolatileValues.isVolatile(written(range)) || words.contains { $0.parameterReferences.contains { variables.contains($0.name) } }
        }
        func set(_ name: String, perBuild: Bool) { if perBuild { variables.insert(name) } else { variables.remove(name) } }
        func appendsToOutput(_ c: CommandInvocation) -> Bool {
            c.command.redirections.contains { [.append, .output].contains($0.op) && $0.target.parameterReferences.contains { $0.name == "GITHUB_OUTPUT" } }
        }
        for (k, c) in commands.enumerated() {
            // A shell assignment: `NAME=value`, `export NAME=value`.
            if c.commandWord == nil {
                for a in c.assignments { set(a.name, perBuild: a.value.map { perBuild($0.range, [$0]) } ?? false) }
                continue
            }
            if c.name == "export", c.assignments.isEmpty {
                for w in c.arguments {
                    let t = w.unquoted
                    guard let eq = t.firstIndex(of: "="), let at = w.source.firstIndex(of: "=") else { continue }
                    let name = String(t[..<eq])
                    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !(name.first?.isNumber ?? true) else { continue }
                    let from = w.range.start + w.source.utf8.distance(from: w.source.startIndex, to: at) + 1
                    set(name, perBuild: perBuild(ByteRange(from, w.range.end), [w]))
                }
                continue
            }
            guard c.name == "echo", c.path == "echo", c.assignments.isEmpty else { continue }
            // Its output: redirected, or through the pipeline it heads.
            var writes = appendsToOutput(c)
            if !writes, c.isInPipeline, c.pipelineIndex == 0 {
                var end: CommandInvocation? = nil
                for d in commands[(k + 1)...] {
                    if d.contexts.count > c.contexts.count { continue }   // in a substitution of the pipeline
                    guard d.contexts == c.contexts, d.isInPipeline, d.pipelineIndex > 0 else { break }
                    end = d
                    if d.nextOperator != .pipe && d.nextOperator != .pipeAll { break }
                }
                writes = end.map(appendsToOutput) ?? false
            }
            // Its options (`-n`, `-e`, `-E`) aside, the first word is `NAME=...`.
            let words = Array(c.arguments.drop { w in
                guard let v = w.staticValue, v.count > 1, v.hasPrefix("-") else { return false }
                return v.dropFirst().allSatisfy { "neE".contains($0) }
            })
            guard writes, let first = words.first, let last = words.last else { continue }
            let t = first.unquoted
            guard let eq = t.firstIndex(of: "=") else { continue }
            let name = String(t[..<eq])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                  let at = first.source.firstIndex(of: "=") else { continue }
            let from = first.range.start + first.source.utf8.distance(from: first.source.startIndex, to: at) + 1
            if perBuild(ByteRange(from, last.range.end), words) { out.append(name) }
        }
        return out
    }

    /// The script with each `${{ ... }}` expression replaced, byte for byte, by `%` (one
    /// word to the shell, at the same offsets).
    static func withoutExpressions(_ bytes: [UInt8]) -> String {
        var b = bytes
        var k = 0
        while k + 2 < b.count {
            guard b[k] == UInt8(ascii: "$"), b[k + 1] == UInt8(ascii: "{"), b[k + 2] == UInt8(ascii: "{") else { k += 1; continue }
            var e = k + 3
            while e + 1 < b.count, !(b[e] == UInt8(ascii: "}") && b[e + 1] == UInt8(ascii: "}")) { e += 1 }
            guard e + 1 < b.count else { break }
            for j in k...(e + 1) where b[j] != 10 { b[j] = UInt8(ascii: "%") }
            k = e + 2
        }
        return String(decoding: b, as: UTF8.self)
    }
}
