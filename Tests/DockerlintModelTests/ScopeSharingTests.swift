import Testing
@testable import DockerlintModel

/// Instructions share their scopes' definitions: a file's scopes cost its definitions, and
/// stages that branch off one base stage each see only their own.
@Suite struct ScopeSharing {
    /// Every definition stored by the scopes of `m`, counted once per history.
    static func storedDefinitions(_ m: DockerfileModel) -> Int {
        var seen = Set<ObjectIdentifier>()
        var total = 0
        func visit(_ s: VariableScope) {
            guard let h = s.history, seen.insert(ObjectIdentifier(h)).inserted else { return }
            total += h.entries.count
            if let b = h.base { visit(b) }
        }
        for s in m.stages { for i in s.instructions { visit(i.scope) } }
        return total
    }

    @Test func thousandsOfEnvLinesStoreEachDefinitionOnce() {
        let n = 3000
        let m = model("FROM alpine\n" + (0..<n).map { "ENV V\($0)=\($0)\n" }.joined() + "RUN true\n")
        let ins = m.stages[0].instructions
        #expect(ins.count == n + 1)
        #expect(Self.storedDefinitions(m) <= n + 1)  // PATH and the ENV lines
        #expect(ins[n].scope.count == n + 1)
        #expect(ins[n].scope.variable(named: "V2999")?.value == "2999")
        #expect(ins[10].scope.variable(named: "V10") == nil && ins[10].scope.variable(named: "V9")?.value == "9")
        #expect(ins[10].scope.count == 11)
    }

    @Test func redefinitionKeepsThePlaceAndTakesTheValue() {
        let m = model("FROM alpine\nENV A=1 B=2\nENV A=3\nARG A\nRUN true\n")
        let run = m.stages[0].instructions[3]
        #expect(run.scope.map(\.name) == ["PATH", "A", "B"])
        #expect(run.scope.variable(named: "A")?.value == "3")  // a valueless ARG does not hide it
        #expect(m.stages[0].instructions[1].scope.variable(named: "A")?.value == "1")
    }

    @Test func stagesBranchingFromOneBaseSeeOnlyTheirOwnDefinitions() {
        let m = model("""
        FROM alpine AS base
        ENV SHARED=1
        FROM base AS one
        ENV ONE=1
        RUN true
        FROM base AS two
        ENV TWO=2
        RUN true
        FROM base AS three
        RUN true
        """)
        let one = m.stages[1].instructions.last!.scope
        let two = m.stages[2].instructions.last!.scope
        let three = m.stages[3].instructions.last!.scope
        #expect(one.map(\.name) == ["PATH", "SHARED", "ONE"])
        #expect(two.map(\.name) == ["PATH", "SHARED", "TWO"])
        #expect(three.map(\.name) == ["PATH", "SHARED"])
        #expect(two.variable(named: "ONE") == nil && one.variable(named: "TWO") == nil)
        // The base stage's ENV sees the scope from before it.
        #expect(m.stages[0].instructions.last!.scope.map(\.name) == ["PATH"])
        #expect(m.stages[3].instructions.last!.scope.variable(named: "SHARED")?.value == "1")
    }

    @Test func scopesCompareByTheirVariables() {
        let a: VariableScope = [ScopedVariable(name: "X", value: "1", origin: .env, valueSource: .default)]
        let b = VariableScope([ScopedVariable(name: "X", value: "0", origin: .env, valueSource: .default),
                               ScopedVariable(name: "X", value: "1", origin: .env, valueSource: .default)])
        #expect(a == b)
        #expect(a.lookup("X") == "1" && a.names == ["X"])
        let empty: VariableScope = []
        #expect(empty.isEmpty && empty.count == 0 && empty.variable(named: "X") == nil)
    }
}
