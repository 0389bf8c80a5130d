import DockerlintCache
@testable import DockerlintKit
import DockerlintModel
import Foundation
import Testing

/// A throwaway git repository whose history the optimizer replays.
struct HistoryRepo {
    let root: URL

    init() throws { root = try CLI.tempDirectory() ; try git("init", "-q") }

    @discardableResult
    func git(_ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", root.path, "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CommandError("git \(args.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    func write(_ rel: String, _ text: String) throws { try CLI.write(text, to: root.appendingPathComponent(rel)) }

    func commit(_ files: [String: String], _ message: String = "edit") throws {
        for (k, v) in files { try write(k, v) }
        try git("add", "-A")
        try git("commit", "-qm", message)
    }

    var path: String { root.path }
    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite("optimize: order search")
struct OrderSearchTests {
    /// Every order `p` allows, by brute force.
    func allOrders(_ p: OrderProblem) -> [[Int]] {
        var out: [[Int]] = []
        func rec(_ placed: [Int], _ mask: UInt64) {
            if placed.count == p.count { out.append(placed); return }
            for u in 0..<p.count where mask & (1 << UInt64(u)) == 0 && p.predecessors[u] & ~mask == 0 {
                rec(placed + [u], mask | (1 << UInt64(u)))
            }
        }
        rec([], 0)
        return out
    }

    func randomProblem(_ rng: inout SystemRandomNumberGenerator, n: Int) -> OrderProblem {
        var costs = (0..<n).map { _ in [0, 0.5, 2, 30, 60].randomElement(using: &rng)! }
        costs[0] = max(costs[0], 0.1)
        var preds = [UInt64](repeating: 0, count: n)
        for j in 0..<n { for i in 0..<j where Int.random(in: 0..<4, using: &rng) == 0 { preds[j] |= 1 << UInt64(i) } }
        var builds: [(masks: [UInt64], weight: Int)] = []
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            let masks = (0..<Int.random(in: 1...3, using: &rng)).map { _ -> UInt64 in
                var m: UInt64 = 0
                for u in 0..<n where Int.random(in: 0..<3, using: &rng) == 0 { m |= 1 << UInt64(u) }
                return m == 0 ? 1 << UInt64(Int.random(in: 0..<n, using: &rng)) : m
            }
            builds.append((masks, Int.random(in: 1...4, using: &rng)))
        }
        return OrderProblem(costs: costs, predecessors: preds, builds: builds)
    }

    @Test func exactSearchFindsTheBruteForceOptimum() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<150 {
            let p = randomProblem(&rng, n: Int.random(in: 2...7, using: &rng))
            let best = allOrders(p).map { p.cost(of: $0) }.min()!
            let s = OrderSearch.solve(p)
            #expect(s.exact)
            #expect(p.allows(s.order))
            #expect(abs(s.cost - best) < 1e-6)
            #expect(abs(p.cost(of: s.order) - s.cost) < 1e-6)
        }
    }

    @Test func tiesKeepTheCurrentOrder() {
        // Nothing differs anywhere: every order costs the same; the file's order is kept.
        let p = OrderProblem(costs: [1, 2, 3, 4], predecessors: [0, 0, 0, 0], builds: [([0b1111], 3)])
        #expect(OrderSearch.solve(p).order == [0, 1, 2, 3])
    }

    @Test func heuristicStaysWithinItsBound() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let p = randomProblem(&rng, n: 7)
            let best = allOrders(p).map { p.cost(of: $0) }.min()!
            let s = OrderSearch.solve(p, stateLimit: 3, beam: 3)
            #expect(p.allows(s.order))
            #expect(s.lowerBound <= best + 1e-6)
            #expect(s.cost >= best - 1e-6)
            #expect(abs(p.cost(of: s.order) - s.cost) < 1e-6)
        }
    }
}

