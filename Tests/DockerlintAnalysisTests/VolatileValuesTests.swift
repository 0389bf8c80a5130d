@testable import DockerlintAnalysis
import Foundation
import Testing

/// Which build arguments a project's CI sets to a new value on every build.
@Suite struct VolatileValuesFromCI {
    @Test func commitsAndRunNumbersAreNotRefs() throws {
        let dir = NSTemporaryDirectory() + "dockerlint-volatile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/.github/workflows", withIntermediateDirectories: true)
        try """
            jobs:
              build:
                steps:
                  - uses: docker/build-push-action@v6
                    with:
                      build-args: |
                        GIT_COMMIT=${{ github.sha }}
                        BUILD_NO=1.0-${{ github.run_number }}
                        APP_VERSION=${{ github.ref_name }}
                        BRANCH=${{ env.GITHUB_REF_SLUG }}
            """.write(toFile: dir + "/.github/workflows/docker.yml", atomically: true, encoding: .utf8)
        let found = VolatileValues.fromCI(DiskProjectFiles(root: dir))
        #expect(found["GIT_COMMIT"] == ".github/workflows/docker.yml:7 passes a per-build value")
        #expect(found["BUILD_NO"] != nil)
        // A branch or tag name is the same for every commit of the branch, new once per release.
        #expect(found["APP_VERSION"] == nil, "\(found)")
        #expect(found["BRANCH"] == nil, "\(found)")
    }

    /// Several assignments on one line (a Makefile recipe): each name by its own value.
    /// A name is judged by what its last word says it holds: paperless's S6_BUILD_TIME_PKGS is
    /// a package list, not a build time.
    @Test func theLastWordSaysWhatTheValueIs() {
        #expect(VolatileValues.byName("S6_BUILD_TIME_PKGS") == nil)
        #expect(VolatileValues.byName("BUILD_DATE_FORMAT") == nil)
        #expect(VolatileValues.byName("GIT_COMMIT_HASH") != nil)
        #expect(VolatileValues.byName("BUILD_TIME") != nil)
        #expect(VolatileValues.byName("BUILD_DATE") != nil)
        #expect(VolatileValues.byName("COMMIT_SHA") != nil)
    }

    @Test func eachAssignmentByItsOwnValue() throws {
        let dir = NSTemporaryDirectory() + "dockerlint-volatile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "image:\n\tdocker build --build-arg SKIP_FRONTEND_TEST=true --build-arg GITHUB_SHA=$(GITHUB_SHA) --build-arg CI=true .\n"
            .write(toFile: dir + "/Makefile", atomically: true, encoding: .utf8)
        let found = VolatileValues.fromCI(DiskProjectFiles(root: dir))
        #expect(found["GITHUB_SHA"] == "Makefile:2 passes a per-build value", "\(found)")
        #expect(found["SKIP_FRONTEND_TEST"] == nil, "\(found)")
        #expect(found["CI"] == nil, "\(found)")
    }

    /// remark42's Makefile: top-level make variables are not build arguments (one holds the
    /// branch, `git rev-parse --symbolic-full-name HEAD`); a recipe line that passes one to a
    /// build is where a per-build value reaches it.
    @Test func makeVariablesReachABuildOnlyThroughARecipe() throws {
        let dir = NSTemporaryDirectory() + "dockerlint-volatile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
            GITHUB_REF=$(shell git rev-parse --symbolic-full-name HEAD)
            GITHUB_SHA=$(shell git rev-parse --short HEAD)
            SHA := $(shell git rev-parse HEAD)
            export BUILD_STAMP := $(shell date +%s)

            image:
            	docker build --build-arg REVISION=$(SHA) --build-arg BRANCH=$(GITHUB_REF) .

            rundev:
            	GITHUB_REF=$(GITHUB_REF) GITHUB_SHA=$(GITHUB_SHA) CI=true \\
            		docker compose build

            """.write(toFile: dir + "/Makefile", atomically: true, encoding: .utf8)
        let found = VolatileValues.fromCI(DiskProjectFiles(root: dir))
        #expect(found["REVISION"] == "Makefile:7 passes a per-build value", "\(found)")
        #expect(found["GITHUB_SHA"] == "Makefile:10 passes a per-build value", "\(found)")
        #expect(found["BUILD_STAMP"] == "Makefile:4 exports a per-build value", "\(found)")
        // A branch, and make variables no recipe passes as themselves.
        #expect(found["GITHUB_REF"] == nil && found["BRANCH"] == nil && found["SHA"] == nil && found["CI"] == nil, "\(found)")
    }

    /// A workflow_run's head commit is per build, its branch is not; a metadata step's outputs
    /// by what they hold: its labels (whole, or the created and revision ones picked from its
    /// json) change per build, its version and tags name the branch or the release
    /// (homepage's VERSION) unless its tags are made of the commit.
    @Test func workflowRunAndMetadataOutputs() throws {
        let dir = NSTemporaryDirectory() + "dockerlint-volatile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/.github/workflows", withIntermediateDirectories: true)
        func workflow(_ tags: String, id: String = "meta", uses: String = "docker/metadata-action@v5") throws -> [String: String] {
            try """
                jobs:
                  build:
                    steps:
                      - name: Docker meta
                        id: \(id)
                        uses: \(uses)
                        with:
                          tags: \(tags)
                      - uses: docker/build-push-action@v6
                        with:
                          build-args: |
                            GITHUB_SHA=${{ github.event.workflow_run.head_sha }}
                            GITHUB_REF=refs/heads/${{ github.event.workflow_run.head_branch }}
                            BUILDTIME=${{ fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.created'] }}
                            VERSION=${{ fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.version'] }}
                            REVISION=${{ fromJSON(steps.meta.outputs.json).labels['org.opencontainers.image.revision'] }}
                            TAGS=${{ steps.meta.outputs.tags }}
                            LABELS=${{ steps.meta.outputs.labels }}
                            APP_VERSION=${{ steps.meta.outputs.version }}
                      - run: docker build --build-arg BRANCH_NAME=$(git rev-parse --abbrev-ref HEAD) .
                """.write(toFile: dir + "/.github/workflows/docker.yml", atomically: true, encoding: .utf8)
            return VolatileValues.fromCI(DiskProjectFiles(root: dir))
        }
        var found = try workflow("type=ref,event=branch")
        #expect(found["GITHUB_SHA"] == ".github/workflows/docker.yml:12 passes a per-build value", "\(found)")
        #expect(found["BUILDTIME"] != nil && found["REVISION"] != nil && found["LABELS"] != nil, "\(found)")
        #expect(found["GITHUB_REF"] == nil && found["VERSION"] == nil && found["TAGS"] == nil && found["APP_VERSION"] == nil
                && found["BRANCH_NAME"] == nil, "\(found)")
        // Tags made of the commit change per build; the version stays the branch's.
        found = try workflow("type=sha")
        #expect(found["TAGS"] != nil && found["APP_VERSION"] == nil, "\(found)")
        // Another step's outputs are not the action's, whatever its id.
        found = try workflow("type=sha", uses: "./.github/actions/meta")
        #expect(found["BUILDTIME"] == nil && found["LABELS"] == nil && found["TAGS"] == nil, "\(found)")
        found = try workflow("type=ref,event=tag", id: "docker_meta")
        #expect(found["LABELS"] == nil, "\(found)")
    }
    /// coolify's workflows: a `run:` step writes a version made of the commit to
    /// `$GITHUB_OUTPUT` (directly, or through a shell variable set from it) and the build
    /// passes `steps.<id>.outputs.version`, or a job maps it to a job output that another job
    /// passes as `needs.<job>.outputs.version`. An output made of a ref or a file's content is
    /// not per build, nor is a step of another job that has the same id.
    @Test func runStepOutputsThatHoldTheCommit() throws {
        let dir = NSTemporaryDirectory() + "dockerlint-volatile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/.github/workflows", withIntermediateDirectories: true)
        try """
            on:
              push:
                branches: ["main"]
            jobs:
              build-push:
                outputs:
                  short_sha: ${{ steps.version.outputs.short_sha }}
                strategy:
                  matrix:
                    include:
                      - arch: amd64
                runs-on: ubuntu-24.04
                steps:
                  - uses: actions/checkout@v5
                  - name: Resolve internal version
                    id: version
                    run: |
                      BASE_VERSION=$(php bootstrap/getVersion.php)
                      echo "version=${BASE_VERSION}-dev.${GITHUB_SHA::9}" >> "$GITHUB_OUTPUT"
                      echo "base=${BASE_VERSION}" >> "$GITHUB_OUTPUT"
                  - uses: docker/build-push-action@v6
                    with:
                      build-args: |
                        COOLIFY_VERSION=${{ steps.version.outputs.version }}
                        BASE_VERSION=${{ steps.version.outputs.base }}
              other:
                runs-on: ubuntu-24.04
                steps:
                  - id: version
                    run: echo "version=${GITHUB_REF_NAME}" >> $GITHUB_OUTPUT
                  - uses: docker/build-push-action@v6
                    with:
                      build-args: |
                        OTHER_VERSION=${{ steps.version.outputs.version }}
            """.write(toFile: dir + "/.github/workflows/sha.yml", atomically: true, encoding: .utf8)
        try """
            jobs:
              prepare:
                runs-on: ubuntu-24.04
                outputs:
                  rc_version: ${{ steps.version.outputs.rc_version }}
                  version: ${{ steps.version.outputs.version }}
                  stamp: ${{ steps.stamp.outputs.value }}
                steps:
                  - name: Resolve next version
                    id: version
                    run: |
                      RC_VERSION=$(jq -r '.coolify.nightly.version' versions.json)
                      SHORT_SHA="${GITHUB_SHA::7}"
                      VERSION="${RC_VERSION}.${SHORT_SHA}"
                      echo "rc_version=${RC_VERSION}" >> "$GITHUB_OUTPUT"
                      echo "version=${VERSION}" >> "$GITHUB_OUTPUT"
                  - id: stamp
                    run: |
                      stamp=$GITHUB_SHA
                      stamp=fixed
                      echo "value=$stamp" >> "$GITHUB_OUTPUT"
              build:
                needs: prepare
                steps:
                  - uses: docker/build-push-action@v6
                    with:
                      build-args: |
                        NEXT_VERSION=${{ needs.prepare.outputs.version }}
                        RC_VERSION=${{ needs.prepare.outputs.rc_version }}
                        STAMP=${{ needs.prepare.outputs.stamp }}
            """.write(toFile: dir + "/.github/workflows/next.yml", atomically: true, encoding: .utf8)
        let found = VolatileValues.fromCI(DiskProjectFiles(root: dir))
        #expect(found["COOLIFY_VERSION"] == ".github/workflows/sha.yml:24 passes a per-build value", "\(found)")
        #expect(found["NEXT_VERSION"] == ".github/workflows/next.yml:28 passes a per-build value", "\(found)")
        #expect(found["BASE_VERSION"] == nil && found["OTHER_VERSION"] == nil && found["RC_VERSION"] == nil && found["STAMP"] == nil,
                "\(found)")
    }

    /// A run step's script is read as the shell runs it, not line by line: an assignment and
    /// the echo in one line, two echos or two assignments in one line, a `|` or a variable
    /// inside quotes, echo's options, `>`, a continuation line. A pipeline whose end appends to
    /// the file, a condition and GitHub's `${{ }}` are read as before.
    @Test func runScriptsAreReadAsTheShellRunsThem() {
        func outputs(_ script: String) -> [String] {
            WorkflowOutputs.perBuildOutputs(script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
        #expect(outputs("SHA=$(git rev-parse --short HEAD) && echo \"sha=$SHA\" >> \"$GITHUB_OUTPUT\"") == ["sha"])
        #expect(outputs("echo \"a=b\" >> $GITHUB_ENV; echo \"sha=${GITHUB_SHA::7}\" >> $GITHUB_OUTPUT") == ["sha"])
        #expect(outputs("echo \"sha=$GITHUB_SHA\" >> $GITHUB_ENV; echo \"a=b\" >> $GITHUB_OUTPUT") == [])
        #expect(outputs("A=1 B=$GITHUB_SHA\necho \"a=$A\" >> $GITHUB_OUTPUT\necho \"b=$B\" >> $GITHUB_OUTPUT") == ["b"])
        #expect(outputs("echo \"list=a|${GITHUB_SHA}\" >> $GITHUB_OUTPUT") == ["list"])
        // Single quotes expand nothing: the output is the variable's name.
        #expect(outputs("SHA=$GITHUB_SHA\necho 'sha=$SHA' >> $GITHUB_OUTPUT\necho \"full=$SHA\" >> $GITHUB_OUTPUT") == ["full"])
        #expect(outputs("echo -n \"sha=$GITHUB_SHA\" >> $GITHUB_OUTPUT") == ["sha"])
        #expect(outputs("echo \"sha=$GITHUB_SHA\" > $GITHUB_OUTPUT") == ["sha"])
        #expect(outputs("echo \\\n  \"sha=$GITHUB_SHA\" >> $GITHUB_OUTPUT") == ["sha"])
        // As before.
        #expect(outputs("echo \"sha=$(git rev-parse HEAD)\" | tr -d ' ' >> $GITHUB_OUTPUT") == ["sha"])
        #expect(outputs("echo \"sha=$GITHUB_SHA\" | tee -a x.txt") == [])
        #expect(outputs("echo \"sha=${{ github.sha }}\" >> $GITHUB_OUTPUT\necho \"ref=${{ github.ref_name }}\" >> $GITHUB_OUTPUT") == ["sha"])
        #expect(outputs("if [ -n \"$X\" ]; then\n  echo \"sha=$GITHUB_SHA\" >> \"${GITHUB_OUTPUT}\"\nfi") == ["sha"])
        #expect(outputs("export V=\"${GITHUB_RUN_NUMBER}\"\necho \"v=${V}\" >> $GITHUB_OUTPUT\nV=1\necho \"w=$V\" >> $GITHUB_OUTPUT") == ["v"])
    }

    /// A make file's variables are looked up by name, not each against every one before it:
    /// 10,000 per-build variables, each passed by a recipe line (a planted or generated
    /// Makefile), are read in linear time (the list scan took two minutes at 4,000, and grew with the square).
    @Test func manyMakeVariablesInLinearTime() throws {
        let dir = NSTemporaryDirectory() + "dockerlint-volatile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let n = 10_000
        var text = "V0 := $(shell git rev-parse HEAD)\n"
        for k in 1..<n { text += "V\(k) := $(V\(k - 1))-\(k)\n" }
        text += "image:\n"
        for k in 0..<n { text += "\tdocker build --build-arg A\(k)=$(V\(k)) --build-arg B\(k)={{ V\(k) }} .\n" }
        try text.write(toFile: dir + "/Makefile", atomically: true, encoding: .utf8)
        let clock = ContinuousClock()
        var found: [String: String] = [:]
        let took = clock.measure { found = VolatileValues.fromCI(DiskProjectFiles(root: dir)) }
        #expect(found.count == 2 * n, "\(found.count)")
        #expect(found["A9999"] == "Makefile:\(n + 2 + 9_999) passes a per-build value")
        #expect(found["B0"] == "Makefile:\(n + 2) passes a per-build value")
        #expect(took < .seconds(60), "\(took)")
    }
    /// A reference is a whole name in make's or just's brackets; a longer name, an unclosed
    /// bracket or another spacing is no reference to it.
    @Test func referencesAreWholeNames() {
        let v: Set<String> = ["SHA", "V_2"]
        for yes in ["$(SHA)", "x-${SHA}-y", "{{SHA}}", "{{ V_2 }}", "$(shell echo $(SHA))", "$$(SHA)"] {
            #expect(VolatileValues.refersTo(yes, v), "\(yes)")
        }
        for no in ["$(SHAX)", "$(XSHA)", "$(SHA", "${SHA", "{{SHA }}", "{{  SHA }}", "$SHA", "SHA", "$(V_2 )", ""] {
            #expect(!VolatileValues.refersTo(no, v), "\(no)")
        }
        #expect(!VolatileValues.refersTo("$(SHA)", []))
    }
}
