import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax
import Foundation

/// A COPY of files edited more often than the dependency manifests, before a RUN that
/// installs dependencies without reading them: every edit re-runs the install.
final class SourceCopiedBeforeInstallRule: LintRule {
    static let code = "DC1001"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let c = CopyWrite.of(i, context) else { return }
        guard let found = SourceCopiedBeforeInstallRule.victim(of: c, context) else { return }
        let (r, acc, between) = found
        let src = context.source
        let manifestsInCopy = SourceCopiedBeforeInstallRule.manifestsWritten(by: c, acc, context)
        let what = c.copiesTree ? "the copied files" : c.sources.map { "`\($0)`" }.joined(separator: ", ")
        var message = "`\(i.shortText)` comes before the dependency install \(CacheMessage.step(r)), which does not read "
        let evidence = "every edit to \(what) re-runs it"
        if manifestsInCopy.isEmpty {
            message += "it: \(evidence); move the COPY below the install"
        } else {
            let names = manifestsInCopy.map(\.contextPath)
            message += "\(c.copiesTree ? "them" : "it") apart from \(names.joined(separator: ", ")): \(evidence); "
                + "copy \(names.count == 1 ? "that manifest" : "those manifests") first, install, then copy the rest"
        }
        let fix = SourceCopiedBeforeInstallRule.fix(c, r, acc, between: between, manifests: manifestsInCopy, context, src)
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.syntax.startLine])
    }

    /// The first install RUN after `c` in its stage that does not read `c`'s files, when
    /// no step in between reads them.
    static func victim(of c: CopyWrite, _ context: LintContext) -> (ModelInstruction, RunAccess, [ModelInstruction])? {
        let insts = context.stageInstructions(c.instruction)
        guard let idx = insts.firstIndex(where: { $0.syntax.range.start.offset == c.instruction.syntax.range.start.offset }) else { return nil }
        var between: [ModelInstruction] = []
        for n in insts[(idx + 1)...] {
            switch n.syntax.kind {
            case .run:
                guard let acc = CacheKnowledge.access(n, context) else { return nil }
                if acc.installsDependencies && !acc.needsSource && !acc.opaque {
                    if c.written.contains(where: { w in acc.touched.contains { CachePaths.overlap($0, w) } }) { return nil }
                    if c.sources.contains(where: { s in acc.commandNames.contains { CachePaths.globMatch(CachePaths.basename(s), $0) } }) { return nil }
                    if isManifestCopy(c, acc) { return nil }
                    if hasLocalRequirementReferences(c, acc, context) { return nil }
                    return (n, acc, between)
                }
                if c.written.contains(where: acc.touches) { return nil }
                if c.sources.contains(where: { s in acc.commandNames.contains { CachePaths.globMatch(CachePaths.basename(s), $0) } }) { return nil }
                between.append(n)
            case .copy, .add:
                if let o = CopyWrite.of(n, context) {
                    if o.written.contains(where: { w in c.written.contains { CachePaths.overlap($0, w) } }) { return nil }
                } else if case .copy(let cc)? = n.typed?.command, cc.from != nil {
                    let d = CachePaths.absolute(n.resolved?.destination ?? cc.destination.value, workdir: n.workingDirectory)
                    if c.written.contains(where: { CachePaths.overlap($0, d) }) { return nil }
                }
                between.append(n)
            case .onbuild:
                return nil
            default:
                between.append(n)
            }
        }
        return nil
    }

    /// True when every source of `c` is one of the install's manifests (or a directory
    /// other than the context root holding one).
    static func isManifestCopy(_ c: CopyWrite, _ acc: RunAccess) -> Bool {
        let manifests = acc.installs.flatMap(\.manifests)
        return zip(c.writtenSources, c.written).allSatisfy { s, w in
            let base = CachePaths.basename(s)
            if manifests.contains(where: { CachePaths.globMatch(CachePaths.basename($0.file.path), base) || CachePaths.basename($0.path) == base }) { return true }
            if c.treeSources.contains(s), s != ".", s != "./", manifests.contains(where: { CachePaths.within($0.path, w) }) { return true }
            return false
        }
    }

    /// pip requirement files that install the project itself (`-e .`, `./pkg`): the install
    /// needs the source tree after all.
    static func hasLocalRequirementReferences(_ c: CopyWrite, _ acc: RunAccess, _ context: LintContext) -> Bool {
        guard let dir = context.contextDirectory else { return false }
        for (pc, _, ms) in acc.installs where pc.manager == .pip || pc.manager == .uv || pc.manager == .pipenv {
            for m in ms where m.file.explicit {
                guard let cp = c.contextPath(of: m.path),
                      let text = try? String(contentsOfFile: dir + "/" + cp, encoding: .utf8) else { continue }
                for line in text.split(whereSeparator: \.isNewline) {
                    let t = line.trimmingCharacters(in: .whitespaces)
                    if t.hasPrefix("-e") || t.hasPrefix("--editable") || t.hasPrefix(".") || t.hasPrefix("file:") || t.hasPrefix("/") { return true }
                }
            }
        }
        return false
    }

    struct CopiedManifest { var absolute: String; var contextPath: String }

    /// The install's manifests that `c` brings (context paths), existing ones only when the
    /// context is known; pip `-r` includes followed.
    static func manifestsWritten(by c: CopyWrite, _ acc: RunAccess, _ context: LintContext) -> [CopiedManifest] {
        var out: [CopiedManifest] = []
        var seen = Set<String>()
        let dir = context.contextDirectory
        func exists(_ p: String) -> Bool { dir.map { FileManager.default.fileExists(atPath: $0 + "/" + p) } ?? false }
        func add(_ abs: String, _ cp: String) { if seen.insert(cp).inserted { out.append(CopiedManifest(absolute: abs, contextPath: cp)) } }
        for (pc, _, ms) in acc.installs {
            for m in ms {
                guard let cp = c.contextPath(of: m.path) else { continue }
                if m.file.isGlob {
                    if let dir {
                        let parent = (cp as NSString).deletingLastPathComponent
                        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.isEmpty ? dir : dir + "/" + parent)) ?? []
                        for n in names.sorted() where CachePaths.globMatch(CachePaths.basename(cp), n) {
                            add((m.path as NSString).deletingLastPathComponent + "/" + n, parent.isEmpty ? n : parent + "/" + n)
                        }
                    } else {
                        add(m.path, cp)
                    }
                    continue
                }
                if dir != nil {
                    if m.file.required || exists(cp) { add(m.path, cp) }
                } else if m.file.required {
                    add(m.path, cp)
                } else if isLock(cp) {
                    add(m.path, cp + "*")
                }
                // pip: `-r other.txt` inside a requirements file.
                if (pc.manager == .pip || pc.manager == .uv), m.file.explicit, let dir,
                   let text = try? String(contentsOfFile: dir + "/" + cp, encoding: .utf8) {
                    for line in text.split(whereSeparator: \.isNewline) {
                        let words = line.split(separator: " ").map(String.init)
                        guard words.count >= 2, ["-r", "-c", "--requirement", "--constraint"].contains(words[0]) else { continue }
                        let nested = CachePaths.absolute(words[1], workdir: (m.path as NSString).deletingLastPathComponent)
                        if let ncp = c.contextPath(of: nested), exists(ncp) { add(nested, ncp) }
                    }
                }
            }
        }
        return out
    }

    static func isLock(_ p: String) -> Bool {
        let b = CachePaths.basename(p)
        return (b.contains("lock") || b == "go.sum") && !b.hasPrefix(".")
    }

    static func fix(_ c: CopyWrite, _ r: ModelInstruction, _ acc: RunAccess, between: [ModelInstruction],
                    manifests: [CopiedManifest], _ context: LintContext, _ src: SourceText) -> Fix? {
        let i = c.instruction
        // Moving the COPY must not change what it copies or where.
        let destRaw = c.copy.destination.value
        let text = i.syntax.original
        for n in between {
            if n.syntax.kind == .workdir && !destRaw.hasPrefix("/") { return nil }
            if (n.syntax.kind == .env || n.syntax.kind == .arg) && text.contains("$") { return nil }
        }
        if i.isOnbuildTrigger { return nil }
        var unsafe = false
        // The install may write where the COPY writes (system directories).
        let system = ["/etc", "/usr", "/lib", "/var", "/bin", "/sbin", "/opt"]
        if c.written.contains(where: { w in system.contains { CachePaths.within(w, $0) } }) { unsafe = true }
        // Package lifecycle scripts may read the source.
        for (pc, d, _) in acc.installs where d.source == .manifest {
            switch pc.manager {
            case .npm, .yarn, .pnpm:
                if !pc.hasOption("ignore-scripts") && !packageJSONHasNoInstallScripts(c, acc, context) { unsafe = true }
            case .composer:
                if !pc.hasOption("no-scripts") { unsafe = true }
            default: break
            }
        }
        if manifests.contains(where: { $0.contextPath.contains("*") }) && context.contextDirectory == nil {
            if manifests.contains(where: { $0.contextPath.hasPrefix("*") }) { unsafe = true }
        }
        let copyLines = InstructionLines.of(i.syntax, context.dockerfile)
        let runLines = InstructionLines.of(r.syntax, context.dockerfile, withComments: false)
        let nl = LineEdits.newline(src)
        var edits: [TextEdit] = []
        if manifests.isEmpty {
            edits = LineEdits.move(copyLines.first, copyLines.last, after: runLines.last, src)
        } else {
            if !c.copy.excludes.isEmpty || c.copy.parents { return nil }
            let keyword = i.syntax.keyword == i.syntax.keyword.lowercased() ? "copy" : "COPY"
            let flags = i.syntax.flags.filter { ["chown", "chmod", "link"].contains($0.name) }.map(\.text)
            var byDir: [(String, [String])] = []
            for m in manifests {
                let d = (m.absolute as NSString).deletingLastPathComponent
                let destText: String
                if d == c.destination || (d.isEmpty && c.destination == "/") {
                    destText = destRaw.hasSuffix("/") || destRaw == "." ? destRaw : destRaw + "/"
                } else {
                    destText = (d.hasSuffix("/") ? d : d + "/")
                }
                if let k = byDir.firstIndex(where: { $0.0 == destText }) { byDir[k].1.append(m.contextPath) } else { byDir.append((destText, [m.contextPath])) }
            }
            var newLines = ""
            for (d, files) in byDir {
                newLines += ([keyword] + flags + files + [d]).joined(separator: " ") + nl
            }
            // The manifest COPY takes the place of the source COPY; the source COPY moves below the install.
            let s = LineEdits.start(of: i.syntax.startLine, src)
            let e = LineEdits.start(of: copyLines.last + 1, src)
            var replacement = newLines
            if copyLines.last >= src.lineCount, !src.text(s, e).hasSuffix("\n") { replacement.removeLast(nl.count) }
            edits.append(TextEdit(range: src.range(s, e), replacement: replacement))
            var moved = copyLines.first < i.syntax.startLine
                ? LineEdits.text(copyLines.first, i.syntax.startLine - 1, src) : ""
            moved += LineEdits.text(i.syntax.startLine, copyLines.last, src)
            if copyLines.first < i.syntax.startLine {
                edits.append(LineEdits.delete(copyLines.first, i.syntax.startLine - 1, src))
            }
            edits.append(LineEdits.insert(moved, after: runLines.last, src))
        }
        return Fix(title: manifests.isEmpty ? "Move the COPY below the install" : "Copy the manifests first, install, then copy the rest",
                   edits: edits, applicability: unsafe ? .unsafe : .safe)
    }

    /// True when the package.json the install reads is known and has no install-time scripts.
    static func packageJSONHasNoInstallScripts(_ c: CopyWrite, _ acc: RunAccess, _ context: LintContext) -> Bool {
        guard let dir = context.contextDirectory else { return false }
        for m in acc.installs.flatMap(\.manifests) where CachePaths.basename(m.path) == "package.json" {
            guard let cp = c.contextPath(of: m.path) ?? Optional(CachePaths.basename(m.path)),
                  let data = FileManager.default.contents(atPath: dir + "/" + cp),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
            let scripts = json["scripts"] as? [String: Any] ?? [:]
            if ["preinstall", "install", "postinstall", "prepare", "prepublish"].contains(where: { scripts[$0] != nil }) { return false }
            return true
        }
        return false
    }
}
