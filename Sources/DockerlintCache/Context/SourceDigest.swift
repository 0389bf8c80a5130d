// Source digests for COPY/ADD the way each engine keys them (CACHE-SEMANTICS §3, §7).
// The bytes differ from Docker's; what matters is that a digest changes exactly when the
// engine's key changes.
//
// BuildKit (cache/contenthash): per entry a header of permission bits, size, type and link
// target (no name, no uid/gid, no mtime) plus content; a directory's digest covers its own
// header and each child's name and digest in byte order; the context root's header is
// constant and, by default, so is every directory's (observed on v0.8, §7 caveat).
// Classic (builder/remotecontext + copy.go): `file:` + hash(header with the context-relative
// name + content), `dir:` + hash(sorted hashes of everything under the directory, itself
// included), `multi:` for several sources; symlinks are resolved in scope when hashing.

import DockerlintSupport

/// How sources are hashed.
public struct SourceHashOptions: Sendable, Hashable {
    public var engine: BuilderKind
    /// BuildKit only: let directory headers (mode) enter the digest, as current BuildKit
    /// source says. Off by default: Docker 20.10's BuildKit was observed not to (§7 e11, e16).
    public var directoryMetadata: Bool
    /// Patterns applied to the snapshot before hashing (for snapshots that were not filtered
    /// while scanning, e.g. git trees). Excluded entries are never part of the context.
    public var ignore: DockerIgnore

    /// `engine` is taken as its cache model (buildah and podman hash as classic does).
    public init(engine: BuilderKind, directoryMetadata: Bool = false, ignore: DockerIgnore = .empty) {
        self.engine = engine.cacheModel
        self.directoryMetadata = directoryMetadata
        self.ignore = ignore
    }

    public static func == (a: SourceHashOptions, b: SourceHashOptions) -> Bool { a.memoKey == b.memoKey }
    public func hash(into h: inout Hasher) { h.combine(memoKey) }

    var memoKey: String {
        "\(engine.rawValue)|\(directoryMetadata)|\(ignore.fingerprint)"
    }
}

/// The outcome of hashing the sources of one COPY/ADD.
public enum SourceDigestResult: Sendable, Equatable {
    /// The key-relevant digest of all sources together.
    case digest(String)
    /// These sources match nothing in the context (the builder fails the step).
    case missing([String])

    public var digest: String? {
        if case .digest(let d) = self { return d }
        return nil
    }
}

/// The decisions of the ignore patterns (identified by `fingerprint`) while a directory was
/// walked: path → (walked as a directory, decision). A decision depends only on the path and
/// whether it is a directory, so it holds for as long as the entry keeps its kind.
struct WalkRecord: Sendable {
    let fingerprint: String
    var decisions: [String: (Bool, IgnoreWalkDecision)] = [:]
}

/// Memoised per-path results for one set of options.
struct HashMemo: Sendable {
    var decisions: [String: IgnoreWalkDecision] = [:]
    var presence: [String: Bool] = [:]
    var bkRecords: [String: String] = [:]
    var classicEntries: [String: String] = [:]
    var classicDirs: [String: String] = [:]
    /// Per wildcard source: the present paths it takes, in order (BuildKit: real path,
    /// path relative to the resolved prefix, matched itself rather than under a matched
    /// folder; classic: the matched paths). Dropped when the context's structure changes.
    var bkMatches: [String: [(real: String, rel: String, topLevel: Bool)]] = [:]
    var classicMatches: [String: [String]] = [:]
    /// BuildKit: per directory whose record was made, its children as they were hashed then
    /// (byte order; each one's record, nil when it was not present) and the names
    /// invalidated since. A directory on a changed path is hashed again from the records of
    /// its unchanged children as they stand, without looking each one up by its path.
    var bkDirs: [String: BKDirectory] = [:]
    /// The ancestors walked by `invalidate` since this memo last hashed: a later path stops
    /// its walk at the first of them (nothing was hashed since, so from there up everything
    /// is still dropped). A commit's changed files share most of their ancestors.
    var invalidatedAncestors: Set<String> = []

    struct BKDirectory: Sendable {
        var names: [String]
        var records: [String?]
        var dirty: Set<String> = []
    }

    mutating func dropMatches() {
        if !bkMatches.isEmpty { bkMatches.removeAll() }
        if !classicMatches.isEmpty { classicMatches.removeAll() }
    }

