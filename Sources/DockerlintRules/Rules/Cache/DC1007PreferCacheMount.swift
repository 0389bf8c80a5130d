import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// Package-manager caches deleted in the layer could be kept in a cache mount instead: same
/// image size, and a changed install downloads only what is new. Decided by the target
/// engine: BuildKit (the default builder of current Docker, whose built-in frontend accepts
/// `RUN --mount` without a `# syntax` line); the classic builder has no cache mounts.
///
/// The recipe has to work with the rest of the RUN: an apt cache mount is emptied by
/// `apt-get clean`, by `rm -rf /var/lib/apt/lists/*` and by Debian's `docker-clean` hook, so
/// the message says what to remove; a cache under `/root` is not the cache of a step that runs
/// as another user. No advice where nothing is downloaded (`pip install --no-index`, local
/// wheels from a mount) or where a comment next to the option says it is deliberate.
/// Whether the step re-runs at all is decided by the simulator (`CacheEvidence`).
final class PreferCacheMountRule: LintRule {
    static let code = "DC1007"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .run, context.configuration.builder == .buildkit, let rs = RunScript.ofRun(i, context) else { return }
        let user = PreferCacheMountRule.runUser(i)
        let firstLine = i.syntax.startLine, lastLine = i.syntax.range.end.line
        // A comment on the line above the RUN or inside it: the option may be deliberate.
        let commented = context.dockerfile.comments.contains { c in
            let l = c.range.start.line
            return l == firstLine - 1 || (l >= firstLine && l <= lastLine)
        }
        func mountText(_ target: String, extra: String = "") -> String {
            "--mount=type=cache,target=\(target)" + extra
        }
        func cacheFor(_ rootRelative: String) -> (target: String, note: String) {
            guard let user else { return ("/root/" + rootRelative, "") }
            let home = user == "root" || user == "0" ? "/root" : "/home/\(user)"
            if home == "/root" { return ("/root/" + rootRelative, "") }
            return ("\(home)/\(rootRelative)", ",uid=<uid of \(user)>")
        }
        func userNote() -> String {
            guard let user, user != "root", user != "0" else { return "" }
            return " (this RUN runs as `\(user)`: its cache is in that user's home, not under /root, and the mount must be writable by it)"
        }

        for pc in rs.packageCommands {
            switch pc.manager {
            case .pip, .uv:
                guard let o = pc.options.first(where: { $0.name == "no-cache-dir" || $0.name == "no-cache" }) else { continue }
                if commented { continue }
                if PreferCacheMountRule.installsOnlyLocalFiles(pc, mounts: i.resolved?.mounts ?? []) { continue }
                let uv = pc.manager == .uv
                let c = cacheFor(uv ? ".cache/uv" : ".cache/pip")
                if rs.hasCacheOrTmpfsMount(at: c.target) { continue }
                var advice = "drop `--\(o.name)` and add `RUN \(mountText(c.target, extra: c.note))`"
                if uv { advice += " with `ENV UV_LINK_MODE=copy` (the cache is on another filesystem)" }
                sink.report(rs.range(o.range), "`--\(o.name)` throws the \(uv ? "uv" : "pip") cache away, so each time this RUN re-runs "
                    + "it downloads every package again; with BuildKit a cache mount keeps the downloads between builds outside "
                    + "the image: \(advice)\(userNote())", relatedLines: [i.syntax.startLine])
            case .apk:
                guard let o = pc.options.first(where: { $0.name == "no-cache" }) else { continue }
                if commented || rs.hasCacheOrTmpfsMount(at: "/var/cache/apk") { continue }
                sink.report(rs.range(o.range), "`--no-cache` throws the apk cache away, so each time this RUN re-runs it downloads "
                    + "every package again; with BuildKit a cache mount keeps it between builds outside the image: drop `--no-cache` "
                    + "and add `RUN \(mountText("/var/cache/apk", extra: ",sharing=locked"))` (apk then keeps its downloads there)",
                    relatedLines: [i.syntax.startLine])
            default: break
            }
        }

