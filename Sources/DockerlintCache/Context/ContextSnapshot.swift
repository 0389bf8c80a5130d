// A snapshot of a build context: what the builder would receive, as entries keyed by their
// context-relative path ("" is the root). Built from a directory (lstat walk, SHA-256 of
// file contents, `.dockerignore` applied while walking) or from a git tree (blob ids stand in
// for contents, nothing checked out).

import DockerlintSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One file-system entry of a build context.
public struct ContextEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case file, directory, symlink, other }

    /// Path relative to the context root, slash-separated; "" is the root itself.
    public var path: String
    public var kind: Kind
    /// `st_mode`-style: file-type bits | permission bits (including setuid/setgid/sticky).
    public var mode: UInt32
    /// Size in bytes for regular files (0 otherwise).
    public var size: Int64
    /// The symlink's target as stored (symlinks only).
    public var linkTarget: String?
    /// Content identity for regular files: `sha256:<hex>` (disk) or `git:<blob-id>` (git);
    /// `gitlink:<commit>` marks a submodule directory from a git tree; nil otherwise.
    public var contentDigest: String?

    public init(path: String, kind: Kind, mode: UInt32, size: Int64 = 0, linkTarget: String? = nil, contentDigest: String? = nil) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.size = size
        self.linkTarget = linkTarget
        self.contentDigest = contentDigest
    }

    /// Permission bits plus setuid/setgid/sticky (what tar headers carry as `mode`).
    public var permissionBits: UInt32 { mode & 0o7777 }

    /// The implicit directory entry used for git trees (a checkout creates 0755 dirs).
    static func implicitDirectory(_ path: String) -> ContextEntry {
        ContextEntry(path: path, kind: .directory, mode: 0o040755)
    }
}

/// Errors raised while building snapshots.
public enum ContextSnapshotError: Error, Sendable, Equatable {
    case notADirectory(String)
    case systemError(path: String, errno: Int32)
    case malformedGitOutput(String)
    /// The walk visited more entries than the caller's limit allows.
    case tooManyEntries(limit: Int)
}

/// Where a snapshot came from; decides whether empty directories can exist (git: no).
public enum ContextOrigin: Sendable, Equatable {
    case directory
    case gitTree
}

/// A build context as a map of entries, with a child index and memoised digests.
public struct ContextSnapshot: Sendable {
    public private(set) var entries: [String: ContextEntry]
    public let origin: ContextOrigin
    var children: [String: Set<String>]
    var memos: [String: HashMemo] = [:]
    var symlinkCount = 0
    /// The ignore decisions a directory walk made (`scan`), reused when the same patterns
    /// select sources, so that the context is not matched against them twice.
    var walked: WalkRecord? = nil
    /// A directory's child names in byte order, memoised (whatever the options of a digest).
    var sortedChildren: [String: [String]] = [:]

    /// An empty context (just the root directory).
    public init(origin: ContextOrigin, rootMode: UInt32 = 0o040755) {
        self.origin = origin
        self.entries = ["": ContextEntry(path: "", kind: .directory, mode: rootMode)]
        self.children = ["": []]
    }

    /// The entry at a context-relative path ("" or "." for the root), if any.
    public func entry(at path: String) -> ContextEntry? {
        entries[ContextSnapshot.key(path)]
    }

    /// Names of a directory's children, sorted bytewise (as Go sorts strings).
    public func childNames(of dir: String) -> [String] {
        (children[ContextSnapshot.key(dir)] ?? []).sorted(by: utf8Less)
    }

    /// All paths except the root, in depth-first order with bytewise-sorted children.
    public var allPaths: [String] {
        var out: [String] = []
        func visit(_ dir: String) {
            for name in childNames(of: dir) {
                let p = ContextSnapshot.join(dir, name)
                out.append(p)
                if entries[p]?.kind == .directory { visit(p) }
            }
        }
        visit("")
        return out
    }

    /// Normalises a context-relative path: cleaned against the root, "" for the root.
    public static func key(_ path: String) -> String {
        // Paths from git and from the snapshot itself are already clean.
        if path.utf8.first != UInt8(ascii: "/"), goPathIsClean(path) { return path }
        if path.isEmpty { return "" }
        let c = goPathClean("/" + path)
        return c == "/" ? "" : String(c.dropFirst())
    }

    static func join(_ dir: String, _ name: String) -> String { dir.isEmpty ? name : dir + "/" + name }