    mutating func invalidate(path: String, classicGlobal: Bool, keepDecision: Bool = false) {
        if classicGlobal {
            classicEntries.removeAll(keepingCapacity: true)
            classicDirs.removeAll(keepingCapacity: true)
        }
        if !keepDecision { decisions[path] = nil }
        classicEntries[path] = nil
        let trackDirectories = !bkDirs.isEmpty
        if trackDirectories { bkDirs.removeValue(forKey: path) }
        var p = path
        while true {
            presence[p] = nil
            bkRecords[p] = nil
            classicDirs[p] = nil
            if p.isEmpty { break }
            let parent = ContextSnapshot.parent(p)
            if trackDirectories, let i = bkDirs.index(forKey: parent) { bkDirs.values[i].dirty.insert(ContextSnapshot.base(p)) }
            if !invalidatedAncestors.insert(parent).inserted { break }
            p = parent
        }
    }
}

private let emptyHeader = SHA256Hex.of(parts: [])

extension ContextSnapshot {
    mutating func takeSortedChildren() -> [String: [String]] {
        var out: [String: [String]] = [:]
        swap(&out, &sortedChildren)
        return out
    }

    /// The digest the engine's cache key depends on for the sources of one COPY/ADD.
    /// `sources` are the resolved source paths relative to the context root (`.` for the whole
    /// context), possibly with Go `filepath.Match` wildcards.
    public mutating func sourceDigest(_ sources: [String], options: SourceHashOptions) throws -> SourceDigestResult {
        try withHasher(options) { try $0.digest(sources) }
    }

    /// Whether `path` is part of the context as sent under `ignore` (walker semantics: an
    /// excluded directory is present only as the parent of a kept entry).
    public mutating func isPresent(_ path: String, ignore: DockerIgnore = .empty) throws -> Bool {
        try withHasher(SourceHashOptions(engine: .buildkit, ignore: ignore)) { try $0.present(ContextSnapshot.key(path)) }
    }

    /// Runs `body` with a hasher over this snapshot that keeps its memo for `options`.
    mutating func withHasher<T>(_ options: SourceHashOptions, _ body: (inout SourceHasher) throws -> T) throws -> T {
        let key = options.memoKey
        // The memo is moved into the hasher and back (never shared while it is written, so
        // its tables are not copied).
        var hasher = SourceHasher(entries: entries, children: children, options: options,
                                  memo: memos.removeValue(forKey: key) ?? HashMemo(), walked: walked, sorted: takeSortedChildren())
        defer {
            // One memo per option set (engine, ignore file): the baseline and each fix's variant.
            if memos.count >= 16 { memos.removeAll() }
            memos[key] = hasher.takeMemo()
            sortedChildren = hasher.takeSorted()
        }
        return try body(&hasher)
    }
}

struct SourceHasher {
    /// The snapshot's entries and child index (the hasher reads them, never its memos).
    let snapshot: (entries: [String: ContextEntry], children: [String: Set<String>])
    let options: SourceHashOptions
    var memo: HashMemo
    /// The walk's decisions, when it applied these very patterns.
    let walked: [String: (Bool, IgnoreWalkDecision)]?
    /// The snapshot's memo of children in byte order.
    var sorted: [String: [String]]

    init(entries: [String: ContextEntry], children: [String: Set<String>], options: SourceHashOptions, memo: consuming HashMemo,
         walked: WalkRecord? = nil, sorted: consuming [String: [String]] = [:]) {
        self.snapshot = (entries, children)
        self.options = options
        self.memo = memo
        // Hashing may fill what `invalidate` dropped: its walks start afresh.
        self.memo.invalidatedAncestors.removeAll()
        self.walked = walked.flatMap { $0.fingerprint == options.ignore.fingerprint ? $0.decisions : nil }
        self.sorted = sorted
    }

    mutating func takeSorted() -> [String: [String]] {
        var out: [String: [String]] = [:]
        swap(&out, &sorted)
        return out
    }

    /// The memo, leaving an empty one behind (so the caller holds the only reference).
    mutating func takeMemo() -> HashMemo {
        var out = HashMemo()
        swap(&out, &memo)
        return out
    }

    // MARK: The context as sent (ignore rules applied lazily)

    mutating func decision(_ path: String) throws -> IgnoreWalkDecision? {
        if path.isEmpty { return IgnoreWalkDecision(excluded: false, descend: true, info: IgnoreMatchInfo()) }
        if let d = memo.decisions[path] { return d }
        guard let e = snapshot.entries[path] else { return nil }
        // Walked with these patterns: every ancestor was descended into.
        if let (isDirectory, d) = walked?[path], isDirectory == (e.kind == .directory) { return d }
        guard let parent = try decision(ContextSnapshot.parent(path)), parent.descend else { return nil }
        let d = try options.ignore.walkDecision(path: path, isDirectory: e.kind == .directory, parent: parent.info)
        memo.decisions[path] = d
        return d
    }