@Suite("optimize: layout")
struct OptimizeLayoutTests {
    @Test func untouchedBytesSurviveAReorder() {
        let text = "# syntax=docker/dockerfile:1\r\nFROM local/busybox\r\n\r\n# sources\r\nCOPY src /src\r\n\r\nCOPY conf.json /etc/conf.json\r\nCMD [\"sh\"]"
        let layout = OptimizeLayout(bytes: Array(text.utf8))
        #expect(layout.stages.count == 1)
        #expect(layout.stages[0].units.map(\.keyword) == ["COPY", "COPY", "CMD"])
        let out = String(decoding: layout.render([0: [1, 0, 2]]), as: UTF8.self)
        #expect(out == "# syntax=docker/dockerfile:1\r\nFROM local/busybox\r\n\r\nCOPY conf.json /etc/conf.json\r\n\r\n# sources\r\nCOPY src /src\r\nCMD [\"sh\"]")
        #expect(layout.render([0: [0, 1, 2]]) == Array(text.utf8))
    }

    @Test func aLastLineWithoutBreakMoves() {
        let text = "FROM a\nRUN x \\\n  && y\nCOPY b /b"
        let layout = OptimizeLayout(bytes: Array(text.utf8))
        #expect(String(decoding: layout.render([0: [1, 0]]), as: UTF8.self) == "FROM a\nCOPY b /b\nRUN x \\\n  && y")
    }
}

@Suite("optimize: command", .serialized)
struct OptimizeCommandTests {
    /// Two copies: the first changes in most commits, the second never; the cheap fix is to
    /// copy the stable file first. A RUN between them would block the move.
    func twoCopies(run: Bool) throws -> HistoryRepo {
        let repo = try HistoryRepo()
        let df = "FROM local/busybox\n# the sources\nCOPY src/ /app/src/\n" + (run ? "RUN echo default > /etc/conf.json\n" : "")
            + "\nCOPY conf.json /etc/conf.json\nCMD [\"sh\"]\n"
        try repo.commit(["Dockerfile": df, "src/main.sh": "v0\n", "conf.json": "{}\n"], "init")
        for i in 1...10 { try repo.commit(["src/main.sh": "v\(i)\n"]) }
        try repo.commit(["README": "docs\n"])
        return repo
    }