    // Parent and base split at the last `/` byte (paths are split by bytes, as Go does).
    static func parent(_ path: String) -> String {
        guard let i = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<i])
    }

    static func base(_ path: String) -> String {
        guard let i = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: i)...])
    }

    // MARK: Mutation (keeps the child index and memo tables consistent)

    /// Inserts or replaces an entry; missing parent directories are created as implicit
    /// 0755 directories. Replacing a directory with a non-directory removes its subtree.
    public mutating func setEntry(_ newEntry: ContextEntry) {
        var e = newEntry
        e.path = ContextSnapshot.key(e.path)
        setCleanEntry(e)
    }

    /// `setEntry` for a path that is already clean (a walk's own paths). A walk passes the
    /// folder the entry is in and its name (`dir`, `name`), which the path is otherwise split into.
    mutating func setCleanEntry(_ e: ContextEntry, in dir: String? = nil, named name: String? = nil) {
        let p = e.path
        if p.isEmpty {
            entries[""] = ContextEntry(path: "", kind: .directory, mode: e.mode)
            invalidate("")
            return
        }
        let parent = dir ?? ContextSnapshot.parent(p), base = name ?? ContextSnapshot.base(p)
        let old = entries[p]
        if let old {
            if old.kind == .directory && e.kind != .directory { removeSubtree(p, keepSelf: true) }
            if old.kind == .symlink { symlinkCount -= 1 }
        }
        // Which paths a wildcard matches changes with a new or retyped entry or a symlink.
        if old == nil || old!.kind != e.kind || e.kind == .symlink || old!.kind == .symlink { structureChanged() }
        ensureParents(of: p, parent: parent)
        entries[p] = e
        if e.kind == .symlink { symlinkCount += 1 }
        if e.kind == .directory, children[p] == nil { children[p] = [] }
        if children[parent, default: []].insert(base).inserted { childrenChanged(parent) }
        // An ignore decision depends on the path and on whether it is a directory only: an
        // entry that keeps both (a changed file) keeps its decision.
        invalidate(p, keepDecision: old.map { ($0.kind == .directory) == (e.kind == .directory) } ?? false)
    }

    /// Removes an entry (and its subtree). With `pruneEmptyParents`, parent directories left
    /// empty are removed too (git trees cannot hold empty directories).
    public mutating func removeEntry(at path: String, pruneEmptyParents: Bool = false) {
        let p = ContextSnapshot.key(path)
        guard !p.isEmpty, entries[p] != nil else { return }
        removeSubtree(p, keepSelf: false)
        if pruneEmptyParents {
            var dir = ContextSnapshot.parent(p)
            while !dir.isEmpty, let e = entries[dir], e.kind == .directory, e.contentDigest == nil,
                  children[dir]?.isEmpty ?? true {
                removeSubtree(dir, keepSelf: false)
                dir = ContextSnapshot.parent(dir)
            }
        }
    }

    private mutating func ensureParents(of p: String, parent known: String? = nil) {
        let parent = known ?? ContextSnapshot.parent(p)
        if parent.isEmpty { return }
        if let pe = entries[parent] {
            if pe.kind == .directory { return }
            // A file is in the way: replace it with a directory.
            if pe.kind == .symlink { symlinkCount -= 1 }
        }
        ensureParents(of: parent)
        entries[parent] = .implicitDirectory(parent)
        if children[parent] == nil { children[parent] = [] }
        if children[ContextSnapshot.parent(parent), default: []].insert(ContextSnapshot.base(parent)).inserted {
            childrenChanged(ContextSnapshot.parent(parent))
        }
        invalidate(parent)
    }

    private mutating func removeSubtree(_ p: String, keepSelf: Bool) {
        if let kids = children[p] {
            for name in kids { removeSubtree(ContextSnapshot.join(p, name), keepSelf: false) }
            children[p] = nil
            childrenChanged(p)
        }
        if keepSelf {
            invalidate(p)
            return
        }
        if let old = entries.removeValue(forKey: p), old.kind == .symlink { symlinkCount -= 1 }
        if children[ContextSnapshot.parent(p)]?.remove(ContextSnapshot.base(p)) != nil { childrenChanged(ContextSnapshot.parent(p)) }
        invalidate(p)
    }

    /// A name was added to or removed from `dir`: its memoised child order is stale.
    mutating func childrenChanged(_ dir: String) {
        if !sortedChildren.isEmpty { sortedChildren[dir] = nil }
        if memos.isEmpty { return }
        for key in Array(memos.keys) { memos[key]!.dropMatches() }
    }

    /// Keeps only the memos of `ignore` (the digests another Dockerfile of the same context
    /// is likely to need); the rest would only crowd out the memo table.
    public mutating func keepMemos(of ignore: DockerIgnore) {
        let suffix = "|" + ignore.fingerprint
        memos = memos.filter { $0.key.hasSuffix(suffix) }
    }

    /// An entry was added, removed or changed kind, or a symlink changed: memoised wildcard
    /// matches are stale.
    mutating func structureChanged() {
        if memos.isEmpty { return }
        for key in Array(memos.keys) { memos[key]!.dropMatches() }
    }

    /// Drops memoised digests of `p` and its ancestors (and everything if symlinks could make
    /// a classic digest depend on paths elsewhere).
    mutating func invalidate(_ p: String, keepDecision: Bool = false) {
        if memos.isEmpty { return }
        let classicGlobal = symlinkCount > 0
        // Mutated through the keyed subscript, in place (through `values[i]` each memo's
        // tables would be copied).
        for key in Array(memos.keys) {
            memos[key]!.invalidate(path: p, classicGlobal: classicGlobal, keepDecision: keepDecision)
        }
    }

    // MARK: Building from a directory

    /// Walks `directory` with lstat (symlinks are never followed, nothing outside it is read),
    /// applying `ignore` the way BuildKit's context walker does; excluded files are never
    /// opened. Regular files are streamed through SHA-256 in 64 KiB chunks; with
    /// `hashContents: false` they are never opened and stand in by path and size (enough to
    /// simulate edits of a context, not to compare it with another one). `skip` names
    /// top-level entries not walked at all. With `limit`, the walk stops with
    /// `ContextSnapshotError.tooManyEntries` once it has visited more entries than that
    /// (excluded directories that are not descended count once). `listing` reads each folder
    /// (its names and their lstat) for this walk and keeps it for later walks of the same
    /// directory with other patterns (each `.dockerignore` of a folder of Dockerfiles).
    public static func scan(directory: String, ignore: DockerIgnore = .empty, hashContents: Bool = true,
                            skip: Set<String> = [], limit: Int? = nil, listing: DirectoryListing? = nil) throws -> ContextSnapshot {
        var st = stat()
        guard lstat(directory, &st) == 0 else { throw ContextSnapshotError.systemError(path: directory, errno: errno) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw ContextSnapshotError.notADirectory(directory) }
        var snap = ContextSnapshot(origin: .directory, rootMode: UInt32(st.st_mode))
        var buffer = [UInt8](repeating: 0, count: 65536)
        var budget = limit ?? Int.max
        var record = WalkRecord(fingerprint: ignore.fingerprint)
        let listing = listing ?? DirectoryListing()
        _ = try snap.scanDir(rel: "", abs: directory, parentInfo: IgnoreMatchInfo(), ignore: ignore, buffer: &buffer,
                             hash: hashContents, skip: skip, budget: &budget, limit: limit ?? Int.max, record: &record, listing: listing)
        snap.walked = record
        return snap
    }

    /// Returns whether anything under `rel` was kept.
    private mutating func scanDir(rel: String, abs: String, parentInfo: IgnoreMatchInfo, ignore: DockerIgnore,
                                  buffer: inout [UInt8], hash: Bool = true, skip: Set<String> = [],
                                  budget: inout Int, limit: Int, record: inout WalkRecord, listing: DirectoryListing) throws -> Bool {
        var kept = false
        for child in try listing.children(abs) {
            let name = child.name
            if rel.isEmpty && skip.contains(name) { continue }
            budget -= 1
            if budget < 0 { throw ContextSnapshotError.tooManyEntries(limit: limit) }
            let childRel = ContextSnapshot.join(rel, name)
            let childAbs = abs + "/" + name
            let (mode, size) = try child.stat.get()
            let fmt = mode_t(mode) & S_IFMT
            let isDir = fmt == S_IFDIR
            let decision = try ignore.walkDecision(path: childRel, isDirectory: isDir, parent: parentInfo)
            record.decisions[childRel] = (isDir, decision)
            if isDir {
                if !decision.excluded {
                    setCleanEntry(ContextEntry(path: childRel, kind: .directory, mode: mode), in: rel, named: name)
                    kept = true
                    _ = try scanDir(rel: childRel, abs: childAbs, parentInfo: decision.info, ignore: ignore, buffer: &buffer, hash: hash,
                                    budget: &budget, limit: limit, record: &record, listing: listing)
                } else if decision.descend {
                    // Probe first; the excluded directory is sent only as the parent of a kept entry.
                    var sub = ContextSnapshot(origin: .directory)
                    if try sub.scanDir(rel: childRel, abs: childAbs, parentInfo: decision.info, ignore: ignore, buffer: &buffer, hash: hash,
                                       budget: &budget, limit: limit, record: &record, listing: listing) {
                        setCleanEntry(ContextEntry(path: childRel, kind: .directory, mode: mode))
                        let prefix = childRel + "/"
                        for p in sub.entries.keys.sorted(by: utf8Less) where p.hasPrefix(prefix) {
                            setCleanEntry(sub.entries[p]!)
                        }
                        kept = true
                    }
                }
                continue
            }
            if decision.excluded { continue }
            kept = true
            if fmt == S_IFLNK {
                setCleanEntry(ContextEntry(path: childRel, kind: .symlink, mode: mode | 0o777, linkTarget: try child.link?.get() ?? ContextSnapshot.readLink(childAbs)),
                              in: rel, named: name)
            } else if fmt == S_IFREG {
                let digest = hash ? try ContextSnapshot.hashFile(childAbs, buffer: &buffer) : "unhashed:\(size):" + childRel
                setCleanEntry(ContextEntry(path: childRel, kind: .file, mode: mode, size: size, contentDigest: digest), in: rel, named: name)
            } else {
                setCleanEntry(ContextEntry(path: childRel, kind: .other, mode: mode), in: rel, named: name)
            }
        }
        return kept
    }

    static func listDirectory(_ path: String) throws -> [String] {
        guard let names = FolderNames.read(path) else { throw ContextSnapshotError.systemError(path: path, errno: errno) }
        return names
    }

    static func readLink(_ path: String) throws -> String {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buf, 4096)
        guard n >= 0 else { throw ContextSnapshotError.systemError(path: path, errno: errno) }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func hashFile(_ path: String, buffer: inout [UInt8]) throws -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw ContextSnapshotError.systemError(path: path, errno: errno) }
        defer { close(fd) }
        var hasher = SHA256Hex.Hasher()
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ContextSnapshotError.systemError(path: path, errno: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return "sha256:" + hasher.finalize()
    }
}

