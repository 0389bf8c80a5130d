import Testing
@testable import DockerlintShell

@Suite struct CommandIterationTests {
    @Test func namesJoinersAndPipelines() {
        let src = "set -eux; /usr/bin/apt-get update && curl -fsSL https://x | bash -; echo done &"
        let c = ShellParser.parse(src).commands
        #expect(c.map(\.name) == ["set", "apt-get", "curl", "bash", "echo"])
        #expect(c[1].path == "/usr/bin/apt-get")
        #expect(c.map(\.nextOperator) == [.semicolon, .and, .pipe, .semicolon, .background])
        #expect(c.map(\.previousOperator) == [nil, .semicolon, .and, .pipe, .semicolon])
        #expect(c.map(\.isInPipeline) == [false, false, true, true, false])
        #expect(c[3].pipelineIndex == 1)
        #expect(c[2].argumentValues == ["-fsSL", "https://x"])
    }

    @Test func dynamicCommandName() {
        let c = ShellParser.parse("$CC -o x x.c; \"$(which python)\" -V").commands
        #expect(c[0].name == nil)
        #expect(c[0].commandWord?.source == "$CC")
        #expect(c[1].name == nil)
        #expect(c[2].name == "which")
    }

    /// An `sh -c` string with expansions in it is read as the script the inner shell runs,
    /// expansions kept as written, each command at its own place in the source.
    @Test func shDashCWithExpansionsIsParsed() {
        let src = #"sudo bash -c "apt-get upgrade -y ${PKGS} && rm -rf /var/lib/apt/lists/*""#
        let c = ShellParser.parse(src).commands
        #expect(c.map(\.name) == ["sudo", "apt-get", "rm"])
        #expect(c[1].contexts == [.shellString])
        #expect(c[1].arguments.map(\.source) == ["upgrade", "-y", "${PKGS}"])
        #expect(c[2].range == range(of: "rm -rf /var/lib/apt/lists/*", in: src))
    }

    @Test func shDashCIsParsedRecursively() {
        let src = #"su app -c 'cd /srv && npm ci'; bash -exc "apt-get install -y \"curl\" && echo \$HOME"; sh -c "$CMD""#
        let s = ShellParser.parse(src)
        let c = s.commands
        // `sh -c "$CMD"`: the inner script is the expansion, a command whose name is not known.
        #expect(c.map(\.name) == ["su", "cd", "npm", "bash", "apt-get", "echo", "sh", nil])
        #expect(c[1].contexts == [.shellString])
        #expect(c[1].range == range(of: "cd /srv", in: src))
        #expect(c[2].range == range(of: "npm ci", in: src))
        let apt = c[4]
        #expect(apt.argumentValues == ["install", "-y", "curl"])
        // The inner word is `"curl"` (quotes included); its `"` came from the escaped `\"`.
        #expect(apt.arguments[2].range.start == offset(of: "curl", in: src) - 1)
        #expect(apt.arguments[2].parts[0].range.end == offset(of: "curl", in: src) + 6)
        let echo = c[5]
        #expect(echo.arguments[0].parts.count == 1)
        #expect(echo.arguments[0].range.start == offset(of: "\\$HOME", in: src) + 1)
        #expect(s.cdUsages.count == 1)
    }

    @Test func shellReadingHereDoc() {
        let src = "bash -e <<EOF\nset -o pipefail\napt-get update\nEOF\nsh <<-'X'\n\t\tcd /app\n\tX\ncat <<Y\nnot-a-command\nY\n"
        let s = ShellParser.parse(src)
        #expect(s.errors.isEmpty)
        let c = s.commands
        #expect(c.map(\.name) == ["bash", "set", "apt-get", "sh", "cd", "cat"])
        #expect(c[2].contexts == [.hereDocScript])
        #expect(c[2].range == range(of: "apt-get update", in: src))
        #expect(c[4].range == range(of: "cd /app", in: src))
        #expect(s.setsPipefail)
    }

