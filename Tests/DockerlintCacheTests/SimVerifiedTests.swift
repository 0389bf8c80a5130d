import Foundation
import Testing
@testable import DockerlintCache
import DockerlintModel
#if canImport(Glibc)
import Glibc
#endif

/// Every row of CACHE-SEMANTICS §7, both engines: a real context directory, a first build to
/// fill the cache, the row's mutation, and the predicted status of each step of interest.
@Suite("simulator: §7 verified experiments")
struct SimVerifiedTests {
    static let fixed = Date(timeIntervalSince1970: 1_600_000_000)

    func copyLab() throws -> SimLab {
        try SimLab(["Dockerfile": "FROM alpine\nCOPY a.txt /a.txt\nRUN echo e\n", "a.txt": "aaaa\n"])
    }

    @Test func e1ChmodOfACopiedFileMissesInBoth() throws {
        let lab = try copyLab()
        _ = try lab.build()
        try lab.dir.chmod("a.txt", 0o755)
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY a.txt") == .miss)
        #expect(classic.status("COPY a.txt") == .miss)
        #expect(bk.reason("COPY a.txt").contains("a.txt permissions changed"))
        #expect(bk.status("RUN") == .miss && bk.reason("RUN").contains("parent step re-ran"))
    }

    @Test func e2MtimeOnlyHitsInBoth() throws {
        let lab = try copyLab()
        _ = try lab.build()
        try lab.dir.setMtime("a.txt", Date(timeIntervalSince1970: 978_307_200))
        let (bk, classic) = try lab.build()
        for p in [bk, classic] {
            #expect(p.status("COPY a.txt") == .hit)
            #expect(p.status("RUN") == .hit)
        }
    }

    @Test func e3ChownOnlyHitsInBoth() throws {
        let lab = try copyLab()
        _ = try lab.build()
        _ = chown(lab.dir.path + "/a.txt", 1234, 1234)  // needs root; the snapshot ignores owners anyway
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY a.txt") == .hit)
        #expect(classic.status("COPY a.txt") == .hit)
    }

    @Test func e4UserXattrHitsInBoth() throws {
        let lab = try copyLab()
        _ = try lab.build()
        // May be unsupported by the file system; either way the prediction is a hit.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import os,sys; os.setxattr(sys.argv[1], 'user.foo', b'bar')", lab.dir.path + "/a.txt"]
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY a.txt") == .hit)
        #expect(classic.status("COPY a.txt") == .hit)
    }

    func argLab() throws -> SimLab {
        try SimLab(["Dockerfile": "ARG G=1\nFROM alpine\nRUN echo before\nARG FOO\nRUN echo after\n"])
    }

    @Test func e5DeclaredUnusedArgRekeysOnlyLaterRuns() throws {
        let lab = try argLab()
        _ = try lab.build(["FOO": "1"])
        let (bk, classic) = try lab.build(["FOO": "2"])
        #expect(classic.status("ARG FOO") == .hit)
        #expect(classic.reason("ARG FOO").contains("Dockerfile default"))
        for p in [bk, classic] {
            #expect(p.status("RUN echo before") == .hit)
            #expect(p.status("RUN echo after") == .miss)
            #expect(p.reason("RUN echo after") == "ARG FOO changed")
        }
        #expect(bk.step("ARG FOO") == nil)  // not a BuildKit vertex
    }

    @Test func e5GlobalArgAndUndeclaredBuildArgHit() throws {
        let lab = try argLab()
        _ = try lab.build(["FOO": "1"])
        let (bk, classic) = try lab.build(["FOO": "1", "G": "2", "BAR": "x"])
        for p in [bk, classic] {
            #expect(p.missCount == 0, "\(p.statuses)")
        }
    }

    @Test func e5DroppingTheValueMisses() throws {
        let lab = try argLab()
        _ = try lab.build(["FOO": "1"])
        let (bk, classic) = try lab.build()
        for p in [bk, classic] {
            #expect(p.status("RUN echo before") == .hit)
            #expect(p.status("RUN echo after") == .miss)
            #expect(p.reason("RUN echo after") == "ARG FOO no longer has a value")
        }
    }