/// The folders of a directory as walks read them: each folder's names in byte order with
/// their lstat (and a symlink's target), read once and shared by every walk of the
/// directory, whatever patterns each applies (the `.dockerignore` of each Dockerfile of a
/// folder of Dockerfiles). Errors are kept and thrown where a walk meets them.
public final class DirectoryListing: @unchecked Sendable {
    struct Child {
        let name: String
        /// `st_mode` and `st_size`.
        let stat: Result<(UInt32, Int64), ContextSnapshotError>
        /// A symlink's target (nil for other entries).
        let link: Result<String, ContextSnapshotError>?
    }
    private let lock = PosixMutex()
    /// By the folder's path as bytes: two names Swift holds equal (`é` precomposed and
    /// decomposed) are two folders on disk.
    private var folders: [[UInt8]: Result<[Child], ContextSnapshotError>] = [:]

    public init() {}

    func children(_ abs: String) throws -> [Child] {
        let key = Array(abs.utf8)
        if let known = lock.locked({ folders[key] }) { return try known.get() }
        let read: Result<[Child], ContextSnapshotError>
        do {
            read = .success(try ContextSnapshot.listDirectory(abs).sorted(by: utf8Less).map { name in
                let path = abs + "/" + name
                var st = stat()
                guard lstat(path, &st) == 0 else {
                    return Child(name: name, stat: .failure(.systemError(path: path, errno: errno)), link: nil)
                }
                let link: Result<String, ContextSnapshotError>?
                if (st.st_mode & S_IFMT) == S_IFLNK {
                    do { link = .success(try ContextSnapshot.readLink(path)) } catch let e as ContextSnapshotError { link = .failure(e) } catch {
                        link = nil
                    }
                } else {
                    link = nil
                }
                return Child(name: name, stat: .success((UInt32(st.st_mode), Int64(st.st_size))), link: link)
            })
        } catch let e as ContextSnapshotError {
            read = .failure(e)
        } catch {
            read = .failure(.systemError(path: abs, errno: 0))
        }
        lock.locked { folders[key] = read }
        return try read.get()
    }
}

/// Bytewise (UTF-8) ordering, as Go compares strings.
public func utf8Less(_ a: String, _ b: String) -> Bool {
    // Native strings hold their UTF-8 contiguously: one memcmp (the generic comparison of
    // the two views costs ~30 instructions a byte; sorting a 600-entry folder took 8M).
    if let r = a.utf8.withContiguousStorageIfAvailable({ pa in
        b.utf8.withContiguousStorageIfAvailable { pb -> Bool in
            let n = min(pa.count, pb.count)
            let c = n == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, n)
            return c != 0 ? c < 0 : pa.count < pb.count
        }
    }), let r { return r }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}
