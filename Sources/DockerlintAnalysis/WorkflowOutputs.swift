// Outputs of GitHub (Gitea, Forgejo) workflow steps and jobs that change on every build: a
// `run:` step that writes `NAME=VALUE` to `$GITHUB_OUTPUT` where VALUE holds the commit, the
// run number or the date (`echo "version=${BASE}-dev.${GITHUB_SHA::9}" >> "$GITHUB_OUTPUT"`),
// directly or through shell variables the script set from one; then `steps.<id>.outputs.NAME`
// in the same job, and `needs.<job>.outputs.X` where the job maps its output X to such a step
// output, carry a per-build value into whatever passes them (a `build-args:` entry).
// Read line by line, as the rest of VolatileValues reads workflows.

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

    init(workflow text: String) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
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
    /// "$GITHUB_OUTPUT"` (or `$GITHUB_OUTPUT`, `${GITHUB_OUTPUT}`), VALUE holding a per-build
    /// token or a shell variable the script set from one (`SHORT_SHA="${GITHUB_SHA::7}"`).
    static func perBuildOutputs(_ script: [String]) -> [String] {
        var variables: Set<String> = []
        var out: [String] = []
        func perBuild(_ v: String) -> Bool { VolatileValues.isVolatile(v) || shellRefers(v, variables) }
        for raw in script {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.contains("GITHUB_OUTPUT"), let redirect = line.range(of: ">>") {
                var cmd = line[..<redirect.lowerBound]
                if let pipe = cmd.firstIndex(of: "|") { cmd = cmd[..<pipe] }
                cmd = cmd.drop { $0 == " " }
                guard cmd.hasPrefix("echo ") else { continue }
                let arg = cmd.dropFirst(5).trimmingCharacters(in: .whitespaces)
                let text = arg.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                guard let eq = text.firstIndex(of: "=") else { continue }
                let name = String(text[..<eq])
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { continue }
                if perBuild(String(text[text.index(after: eq)...])) { out.append(name) }
                continue
            }
            // A shell assignment: `NAME=value`, `export NAME=value`.
            var a = Substring(line)
            if a.hasPrefix("export ") { a = a.dropFirst(7).drop { $0 == " " } }
            let name = a.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty, a.dropFirst(name.count).hasPrefix("="), !(name.first?.isNumber ?? true) else { continue }
            if perBuild(String(a.dropFirst(name.count + 1))) { variables.insert(String(name)) } else { variables.remove(String(name)) }
        }
        return out
    }

    /// Whether shell text expands one of `variables` (`$NAME`, `${NAME}`, `${NAME::7}`).
    static func shellRefers(_ text: String, _ variables: Set<String>) -> Bool {
        guard !variables.isEmpty else { return false }
        let chars = Array(text)
        var k = 0
        while k < chars.count {
            guard chars[k] == "$" else { k += 1; continue }
            var s = k + 1
            if s < chars.count, chars[s] == "{" { s += 1 }
            var e = s
            while e < chars.count, chars[e].isLetter || chars[e].isNumber || chars[e] == "_" { e += 1 }
            if e > s, variables.contains(String(chars[s..<e])) { return true }
            k = max(e, k + 1)
        }
        return false
    }
}