    @Test func movesAStableCopyAboveAVolatileOne() throws {
        let repo = try twoCopies(run: false)
        defer { repo.remove() }
        let r = try CLI.run(["optimize", repo.path + "/Dockerfile", "--cost", "COPY=5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("move `COPY src/ /app/src/` (line 3) down to below `COPY conf.json /etc/conf.json` (line 5)"), "\(r.stdout)")
        // The diff keeps the comment with its COPY and the blank line in place.
        #expect(r.stdout.contains("+COPY conf.json /etc/conf.json\n"), "\(r.stdout)")
        // JSON: before/after from the simulator.
        let j = try CLI.run(["optimize", repo.path + "/Dockerfile", "--cost", "COPY=5", "-f", "json"])
        let obj = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect(obj["changed"] as? Bool == true)
        let before = obj["before"] as! [String: Any], after = obj["after"] as! [String: Any]
        #expect((before["builds"] as! Int) == 11)
        // src changes in 10 of 11 commits: before, both copies re-run 10 times; after, conf.json never.
        #expect((before["estimatedSeconds"] as! Double) == 100)
        #expect((after["estimatedSeconds"] as! Double) == 50)
        #expect((obj["proposed"] as! String) == "FROM local/busybox\nCOPY conf.json /etc/conf.json\n# the sources\nCOPY src/ /app/src/\n\nCMD [\"sh\"]\n"
                || (obj["proposed"] as! String) == "FROM local/busybox\nCOPY conf.json /etc/conf.json\n\n# the sources\nCOPY src/ /app/src/\nCMD [\"sh\"]\n",
                "\(obj["proposed"] as! String)")
        // --write applies it; a second run finds nothing better.
        let w = try CLI.run(["optimize", repo.path + "/Dockerfile", "--cost", "COPY=5", "--write"])
        #expect(w.status == 0)
        #expect(try String(contentsOfFile: repo.path + "/Dockerfile", encoding: .utf8) == obj["proposed"] as! String)
    }

    /// The RUN writes the file the second COPY writes: those two keep their order, and the
    /// volatile sources move below both instead.
    @Test func stepsWritingTheSameFileKeepTheirOrder() throws {
        let repo = try twoCopies(run: true)
        defer { repo.remove() }
        let r = try CLI.run(["optimize", repo.path + "/Dockerfile", "--cost", "COPY=5", "-f", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let lines = (obj["proposed"] as! String).split(separator: "\n").map(String.init)
        let run = try #require(lines.firstIndex(of: "RUN echo default > /etc/conf.json"))
        let conf = try #require(lines.firstIndex(of: "COPY conf.json /etc/conf.json"))
        let src = try #require(lines.firstIndex(of: "COPY src/ /app/src/"))
        #expect(run < conf && conf < src, "\(lines)")
        // A file whose only possible gain is unsafe is left alone, and --write leaves it as it is.
        try repo.commit(["Dockerfile": "FROM local/busybox\nCOPY src/ /app/src/\nRUN cat /app/src/main.sh > /etc/conf.json\n"])
        for i in 11...14 { try repo.commit(["src/main.sh": "v\(i)\n"]) }
        let m = try CLI.run(["optimize", repo.path + "/Dockerfile", "--last", "4", "-f", "markdown"])
        #expect(m.stdout.contains("**No change:**"), "\(m.stdout)")
        let before = try String(contentsOfFile: repo.path + "/Dockerfile", encoding: .utf8)
        _ = try CLI.run(["optimize", repo.path + "/Dockerfile", "--last", "4", "--write"])
        #expect(try String(contentsOfFile: repo.path + "/Dockerfile", encoding: .utf8) == before)
    }

    @Test func compareShowsTheOptimumAsAThirdColumn() throws {
        let repo = try twoCopies(run: false)
        defer { repo.remove() }
        // B: a variant that adds a step; the optimum is A's own steps, reordered.
        try repo.write("Dockerfile.alt", "FROM local/busybox\nCOPY src/ /app/src/\nCOPY conf.json /etc/conf.json\nRUN true\n")
        let r = try CLI.run(["compare", repo.path + "/Dockerfile", repo.path + "/Dockerfile.alt", "--context", repo.path,
                             "--git", "HEAD~11..HEAD", "--cost", "COPY=5", "--with-optimum", "-f", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let a = (obj["a"] as! [String: Any])["summary"] as! [String: Any]
        let o = try #require(obj["optimum"] as? [String: Any])
        #expect(o["changed"] as? Bool == true)
        #expect((a["estimatedSeconds"] as! Double) == 100)
        #expect(((o["summary"] as! [String: Any])["estimatedSeconds"] as! Double) == 50)
        #expect((obj["verdict"] as! String).contains("the best order of Dockerfile rebuilds faster than Dockerfile"), "\(obj["verdict"]!)")
        let t = try CLI.run(["compare", repo.path + "/Dockerfile", repo.path + "/Dockerfile.alt", "--context", repo.path,
                             "--git", "HEAD~11..HEAD", "--cost", "COPY=5", "--with-optimum"])
        #expect(t.stdout.contains("best order of A"), "\(t.stdout)")
        // Without a history there is nothing to search over.
        let e = try CLI.run(["compare", repo.path + "/Dockerfile", repo.path + "/Dockerfile.alt", "--context", repo.path,
                             "--changed", "conf.json", "--with-optimum"])
        #expect(e.status == 2)
        #expect(e.stderr.contains("--with-optimum needs --git"))
    }

    @Test func badInputIsAUsageError() throws {
        let t = try CLI.tempDirectory()
        defer { try? FileManager.default.removeItem(at: t) }
        try CLI.write("FROM a\nCOPY x /x\n", to: t.appendingPathComponent("Dockerfile"))
        let r = try CLI.run(["optimize", t.path + "/Dockerfile"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not inside a git repository"), "\(r.stderr)")
        let m = try CLI.run(["optimize", t.path + "/nope"])
        #expect(m.status == 2)
        #expect(m.stderr.contains("nope: error: no such file"))
    }

    /// The search's cost model against the simulator: any order of the steps, replayed by the
    /// simulator, costs what the model says.
    @Test func theSearchModelAgreesWithTheSimulator() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nCOPY a /a\nCOPY b /b\nCOPY c /c\nCOPY d /d\n"
        try repo.commit(["Dockerfile": df, "a": "0", "b": "0", "c": "0", "d": "0"])
        let edits: [[String]] = [["a"], ["b"], ["a", "c"], ["d"], ["b"], ["c"], ["a"], ["d", "b"], ["c"], ["a"]]
        for (i, e) in edits.enumerated() { try repo.commit(Dictionary(uniqueKeysWithValues: e.map { ($0, "\(i + 1)") })) }
        // Revert b: a revert hits the cache again.
        try repo.commit(["b": "0"])
        var o = OptimizeOptions()
        o.dockerfile = repo.path + "/Dockerfile"
        o.context = repo.path
        o.git = "HEAD~\(edits.count + 1)..HEAD"
        let runner = OptimizeRunner(options: o)
        let bytes = Array(df.utf8)
        let costs = CostModel(defaults: ["COPY": 1])
        let source = try GitReplay.locate(dockerfile: o.dockerfile, contextDirectory: repo.path)
        let builds = try OptimizeRunner.replay(source, range: runner.range(repository: repo.path), text: bytes, costs: costs, options: o)
        let layout = OptimizeLayout(bytes: bytes)
        let p = try #require(OptimizeRunner.problem(stage: 0, layout: layout, builds: builds, contextDirectory: repo.path,
                                                    dockerfile: o.dockerfile))
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1], [0, 2, 1, 3]] {
            let text = layout.render([0: order])
            var summary = SimulationSummary(engine: .buildkit)
            for b in try OptimizeRunner.replay(source, range: runner.range(repository: repo.path), text: text, costs: costs, options: o) {
                summary.add(b)
            }
            #expect(abs(summary.estimatedSeconds - p.cost(of: order)) < 1e-9, "order \(order)")
        }
    }
}

@Suite("optimize: safety on real projects' shapes", .serialized)
struct OptimizeSafetyTests {
    /// Runs optimize and returns the JSON result.
    func optimize(_ repo: HistoryRepo, _ extra: [String] = []) throws -> [String: Any] {
        let r = try CLI.run(["optimize", repo.path + "/Dockerfile", "--context", repo.path, "-f", "json"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    /// Line index of the first line of `text` containing `needle`.
    func index(_ text: String, _ needle: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }
    }

    /// The lab examples: over the lab history, the best order of lab-bad-order is lab's.
    @Test func theOptimumOfLabBadOrderIsLabsOrder() throws {
        let dir = try CLI.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try CLI.run(CLI.packageRoot.appendingPathComponent("scripts/make-lab-history").path, [dir.path + "/h"])
        #expect(made.status == 0, "\(made.stderr)")
        let h = dir.path + "/h"
        let r = try CLI.run(["optimize", h + "/lab-bad-order/Dockerfile", "--context", h + "/lab-bad-order", "--last", "20", "-f", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["changed"] as? Bool == true)
        let proposed = obj["proposed"] as! String
        let lab = try String(contentsOfFile: h + "/lab/Dockerfile", encoding: .utf8)
        // The cache steps stand in lab's order (CMD, which no cache key sees, keeps its place).
        func steps(_ t: String) -> [String] {
            t.split(separator: "\n").map(String.init).filter { $0.hasPrefix("RUN") || $0.hasPrefix("COPY") || $0.hasPrefix("FROM") }
        }
        #expect(steps(proposed) == steps(lab), "\(proposed)")
        // And it rebuilds exactly as lab's file does over the same history.
        let cmp = try CLI.run(["compare", h + "/lab-bad-order/Dockerfile", h + "/lab/Dockerfile", "--context", h + "/lab-bad-order",
                               "--git", obj["range"] as! String, "-f", "json"])
        #expect(cmp.status == 0, "\(cmp.stderr)")
        let labSummary = ((try JSONSerialization.jsonObject(with: Data(cmp.stdout.utf8)) as! [String: Any])["b"] as! [String: Any])["summary"] as! [String: Any]
        let after = obj["after"] as! [String: Any]
        #expect(after["estimatedSeconds"] as? Double == labSummary["estimatedSeconds"] as? Double, "\(after) vs \(labSummary)")
        #expect((after["estimatedSeconds"] as! Double) < ((obj["before"] as! [String: Any])["estimatedSeconds"] as! Double))
        // lab itself is already optimal.
        let l = try CLI.run(["optimize", h + "/lab/Dockerfile", "--context", h + "/lab", "--last", "20"])
        #expect(l.stdout.contains("No change:"), "\(l.stdout)")
    }

    /// npm's postinstall runs patch-package, which reads patches/: the patches must stay above
    /// the install, however often they change.
    @Test func aLifecycleScriptKeepsItsInputsAboveTheInstall() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY patches/ ./patches/\nRUN npm ci\nCOPY src/ ./src/\n"
        let pkg = "{\"name\": \"app\", \"version\": \"1.0.0\", \"scripts\": {\"postinstall\": \"patch-package\"}, \"dependencies\": {\"left-pad\": \"1.3.0\"}}\n"
        try repo.commit(["Dockerfile": df, "package.json": pkg, "package-lock.json": "{}\n", "patches/left-pad+1.3.0.patch": "p0\n", "src/index.js": "0\n"])
        for i in 1...8 { try repo.commit(["patches/left-pad+1.3.0.patch": "p\(i)\n", "src/index.js": "\(i)\n"]) }
        let obj = try optimize(repo)
        let proposed = obj["proposed"] as! String
        #expect(index(proposed, "COPY patches/")! < index(proposed, "RUN npm ci")!, "\(proposed)")
        #expect(obj["changed"] as? Bool == false, "\(obj["moves"]!)")
        // The control: without the script, nothing the install runs reads patches/, and the
        // move that saves the install's re-runs is made.
        try repo.commit(["package.json": pkg.replacingOccurrences(of: "\"postinstall\": \"patch-package\"", with: "\"test\": \"true\"")])
        for i in 9...16 { try repo.commit(["patches/left-pad+1.3.0.patch": "p\(i)\n", "src/index.js": "\(i)\n"]) }
        let control = try optimize(repo, ["--last", "8"])
        let moved = control["proposed"] as! String
        #expect(control["changed"] as? Bool == true)
        #expect(index(moved, "COPY patches/")! > index(moved, "RUN npm ci")!, "\(moved)")
    }

    /// `COPY . .` before `npm ci`: the manifests are copied first, the install moves above the
    /// rest; a postinstall script that reads the sources forbids it.
    @Test func manifestsAreCopiedFirstWhenTheInstallReadsNothingElse() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nWORKDIR /app\n# everything\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"src/index.js\"]\n"
        let pkg = "{\"name\": \"a\", \"version\": \"1.0.0\", \"dependencies\": {\"left-pad\": \"1.3.0\"}}\n"
        try repo.commit(["Dockerfile": df, "package.json": pkg, "package-lock.json": "{}\n", "src/index.js": "0\n"])
        for i in 1...6 { try repo.commit(["src/index.js": "\(i)\n"]) }
        let obj = try optimize(repo)
        #expect(obj["proposed"] as? String
                == "FROM local/busybox\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n# everything\nCOPY . .\nCMD [\"node\", \"src/index.js\"]\n",
                "\(obj["proposed"]!)")
        let steps = obj["steps"] as! [[String: Any]]
        let npm = try #require(steps.first { ($0["text"] as? String) == "RUN npm ci" })
        #expect(npm["rerunsBefore"] as? Int == 6)
        #expect(npm["rerunsAfter"] as? Int == 0)
        // A postinstall that runs a script from the sources: the install needs the whole tree.
        try repo.commit(["package.json": pkg.replacingOccurrences(of: "\"dependencies\"", with: "\"scripts\": {\"postinstall\": \"node src/setup.js\"}, \"dependencies\""),
                         "src/setup.js": "0\n"])
        for i in 7...12 { try repo.commit(["src/index.js": "\(i)\n"]) }
        let blocked = try optimize(repo, ["--last", "6"])
        #expect(blocked["changed"] as? Bool == false, "\(blocked["moves"]!)")
    }

    /// A Yarn workspace: the install reads every workspace's package.json, so the packages
    /// stay above it.
    @Test func workspaceManifestsStayAboveTheInstall() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nCOPY packages/ ./packages/\nRUN yarn install --immutable\nCOPY src/ ./src/\n"
        let root = "{\"name\": \"mono\", \"private\": true, \"workspaces\": [\"packages/*\"], \"packageManager\": \"yarn@4.1.0\"}\n"
        try repo.commit(["Dockerfile": df, "package.json": root, "yarn.lock": "# lock\n", ".yarnrc.yml": "nodeLinker: node-modules\n",
                         "packages/ui/package.json": "{\"name\": \"ui\"}\n", "packages/ui/index.js": "0\n", "src/a.js": "0\n"])
        for i in 1...8 { try repo.commit(["packages/ui/index.js": "\(i)\n", "src/a.js": "\(i)\n"]) }
        let obj = try optimize(repo)
        let proposed = obj["proposed"] as! String
        // Either the packages stay above the install, or the workspace's manifest is copied
        // first (what the install reads of it) and the rest follows the install.
        let workspaceManifest = index(proposed, "packages/ui/package.json") ?? index(proposed, "COPY packages/ ./packages/")!
        #expect(workspaceManifest < index(proposed, "RUN yarn install")!, "\(proposed)")
        #expect(index(proposed, "COPY package.json yarn.lock .yarnrc.yml ./")! < index(proposed, "RUN yarn install")!)
    }

    /// The install reads its requirements through an environment variable: the copy stays
    /// above it.
    @Test func aPathReadThroughTheEnvironmentKeepsItsCopyAbove() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nENV REQS=/app/requirements.txt\nCOPY requirements.txt /app/requirements.txt\nRUN pip install -r \"$REQS\"\nCOPY src/ /app/src/\n"
        try repo.commit(["Dockerfile": df, "requirements.txt": "flask==3.0.0\n", "src/app.py": "0\n"])
        for i in 1...8 { try repo.commit(["requirements.txt": "flask==3.0.\(i)\n", "src/app.py": "\(i)\n"]) }
        let obj = try optimize(repo)
        let proposed = obj["proposed"] as! String
        #expect(index(proposed, "COPY requirements.txt")! < index(proposed, "RUN pip install")!, "\(proposed)")
        #expect(obj["changed"] as? Bool == false, "\(obj["moves"]!)")
        // The control: an install that names its package reads no copied file; the copy moves below it.
        try repo.commit(["Dockerfile": df.replacingOccurrences(of: "-r \"$REQS\"", with: "flask")])
        for i in 9...16 { try repo.commit(["requirements.txt": "flask==3.0.\(i)\n", "src/app.py": "\(i)\n"]) }
        let control = try optimize(repo, ["--last", "8"])
        let moved = control["proposed"] as! String
        #expect(control["changed"] as? Bool == true)
        #expect(index(moved, "COPY requirements.txt")! > index(moved, "RUN pip install")!, "\(moved)")
    }

