// Build arguments whose value changes from one build to the next: by name (a commit, a
// date, a build number), or because the project's CI passes a per-build value (a GitHub
// workflow's `build-args:` with `github.sha`, a compose file's `args:`, a bake file's
// `args`, `--build-arg X=$(date ...)`).

import Foundation

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
        if u.hasPrefix("SHA") || u.hasPrefix("GIT_SHA") || u.hasPrefix("GITHUB_SHA") { return "its name says it holds a commit" }
        for f in fragments where u.contains(f) { return "its name says it holds a \(describe(f))" }
        return nil
    }

    static func describe(_ s: String) -> String {
        if s.contains("DATE") || s.contains("TIME") { return "date" }
        if s.contains("BUILD_NUMBER") || s.contains("BUILD_ID") || s.contains("RUN") || s.contains("PIPELINE") { return "build number" }
        if s.contains("CACHE") || s == "NONCE" { return "cache-busting value" }
        if s.contains("LD_FLAGS") { return "build date in linker flags" }
        return "commit"
    }

    /// Values in CI files that change on every build.
    static let volatileTokens = ["github.sha", "github.ref", "github.run_number", "github.run_id", "github.event.head_commit",
                                 "GITHUB_SHA", "GITHUB_REF", "GITHUB_RUN_NUMBER", "GITHUB_RUN_ID", "CI_COMMIT_SHA", "CI_COMMIT_SHORT_SHA",
                                 "CI_COMMIT_REF", "CI_PIPELINE_ID", "CIRCLE_SHA1", "CIRCLE_BUILD_NUM", "BUILDKITE_COMMIT", "BUILD_SOURCEVERSION",
                                 "GIT_COMMIT", "SOURCE_COMMIT", "COMMIT_SHA", "git rev-parse", "git describe", "git log", "$(date", "`date",
                                 "steps.meta.outputs", "timestamp()", "BUILD_NUMBER"]

    /// Build arguments the project's CI, compose or bake files set to a per-build value,
    /// with the file and line that does it. `root` is the repository root (or the context).
    public static func fromCI(_ files: ProjectFiles) -> [String: String] {
        var out: [String: String] = [:]
        var paths: [String] = []
        for dir in [".github/workflows", ".gitea/workflows", ".forgejo/workflows"] {
            for n in files.list(dir) ?? [] where n.hasSuffix(".yml") || n.hasSuffix(".yaml") { paths.append(dir + "/" + n) }
        }
        for n in files.list(".") ?? [] {
            let l = n.lowercased()
            if (l.hasPrefix("docker-compose") || l.hasPrefix("compose")) && (l.hasSuffix(".yml") || l.hasSuffix(".yaml")) { paths.append(n) }
            if l.hasPrefix("docker-bake") && (l.hasSuffix(".hcl") || l.hasSuffix(".json")) { paths.append(n) }
            if l == ".gitlab-ci.yml" || l == "makefile" || l == "justfile" || l == "taskfile.yml" { paths.append(n) }
        }
        for p in paths {
            guard let text = files.text(p) else { continue }
            var lineNo = 0
            for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
                lineNo += 1
                let line = String(raw)
                guard volatileTokens.contains(where: { line.contains($0) }) else { continue }
                // Only a name whose own value holds the per-build token: a Makefile line
                // `SKIP_TEST=true GITHUB_SHA=$(GITHUB_SHA) docker compose build` makes
                // GITHUB_SHA per-build, not SKIP_TEST.
                for (name, value) in assignments(line) where out[name] == nil && volatileTokens.contains(where: { value.contains($0) }) {
                    out[name] = "\(p):\(lineNo) passes a per-build value"
                }
            }
        }
        return out
    }

    /// The assignments on a line, each name with its value: the text after its `=` or `:` up
    /// to the next assignment on the line (a value may hold spaces, as `${{ github.sha }}`).
    static func assignments(_ line: String) -> [(name: String, value: Substring)] {
        let found = assignedNames(line)
        return found.indices.map { i in
            let end = i + 1 < found.count ? found[i + 1].start : line.endIndex
            return (found[i].name, line[found[i].valueStart..<max(end, found[i].valueStart)])
        }
    }

    /// Names assigned on a line, where each starts and where its value starts: `NAME=value`,
    /// `NAME: value`, `--build-arg NAME=value`, `"NAME" = value` (bake).
    static func assignedNames(_ line: String) -> [(name: String, start: String.Index, valueStart: String.Index)] {
        var out: [(name: String, start: String.Index, valueStart: String.Index)] = []
        let indices = Array(line.indices) + [line.endIndex]
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
                if !(j + 1 < chars.count && chars[j] == ":" && chars[j + 1] == ":") { out.append((name, indices[k], indices[j + 1])) }
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
