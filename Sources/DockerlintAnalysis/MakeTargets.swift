// What a `make <target>` RUN does, in the one narrow form the analysis reads: a Makefile
// target without prerequisites whose recipe only runs `go build`/`go install`. Every other
// make invocation stays a program whose reads and writes are not known.

import DockerlintShell

/// `RUN make <target>` whose recipe is only Go builds: the target, the directory it runs in
/// and the recipe lines as written.
public struct GoMakeBuild: Sendable, Equatable {
    public var target: String
    public var workdir: String
    public var recipe: [String]

    public init(target: String, workdir: String, recipe: [String]) {
        self.target = target
        self.workdir = workdir
        self.recipe = recipe
    }
}

extension StepGraph {
    /// The Go build a RUN step runs through make: the RUN is exactly `make <target>` (no
    /// `-C`/`-f`/other options, no other command), the Makefile in its working directory
    /// names the target with no prerequisites, its recipe lines are `go build`/`go install`
    /// (with `@`/`-` prefixes and environment assignments), and the Makefile neither
    /// includes other files nor touches Go's module settings (GOFLAGS, GOPROXY, GOPRIVATE,
    /// GONOPROXY, GONOSUMDB, GOWORK, GOMODCACHE, GOPATH, `-mod=`, `go env -w`, `git config`).
    /// Nil otherwise (or without a build context).
    public func goBuildThroughMake(_ id: StepID) -> GoMakeBuild? {
        let st = step(id)
        guard st.kind == .run, let context, let script = script(of: id), !script.isExecForm, !script.isHeredocScript,
              script.commands.count == 1, let make = script.commands.first, make.effective.name == "make",
              make.assignments.isEmpty else { return nil }
        let words = make.effective.arguments.map(\.staticValue)
        guard words.count == 1, let target = words[0], !target.hasPrefix("-"), !target.contains("=") else { return nil }
        let wd = st.instruction.workingDirectory.isEmpty ? "/" : st.instruction.workingDirectory
        guard !wd.contains("$"), let makefile = ["GNUmakefile", "makefile", "Makefile"].lazy
            .compactMap({ self.contextPath(ofImagePath: ImagePath.absolute($0, workdir: wd), stage: id.stage, before: id.index) })
            .first(where: { context.sends($0) }),
              let text = context.files.text(makefile) else { return nil }
        let forbidden = ["GOFLAGS", "GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOWORK", "GOMODCACHE", "GOPATH",
                         "-mod=", "go env -w", "git config"]
        if forbidden.contains(where: { text.contains($0) }) { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if lines.contains(where: { $0.hasPrefix("include ") || $0.hasPrefix("-include ") || $0.hasPrefix("sinclude ") }) { return nil }
        // The rule line: `target:` (a single-colon rule, nothing after it but a comment).
        guard let at = lines.firstIndex(where: { line in
            guard line.hasPrefix(target + ":"), !line.hasPrefix(target + "::"), !line.hasPrefix(target + ":=") else { return false }
            let rest = line.dropFirst(target.count + 1)
            let prerequisites = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return prerequisites.trimmingCharacters(in: .whitespaces).isEmpty
        }) else { return nil }
        // A target defined twice (or with a second rule adding prerequisites) is not read.
        if lines.indices.contains(where: { $0 != at && lines[$0].hasPrefix(target + ":") }) { return nil }
        var recipe: [String] = []
        for line in lines[(at + 1)...] {
            guard line.hasPrefix("\t") else {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                break
            }
            var body = line.dropFirst().trimmingCharacters(in: .whitespaces)
            if body.hasPrefix("#") { continue }
            while let f = body.first, f == "@" || f == "-" || f == "+" { body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if body.hasSuffix("\\") || body.contains("&&") || body.contains(";") || body.contains("|") || body.contains("`") { return nil }
            var parts = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            while let w = parts.first, w.contains("="), !w.hasPrefix("-"), !w.hasPrefix("$") { parts.removeFirst() }
            guard parts.count >= 2, parts[0] == "go", parts[1] == "build" || parts[1] == "install" else { return nil }
            recipe.append(body)
        }
        guard !recipe.isEmpty else { return nil }
        return GoMakeBuild(target: target, workdir: wd, recipe: recipe)
    }
}
