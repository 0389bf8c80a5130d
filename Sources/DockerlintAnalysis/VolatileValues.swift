// Build arguments whose value changes from one build to the next: by name (a commit, a
// date, a build number), or because the project's CI passes a per-build value (a GitHub
// workflow's `build-args:` with `github.sha`, a compose file's `args:`, a bake file's
// `args`, `--build-arg X=$(date ...)`).

import Foundation
import DockerlintSupport

public enum VolatileValues {
    /// Why a build argument named `name` changes on every build, judged by its name alone;
    /// nil when the name does not say. VERSION, TAG and RELEASE change once per release, not
    /// per build, and are not volatile by name.
    public static func byName(_ name: String) -> String? {
        let u = name.uppercased()
        let exact: Set<String> = ["SHA", "COMMIT", "REVISION", "GIT_REVISION", "BUILD_NUMBER", "BUILD_ID", "BUILD_REF", "SOURCE_COMMIT",
                                  "VCS_REF", "GIT_REF", "RUN_ID", "CI_PIPELINE_ID", "NONCE"]
        if exact.contains(u) { return "its name says it holds a \(describe(u))" }
        let fragments = ["COMMIT", "_SHA", "SHA_", "SHA1", "GIT_HASH", "GITHASH", "VCS_REF", "GIT_REF", "REVISION", "BUILD_DATE", "BUILDDATE",
                         "BUILD_TIME", "BUILDTIME", "TIMESTAMP", "CACHEBUST", "CACHE_BUST", "CACHEBUSTER", "BUILD_NUMBER", "BUILD_ID", "RUN_NUMBER",
                         "LD_FLAGS", "LDFLAGS_DATE"]
        if u.hasSuffix("_DATE") || u == "DATE" { return "its name says it holds a date" }
        // The last word says what the value is: S6_BUILD_TIME_PKGS is a package list and
        // BUILD_DATE_FORMAT a format, constants whatever words come before.
        let words = u.split(separator: "_")
        if words.count > 1, let tail = words.last, Self.constantTails.contains(String(tail)) { return nil }
        if u.hasPrefix("SHA") || u.hasPrefix("GIT_SHA") || u.hasPrefix("GITHUB_SHA") { return "its name says it holds a commit" }
        for f in fragments where u.contains(f) { return "its name says it holds a \(describe(f))" }
        return nil
    }

    /// Last words of a name that say it holds something other than a per-build value.
    static let constantTails: Set<String> = ["PKGS", "PACKAGES", "PACKAGE", "DEPS", "DEPENDENCIES", "LIST", "PATH", "DIR", "FILE",
                                             "URL", "IMAGE", "USER", "NAME", "OPTS", "OPTIONS", "ARGS", "FORMAT", "FMT", "TZ", "LOCALE",
                                             "ENABLED", "DISABLED", "MODE"]

    static func describe(_ s: String) -> String {
        if s.contains("DATE") || s.contains("TIME") { return "date" }
        if s.contains("BUILD_NUMBER") || s.contains("BUILD_ID") || s.contains("RUN") || s.contains("PIPELINE") { return "build number" }
        if s.contains("CACHE") || s == "NONCE" { return "cache-busting value" }
        if s.contains("LD_FLAGS") { return "build date in linker flags" }
        return "commit"
    }

    /// Values in CI files that change on every build. A ref (`github.ref`, `GITHUB_REF_NAME`,
    /// `CI_COMMIT_REF_NAME`) is not one: it names the branch, the same for every commit on it,
    /// or the tag, new once per release like a version. A metadata step's outputs are judged
    /// by `MetadataSteps`.
    static let volatileTokens = ["github.sha", "github.run_number", "github.run_id", "github.event.head_commit",
                                 "workflow_run.head_sha", "pull_request.head.sha",
                                 "GITHUB_SHA", "GITHUB_RUN_NUMBER", "GITHUB_RUN_ID", "CI_COMMIT_SHA", "CI_COMMIT_SHORT_SHA",
                                 "CI_PIPELINE_ID", "CIRCLE_SHA1", "CIRCLE_BUILD_NUM", "BUILDKITE_COMMIT", "BUILD_SOURCEVERSION",
                                 "GIT_COMMIT", "SOURCE_COMMIT", "COMMIT_SHA", "git rev-parse", "git describe", "git log", "$(date", "`date", "$(shell date",
                                 "timestamp()", "BUILD_NUMBER"]
    /// `volatileTokens`, searched for in one pass over a line's bytes (every line of every CI file is).
    static let volatileTokenSearch = ByteNeedles(volatileTokens)