        // apt: the lists and archives, emptied by the cleanup of the same RUN.
        let aptInstalls = rs.packageCommands.filter { ($0.manager == .apt || $0.manager == .aptGet) && $0.subcommand.first == "install" }
        if !aptInstalls.isEmpty, !rs.hasCacheOrTmpfsMount(at: "/var/cache/apt") || !rs.hasCacheOrTmpfsMount(at: "/var/lib/apt") {
            var cleanups: [String] = []
            var anchor: SourceRange? = nil
            for cmd in rs.commands(named: "rm") {
                for w in cmd.arguments {
                    guard let v = w.staticValue else { continue }
                    if v.hasPrefix("/var/lib/apt/lists") || v.hasPrefix("/var/cache/apt") {
                        cleanups.append("`rm -rf \(v)`")
                        if anchor == nil { anchor = rs.range(of: w) }
                    }
                }
            }
            for pc in rs.packageCommands where (pc.manager == .apt || pc.manager == .aptGet) && pc.subcommand.first == "clean" {
                cleanups.append("`apt-get clean`")
                if anchor == nil { anchor = rs.range(of: pc.invocation) }
            }
            // Only where the RUN deletes the caches today (else the image keeps them and the
            // advice is a different one: DL3009).
            if let anchor, !commented {
                let mounts = "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked"
                sink.report(anchor, "the apt package lists and downloads are thrown away in the layer (\(cleanups.joined(separator: ", "))), "
                    + "so each time this RUN re-runs it downloads everything again; with BuildKit, cache mounts keep them between "
                    + "builds outside the image: add `RUN \(mounts)`, remove \(cleanups.joined(separator: " and ")) (they would empty "
                    + "the mounts), and keep downloaded packages: Debian and Ubuntu images delete them after each install "
                    + "(/etc/apt/apt.conf.d/docker-clean), so start the RUN with `rm -f /etc/apt/apt.conf.d/docker-clean`",
                    relatedLines: [i.syntax.startLine])
            }
        }

        // rm -rf of other well-known caches.
        let caches: [(String, String, String)] = [
            ("/root/.cache/pip", "the pip cache", ".cache/pip"),
            ("/root/.npm", "the npm cache", ".npm"),
            ("/usr/local/share/.cache/yarn", "the yarn cache", ""),
            ("/var/cache/apk", "the apk cache", ""),
            ("/root/.cache", "the build cache", ".cache"),
        ]
        if commented { return }
        for cmd in rs.commands(named: "rm") {
            for w in cmd.arguments {
                guard let v = w.staticValue else { continue }
                let p = v.hasSuffix("/*") ? String(v.dropLast(2)) : (v.hasSuffix("/") ? String(v.dropLast()) : v)
                guard let hit = caches.first(where: { $0.0 == p }) else { continue }
                let target = hit.2.isEmpty ? hit.0 : cacheFor(hit.2).target
                let extra = hit.2.isEmpty ? "" : cacheFor(hit.2).note
                if rs.hasCacheOrTmpfsMount(at: target) { break }
                sink.report(rs.range(of: w), "\(hit.1) (`\(v)`) is thrown away in the layer, so each time this RUN re-runs it downloads "
                    + "everything again; with BuildKit a cache mount keeps it between builds outside the image: add "
                    + "`RUN \(mountText(target, extra: extra))` and remove `rm -rf \(v)` (it would empty the mount)\(userNote())",
                    relatedLines: [i.syntax.startLine])
                break
            }
        }
    }

    /// The user a RUN runs as (nil: root by default).
    static func runUser(_ i: ModelInstruction) -> String? {
        let u = i.user.split(separator: ":").first.map(String.init) ?? ""
        return u.isEmpty ? nil : u
    }

    /// `pip install` that downloads nothing: `--no-index`, or only local files (wheels,
    /// archives, directories), such as wheels from a bind mount of a builder stage.
    static func installsOnlyLocalFiles(_ pc: PackageCommand, mounts: [RunMount]) -> Bool {
        if pc.hasOption("no-index") { return true }
        if pc.hasOption("r", "requirement", "e", "editable", "c", "constraint") { return false }
        let operands = pc.operands.map { $0.staticValue ?? $0.unquoted }
        guard !operands.isEmpty else { return false }
        return operands.allSatisfy { o in
            o.hasPrefix("/") || o.hasPrefix("./") || o.hasPrefix("../") || o == "." || o.hasSuffix(".whl")
                || o.hasSuffix(".tar.gz") || o.hasSuffix(".zip")
                || mounts.contains { m in m.type == .bind && (m.target.map { o.hasPrefix($0) } ?? false) }
        }
    }
}
