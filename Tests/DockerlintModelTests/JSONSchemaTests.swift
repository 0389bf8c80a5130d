import Foundation
import Testing
import DockerlintSyntax
@testable import DockerlintModel

@Suite("JSON output")
struct JSONSchemaTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = repoRoot.appendingPathComponent("reports/schemas/parse-output.schema.json")

    static let sample = """
    # syntax=docker/dockerfile:1
    # check=error=true
    ARG BASE=alpine:3.19
    ARG UNSET
    FROM --platform=$BUILDPLATFORM ${BASE} AS Builder
    # the build
    ARG VERSION=1.0
    ENV APP_HOME=/app PATH="/app/bin:$PATH"
    ENV LEGACY value with spaces
    WORKDIR $APP_HOME
    RUN --mount=type=cache,target=/root/.cache,id=${VERSION} \\
        --mount=type=secret,id=token,env=TOKEN \\
        --network=none make build
    COPY --chown=app:app --chmod=0755 --link --exclude=*.md src/ ./src/
    ADD --checksum=sha256:abc --keep-git-dir https://example.com/a.tgz /opt/
    ONBUILD RUN echo child
    LABEL org.opencontainers.image.version=$VERSION
    EXPOSE 8080/tcp 9000-9001/udp
    HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-f", "http://localhost/"]
    USER app
    VOLUME ["/data"]
    STOPSIGNAL SIGTERM
    SHELL ["/bin/bash", "-c"]
    CMD ["./app"]
    ENTRYPOINT ["/entry"]
    MAINTAINER someone
    FROM builder AS final
    COPY --from=builder /app/out /usr/local/bin/
    COPY --from=nginx:latest /etc/nginx /etc/nginx
    RUN --mount=type=bogus true
    FOO bar
    """

    func validate(_ json: String) throws -> (Int32, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.json")
        try json.write(to: out, atomically: true, encoding: .utf8)
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errs = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
        for e in errs[:5]: print(list(e.path), e.message)
        sys.exit(1 if errs else 0)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, Self.schema.path, out.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (p.terminationStatus, text)
    }

    @Test func realOutputMatchesSchema() throws {
        let m = model(Self.sample)
        #expect(!m.errors.isEmpty)
        let (status, text) = try validate(m.json())
        #expect(status == 0, "schema violations: \(text)")
    }

    @Test func outputContent() throws {
        let m = model(Self.sample, buildArgs: ["VERSION": "2.0"])
        let obj = try JSONSerialization.jsonObject(with: Data(m.json().utf8)) as? [String: Any]
        let stages = obj?["stages"] as? [[String: Any]]
        #expect(stages?.count == 2)
        #expect(stages?[0]["name"] as? String == "builder")
        #expect(stages?[0]["baseName"] as? String == "alpine:3.19")
        let base = stages?[1]["base"] as? [String: Any]
        #expect(base?["kind"] as? String == "stage" && base?["stage"] as? Int == 0)
        let errs = (obj?["errors"] as? [[String: Any]])?.compactMap { $0["message"] as? String }
        #expect(errs == ["unsupported mount type \"bogus\"", "unknown instruction: FOO (did you mean FROM?)"])
        let target = obj?["target"] as? [String: Any]
        #expect(target?["buildkitStages"] as? [Int] == [0, 1])
        // The build arg reached the cache id of the mount.
        let run = (stages?[0]["instructions"] as? [[String: Any]])?.first { $0["instruction"] as? String == "RUN" }
        let mounts = (run?["resolved"] as? [String: Any])?["mounts"] as? [[String: Any]]
        #expect(mounts?.first?["id"] as? String == "2.0")
    }

    @Test func emptyAndBrokenFilesStillRender() throws {
        for text in ["", "RUN x\n", "FROM\n", "ARG A\n"] {
            let (status, out) = try validate(model(text).json())
            #expect(status == 0, "\(text.debugDescription): \(out)")
        }
    }
}