    /// The docker/metadata-action steps of a workflow, by step id, and what their outputs hold
    /// (the action's documented outputs): `labels`, `annotations`, `json` and the bake files
    /// carry `org.opencontainers.image.created` (the time of the run) and `.revision` (the
    /// commit), so they change on every build; of `json`'s labels or annotations picked by key,
    /// only those two do. `tags` (and `bake-file-tags`) name the branch, the release or the
    /// pull request unless the step's `tags:` make a tag of the commit or the date
    /// (`type=sha`, `{{sha}}`, `{{date ...}}`); `version` is the highest-priority tag's
    /// version (a `type=sha` tag comes last). The step id (`meta`, `docker_meta`) is whatever
    /// the workflow names it: an output of a step that is not this action is not judged here.
    struct MetadataSteps {
        var ids: Set<String> = []
        /// The workflow's metadata steps make a tag of the commit or the date.
        var commitTags = false

        init() {}

        /// The metadata steps of workflow `text` (its `lines`, as `VolatileValues.lines`
        /// splits them): a step (`- ` item) whose `uses:` is docker/metadata-action, and its `id:`.
        init(workflow text: String, lines: [Substring]) {
            var stepIndent = -1, stepID: String? = nil, stepUses = false
            func close() { if stepUses, let id = stepID { ids.insert(id) }; stepID = nil; stepUses = false }
            for line in lines {
                let indent = line.prefix { $0 == " " }.count
                var body = line.dropFirst(indent)
                if body.hasPrefix("- ") {
                    if stepIndent < 0 || indent <= stepIndent { close(); stepIndent = indent }
                    if indent == stepIndent { body = body.dropFirst(2).drop { $0 == " " } }
                } else if !body.isEmpty, !body.hasPrefix("#"), stepIndent >= 0, indent <= stepIndent {
                    close(); stepIndent = -1
                }
                if body.hasPrefix("id:") {
                    stepID = body.dropFirst(3).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                } else if body.hasPrefix("uses:"), body.containsBytes("docker/metadata-action") {
                    stepUses = true
                }
            }
            close()
            if !ids.isEmpty { commitTags = Self.commitTagMarks.occur(in: text) }
        }

        /// `tags:` entries that make a tag of the commit or the date, searched in one pass.
        static let commitTagMarks = ByteNeedles(["type=sha", "{{sha}}", "{{ sha }}", "{{date", "{{ date"])

        /// Whether `value` expands an output of a metadata step that changes on every build.
        func isVolatile(_ value: String) -> Bool {
            var rest = Substring(value)
            while let r = rest.range(of: "steps.") {
                let after = rest[r.upperBound...]
                let id = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                rest = after.dropFirst(id.count)
                guard ids.contains(String(id)), rest.hasPrefix(".outputs.") else { continue }
                let output = rest.dropFirst(9).prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                let tail = rest.dropFirst(9 + output.count)
                switch output {
                case "labels", "annotations", "bake-file", "bake-file-labels", "bake-file-annotations":
                    return true
                case "json":
                    // `fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.created']`
                    let pick = tail.drop { $0 == ")" || $0 == " " }
                    guard pick.hasPrefix(".labels[") || pick.hasPrefix(".annotations[") else {
                        if pick.hasPrefix(".tags") { if commitTags { return true } else { continue } }
                        return true
                    }
                    let key = pick.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
                        .trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
                    if key.hasSuffix(".created") || key.hasSuffix(".revision") { return true }
                case "tags", "bake-file-tags":
                    if commitTags { return true }
                default:
                    continue
                }
            }
            return false
        }
    }

    /// Whether a value in a CI file changes on every build: it holds one of `volatileTokens`
    /// (except where the token's output names a branch: `git rev-parse --abbrev-ref HEAD` /
    /// `--symbolic-full-name` give the branch), or an output of a metadata step that does.
    static func isVolatile(_ value: String, metadata: MetadataSteps = MetadataSteps()) -> Bool {
        if metadata.isVolatile(value) { return true }
        let tokens = volatileTokens.filter { value.contains($0) }
        guard !tokens.isEmpty else { return false }
        return tokens.contains { t in
            switch t {
            case "git rev-parse":
                return !(value.contains("--abbrev-ref") || value.contains("--symbolic-full-name") || value.contains("--symbolic"))
            default:
                return true
            }
        }
    }

