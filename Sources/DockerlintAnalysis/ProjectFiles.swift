// The files of the project a Dockerfile builds, as the analysis reads them: manifests,
// lock files, lifecycle scripts, workspace lists. A protocol so that a reader of a git
// tree (a past commit) can stand in for the disk.

import DockerlintCache
import DockerlintSupport
import Foundation

/// Read access to a project's files by context-relative path (`package.json`,
/// `web/.yarnrc.yml`; `.` is the root). Implementations never throw: absent is nil.
public protocol ProjectFiles: AnyObject {
    /// The bytes of a regular file; nil when absent or a directory.
    func read(_ path: String) -> [UInt8]?
    /// True for a directory, false for a file, nil when absent.
    func isDirectory(_ path: String) -> Bool?
    /// The names in a directory (not recursive); nil when it is not one.
    func list(_ directory: String) -> [String]?
    /// The size in bytes of a regular file, without reading it (a reader that skips files
    /// over a limit asks first); nil when absent or a directory.
    func size(_ path: String) -> Int?
}

extension ProjectFiles {
    /// The size as `read` gives the bytes (for a reader that has no cheaper way).
    public func size(_ path: String) -> Int? { read(path)?.count }
    public func exists(_ path: String) -> Bool { isDirectory(path) != nil }
    public func text(_ path: String) -> String? { read(path).map { String(decoding: $0, as: UTF8.self) } }
    /// The file's JSON as `T`; nil when absent or not JSON of that shape. Decoded once per
    /// content and type (`DecodedJSON`).
    public func decodeJSON<T: Decodable>(_ type: T.Type, _ path: String) -> T? {
        guard let b = read(path) else { return nil }
        return DecodedJSON.decode(T.self, b)
    }
}

/// JSON decoded by content: a run lints a Dockerfile, then every other version of it in its
/// history, each lint opening the project's files anew, and a lock file's decoding
/// (composer.lock: hundreds of packages through JSONDecoder) cost more than the rest of
/// the lint. The same bytes decode to the same value, so the answer is kept by type and
/// bytes (a few at a time).
enum DecodedJSON {
    struct Key: Hashable {
        let type: ObjectIdentifier
        let bytes: BytesKey
    }
    static let memo = Locked<[Key: Any?]>([:])

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        let key = Key(type: ObjectIdentifier(T.self), bytes: BytesKey(bytes))
        if let known = memo.locked({ $0[key] }) { return known as? T }
        let value = try? JSONDecoder().decode(T.self, from: Data(bytes))
        memo.locked { m in
            if m.count >= 16 { m.removeAll() }
            m[key] = .some(value)
        }
        return value
    }
}

/// A project on disk under `root`.
public final class DiskProjectFiles: ProjectFiles {
    public let root: String
    private var cache: [String: [UInt8]?] = [:]

    public init(root: String) { self.root = root }

    private func full(_ path: String) -> String {
        let p = ImagePath.contextJoin(".", path)
        return p == "." ? root : root + "/" + p
    }

    public func read(_ path: String) -> [UInt8]? {
        if let c = cache[path] { return c }
        var isDir: ObjCBool = false
        let f = full(path)
        let v: [UInt8]? = FileManager.default.fileExists(atPath: f, isDirectory: &isDir) && !isDir.boolValue
            ? FileManager.default.contents(atPath: f).map { [UInt8]($0) } : nil
        cache[path] = .some(v)
        return v
    }

    /// From the file's status (`stat`, following links as `read` does), unless already read.
    public func size(_ path: String) -> Int? {
        if let c = cache[path] { return c?.count }
        var st = stat()
        guard stat(full(path), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    public func isDirectory(_ path: String) -> Bool? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full(path), isDirectory: &isDir) else { return nil }
        return isDir.boolValue
    }

    public func list(_ directory: String) -> [String]? {
        guard isDirectory(directory) == true else { return nil }
        return (try? FileManager.default.contentsOfDirectory(atPath: full(directory)))?.sorted()
    }
}

/// The build context: the project's files as the builder sends them (the `.dockerignore`
/// applied).
public final class BuildContext {
    public let files: ProjectFiles
    public let ignore: DockerIgnore?
    /// An ignore file exists for the build, parsed or not (one that does not parse leaves
    /// `ignore` nil: nothing is judged against it).
    public let hasIgnoreFile: Bool

    public init(files: ProjectFiles, ignore: DockerIgnore?, hasIgnoreFile: Bool? = nil) {
        self.files = files
        self.ignore = ignore
        self.hasIgnoreFile = hasIgnoreFile ?? (ignore != nil)
    }

    /// The context of a Dockerfile on disk: `directory` with the ignore file BuildKit
    /// chooses for `dockerfile` (a file that does not parse counts as none).
    public static func disk(directory: String, dockerfile: String) -> BuildContext {
        let files = DiskProjectFiles(root: directory)
        do {
            let ignore = try DockerIgnore.load(dockerfile: dockerfile, contextDirectory: directory)?.ignore
            return BuildContext(files: files, ignore: ignore)
        } catch {
            return BuildContext(files: files, ignore: nil, hasIgnoreFile: true)
        }
    }

    /// True when `path` is excluded by the `.dockerignore`.
    public func isExcluded(_ path: String) -> Bool {
        guard let ignore, path != "." else { return false }
        return (try? ignore.matchesOrParentMatches(path)) ?? false
    }

    /// True when the context sends something at `path` (present and not excluded). A
    /// directory the `.dockerignore` excludes is still sent when an exception (`!dir/**`)
    /// brings back a file below it: the builder sends the directories of the files it sends.
    public func sends(_ path: String) -> Bool {
        guard files.exists(path) else { return false }
        if !isExcluded(path) { return true }
        guard ignore?.hasExceptions == true, files.isDirectory(path) == true else { return false }
        var budget = 10_000
        return sendsBelow(path, &budget)
    }

    /// True when some file below the directory `dir` is sent (a walk of at most `budget`
    /// entries; an exhausted budget answers true, the careful answer).
    private func sendsBelow(_ dir: String, _ budget: inout Int) -> Bool {
        guard let names = files.list(dir) else { return false }
        for n in names {
            budget -= 1
            if budget <= 0 { return true }
            let p = dir == "." ? n : dir + "/" + n
            if files.isDirectory(p) == true {
                if sendsBelow(p, &budget) { return true }
            } else if !isExcluded(p) {
                return true
            }
        }
        return false
    }
}