    func contextLab(ignore: String) throws -> SimLab {
        try SimLab(["Dockerfile": "FROM alpine\nCOPY . /app\nRUN echo e6\n", ".dockerignore": ignore,
                    "app.py": "print(1)\n", "ignored.txt": "x\n"])
    }

    @Test func e6EditingAnIgnoredFileHits() throws {
        let lab = try contextLab(ignore: "ignored.txt\n")
        _ = try lab.build()
        try lab.dir.write("ignored.txt", "changed\n")
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY . /app") == .hit)
        #expect(classic.status("COPY . /app") == .hit)
    }

    @Test func e6DockerfileCommentMissesCopyDot() throws {
        let lab = try contextLab(ignore: "ignored.txt\n")
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "# a comment\nFROM alpine\nCOPY . /app\nRUN echo e6\n")
        let (bk, classic) = try lab.build()
        for p in [bk, classic] {
            #expect(p.status("COPY . /app") == .miss)
            #expect(p.reason("COPY . /app") == "Dockerfile changed (COPY . /app)")
            #expect(p.step("COPY . /app")?.line == 3)
        }
    }

    @Test func e14IgnoredDockerfileAndDockerignoreHit() throws {
        let lab = try contextLab(ignore: "ignored.txt\nDockerfile\n.dockerignore\n")
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "# a comment\nFROM alpine\nCOPY . /app\nRUN echo e6\n")
        try lab.dir.write(".dockerignore", "ignored.txt\nDockerfile\n.dockerignore\n# more\n")
        let (bk, classic) = try lab.build()
        #expect(bk.missCount == 0, "\(bk.statuses)")
        #expect(classic.missCount == 0, "\(classic.statuses)")
    }

    @Test func e7LabelChangeMissesOnlyInClassic() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nLABEL x=1\nRUN echo e7\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nLABEL x=2\nRUN echo e7\n")
        let (bk, classic) = try lab.build()
        #expect(classic.status("LABEL") == .miss)
        #expect(classic.reason("LABEL") == "LABEL x changed")
        #expect(classic.status("RUN") == .miss)
        #expect(classic.step("RUN")?.cause == .cacheBusted)
        #expect(bk.step("LABEL") == nil)
        #expect(bk.missCount == 0)
    }

    @Test func e7CmdAndExposeMissFromExposeOnInClassic() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nRUN echo a\nEXPOSE 80\nCMD [\"a\"]\nRUN echo b\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nRUN echo a\nEXPOSE 81\nCMD [\"b\"]\nRUN echo b\n")
        let (bk, classic) = try lab.build()
        #expect(classic.status("RUN echo a") == .hit)
        #expect(classic.status("EXPOSE") == .miss)
        #expect(classic.status("CMD") == .miss)
        #expect(classic.status("RUN echo b") == .miss)
        #expect(bk.missCount == 0)
    }

    @Test func e7EnvChangeRekeysRunNotCopyInBuildKit() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nENV X=1\nCOPY a.txt /a.txt\nRUN echo e7\n", "a.txt": "a\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nENV X=2\nCOPY a.txt /a.txt\nRUN echo e7\n")
        let (bk, classic) = try lab.build()
        #expect(classic.status("ENV") == .miss)
        #expect(classic.status("COPY") == .miss)
        #expect(classic.status("RUN") == .miss)
        #expect(bk.status("COPY") == .hit)
        #expect(bk.status("RUN") == .miss)
        #expect(bk.reason("RUN") == "ENV X changed")
    }

    @Test func e12UserChangeRekeysRunNotCopyInBuildKit() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nUSER root\nCOPY a.txt /a.txt\nRUN echo e12\n", "a.txt": "a\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nUSER 0\nCOPY a.txt /a.txt\nRUN echo e12\n")
        let (bk, classic) = try lab.build()
        #expect(classic.status("USER") == .miss)
        #expect(classic.status("COPY") == .miss)
        #expect(classic.status("RUN") == .miss)
        #expect(bk.status("COPY") == .hit)
        #expect(bk.status("RUN") == .miss)
        #expect(bk.reason("RUN") == "USER changed (root → 0)")
    }

    @Test func e15WorkdirChangeMissesFromWorkdirOnInBoth() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nWORKDIR /w1\nCOPY a.txt /abs/a.txt\nRUN echo e15\n", "a.txt": "a\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nWORKDIR /w2\nCOPY a.txt /abs/a.txt\nRUN echo e15\n")
        let (bk, classic) = try lab.build()
        for p in [bk, classic] {
            #expect(p.status("WORKDIR") == .miss)
            #expect(p.status("COPY") == .miss)
            #expect(p.status("RUN") == .miss)
        }
        #expect(bk.reason("WORKDIR") == "WORKDIR changed (/w1 → /w2)")
        #expect(bk.reason("COPY") == "parent step re-ran (line 2 WORKDIR)")
    }

    /// CACHE-SEMANTICS, WORKDIR row: BuildKit's mkdir path is cleaned but later RUNs get
    /// the absolute WORKDIR as written; the classic builder compares the text.
    @Test func workdirTrailingSlashHitsTheMkdirAndMissesTheRunInBuildKit() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nWORKDIR /opt/app\nCOPY a.txt /abs/\nCOPY a.txt rel/\nRUN echo wd\n", "a.txt": "a\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nWORKDIR /opt/app/\nCOPY a.txt /abs/\nCOPY a.txt rel/\nRUN echo wd\n")
        let (bk, classic) = try lab.build()
        #expect(bk.status("WORKDIR") == .hit)
        #expect(bk.status("COPY a.txt /abs/") == .hit)
        #expect(bk.status("COPY a.txt rel/") == .hit)
        #expect(bk.status("RUN") == .miss)
        #expect(bk.reason("RUN") == "WORKDIR changed (/opt/app → /opt/app/)")
        #expect(classic.status("WORKDIR") == .miss)
        #expect(classic.status("RUN") == .miss)
    }

    @Test func e8UnusedStageRunsOnlyInClassic() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine AS unused\nRUN echo unused\nFROM alpine\nRUN echo main\n"])
        let (bk, classic) = try lab.build()
        #expect(classic.status("RUN echo unused") == .miss)
        #expect(bk.status("RUN echo unused") == .notBuilt)
        #expect(bk.reason("RUN echo unused") == "stage not needed for target stage-1")
        #expect(bk.status("RUN echo main") == .miss)
    }

    @Test func e9CopyFromARerunStageWithIdenticalOutputHits() throws {
        let lab = try SimLab(["Dockerfile": """
            FROM alpine AS gen
            ARG V=1
            RUN echo same > /out.txt
            FROM alpine
            RUN echo main
            COPY --from=gen /out.txt /out.txt
            RUN echo after

            """])
        _ = try lab.build()
        let (bk, classic) = try lab.build(["V": "2"])
        for p in [bk, classic] {
            #expect(p.status("RUN echo same") == .miss)
            #expect(p.reason("RUN echo same") == "ARG V changed")
            #expect(p.status("RUN echo main") == .hit)
            #expect(p.status("COPY --from=gen") == .hit)
            #expect(p.step("COPY --from=gen")?.cause == .contentUnchanged)
            #expect(p.status("RUN echo after") == .hit)
        }
    }

    @Test func e10BindMountIsKeyedByTheBoundFileOnly() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nRUN --mount=type=bind,source=a.txt,target=/a.txt cat /a.txt\n",
                              "a.txt": "a\n", "b.txt": "b\n"])
        _ = try lab.build()
        try lab.dir.write("b.txt", "b2\n")
        #expect(try lab.build().bk.status("RUN") == .hit)
        try lab.dir.write("a.txt", "a2\n")
        let bk = try lab.build().bk
        #expect(bk.status("RUN") == .miss)
        #expect(bk.reason("RUN") == "a.txt changed (RUN --mount=type=bind,source=a.txt)")
    }

    func dirLab() throws -> SimLab {
        try SimLab(["Dockerfile": "FROM alpine\nCOPY d /d\nRUN echo e11\n", "d/x.txt": "x\n", "d/y.txt": "y\n"])
    }

    @Test func e11DirectoryChmodHitsInBuildKitMissesInClassic() throws {
        let lab = try dirLab()
        _ = try lab.build()
        try lab.dir.chmod("d", 0o700)
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY d") == .hit)
        #expect(classic.status("COPY d") == .miss)
        #expect(classic.reason("COPY d") == "d permissions changed (COPY d /d)")
    }

    @Test func e11EmptySubdirectoryMissesInBoth() throws {
        let lab = try dirLab()
        _ = try lab.build()
        try lab.dir.mkdir("d/empty")
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY d") == .miss)
        #expect(classic.status("COPY d") == .miss)
        #expect(bk.reason("COPY d") == "d/empty added (COPY d /d)")
    }

    @Test func e11RenameMissesInBoth() throws {
        let lab = try dirLab()
        _ = try lab.build()
        try lab.dir.move("d/x.txt", "d/z.txt")
        let (bk, classic) = try lab.build()
        #expect(bk.status("COPY d") == .miss)
        #expect(classic.status("COPY d") == .miss)
        #expect(bk.reason("COPY d").contains("d/x.txt"))
    }

    @Test func e16ChmodThenFreshTransferFromANewPath() throws {
        let lab = try dirLab()
        _ = try lab.build()
        try lab.dir.chmod("d", 0o700)
        let second = try lab.build()
        #expect(second.classic.status("COPY d") == .miss)
        #expect(second.bk.status("COPY d") == .hit)
        // Copy the whole context (mode 700 kept) to a brand-new directory: a fresh transfer.
        let fresh = try TempDir()
        try FileManager.default.removeItem(atPath: fresh.path)
        try FileManager.default.copyItem(atPath: lab.dir.path, toPath: fresh.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: fresh.path + "/d")
        let third = try lab.build(context: fresh.path)
        #expect(third.classic.status("COPY d") == .hit)  // the key equals the 700 state
        #expect(third.bk.status("COPY d") == .hit)       // never missed
    }

    @Test func e13SameSizeRewriteWithMtimeRestoredIsAStaleHitInBuildKit() throws {
        let lab = try copyLab()
        try lab.dir.setMtime("a.txt", Self.fixed)
        _ = try lab.build()
        try lab.dir.write("a.txt", "bbbb\n")  // same size
        try lab.dir.setMtime("a.txt", Self.fixed)
        let (bk, classic) = try lab.build()
        #expect(classic.status("COPY a.txt") == .miss)
        #expect(bk.status("COPY a.txt") == .hit)
        #expect(bk.step("COPY a.txt")?.cause == .staleTransfer)
        #expect(bk.staleFiles == ["a.txt"])
        // Touching the file again (new mtime) sends it: now BuildKit misses too.
        try lab.dir.setMtime("a.txt", Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try lab.build().bk.status("COPY a.txt") == .miss)
    }

    @Test func e17ParserNormalisation() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nRUN echo a \\\n  && echo b\n"])
        _ = try lab.build()
        try lab.dir.write("Dockerfile", "FROM alpine\nRUN echo a \\\n# note\n  && echo b   \n")
        var p = try lab.build()
        #expect(p.bk.status("RUN") == .hit && p.classic.status("RUN") == .hit, "\(p.bk.statuses)")
        try lab.dir.write("Dockerfile", "FROM alpine\nRUN echo a \\\n    && echo b\n")
        p = try lab.build()
        #expect(p.bk.status("RUN") == .miss && p.classic.status("RUN") == .miss)
    }
}
