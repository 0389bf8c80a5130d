// The branches of a RUN's `if` that the project's CI builds never take: the test reads a
// build argument that every CI build of the Dockerfile passes with one literal value
// (`VolatileValues.constantsFromCI`).

import DockerlintModel
import DockerlintShell

public enum CIBranches {
    /// Whether the dependency installs and builds of RUN `script` (its package commands, at
    /// least one) all sit in branches CI never takes, given `constants` (build arguments every CI
    /// build passes with one value). Only the `if` clause that starts the script is read (so
    /// nothing before it can assign the names), and only tests read exactly: `[ A op B ]` /
    /// `test A op B` with op `=`, `==` or `!=`, both operands known, no pattern character.
    /// A live command that may run a build of its own (`make`, `just`, a script of the context,
    /// `contextHas` says which paths are files there) keeps the RUN live.
    public static func installsOnlyInUntakenBranches(_ script: RunScript, instruction mi: ModelInstruction, constants: [String: String],
                                                     contextHas: (String) -> Bool) -> Bool {
        guard !constants.isEmpty, !script.isExecForm else { return false }
        // The values: the CI constants of ARGs in scope, but for a name an ENV sets.
        var values: [String: String] = [:]
        for (name, value) in constants {
            guard let v = mi.scope.variables.last(where: { $0.name == name }),
                  v.origin == .stageArg || v.origin == .globalArg else { continue }
            values[name] = value
        }
        guard !values.isEmpty else { return false }
        let shell = ShellValues(values: values, environmentNames: Set(values.keys))
        guard let first = script.script.body.items.first?.andOr.pipelines.first, first.commands.count == 1, !first.negated,
              case .ifClause(let ic) = first.commands[0].kind else { return false }
        let dead = untaken(ic, shell)
        guard !dead.isEmpty else { return false }
        func isDead(_ c: CommandInvocation) -> Bool { dead.contains { $0.contains(c.range.start) } }
        let packages = script.packageCommands
        guard !packages.isEmpty, packages.allSatisfy({ isDead($0.invocation) }) else { return false }
        for c in script.commands where !isDead(c) {
            guard let name = c.name else { continue }
            if ["make", "gmake", "just", "task"].contains(name) || name.hasSuffix(".sh") { return false }
            if let path = c.path, path.contains("/") {
                let rel = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
                if contextHas(rel) || contextHas(name) { return false }
            }
        }
        return true
    }

    /// The ranges of the branches of `ic` that are never taken under `values` (its own
    /// branches only: a nested `if` lies inside one of them).
    static func untaken(_ ic: IfClause, _ values: ShellValues) -> [ByteRange] {
        var out: [ByteRange] = []
        var decided = false
        for b in ic.branches {
            if decided { out.append(b.body.range); continue }
            switch test(b.condition, values) {
            case true?: decided = true
            case false?: out.append(b.body.range)
            case nil: return out
            }
        }
        if decided, let e = ic.elseBody { out.append(e.range) }
        return out
    }

    /// The result of a test read exactly, nil when it cannot be.
    static func test(_ condition: CommandList, _ values: ShellValues) -> Bool? {
        guard condition.items.count == 1, let andOr = condition.items.first?.andOr, andOr.pipelines.count == 1,
              let p = andOr.pipelines.first, !p.negated, p.commands.count == 1, p.commands[0].redirections.isEmpty,
              case .simple(let sc) = p.commands[0].kind, sc.redirections.isEmpty, sc.assignments.isEmpty,
              let name = sc.words.first?.staticValue else { return nil }
        var words = Array(sc.words.dropFirst())
        if name == "[" {
            guard words.last?.staticValue == "]" else { return nil }
            words.removeLast()
        } else if name != "test" {
            return nil
        }
        guard words.count == 3, let op = words[1].staticValue, ["=", "==", "!="].contains(op),
              let a = values.expand(words[0]), let b = values.expand(words[2]) else { return nil }
        let pattern: Set<Character> = ["*", "?", "["]
        guard !a.contains(where: pattern.contains), !b.contains(where: pattern.contains) else { return nil }
        return op == "!=" ? a != b : a == b
    }
}
