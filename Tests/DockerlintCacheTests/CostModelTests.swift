import DockerlintCache
import Testing

/// Reading a costs file (reports/schemas/costs.schema.json): values, and one error line naming
/// the member that is wrong.
@Suite struct CostModelFile {
    func load(_ json: String) throws -> CostModel { try CostModel.load(json: Array(json.utf8), path: "c.json") }

    func error(_ json: String) -> String? {
        do { _ = try load(json); return nil } catch { return (error as? CostModelError)?.message }
    }

    @Test func readsDefaultsAndMeasuredSteps() throws {
        let m = try load("""
            {"version": 1, "$schema": "x", "defaults": {"run": 2, "run:build": 30.5},
             "steps": [{"identity": "abc", "seconds": 4.25, "status": "hit"}, {"identity": "def", "seconds": 2, "status": "hit", "cached": false},
                       {"line": 3, "instruction": "run", "stage": 0, "text": "RUN make", "seconds": 7, "cached": false},
                       {"seconds": 1, "line": "x"}]}
            """)
        #expect(m.defaults["RUN"] == 2)
        #expect(m.defaults["run:build"] == 30.5)
        // The step measured as a cache hit says nothing about its run time: skipped.
        #expect(m.measured == [
            MeasuredStep(identity: "def", seconds: 2),
            MeasuredStep(line: 3, instruction: "RUN", stage: 0, text: "RUN make", seconds: 7, cached: false),
            MeasuredStep(seconds: 1),
        ])
    }

    @Test func namesWhatIsWrong() {
        #expect(error("{") == "c.json: error: not valid JSON")
        #expect(error("[1]") == "c.json: error: expected a JSON object")
        #expect(error(#"{"stpes": []}"#) == "c.json: error: unknown key 'stpes'")
        #expect(error(#"{"defaults": [1]}"#) == "c.json: error: 'defaults' must be an object")
        #expect(error(#"{"defaults": {"copy": true}}"#) == "c.json: error: defaults.copy must be a number of seconds ≥ 0")
        #expect(error(#"{"defaults": {"copy": -1}}"#) == "c.json: error: defaults.copy must be a number of seconds ≥ 0")
        #expect(error(#"{"steps": {}}"#) == "c.json: error: 'steps' must be an array")
        #expect(error(#"{"steps": [{"seconds": 1}, 2]}"#) == "c.json: error: steps[1] must be an object")
        #expect(error(#"{"steps": [{"seconds": 1}, {"seconds": "2"}]}"#) == "c.json: error: steps[1].seconds must be a number ≥ 0")
        #expect(error(#"{"steps": [{"seconds": false}]}"#) == "c.json: error: steps[0].seconds must be a number ≥ 0")
    }
}

/// The default cost of a RUN follows its most expensive command; a global or system install
/// of a few named packages costs seconds, not the half-minute of a project's dependencies.
@Suite struct CostModelCategories {
    @Test func mostExpensiveCommandWins() {
        #expect(CostModel.runCategory("npm install -g pnpm") == "run:small-install")
        #expect(CostModel.runCategory("set -x && apk add --no-cache curl && npm install -g pnpm") == "run:small-install")
        #expect(CostModel.runCategory("gem install bundler -v 2.5.6") == "run:small-install")
        #expect(CostModel.runCategory("pip install --no-cache-dir poetry==1.8.3") == "run:small-install")
        #expect(CostModel.runCategory("pip install --upgrade pip setuptools wheel") == "run:small-install")
        #expect(CostModel.runCategory("pip install \"pip>=25.1.0\"") == "run:small-install")
        // Named pip packages may be anything (flask, or torch): a real install.
        #expect(CostModel.runCategory("pip install flask") == "run:package-install")
        #expect(CostModel.runCategory("apt-get update && apt-get install -y curl") == "run:package-index")
        // Many packages, a variable list, manifests, the project itself: a real install.
        #expect(CostModel.runCategory("apk add --no-cache bash coreutils freetype icu libldap libpng") == "run:package-install")
        #expect(CostModel.runCategory("apt-get install -y $PACKAGES") == "run:package-install")
        #expect(CostModel.runCategory("pip install -r requirements.txt") == "run:package-install")
        #expect(CostModel.runCategory("pip install .") == "run:package-install")
        #expect(CostModel.runCategory("npm install express") == "run:package-install")
        #expect(CostModel.runCategory("npm ci && npm run build") == "run:build")
        #expect(CostModel.runCategory("apk add curl && pnpm install --frozen-lockfile") == "run:package-install")
        #expect(CostModel.runCategory("curl -fsSL https://example.com/x -o /x") == "run:download")
        #expect(CostModel.runCategory("chmod +x /entrypoint.sh") == "run:trivial")
        #expect(CostModel.runCategory("mkdir -p /data && ln -s /data /app/data && useradd -m app") == "run:trivial")
        #expect(CostModel.runCategory("chown -R app:app /app") == nil)
        #expect(CostModel.runCategory("python manage.py collectstatic --noinput") == nil)
        #expect(CostModel.standard.defaults["run:trivial"] == 0.5)
        #expect(CostModel.standard.defaults["run:small-install"] == 5)
    }
}
