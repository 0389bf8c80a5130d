// Git trees as context snapshots, and first-parent history streamed from ONE `git log`
// process so a snapshot can be updated incrementally per commit (fast replay).

import DockerlintSupport

/// One changed path of a commit relative to its first parent (`git log --raw`).
public struct GitPathChange: Sendable, Equatable {
    public var path: String
    /// Git modes as octal numbers (0o100644, 0o100755, 0o120000, 0o160000; 0 = absent).
    public var oldMode: UInt32
    public var newMode: UInt32
    /// The new blob (or gitlink commit) id; all zeros for a deletion.
    public var newObject: String
    /// Raw status letter: A, M, D, T.
    public var status: Character
}

/// A first-parent commit and its changes.
public struct GitCommitDelta: Sendable, Equatable {
    public var id: String
    public var parents: [String]
    public var changes: [GitPathChange]
}

public enum GitHistory {
    /// Streams the first-parent commits of `range` (e.g. `A..B` or `B`), oldest first, each
    /// with its changed paths (no rename detection, full ids), from one `git log` process.
    public static func forEachCommit(repository: String, range: String,
                                     _ body: (GitCommitDelta) throws -> Void) throws {
        let args = ["log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--raw", "-z",
                    "--no-renames", "--no-abbrev", "--root", "--no-color", "--no-ext-diff",
                    "--format=format:%x01%H %P", range, "--"]
        var parser = RawLogParser()
        try Git.stream(repository: repository, args) { chunk in
            try parser.feed(chunk, body)
        }
        try parser.finish(body)
    }

    /// All first-parent commits of `range`, oldest first.
    public static func commits(repository: String, range: String) throws -> [GitCommitDelta] {
        var out: [GitCommitDelta] = []
        try forEachCommit(repository: repository, range: range) { out.append($0) }
        return out
    }

    /// Resolves a revision to a full object id.
    public static func resolve(repository: String, revision: String) throws -> String {
        let out = try Git.run(repository: repository, ["rev-parse", "--verify", "--end-of-options", revision + "^{commit}"])
        return String(decoding: out, as: UTF8.self).trimmingTrailingNewlines()
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") || s.hasSuffix("\r") { s.removeLast() }
        return s
    }
}

/// Incremental parser of `git log --raw -z --format=format:%x01%H %P`.
struct RawLogParser {
    var buffer: [UInt8] = []
    var current: GitCommitDelta? = nil

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (GitCommitDelta) throws -> Void) throws {
        buffer.append(contentsOf: chunk)
        try parse(final: false, body)
    }

    mutating func finish(_ body: (GitCommitDelta) throws -> Void) throws {
        try parse(final: true, body)
        if let c = current { try body(c) }
        current = nil
    }

    private mutating func parse(final: Bool, _ body: (GitCommitDelta) throws -> Void) throws {
        var i = 0
        let n = buffer.count
        func indexOf(_ b: UInt8, from: Int) -> Int? {
            var j = from
            while j < n { if buffer[j] == b { return j }; j += 1 }
            return nil
        }
        while i < n {
            let b = buffer[i]
            if b == 0 || b == 0x0A { i += 1; continue }
            if b == 0x01 {
                // Header "%H %P" ends at \n, \0 or the next \x01.
                var j = i + 1
                while j < n && buffer[j] != 0x0A && buffer[j] != 0 && buffer[j] != 0x01 { j += 1 }
                if j == n && !final { break }
                if let c = current { try body(c) }
                let fields = buffer[(i + 1)..<j].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
                guard let id = fields.first else { throw ContextSnapshotError.malformedGitOutput("empty commit header") }
                current = GitCommitDelta(id: id, parents: Array(fields.dropFirst()), changes: [])
                i = j
                continue
            }
            if b == UInt8(ascii: ":") {
                guard let metaEnd = indexOf(0, from: i), let pathEnd = indexOf(0, from: metaEnd + 1) else {
                    if final { throw ContextSnapshotError.malformedGitOutput("truncated raw entry") }
                    break
                }
                let meta = buffer[(i + 1)..<metaEnd].split(separator: 0x20)
                guard meta.count >= 5, let om = UInt32(String(decoding: meta[0], as: UTF8.self), radix: 8),
                      let nm = UInt32(String(decoding: meta[1], as: UTF8.self), radix: 8),
                      let status = String(decoding: meta[4], as: UTF8.self).first else {
                    throw ContextSnapshotError.malformedGitOutput(String(decoding: buffer[i..<metaEnd], as: UTF8.self))
                }
                let change = GitPathChange(path: String(decoding: buffer[(metaEnd + 1)..<pathEnd], as: UTF8.self),
                                           oldMode: om, newMode: nm,
                                           newObject: String(decoding: meta[3], as: UTF8.self), status: status)
                current?.changes.append(change)
                i = pathEnd + 1
                continue
            }
            throw ContextSnapshotError.malformedGitOutput("unexpected byte \(b) in git log output")
        }
        buffer.removeFirst(i)
    }
}