    /// Make and just files: a variable assigned at the top level (`SHA := $(shell git rev-parse
    /// HEAD)`) is not a build argument: it reaches a build only where a recipe line passes it
    /// (`--build-arg SHA=$(SHA)`, `SHA=$(SHA) docker compose build`) or `export`s it.
    static func isMakeFile(_ path: String) -> Bool {
        let l = path.lowercased()
        return l == "makefile" || l == "justfile"
    }

    /// The lines of a CI file, as its readers number them (any newline ends one, `\r\n` too).
    static func lines(_ text: String) -> [Substring] { text.linesSplitAtNewlines() }

    /// The CI workflow files (GitHub, Gitea, Forgejo), by path in the context; `sorted`: each
    /// folder's names in order.
    static func workflowFiles(_ files: ProjectFiles, sorted: Bool) -> [String] {
        var paths: [String] = []
        for dir in [".github/workflows", ".gitea/workflows", ".forgejo/workflows"] {
            let names = files.list(dir) ?? []
            for n in (sorted ? names.sorted() : names) where n.hasSuffix(".yml") || n.hasSuffix(".yaml") {
                paths.append(dir + "/" + n)
            }
        }
        return paths
    }

    /// Build arguments the project's CI, compose or bake files set to a per-build value,
    /// with the file and line that does it. `root` is the repository root (or the context).
    public static func fromCI(_ files: ProjectFiles) -> [String: String] {
        var out: [String: String] = [:]
        var paths = workflowFiles(files, sorted: false)
        for n in files.list(".") ?? [] {
            let l = n.lowercased()
            if (l.hasPrefix("docker-compose") || l.hasPrefix("compose")) && (l.hasSuffix(".yml") || l.hasSuffix(".yaml")) { paths.append(n) }
            if l.hasPrefix("docker-bake") && (l.hasSuffix(".hcl") || l.hasSuffix(".json")) { paths.append(n) }
            if l == ".gitlab-ci.yml" || l == "makefile" || l == "justfile" || l == "taskfile.yml" { paths.append(n) }
        }
        for p in paths {
            guard let text = files.text(p) else { continue }
            let make = isMakeFile(p)
            // Split once, for the workflow's readers and the lines below.
            let lines = Self.lines(text)
            let workflow = p.contains("/workflows/")
            let metadata = workflow ? MetadataSteps(workflow: text, lines: lines) : MetadataSteps()
            let outputs = workflow ? WorkflowOutputs(lines: lines) : WorkflowOutputs()
            // Make and just variables whose value changes per build (`$(NAME)`, `${NAME}`,
            // `{{NAME}}` on a recipe line carries it).
            var volatileVariables: Set<String> = []
            var lineNo = 0
            for raw in lines {
                lineNo += 1
                let line = String(raw)
                if make, let first = line.first, first != "\t" && first != " " {
                    // A top-level assignment: a variable of the file, not a build argument.
                    let exported = line.hasPrefix("export ")
                    for (name, value) in assignments(line) where isVolatile(value, metadata: metadata) || refersTo(value, volatileVariables) {
                        volatileVariables.insert(name)
                        if exported, out[name] == nil { out[name] = "\(p):\(lineNo) exports a per-build value" }
                    }
                    continue
                }
                guard volatileTokenSearch.occur(in: line) || !volatileVariables.isEmpty
                    || (!metadata.ids.isEmpty && line.containsBytes("steps."))
                    || (!outputs.isEmpty && (line.containsBytes("steps.") || line.containsBytes("needs."))) else { continue }
                // Each name by its own value: `A=true B=$(GITHUB_SHA)` makes B per-build, not A.
                for (name, value) in assignments(line) where out[name] == nil
                    && (isVolatile(value, metadata: metadata) || outputs.isVolatile(value, line: lineNo) || refersTo(value, volatileVariables)) {
                    out[name] = "\(p):\(lineNo) passes a per-build value"
                }
            }
        }
        return out
    }

