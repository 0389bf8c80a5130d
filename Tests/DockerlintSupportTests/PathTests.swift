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
}