    mutating func present(_ path: String) throws -> Bool {
        if path.isEmpty { return true }
        if let p = memo.presence[path] { return p }
        var result = false
        // decision() is nil unless every ancestor was descended into; a kept entry makes its
        // excluded-but-descended ancestors present, so the parent need not be checked here.
        if snapshot.entries[path] != nil, let d = try decision(path) {
            if !d.excluded {
                result = true
            } else if d.descend {
                for name in snapshot.children[path] ?? [] where try present(ContextSnapshot.join(path, name)) {
                    result = true
                    break
                }
            }
        }
        memo.presence[path] = result
        return result
    }

    mutating func presentChildren(_ dir: String) throws -> [String] {
        let names: [String]
        if let known = sorted[dir] { names = known } else {
            names = (snapshot.children[dir] ?? []).sorted(by: utf8Less)
            sorted[dir] = names
        }
        var out: [String] = []
        for name in names where try present(ContextSnapshot.join(dir, name)) {
            out.append(name)
        }
        return out
    }

    /// Present paths under `dir` (not `dir` itself), depth-first, children in byte order.
    mutating func descendants(_ dir: String) throws -> [String] {
        var out: [String] = []
        for name in try presentChildren(dir) {
            let p = ContextSnapshot.join(dir, name)
            out.append(p)
            if snapshot.entries[p]?.kind == .directory { out += try descendants(p) }
        }
        return out
    }

    /// Resolves symlinks along `path` inside the context (absolute targets are relative to the
    /// root, `..` stops at the root), like BuildKit's getFollowLinks and Docker's
    /// FollowSymlinkInScope. Components that do not exist are kept as written.
    /// Returns nil on a symlink loop.
    mutating func resolve(_ path: String, followTrailing: Bool) throws -> String? {
        var pending = path.split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let comp = pending.removeFirst()
            if comp == "." || comp.isEmpty { continue }
            if comp == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let candidate = (resolved + [comp]).joined(separator: "/")
            if let e = snapshot.entries[candidate], e.kind == .symlink, try present(candidate),
               !pending.isEmpty || followTrailing {
                hops += 1
                if hops > 255 { return nil }
                let target = e.linkTarget ?? ""
                if target.hasPrefix("/") { resolved.removeAll() }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            resolved.append(comp)
        }
        return resolved.joined(separator: "/")
    }

    // MARK: Top level

    mutating func digest(_ sources: [String]) throws -> SourceDigestResult {
        var missing: [String] = []
        var parts: [String] = []
        switch options.engine {
        case .buildkit:
            var seen = Set<String>()
            for src in sources {
                let clean = ContextSnapshot.key(src)
                if !seen.insert(clean).inserted { continue }  // dedupeSelectors
                if let d = try buildkitSource(src) { parts.append(clean); parts.append(d) } else { missing.append(src) }
            }
            if !missing.isEmpty { return .missing(missing) }
            if parts.count == 2 { return .digest("sha256:" + parts[1]) }
            return .digest("sha256:" + SHA256Hex.of(parts: parts))
        case .classic, .buildah, .podman:  // (init maps these to .classic)
            for src in sources {
                let hashes = try classicSource(src)
                if hashes.isEmpty { missing.append(src) } else { parts += hashes }
            }
            if !missing.isEmpty { return .missing(missing) }
            if parts.count == 1 { return .digest(parts[0]) }
            return .digest("multi:" + SHA256Hex.of(parts: [parts.joined(separator: ",")]))
        }
    }

    // MARK: BuildKit

    mutating func bkHeader(_ e: ContextEntry) -> String {
        switch e.kind {
        case .file:
            return SHA256Hex.of(parts: ["0", String(e.permissionBits, radix: 8), String(e.size), e.contentDigest ?? ""])
        case .symlink:
            return SHA256Hex.of(parts: ["2", String(e.permissionBits | 0o777, radix: 8), e.linkTarget ?? ""])
        case .other:
            return SHA256Hex.of(parts: ["x", String(e.mode, radix: 8)])
        case .directory:
            if e.path.isEmpty || !options.directoryMetadata { return emptyHeader }
            return SHA256Hex.of(parts: ["5", String(e.permissionBits, radix: 8)])
        }
    }

