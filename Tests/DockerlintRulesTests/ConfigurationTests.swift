import DockerlintCore
import Testing

@Suite struct ConfigurationFile {
    func parse(_ text: String) -> (Configuration, [ConfigIssue]) {
        var c = Configuration()
        var issues: [ConfigIssue] = []
        ConfigurationLoader.parse(text, file: "c.yaml", into: &c, issues: &issues)
        return (c, issues)
    }

    @Test func hadolintKeys() {
        let (c, issues) = parse("""
        failure-threshold: warning
        ignored: [DL3006, SC2086]
        override:
          error: [DL3008]
          info: [DL3015]
        trustedRegistries: [docker.io, "*.gcr.io"]
        label-schema:
          author: text
          version: semver
        strict-labels: true
        disable-ignore-pragma: false
        no-fail: false
        no-color: true
        """)
        #expect(issues.isEmpty, "\(issues)")
        #expect(c.failureThreshold == .warning)
        #expect(c.ignored == ["DL3006", "SC2086"])
        #expect(c.severityOverrides == ["DL3008": .error, "DL3015": .info])
        #expect(c.trustedRegistries == ["docker.io", "*.gcr.io"])
        #expect(c.labelSchema == ["author": "text", "version": "semver"])
        #expect(c.strictLabels && c.noColor)
    }

    @Test func problemsCarryTheirLine() {
        let (_, issues) = parse("ignored: DL3006\nstrict-labels: yes\nlabel-schema:\n  a: colour\nbuilder: kaniko\nfoo: 1\n")
        #expect(issues.map { "\($0.location!.line) \($0.level.rawValue)" } == ["1 error", "2 error", "4 error", "5 error", "6 warning"])
    }

    @Test func perPathOverrides() {
        let (c, issues) = parse("per-path:\n  - paths: [\"**/Dockerfile.dev\"]\n    ignored: [DL3007]\n    failure-threshold: error\n")
        #expect(issues.isEmpty, "\(issues)")
        #expect(c.resolved(for: "svc/Dockerfile.dev").ignored == ["DL3007"])
        #expect(c.resolved(for: "svc/Dockerfile.dev").failureThreshold == .error)
        #expect(c.resolved(for: "svc/Dockerfile").ignored.isEmpty)
    }

    @Test func emptyFileIsEmptyConfiguration() {
        let (c, issues) = parse("")
        #expect(issues.isEmpty && c == Configuration())
    }

    /// `~`, `null` and an empty value mean "no value": lists become empty, other settings
    /// keep their defaults. Quoted, they are strings like any other.
    @Test func nullValuesAreEmpty() {
        let (c, issues) = parse("ignored: ~\ntrusted-registries: null\nhistory:\nfailure-threshold: ~\nno-fail: NULL\n")
        #expect(issues.isEmpty, "\(issues)")
        #expect(c == Configuration())
        let (_, quoted) = parse("history: \"~\"\n")
        #expect(quoted.map(\.message) == ["history: expected a number of commits (0 or more), not '~'"])
        // Every scalar is a string (the basic resolver): YAML 1.1's yes/no are not booleans.
        let (_, yes) = parse("strict-labels: yes\n")
        #expect(yes.map(\.message) == ["strict-labels: expected true or false, not 'yes'"])
        let (n, none) = parse("history: 0\n")
        #expect(none.isEmpty && n.history == 0)
    }
}