    /// Build arguments that every CI build of `dockerfile` (its path from the repository
    /// root) passes with one literal value: read from the GitHub (Gitea, Forgejo) workflow steps
    /// that run docker/build-push-action on it (`file:`, else `<context>/Dockerfile`), their
    /// `build-args:`. Empty when no step builds it, when a step's Dockerfile is not literal,
    /// or when a workflow or GitLab file may build images another way (`docker build`,
    /// `buildx build`, compose, bake, podman, buildah, kaniko, `make`), since those builds'
    /// values are not read; a name the steps pass with different values, or that one of them
    /// does not pass, is left out.
    public static func constantsFromCI(_ files: ProjectFiles, dockerfile: String) -> [String: String] {
        func clean(_ p: String) -> String {
            var p = p.trimmingCharacters(in: .whitespaces)
            if p.count >= 2, let f = p.first, f == "\"" || f == "'", p.last == f { p = String(p.dropFirst().dropLast()) }
            while p.hasPrefix("./") { p.removeFirst(2) }
            if p == "." { p = "" }
            while p.hasSuffix("/") { p.removeLast() }
            return p
        }
        let target = clean(dockerfile)
        let others = ["docker build", "buildx build", "docker-compose", "compose build", "compose up", "bake", "podman", "buildah", "kaniko", "make "]
        // Whole files searched for ASCII words: on their bytes (Foundation's `contains` goes
        // through UTF-16 and cost more than the rest of reading the workflows).
        if let gitlab = files.text(".gitlab-ci.yml"), others.contains(where: gitlab.containsBytes) || gitlab.containsBytes("build-push-action") { return [:] }
        var builds: [[String: String?]] = []
        for path in workflowFiles(files, sorted: true) {
            guard let text = files.text(path) else { continue }
            if others.contains(where: text.containsBytes) { return [:] }
            // Steps: `- ` items; a build-push-action step's `with:` keys.
            var stepIndent = -1, isBuild = false
            var with: [String: String] = [:], args: [String: String?] = [:]
            var blockKey: String? = nil, blockIndent = -1
            func close() -> Bool {
                defer { isBuild = false; with = [:]; args = [:]; blockKey = nil }
                guard isBuild else { return true }
                let context = clean(with["context"] ?? ".")
                let file = with["file"].map(clean) ?? (context.isEmpty ? "Dockerfile" : context + "/Dockerfile")
                if file.contains("$") || context.contains("$") { return false }
                if file == target { builds.append(args) }
                return true
            }
            func arg(_ entry: String) {
                let e = entry.trimmingCharacters(in: .whitespaces)
                guard !e.isEmpty, let eq = e.firstIndex(of: "=") else { return }
                let name = String(e[..<eq]), value = String(e[e.index(after: eq)...])
                let literal = !value.contains("$") && !value.contains("\"") && !value.contains("'") && !value.contains("{")
                args.updateValue(literal ? value : nil, forKey: name)
            }
            for raw in Self.lines(text) {
                let line = String(raw)
                let indent = line.prefix { $0 == " " }.count
                var body = String(line.dropFirst(indent))
                if let k = blockKey {
                    if body.isEmpty { continue }
                    if indent > blockIndent { if k == "build-args" { arg(body) }; continue }
                    blockKey = nil
                }
                if body.hasPrefix("- ") {
                    if stepIndent < 0 || indent <= stepIndent { if !close() { return [:] }; stepIndent = indent }
                    body = String(body.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                } else if stepIndent >= 0, indent <= stepIndent, !body.isEmpty {
                    if !close() { return [:] }
                    stepIndent = -1
                }
                if body.hasPrefix("uses:"), body.containsBytes("docker/build-push-action") { isBuild = true; continue }
                guard let colon = body.firstIndex(of: ":") else { continue }
                let key = String(body[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = String(body[body.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                guard ["context", "file", "build-args"].contains(key) else { continue }
                if value.hasPrefix("|") || value.hasPrefix(">") || value.isEmpty {
                    blockKey = key; blockIndent = indent
                } else if key == "build-args" {
                    for entry in value.split(separator: ",") { arg(String(entry)) }
                } else {
                    with[key] = value
                }
            }
            if !close() { return [:] }
        }
        guard let first = builds.first else { return [:] }
        var out: [String: String] = [:]
        for (name, value) in first {
            guard let value, builds.allSatisfy({ b in
                if case .some(.some(let v)) = b[name] { return v == value }
                return false
            }) else { continue }
            out[name] = value
        }
        return out
    }

    /// Whether a make or just value expands one of `variables` (`$(V)`, `${V}`, `{{V}}`,
    /// `{{ V }}`): each reference in the value is looked up by name, in time linear in the
    /// value whatever the number of variables.
    static func refersTo(_ value: String, _ variables: Set<String>) -> Bool {
        guard !variables.isEmpty else { return false }
        let chars = Array(value)
        // The characters of a name, as `assignedNames` reads them.
        func isNameChar(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }
        // The name from `k` and the index after it.
        func name(from k: Int) -> (String, Int) {
            var e = k
            while e < chars.count, isNameChar(chars[e]) { e += 1 }
            return (String(chars[k..<e]), e)
        }
        func closes(_ k: Int, _ close: String) -> Bool {
            let c = Array(close)
            return k + c.count <= chars.count && Array(chars[k..<(k + c.count)]) == c
        }
        var k = 0
        while k + 1 < chars.count {
            let a = chars[k], b = chars[k + 1]
            if a == "$", b == "(" || b == "{" {
                let (n, e) = name(from: k + 2)
                if !n.isEmpty, closes(e, b == "(" ? ")" : "}"), variables.contains(n) { return true }
            } else if a == "{", b == "{" {
                let spaced = k + 2 < chars.count && chars[k + 2] == " "
                let (n, e) = name(from: k + (spaced ? 3 : 2))
                if !n.isEmpty, closes(e, spaced ? " }}" : "}}"), variables.contains(n) { return true }
            }
            k += 1
        }
        return false
    }

    /// Names assigned on a line with the text of each one's value: from after its `=` or `:`
    /// to where the next name assigned on the line starts (or the end of the line).
    static func assignments(_ line: String) -> [(String, String)] {
        // A name is assigned by the `=` or `:` after it: a line without either assigns none.
        guard line.utf8.contains(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else { return [] }
        let found = assignedNames(line, offsets: true)
        let chars = Array(line)
        var out: [(String, String)] = []
        for (k, a) in found.enumerated() {
            let end = k + 1 < found.count ? found[k + 1].start : chars.count
            out.append((a.name, a.valueStart < end ? String(chars[a.valueStart..<end]) : ""))
        }
        return out
    }

    /// Names assigned on a line: `NAME=value`, `NAME: value`, `--build-arg NAME=value`,
    /// `"NAME" = value` (bake).
    static func assignedNames(_ line: String) -> [String] { assignedNames(line, offsets: true).map(\.name) }

    static func assignedNames(_ line: String, offsets: Bool) -> [(name: String, start: Int, valueStart: Int)] {
        var out: [(name: String, start: Int, valueStart: Int)] = []
        let chars = Array(line)
        var k = 0
        while k < chars.count {
            guard chars[k] == "_" || chars[k].isLetter, k == 0 || !(chars[k - 1].isLetter || chars[k - 1].isNumber || chars[k - 1] == "_" || chars[k - 1] == "." || chars[k - 1] == "$" || chars[k - 1] == "{") else { k += 1; continue }
            var e = k
            while e < chars.count, chars[e] == "_" || chars[e].isLetter || chars[e].isNumber { e += 1 }
            let name = String(chars[k..<e])
            var j = e
            if j < chars.count, chars[j] == "\"" { j += 1 }
            while j < chars.count, chars[j] == " " { j += 1 }
            if j < chars.count, chars[j] == "=" || chars[j] == ":", name.count > 1, name.uppercased() == name || name.contains("_") {
                if !(j + 1 < chars.count && chars[j] == ":" && chars[j + 1] == ":") { out.append((name, k, j + 1)) }
            }
            k = e
        }
        return out
    }

    /// The CI files of the repository that holds `directory` (its git root, or the directory).
    public static func repositoryRoot(of directory: String) -> String {
        var d = URL(fileURLWithPath: directory).standardizedFileURL.path
        while true {
            if FileManager.default.fileExists(atPath: d + "/.git") { return d }
            let parent = (d as NSString).deletingLastPathComponent
            if parent == d || parent.isEmpty { return directory }
            d = parent
        }
    }
}
