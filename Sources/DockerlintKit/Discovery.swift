import DockerlintCore
import DockerlintSupport
#if canImport(Glibc)
import Glibc
#endif

/// Finds Dockerfiles under directories.
public enum FileDiscovery {
    static let skipped: Set<String> = [".git", "node_modules", ".build", ".hg", ".svn", "vendor"]

    /// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile` (not `*.dockerignore`).
    public static func isDockerfileName(_ name: String) -> Bool {
        if name.hasSuffix(".dockerignore") { return false }
        let lower = name.lowercased()
        return lower == "dockerfile" || lower.hasPrefix("dockerfile.") || lower.hasSuffix(".dockerfile")
    }

    /// Files as given (any name), and the Dockerfiles found under directories, sorted.
    public static func expand(_ paths: [String]) throws(CommandError) -> [String] {
        var out: [String] = []
        for p in paths {
            if p != "-" && FileIO.isDirectory(p) {
                var found: [String] = []
                walk(p, &found)
                out += found.sorted()
            } else {
                if p != "-" && !FileIO.exists(p) { throw CommandError("\(p): error: no such file or directory") }
                out.append(p)
            }
        }
        return out
    }

    static func walk(_ dir: String, _ out: inout [String]) {
        for name in FolderNames.read(dir) ?? [] {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if !skipped.contains(name) { walk(path, &out) }
            } else if (st.st_mode & S_IFMT) == S_IFREG, isDockerfileName(name) {
                out.append(path)
            }
        }
    }

    public static func directory(of path: String) -> String {
        // The last `/` byte: a path is bytes (and a Character search walks graphemes).
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }
}

/// Finds the configuration file: `--config`; else `.dockerlint.yaml` in the working
/// directory, then next to the first linted file and upward to the repository root; when
/// there is none, `.hadolint.yaml` in the same places.
public enum ConfigDiscovery {
    public static func find(explicit: String?, firstFile: String?, workingDirectory: String) throws(CommandError) -> String? {
        if let explicit {
            guard FileIO.exists(explicit) else { throw CommandError("\(explicit): error: no such configuration file") }
            return explicit
        }
        var dirs = [workingDirectory]
        if let f = firstFile, f != "-" {
            var d = FileDiscovery.directory(of: f)
            for _ in 0..<64 {
                dirs.append(d)
                if FileIO.exists(d + "/.git") { break }
                let parent = d == "." ? ".." : (d.hasSuffix("/..") || d == ".." ? d + "/.." : FileDiscovery.directory(of: d))
                if parent == d || realPath(parent) == realPath(d) { break }
                d = parent
            }
        }
        func first(_ names: [String]) -> String? {
            for d in dirs {
                for n in names where FileIO.exists(d + "/" + n) { return d == "." ? n : d + "/" + n }
            }
            return nil
        }
        return first(ConfigurationLoader.fileNames) ?? first(ConfigurationLoader.hadolintFileNames)
    }

    static func realPath(_ p: String) -> String {
        guard let r = realpath(p, nil) else { return p }
        defer { free(r) }
        return String(cString: r)
    }
}