    @Test func nestedShellDepthAndBusybox() {
        let src = #"sh -c 'bash -c "busybox sh -c \"ls -l\""'"#
        let c = ShellParser.parse(src).commands
        #expect(c.map(\.name) == ["sh", "bash", "busybox", "ls"])
        #expect(c[3].contexts == [.shellString, .shellString, .shellString])
    }

    @Test func contexts() {
        let src = "if command -v apk; then apk add x; fi; for i in a; do (cd $i && make); done; f() { g; }; v=$(h)"
        let c = ShellParser.parse(src).commands
        #expect(c.map(\.name) == ["command", "apk", "cd", "make", "g", nil, "h"])
        #expect(c[0].contexts == [.condition])
        #expect(c[1].contexts == [.conditionalBody])
        #expect(c[2].contexts == [.loopBody, .subshell])
        #expect(c[4].contexts == [.function("f"), .braceGroup])
        #expect(c[6].contexts == [.commandSubstitution])
        #expect(c[5].assignments.first?.name == "v")
    }

    @Test func wrappers() {
        let src = "sudo -E -u root env DEBIAN_FRONTEND=noninteractive nice -n 5 apt-get install -y x; xargs -r -n1 apk add < f; command -v x; gosu app npm ci; timeout -s KILL 60 make"
        let c = ShellParser.parse(src).commands.map(\.effective)
        #expect(c.map(\.name) == ["apt-get", "apk", "command", "npm", "make"])
        #expect(c[0].wrappers == ["sudo", "env", "nice"])
        #expect(c[0].argumentValues == ["install", "-y", "x"])
        #expect(c[1].wrappers == ["xargs"])
        #expect(c[2].wrappers == [])
        #expect(c[3].wrappers == ["gosu"])
        #expect(c[4].wrappers == ["timeout"])
        let s = ShellParser.parse(src)
        #expect(s.commands(named: "sudo").isEmpty)
        #expect(s.commands.filter { $0.name == "sudo" }.count == 1)
    }

    @Test func flags() {
        let c = ShellParser.parse("tar -xzf a.tgz --strip-components=1 -- -v").commands[0]
        #expect(c.hasFlag("x"))
        #expect(c.hasFlag("strip-components"))
        #expect(!c.hasFlag("v"))
        #expect(c.hasArgument("a.tgz"))
    }

    @Test func pipefail() {
        #expect(ShellParser.parse("set -o pipefail && curl x | sh").setsPipefail)
        #expect(ShellParser.parse("set -euxo pipefail; a | b").setsPipefail)
        #expect(ShellParser.parse("set -eo pipefail").setsPipefail)
        #expect(!ShellParser.parse("set -e; a | b").setsPipefail)
        #expect(!ShellParser.parse("set -o pipefail; set +o pipefail").setsPipefail)
        #expect(!ShellParser.parse("echo set -o pipefail").setsPipefail)
        #expect(ShellParser.parse("bash -c 'set -o pipefail; a | b'").setsPipefail)
        let s = ShellParser.parse("a | b; set -o pipefail; c | d")
        #expect(!s.pipefailEnabled(before: 0))
        #expect(s.pipefailEnabled(before: offset(of: "c |", in: "a | b; set -o pipefail; c | d")))
        #expect(s.optionChanges.map(\.option) == ["pipefail"])
        #expect(ShellParser.parse("set -eux").optionChanges.map(\.option) == ["errexit", "nounset", "xtrace"])
        #expect(s.hasPipes)
        #expect(s.pipelines.count == 2)
        #expect(!ShellParser.parse("a || b").hasPipes)
    }

    @Test func staticValues() {
        let w = ShellParser.parse(#"x "a"'b'\c "$d" e${f}g"#).commands[0].arguments
        #expect(w[0].staticValue == "abc")
        #expect(w[0].hasQuotes)
        #expect(w[1].staticValue == nil)
        #expect(w[1].unquoted == "$d")
        #expect(w[2].unquoted == "e${f}g")
        #expect(!w[2].isStatic)
    }
}
