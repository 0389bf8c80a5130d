#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which `.dockerignore` applies to a build, as BuildKit decides: `<Dockerfile>.dockerignore`
/// (the Dockerfile's own name plus `.dockerignore`, next to it) when it exists, else the
/// context root's `.dockerignore`. The one place that decides it (lint rules, `simulate`,
/// `report`, `bench`); parsing the chosen text is `DockerIgnore`'s job.
public enum IgnoreFile {
    /// The chosen file: its path (as tried) and its bytes.
    public struct Selected: Sendable, Equatable {
        public var path: String
        public var bytes: [UInt8]
        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Paths to try, in order, for the Dockerfile at `dockerfile` (a path as the caller reads
    /// it: relative to the working directory, or absolute) and the context at
    /// `contextDirectory`:
    /// 1. `<dockerfile>.dockerignore` (path cleaned: `./a/Dockerfile` gives `a/Dockerfile.dockerignore`);
    /// 2. when `dockerfile` is relative and a context is given, the same name inside the
    ///    context (a Dockerfile read from standard input is named relative to its context);
    /// 3. `<contextDirectory>/.dockerignore`.
    public static func candidates(dockerfile: String, contextDirectory: String?) -> [String] {
        let specific = goPathClean(dockerfile) + ".dockerignore"
        var out = [specific]
        if let dir = contextDirectory {
            if !dockerfile.hasPrefix("/") {
                let inContext = goPathClean(dir + "/" + specific)
                if inContext != specific { out.append(inContext) }
            }
            out.append(goPathClean(dir + "/.dockerignore"))
        }
        return out
    }

    /// The first candidate that `read` returns bytes for (nil: no ignore file). `read` gets
    /// each path of `candidates` in order and returns nil for a file that does not exist;
    /// by default it reads the disk.
    public static func select(dockerfile: String, contextDirectory: String?,
                              read: (String) -> [UInt8]? = IgnoreFile.readFile) -> Selected? {
        for path in candidates(dockerfile: dockerfile, contextDirectory: contextDirectory) {
            if let bytes = read(path) { return Selected(path: path, bytes: bytes) }
        }
        return nil
    }

    /// The names of the ignore files a build context may hold for `dockerfile` (relative to
    /// the context): `<dir>/<name>.dockerignore` and `.dockerignore`. The builder reads them
    /// itself, so a copy of the context keeps them even when they are ignored.
    public static func names(contextRelativeDockerfile dockerfile: String) -> [String] {
        [goPathClean(dockerfile) + ".dockerignore", ".dockerignore"]
    }

    /// The bytes of a regular file, or nil when it does not exist, cannot be read or is not
    /// a regular file (never waits on a named pipe).
    public static func readFile(_ path: String) -> [UInt8]? {
        try? RegularFile.read(path)
    }

    /// The first candidate that exists when it is not a regular file (a named pipe, socket,
    /// device or directory): the builders would hang on it or fail, so it is an error.
    public static func specialCandidate(dockerfile: String, contextDirectory: String?) -> FileReadError? {
        for path in candidates(dockerfile: dockerfile, contextDirectory: contextDirectory) {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFREG { return nil }
            return FileReadError(path: path, message: "not a regular file (\(RegularFile.kindName(st.st_mode))); an ignore file must be one",
                                 isSpecialFile: true)
        }
        return nil
    }
}
