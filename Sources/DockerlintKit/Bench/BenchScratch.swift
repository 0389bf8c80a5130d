// Scratch build contexts: copies of the user's context (never the context itself) with
// `.dockerignore` applied, edits that every builder sees, and git trees exported with
// `git archive` streamed into `tar -x`, both run from argument arrays (no shell).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import DockerlintBuilders
import DockerlintCache
import DockerlintSupport
import Foundation

public enum BenchScratch {
    /// Name a Dockerfile from outside the context gets inside the scratch copy (what the docker
    /// CLI does with its `.dockerfile.<random>`; fixed here so cache keys stay stable across builds).
    public static let outsideDockerfileName = ".dockerlint-bench.Dockerfile"

    /// A new private directory under `root` (default: `$TMPDIR`).
    public static func makeDirectory(root: String? = nil, prefix: String = "dockerlint-bench") throws -> URL {
        let base = root ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        var template = Array((base + "/" + prefix + ".XXXXXX").utf8CString)
        guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError("cannot create a scratch directory in \(base): \(FileIO.describe(errno))", status: .environment)
        }
        return URL(fileURLWithPath: String(cString: p))
    }

    /// The ignore file that applies to `dockerfile` (context-relative) in `context`.
    public static func dockerIgnore(context: String, dockerfile: String) throws -> DockerIgnore {
        do { return try DockerIgnore.load(dockerfile: context + "/" + dockerfile, contextDirectory: context)?.ignore ?? .empty } catch {
            throw CommandError(error.description)
        }
    }

    /// Copies `source` into the empty directory `destination`, leaving out what the ignore file
    /// excludes (the Dockerfile and ignore files are always kept: the builder reads them and
    /// drops them itself when they are ignored). Symlinks are copied as links, never followed.
    public static func copyContext(from source: String, to destination: URL, dockerfile: String) throws {
        let ignore = try dockerIgnore(context: source, dockerfile: dockerfile)
        let keep = Set(IgnoreFile.names(contextRelativeDockerfile: dockerfile) + [goPathClean(dockerfile)])
        try copyTree(source: source, rel: "", to: destination.path, ignore: ignore, keep: keep, parent: IgnoreMatchInfo())
    }

    private static func copyTree(source: String, rel: String, to dest: String, ignore: DockerIgnore, keep: Set<String>,
                                 parent: IgnoreMatchInfo) throws {
        let dir = rel.isEmpty ? source : source + "/" + rel
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted() } catch {
            throw CommandError("cannot read \(dir): \(error.localizedDescription)")
        }
        for name in names {
            let childRel = rel.isEmpty ? name : rel + "/" + name
            let abs = source + "/" + childRel
            var st = stat()
            guard lstat(abs, &st) == 0 else { throw CommandError("cannot stat \(abs): \(FileIO.describe(errno))") }
            let type = st.st_mode & S_IFMT
            let decision = try ignore.walkDecision(path: childRel, isDirectory: type == S_IFDIR, parent: parent)
            let out = dest + "/" + childRel
            if type == S_IFDIR {
                if !decision.excluded || decision.descend {
                    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                    try copyTree(source: source, rel: childRel, to: dest, ignore: ignore, keep: keep, parent: decision.info)
                    if decision.excluded, (try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty == true {
                        try? FileManager.default.removeItem(atPath: out)   // excluded and nothing kept inside
                        continue
                    }
                    chmod(out, st.st_mode & 0o7777)
                }
                continue
            }
            if decision.excluded && !keep.contains(childRel) { continue }
            if type == S_IFREG {
                try copyFile(abs, out, mode: st.st_mode & 0o7777)
            } else if type == S_IFLNK {
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: abs)
                try FileManager.default.createSymbolicLink(atPath: out, withDestinationPath: target)
            }
            // sockets, FIFOs, devices: the docker CLI skips them too
        }
    }

    static func copyFile(_ from: String, _ to: String, mode: mode_t) throws {
        let bytes = try FileIO.read(from)
        try writeFile(to, bytes, mode: mode)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandError("cannot write \(path): \(FileIO.describe(errno))", status: .environment) }
        defer { close(fd) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 { if errno == EINTR { continue }; throw CommandError("cannot write \(path): \(FileIO.describe(errno))", status: .environment) }
            off += n
        }
        fchmod(fd, mode)
    }

    /// Appends a comment line naming `nonce` to `path` (context-relative) inside `scratch`. The
    /// content and size change, so every builder sees it (no same-size/mtime blind spot). `#`
    /// starts a comment in Python, requirements files, shell, YAML and TOML; other formats get
    /// the same line and the user is told which file was touched. Refuses paths that leave the
    /// directory or do not exist.
    @discardableResult
    public static func edit(_ path: String, in scratch: URL, nonce: String) throws -> String {
        let clean = goPathClean(path)
        guard !clean.hasPrefix("/"), clean != "..", !clean.hasPrefix("../") else {
            throw CommandError("--edit \(path): must be a path inside the context")
        }
        let full = scratch.path + "/" + clean
        var st = stat()
        guard lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw CommandError("--edit \(path): no such regular file in the context (after .dockerignore)")
        }
        var bytes = try FileIO.read(full)
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        let line = "# dockerlint bench edit \(nonce)\n"
        bytes += Array(line.utf8)
        try writeFile(full, bytes, mode: st.st_mode & 0o7777)
        return line
    }

    /// Commits of `range` (first parent, oldest first), as full ids.
    public static func gitCommits(repository: String, range: String) throws -> [String] {
        guard !range.hasPrefix("-") else { throw CommandError("--git \(range): not a revision range") }
        let out = try git(repository, ["rev-list", "--first-parent", "--reverse", range, "--"])
        let ids = out.split(separator: "\n").map(String.init)
        guard !ids.isEmpty else { throw CommandError("--git \(range): no commits in range") }
        return ids
    }

    /// The commit a range starts from (`A` of `A..B`), resolved, or nil.
    public static func gitRangeBase(repository: String, range: String) -> String? {
        guard let r = range.range(of: "..") , !range.contains("...") else { return nil }
        let a = String(range[..<r.lowerBound])
        guard !a.isEmpty, !a.hasPrefix("-") else { return nil }
        return try? git(repository, ["rev-parse", "--verify", "--end-of-options", a + "^{commit}"])
    }

    /// Path of `directory` relative to its repository's top level (`""` at the top).
    public static func gitPrefix(of directory: String) throws -> String {
        var p = try git(directory, ["rev-parse", "--show-prefix"])
        if p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// Exports `commit`'s tree below `prefix` into `destination`: `git archive` streamed into
    /// `tar -x`, both started from argument arrays.
    public static func gitExport(repository: String, commit: String, prefix: String, into destination: URL) throws {
        let treeish = prefix.isEmpty ? commit : "\(commit):\(prefix)"
        // From the top level: inside a subdirectory `git archive` limits itself to it.
        let top = try git(repository, ["rev-parse", "--show-toplevel"])
        guard let tarPath = ExecutableSearch.find("tar") else { throw CommandError("tar is not installed", status: .environment) }
        let tar: ChildProcess
        do {
            tar = try ChildProcess(tarPath, ["-x", "-f", "-", "-C", destination.path, "--no-same-owner"], output: false)
        } catch { throw CommandError("cannot run tar: \(error)", status: .environment) }
        var archiveError: Error? = nil
        do {
            try Git.stream(repository: top, ["archive", "--format=tar", treeish]) { chunk in
                try tar.write(Array(chunk))
            }
        } catch { archiveError = error }
        let status = tar.wait()
        if let archiveError {
            if case GitError.failed(_, _, let stderr)? = archiveError as? GitError {
                throw CommandError("git archive \(treeish): \(stderr)")
            }
            if !(archiveError is ProcessError) { throw CommandError("git archive \(treeish): \(archiveError)", status: .environment) }
        }
        if !status.isSuccess {
            throw CommandError("tar -x: \(String(decoding: tar.errorOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))",
                               status: .environment)
        }
    }

    static func git(_ repository: String, _ args: [String]) throws(CommandError) -> String {
        try CommandError.git(args, in: repository)
    }

    /// Removes a scratch directory (best effort).
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
