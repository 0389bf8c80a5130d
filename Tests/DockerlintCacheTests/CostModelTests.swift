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
