import DockerlintAnalysis
import Testing

/// What each step reads and writes.
@Suite struct StepGraphTests {
    @Test func runPathsExpandEnvAndArg() {
        let a = Analysed("""
        FROM alpine
        ARG APP_HOME=/srv/app
        ENV BIN=$APP_HOME/bin
        WORKDIR $APP_HOME
        RUN chmod +x $APP_HOME/run.sh "${BIN}/tool" && mkdir -p logs
        """)
        let s = a.step(5)
        #expect(s.reads.paths.paths.contains("/srv/app/run.sh"))
        #expect(s.reads.paths.paths.contains("/srv/app/bin/tool"))
        #expect(s.writes.paths.paths.contains("/srv/app/logs"))
        #expect(!s.reads.paths.all)
        // chmod and mkdir read no environment; the expansions name APP_HOME and BIN.
        #expect(!s.reads.env.all)
        #expect(s.reads.env.names == ["APP_HOME", "BIN"])
    }

    @Test func unknownProgramsReadEverything() {
        let a = Analysed("FROM alpine\nARG VERSION=1\nRUN make release-binary\nRUN ./build.sh\n")
        for line in [3, 4] {
            let s = a.step(line)
            #expect(s.reads.paths.all)
            #expect(s.reads.env.all)
            #expect(s.writes.paths.all)
        }
    }