    /// Shapes found in real repositories where an earlier analysis let a step cross one that
    /// reads it (scripts/optimize-realworld): each keeps its order.

    /// A loop over a glob of the working directory (`$(ls *.csproj)`) reads what a glob COPY
    /// put there; `dotnet restore` without a project reads the solution (`*.slnx`).
    @Test func aLoopOverGlobbedCopiesKeepsItsCopiesAbove() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = """
        FROM local/busybox
        WORKDIR /src
        COPY backend/*.slnx ./
        COPY backend/src/*/*.csproj ./
        RUN for file in $(ls *.csproj); do mkdir -p src/${file%.*}/ && mv $file src/${file%.*}/; done
        COPY backend/tests/*/*.csproj ./
        RUN for file in $(ls *.csproj); do mkdir -p tests/${file%.*}/ && mv $file tests/${file%.*}/; done
        RUN dotnet restore
        COPY backend .

        """
        try repo.commit(["Dockerfile": df, "backend/App.slnx": "<Solution/>\n", "backend/src/App/App.csproj": "<Project/>\n",
                         "backend/tests/App.Tests/App.Tests.csproj": "<Project/>\n", "backend/src/App/Program.cs": "0\n"])
        for i in 1...8 {
            try repo.commit(["backend/App.slnx": "<Solution>\(i)</Solution>\n", "backend/src/App/App.csproj": "<Project>\(i)</Project>\n",
                             "backend/tests/App.Tests/App.Tests.csproj": "<Project>\(i)</Project>\n", "backend/src/App/Program.cs": "\(i)\n"])
        }
        let obj = try optimize(repo)
        #expect(obj["changed"] as? Bool == false, "\(obj["moves"]!)")
    }

    /// .NET: `dotnet restore` reads the projects its project references and the files it
    /// imports; `dotnet publish` reads the referenced projects' sources.
    @Test func referencedAndImportedProjectsStayAboveRestoreAndPublish() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = """
        FROM local/busybox
        WORKDIR /source
        COPY Lib/Lib.csproj Lib/Lib.csproj
        COPY App/App.csproj App/App.csproj
        COPY Build/Version.props Build/Version.props
        RUN cd App && dotnet restore
        COPY Lib/. Lib/.
        COPY App/. App/.
        RUN cd App && dotnet publish -o /out

        """
        let app = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <Import Project=\"../Build/Version.props\" />\n  <ItemGroup>\n    <ProjectReference Include=\"..\\Lib\\Lib.csproj\" />\n  </ItemGroup>\n</Project>\n"
        try repo.commit(["Dockerfile": df, "App/App.csproj": app, "Lib/Lib.csproj": "<Project/>\n", "Build/Version.props": "<Project/>\n",
                         "Lib/Lib.cs": "0\n", "App/Program.cs": "0\n"])
        for i in 1...8 {
            try repo.commit(["Lib/Lib.csproj": "<Project>\(i)</Project>\n", "Build/Version.props": "<Project>\(i)</Project>\n", "Lib/Lib.cs": "\(i)\n"])
        }
        let obj = try optimize(repo)
        let proposed = obj["proposed"] as! String
        let restore = try #require(index(proposed, "dotnet restore")), publish = try #require(index(proposed, "dotnet publish"))
        #expect(index(proposed, "COPY Lib/Lib.csproj")! < restore, "\(proposed)")
        #expect(index(proposed, "COPY Build/Version.props")! < restore, "\(proposed)")
        #expect(index(proposed, "COPY Lib/. Lib/.")! < publish, "\(proposed)")
    }

    /// Maven: a module's own modules are read too; a manifests-first split copies their poms.
    @Test func nestedMavenModulesAreCopiedBeforeTheResolve() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nWORKDIR /tmp\nCOPY . .\nRUN mvn -B dependency:go-offline\nRUN mvn -B package\n"
        try repo.commit(["Dockerfile": df, "pom.xml": "<project><modules><module>pages</module><module>core</module></modules></project>\n",
                         "pages/pom.xml": "<project><modules><module>en</module></modules></project>\n", "pages/en/pom.xml": "<project/>\n",
                         "core/pom.xml": "<project/>\n", "core/src/A.java": "0\n"])
        for i in 1...8 { try repo.commit(["core/src/A.java": "\(i)\n"]) }
        let obj = try optimize(repo)
        let proposed = obj["proposed"] as! String
        #expect(obj["changed"] as? Bool == true)
        let resolve = try #require(index(proposed, "dependency:go-offline"))
        #expect((index(proposed, "pages/en/pom.xml") ?? Int.max) < resolve, "\(proposed)")
        #expect((index(proposed, "core/pom.xml") ?? Int.max) < resolve, "\(proposed)")
        #expect(index(proposed, "COPY . .")! > resolve, "\(proposed)")
    }

    /// A `.dockerignore` that excludes everything and brings a directory's files back
    /// (`*`, `!searx/**`) still sends the directory: the COPY of it stays above the RUN that
    /// compiles it (searxng's builder.dockerfile).
    @Test func aDirectoryBroughtBackByAnExceptionIsStillCopied() throws {
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let df = "FROM local/busybox\nCOPY ./requirements.txt ./\nCOPY ./searx/ ./searx/\nRUN python -m compileall -q ./searx/\n"
        try repo.commit(["container/builder.dockerfile": df, ".dockerignore": "*\n!searx/**\n!requirements*.txt\n",
                         "requirements.txt": "flask\n", "searx/webapp.py": "0\n"])
        for i in 1...8 { try repo.commit(["searx/webapp.py": "\(i)\n"]) }
        let r = try CLI.run(["optimize", repo.path + "/container/builder.dockerfile", "--context", repo.path, "-f", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["changed"] as? Bool == false, "\(obj["moves"]!)")
    }
}