    /// The record digest of a present path (a directory covers its whole present subtree).
    mutating func bkRecord(_ path: String) throws -> String {
        if let r = memo.bkRecords[path] { return r }
        let e = snapshot.entries[path]!
        var r: String
        if e.kind == .directory {
            // The present children in byte order (as `presentChildren` lists them), each path
            // built once for both its presence and its record.
            let names: [String]
            if let known = sorted[path] { names = known } else {
                names = (snapshot.children[path] ?? []).sorted(by: utf8Less)
                sorted[path] = names
            }
            // The children as last hashed, when the directory still holds the same names:
            // only those invalidated since are looked at again.
            var d: HashMemo.BKDirectory
            if let last = memo.bkDirs.removeValue(forKey: path), last.names == names {
                d = last
                for name in d.dirty {
                    guard let i = Self.index(of: name, in: d.names) else { continue }
                    let child = ContextSnapshot.join(path, name)
                    d.records[i] = try present(child) ? try bkRecord(child) : nil
                }
                d.dirty.removeAll()
            } else {
                var records: [String?] = []
                records.reserveCapacity(names.count)
                for name in names {
                    let child = ContextSnapshot.join(path, name)
                    records.append(try present(child) ? try bkRecord(child) : nil)
                }
                d = HashMemo.BKDirectory(names: names, records: records)
            }
            var parts = [bkHeader(e)]
            parts.reserveCapacity(1 + 2 * names.count)
            for (i, name) in d.names.enumerated() {
                guard let record = d.records[i] else { continue }
                parts.append(name)
                parts.append(record)
            }
            memo.bkDirs[path] = d
            r = SHA256Hex.of(parts: parts)
        } else {
            r = bkHeader(e)
        }
        memo.bkRecords[path] = r
        return r
    }