    /// coolify's nginx step: grep's pattern built from a command substitution is text, not a
    /// path, and `nginx -v` only prints the version; neither reads the environment. A pattern
    /// that may be an option (`$P`, `-$P`) or given after `-e`, and nginx with any other
    /// argument, stay unknown; so does an unquoted pattern (`@$P` may split into more operands).
    @Test func grepPatternAndNginxVersionAreKnown() {
        let a = Analysed("""
        FROM alpine
        RUN R="$(egrep -o '^[0-9]+' /etc/alpine-release)"; grep -qxF "@nginx ${R}" /etc/apk/repositories || echo "@nginx ${R}" >> /etc/apk/repositories; nginx -v
        RUN grep -q $P /etc/apk/repositories
        RUN grep -q @$P /etc/apk/repositories
        RUN grep -e "@${P}" /etc/apk/repositories
        RUN nginx -t
        """)
        let s = a.step(2)
        #expect(!s.reads.env.all && !s.reads.paths.all, "\(s.notes)")
        #expect(s.reads.paths.paths.contains("/etc/apk/repositories") && s.writes.paths.paths.contains("/etc/apk/repositories"))
        for line in [3, 4, 5, 6] { #expect(a.step(line).reads.env.all, "line \(line)") }
    }

    @Test func unknownVariableMakesPathUnknown() {
        // `$UNSET` may come from the base image: the path is not known.
        let a = Analysed("FROM alpine\nRUN chmod +x $UNSET/run.sh\n")
        #expect(a.step(2).reads.paths.all)
    }

    @Test func unknownVariableMakesCopyDestinationUnknown() {
        // `$CATALINA_HOME` comes from the base image's environment: the files may land anywhere.
        let a = Analysed("FROM tomcat:10.1\nARG CONF=/srv/conf\nCOPY web.xml $CATALINA_HOME/conf/web.xml\nCOPY app.xml ${CONF}/app.xml\nCOPY ${CATALINA_HOME_X:-x}.xml /tmp/\n")
        #expect(a.step(3).writes.paths.all)
        #expect(a.step(3).copied.isEmpty)
        #expect(a.step(3).contextReads == ["web.xml"])
        // A variable of the file is known; one in a source only does not move the destination.
        #expect(a.step(4).writes.paths.paths == ["/srv/conf/app.xml"])
        #expect(!a.step(5).writes.paths.all)
    }

    @Test func cdChangesTheDirectory() {
        let a = Analysed("FROM alpine\nWORKDIR /w\nRUN cd sub && rm -rf cache && cat /etc/os-release\n")
        let s = a.step(3)
        #expect(s.writes.paths.paths == ["/w/sub/cache"])
        #expect(s.reads.paths.paths.contains("/etc/os-release"))
    }

    @Test func systemInstallsReadFewVariables() {
        let a = Analysed("FROM debian\nARG COMMIT\nRUN apt-get update && apt-get install -y curl=7.88.1-10\n")
        let s = a.step(3)
        #expect(!s.reads.env.all)
        #expect(!s.reads.env.contains("COMMIT"))
        #expect(s.readsNetwork)
    }

    @Test func globalNpmInstallsWriteTheGlobalPrefixOnly() {
        let a = Analysed("""
        FROM node:22
        WORKDIR /app
        RUN npm install -g "turbo@^2.10.0"
        RUN npm install --global --prefix /app/tools typescript
        ENV NPM_CONFIG_PREFIX=/home/node/.npm-global
        RUN npm i -g pnpm
        RUN npm install -g ./cli
        RUN npm install turbo
        """)
        // Registry packages installed globally: the prefix, npm's cache; nothing of /app.
        let g = a.step(3)
        #expect(g.writes.paths.paths.contains("/usr/local/lib/node_modules"))
        #expect(!g.writes.paths.paths.contains { $0 == "/app" || $0.hasPrefix("/app/") })
        #expect(!g.reads.paths.paths.contains { $0.hasPrefix("/app") })
        // `--prefix` and NPM_CONFIG_PREFIX say where the global prefix is.
        #expect(a.step(4).writes.paths.paths.contains("/app/tools/lib/node_modules"))
        #expect(a.step(4).writes.paths.paths.contains("/app/tools/bin"))
        #expect(a.step(6).writes.paths.paths.contains("/home/node/.npm-global/lib/node_modules"))
        // A local folder installed globally runs its scripts in place; a local install writes node_modules.
        #expect(a.step(7).writes.paths.paths.contains("/app/node_modules"))
        #expect(a.step(8).writes.paths.paths.contains("/app/node_modules"))
    }

    @Test func languageInstallsReadTheEnvironment() {
        let a = Analysed("FROM node\nWORKDIR /app\nCOPY package.json ./\nRUN npm install --ignore-scripts\n")
        #expect(a.step(4).reads.env.all)
        #expect(a.step(4).installs.count == 1)
    }

    @Test func copyWritesAndReads() {
        let a = Analysed("FROM alpine\nWORKDIR /app\nCOPY --chown=app:app src/ run.sh ./\n", files: ["src/a.py": "", "run.sh": ""])
        let s = a.step(3)
        #expect(s.copied.map(\.imagePath) == ["/app", "/app/run.sh"])
        #expect(s.copied.map(\.isTree) == [true, false])
        #expect(s.reads.paths.paths.contains("/etc/passwd"))
        #expect(s.reads.workdir)
        #expect(s.contextReads == ["src", "run.sh"])
    }

    @Test func gitDescribeAndGoBuildReadVCS() {
        let a = Analysed("""
        FROM golang
        WORKDIR /src
        COPY . .
        RUN git describe --tags > version.txt
        RUN go build -o /out ./cmd/app
        RUN go build -buildvcs=false -o /out ./cmd/app
        """)
        #expect(a.step(4).readsVCS)
        #expect(a.step(4).reads.paths.paths.contains("/src/.git"))
        #expect(a.step(5).readsVCS)
        #expect(!a.step(6).readsVCS)
    }

    @Test func shellVariablesAreNotEnvironmentReads() {
        let a = Analysed("FROM alpine\nARG V=1\nRUN for f in a b; do echo $f; done && X=1 && echo $X $V\n")
        let s = a.step(3)
        #expect(s.reads.env.names == ["V"])
    }

    @Test func contextPathsThroughCopies() {
        let a = Analysed("""
        FROM node
        WORKDIR /app
        COPY package.json yarn.lock ./
        RUN yarn install --frozen-lockfile
        COPY frontend/ ./web/
        COPY . .
        """)
        #expect(a.graph.contextPath(ofImagePath: "/app/package.json", stage: 0, before: 3) == "package.json")
        #expect(a.graph.contextPath(ofImagePath: "/app/web/x.js", stage: 0, before: 3) == "frontend/x.js")
        #expect(a.graph.contextPath(ofImagePath: "/app/patches", stage: 0, before: 3) == "patches")
    }
}
