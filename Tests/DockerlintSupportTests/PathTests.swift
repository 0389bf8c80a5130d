import DockerlintSupport
import Foundation
import Testing

@Suite struct GoPathTests {
    @Test func clean() {
        #expect(goPathClean("./a/../b") == "b")
        #expect(goPathClean("/foo/") == "/foo")
        #expect(goPathClean("a//b/./c/..") == "a/b")
        #expect(goPathClean("../x") == "../x")
        #expect(goPathClean("/../x") == "/x")
        #expect(goPathClean("") == ".")
    }

    @Test func join() {
        #expect(goPathJoin("/app", "src/../lib") == "/app/lib")
        #expect(goPathJoin("", "a/") == "a")
        #expect(goPathJoin("a", "") == "a")
        #expect(goPathJoin("", "") == "")
        #expect(goPathJoin("/", "..") == "/")
    }

    @Test func match() throws {
        #expect(try goPathMatch("*.txt", "a.txt"))
        #expect(try !goPathMatch("*.txt", "d/a.txt"))
        #expect(try goPathMatch("d/*", "d/a"))
        #expect(try goPathMatch("[!a]", "!"))  // Go negates with ^ only
        #expect(try goPathMatch("[^a]", "b"))
        #expect(try goPathMatch("a\\*b", "a*b"))
        #expect(throws: GoBadPatternError.self) { try goPathMatch("[", "x") }
        #expect(goPatternIsMalformed("a[") && !goPatternIsMalformed("a[b]"))
        #expect(goContainsWildcards("a/*.txt"))
        #expect(!goContainsWildcards("a\\*.txt"))
    }
}

@Suite struct GlobMatchTests {
    @Test func configurationPaths() {
        #expect(GlobMatch.matches(pattern: "Dockerfile.*", path: "a/b/Dockerfile.dev"))
        #expect(GlobMatch.matches(pattern: "services/**/Dockerfile", path: "services/a/b/Dockerfile"))
        #expect(GlobMatch.matches(pattern: "services/**/Dockerfile", path: "services/Dockerfile"))
        #expect(!GlobMatch.matches(pattern: "services/*/Dockerfile", path: "services/a/b/Dockerfile"))
        #expect(GlobMatch.matches(pattern: "svc/*.df", path: "./x/svc/a.df"))
    }

    /// Whole-text wildcards (report gates match step texts, which hold `/`).
    @Test func wildcard() {
        #expect(GlobMatch.wildcard("RUN pip install*", "RUN pip install -r /app/requirements.txt"))
        #expect(GlobMatch.wildcard("COPY ? /app", "COPY . /app"))
        #expect(!GlobMatch.wildcard("COPY ? /app", "COPY .. /app"))
        #expect(GlobMatch.wildcard("*", ""))
        #expect(!GlobMatch.wildcard("line 1", "line 12"))
    }
}

@Suite struct RegularFileTests {
    /// A file over the limit names both sizes as they are: 1.5 MiB used to be printed as
    /// `1 MiB, more than the limit of 1 MiB`.
    @Test func sizeOverTheLimitIsShownExactly() throws {
        let path = FileManager.default.temporaryDirectory.path + "/dockerlint-limit-\(UUID().uuidString)"
        try Data(count: 3 << 19).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FileReadError(path: path, message: "the configuration is 1.5 MiB, more than the limit of 1.0 MiB")) {
            try RegularFile.read(path, limit: 1 << 20, what: "configuration")
        }
        #expect(try RegularFile.read(path, limit: 2 << 20).count == 3 << 19)
    }

    /// A file is read whole whatever its size: empty, smaller and larger than one read.
    @Test func readsEveryByte() throws {
        let path = FileManager.default.temporaryDirectory.path + "/dockerlint-read-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for size in [0, 1, 1040, 65_536, 200_001] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try RegularFile.read(path) == bytes)
            #expect(try RegularFile.read(path, limit: size) == bytes)
        }
    }
}

@Suite struct FolderNamesTests {
    @Test func namesOfAFolder() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/dockerlint-names-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["compose.yaml", ".hidden", "Dockerfile", "été.yml", "sub"] {
            if name == "sub" {
                try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: false)
            } else {
                try Data().write(to: URL(fileURLWithPath: dir + "/" + name))
            }
        }
        #expect(FolderNames.read(dir)?.sorted() == [".hidden", "Dockerfile", "compose.yaml", "sub", "été.yml"])
        #expect(FolderNames.read(dir) { FolderNames.name($0, endsWith: ".yml") || FolderNames.name($0, endsWith: ".yaml") }?.sorted()
                == ["compose.yaml", "été.yml"])
        #expect(FolderNames.read(dir) { FolderNames.name($0, startsWith: "compose.") } == ["compose.yaml"])
        #expect(FolderNames.read(dir + "/missing") == nil)
        #expect(FolderNames.read(dir + "/Dockerfile") == nil)
    }
}