    /// The index of `name` in `names` (sorted by `utf8Less`, no name twice).
    static func index(of name: String, in names: [String]) -> Int? {
        var lo = 0, hi = names.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if names[mid] == name { return mid }
            if utf8Less(names[mid], name) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    mutating func buildkitSource(_ src: String) throws -> String? {
        let clean = ContextSnapshot.key(src)
        if !goContainsWildcards(clean) {
            guard let target = try resolve(clean, followTrailing: true), try present(target) else { return nil }
            return try bkRecord(target)
        }
        // Wildcards: non-wildcard prefix (symlinks resolved), then every present path under it
        // that path.Match accepts, each with its descendants (directories as headers).
        let comps = clean.split(separator: "/").map(String.init)
        let firstWild = comps.firstIndex(where: goContainsWildcards) ?? comps.count
        let prefix = comps[..<firstWild].joined(separator: "/")
        guard let resolvedPrefix = try resolve(prefix, followTrailing: true), try present(resolvedPrefix),
              snapshot.entries[resolvedPrefix]?.kind == .directory else { return nil }
        let matched: [(real: String, rel: String, topLevel: Bool)]
        if let m = memo.bkMatches[clean] {
            matched = m
        } else {
            var out: [(real: String, rel: String, topLevel: Bool)] = []
            var lastMatchedDir: String? = nil
            let candidates: [String]
            if let rest = Self.componentPatterns(Array(comps[firstWild...])) {
                candidates = try componentMatches(under: resolvedPrefix, rest)
            } else {
                candidates = try descendants(resolvedPrefix)
            }
            for real in candidates {
                let rel = resolvedPrefix.isEmpty ? real : String(real.dropFirst(resolvedPrefix.count + 1))
                let fn = prefix.isEmpty ? rel : prefix + "/" + rel
                var topLevel = false
                if lastMatchedDir == nil || !fn.hasPrefix(lastMatchedDir! + "/") {
                    guard try goPathMatch(clean, fn) else { continue }
                    lastMatchedDir = fn
                    topLevel = true
                }
                out.append((real, rel, topLevel))
            }
            memo.bkMatches[clean] = out
            matched = out
        }
        var included: [(String, String)] = []
        for (real, rel, topLevel) in matched {
            let e = snapshot.entries[real]!
            var record: String
            if topLevel && e.kind == .symlink {
                guard let t = try resolve(real, followTrailing: true), try present(t) else { return nil }
                record = try bkRecord(t)
            } else if e.kind == .directory {
                record = bkHeader(e)
            } else {
                record = try bkRecord(real)
            }
            included.append((rel, record))
        }
        if included.isEmpty { return nil }
        if included.count == 1 && ContextSnapshot.base(included[0].0) == ContextSnapshot.base(clean) {
            return included[0].1
        }
        return SHA256Hex.of(parts: included.flatMap { [$0.0, $0.1] })
    }

    /// The components of a wildcard pattern when matching it is matching each path component
    /// against one of them: Go's `path.Match` never lets `*` or `?` cross a `/`, so a path
    /// matches only when it has as many components and each one matches. Patterns with a
    /// character class or an escape are left to the full matcher (a class may name `/`).
    static func componentPatterns(_ comps: [String]) -> [String]? {
        guard !comps.isEmpty, !comps.contains(where: { $0.isEmpty || $0.contains("[") || $0.contains("\\") }) else { return nil }
        return comps
    }

    /// The present paths under `dir` that may match `comps` component by component, in the
    /// order `descendants` lists them: each path whose components all match, followed by
    /// its descendants when `withDescendants` (a matched directory is copied whole). A subtree
    /// whose folder fails its component is never walked: the cost follows the matches, not
    /// the size of the context. The caller still confirms each candidate with the full match.
    mutating func componentMatches(under dir: String, _ comps: [String], withDescendants: Bool = true) throws -> [String] {
        var out: [String] = []
        let pattern = comps[0]
        let literal = !goContainsWildcards(pattern)
        for name in try presentChildren(dir) {
            if literal ? !name.unicodeScalars.elementsEqual(pattern.unicodeScalars) : !(try goPathMatch(pattern, name)) { continue }
            let p = ContextSnapshot.join(dir, name)
            let isDirectory = snapshot.entries[p]?.kind == .directory
            if comps.count == 1 {
                out.append(p)
                if withDescendants && isDirectory { out += try descendants(p) }
            } else if isDirectory {
                out += try componentMatches(under: p, Array(comps.dropFirst()), withDescendants: withDescendants)
            }
        }
        return out
    }

    // MARK: Classic

    /// `lazySource.Hash(rel)`: the symlink-resolved path's header (with its name) and content,
    /// or the resolved path itself when nothing is there (a broken symlink).
    mutating func classicEntryHash(_ path: String) throws -> String {
        if let h = memo.classicEntries[path] { return h }
        var h: String
        if let resolved = try resolve(path, followTrailing: true), try present(resolved), let e = snapshot.entries[resolved] {
            switch e.kind {
            case .file:
                h = SHA256Hex.of(parts: ["file", resolved, String(e.permissionBits, radix: 8), String(e.size), e.contentDigest ?? ""])
            case .directory:
                h = SHA256Hex.of(parts: ["dir", resolved, String(e.permissionBits, radix: 8)])
            case .symlink:
                h = SHA256Hex.of(parts: ["link", resolved, e.linkTarget ?? ""])
            case .other:
                h = SHA256Hex.of(parts: ["other", resolved, String(e.mode, radix: 8)])
            }
        } else {
            h = (try resolve(path, followTrailing: true)) ?? path
        }
        memo.classicEntries[path] = h
        return h
    }

    /// `dir:` over the sorted hashes of the directory and everything under it (not the root).
    mutating func classicDirHash(_ dir: String) throws -> String {
        if let h = memo.classicDirs[dir] { return h }
        var hashes: [String] = []
        if !dir.isEmpty { hashes.append(try classicEntryHash(dir)) }
        for p in try descendants(dir) { hashes.append(try classicEntryHash(p)) }
        hashes.sort(by: utf8Less)
        let h = "dir:" + SHA256Hex.of(parts: [hashes.joined(separator: ",")])
        memo.classicDirs[dir] = h
        return h
    }

    /// calcCopyInfo without wildcards: `file:` or `dir:`; nil if the path is missing.
    mutating func classicCopyInfo(_ path: String) throws -> String? {
        guard let resolved = try resolve(path, followTrailing: true), try present(resolved),
              let e = snapshot.entries[resolved] else { return nil }
        if e.kind == .directory { return try classicDirHash(resolved) }
        return "file:" + (try classicEntryHash(path))
    }

    mutating func classicSource(_ src: String) throws -> [String] {
        let clean = ContextSnapshot.key(src)
        if !goContainsWildcards(clean) {
            return try classicCopyInfo(clean).map { [$0] } ?? []
        }
        var out: [String] = []
        let pattern = goPathClean(src.hasPrefix("/") ? String(src.dropFirst()) : src)
        let matched: [String]
        if let m = memo.classicMatches[pattern] {
            matched = m
        } else {
            let candidates: [String]
            if let comps = Self.componentPatterns(pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) {
                // A match has exactly as many components as the pattern: no descendant of a match.
                candidates = try componentMatches(under: "", comps, withDescendants: false)
            } else {
                candidates = try descendants("")
            }
            matched = try candidates.filter { try goPathMatch(pattern, $0) }
            memo.classicMatches[pattern] = matched
        }
        for p in matched {
            if let h = try classicCopyInfo(p) { out.append(h) }
        }
        return out
    }
}