extension ContextSnapshot {
    /// The entry a checkout of a git tree entry would produce (umask 022).
    static func gitEntry(path: String, gitMode: UInt32, object: String, size: Int64, linkTarget: String?) -> ContextEntry {
        switch gitMode & 0o170000 {
        case 0o120000:
            return ContextEntry(path: path, kind: .symlink, mode: 0o120777, linkTarget: linkTarget)
        case 0o160000:
            return ContextEntry(path: path, kind: .directory, mode: 0o040755, contentDigest: "gitlink:" + object)
        case 0o040000:
            return .implicitDirectory(path)
        default:
            let exec = gitMode & 0o111 != 0
            return ContextEntry(path: path, kind: .file, mode: exec ? 0o100755 : 0o100644, size: size,
                                contentDigest: "git:" + object)
        }
    }

    /// The context a checkout of `revision` would give, read from git objects only
    /// (`git ls-tree -r -z --full-tree -l`); symlink targets come from `objects`.
    public static func fromGitTree(repository: String, revision: String, objects: GitObjectReader) throws -> ContextSnapshot {
        let out = try Git.run(repository: repository, ["ls-tree", "-r", "-z", "--full-tree", "-l", "--end-of-options", revision])
        var snap = ContextSnapshot(origin: .gitTree)
        var symlinks: [(String, String)] = []
        var pending: [(String, UInt32, String, Int64)] = []
        for record in out.split(separator: 0, omittingEmptySubsequences: true) {
            guard let tab = record.firstIndex(of: 0x09) else { throw ContextSnapshotError.malformedGitOutput("ls-tree record") }
            let fields = record[record.startIndex..<tab].split(separator: 0x20, omittingEmptySubsequences: true)
            guard fields.count == 4, let mode = UInt32(String(decoding: fields[0], as: UTF8.self), radix: 8) else {
                throw ContextSnapshotError.malformedGitOutput("ls-tree record")
            }
            let object = String(decoding: fields[2], as: UTF8.self)
            let size = Int64(String(decoding: fields[3], as: UTF8.self)) ?? 0
            let path = String(decoding: record[(tab + 1)...], as: UTF8.self)
            if mode & 0o170000 == 0o120000 { symlinks.append((path, object)) }
            pending.append((path, mode, object, size))
        }
        var targets: [String: String] = [:]
        if !symlinks.isEmpty {
            let contents = try objects.contents(symlinks.map(\.1))
            for (i, (path, _)) in symlinks.enumerated() {
                targets[path] = contents[i].map { String(decoding: $0, as: UTF8.self) } ?? ""
            }
        }
        for (path, mode, object, size) in pending {
            snap.setEntry(gitEntry(path: path, gitMode: mode, object: object, size: size, linkTarget: targets[path]))
        }
        return snap
    }

    /// What `apply` reads from git for a run of commits: each new blob's size and each new
    /// symlink's target, by object id.
    public struct ObjectFacts: Sendable {
        public var sizes: [String: Int64] = [:]
        public var targets: [String: String] = [:]
        public init() {}

        /// The sizes and symlink targets the additions of `deltas` need, asked of `objects` in
        /// one pipelined batch each (not one round trip per commit: a replay waits on git
        /// otherwise, every commit, for as long as the machine takes to schedule it).
        public static func read(for deltas: [GitCommitDelta], objects: GitObjectReader) throws -> ObjectFacts {
            var facts = ObjectFacts()
            var files: [String] = [], links: [String] = []
            var seenFiles = Set<String>(), seenLinks = Set<String>()
            for delta in deltas {
                for change in delta.changes where !(change.newMode == 0 || change.status == "D") {
                    let t = change.newMode & 0o170000
                    if t == 0o120000 {
                        if seenLinks.insert(change.newObject).inserted { links.append(change.newObject) }
                    } else if t != 0o160000 && t != 0o040000 {
                        if seenFiles.insert(change.newObject).inserted { files.append(change.newObject) }
                    }
                }
            }
            if !files.isEmpty {
                let s = try objects.sizes(files)
                for (i, f) in files.enumerated() { facts.sizes[f] = s[i] ?? 0 }
            }
            if !links.isEmpty {
                let c = try objects.contents(links)
                for (i, l) in links.enumerated() { facts.targets[l] = c[i].map { String(decoding: $0, as: UTF8.self) } ?? "" }
            }
            return facts
        }
    }

    /// Applies one commit's changes (deletions first; git cannot keep empty directories, so
    /// directories left empty disappear). New blob sizes and symlink targets come from
    /// `objects`. Memoised digests are dropped only along the changed paths.
    public mutating func apply(_ delta: GitCommitDelta, objects: GitObjectReader) throws {
        apply(delta, facts: try ObjectFacts.read(for: [delta], objects: objects))
    }

    /// `apply` with the sizes and symlink targets already read (`ObjectFacts.read`).
    public mutating func apply(_ delta: GitCommitDelta, facts: ObjectFacts) {
        var additions: [GitPathChange] = []
        for change in delta.changes {
            if change.newMode == 0 || change.status == "D" {
                removeEntry(at: change.path, pruneEmptyParents: true)
            } else {
                additions.append(change)
            }
        }
        for change in additions {
            let isLink = change.newMode & 0o170000 == 0o120000
            setEntry(ContextSnapshot.gitEntry(path: change.path, gitMode: change.newMode, object: change.newObject,
                                              size: isLink ? 0 : facts.sizes[change.newObject] ?? 0,
                                              linkTarget: isLink ? facts.targets[change.newObject] ?? "" : nil))
        }
    }
}
