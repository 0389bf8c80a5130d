// The order search of `dockerlint optimize`: which order of one stage's steps re-runs least
// over a history, among the orders the dependence constraints allow.
//
// The cost model. A step's cache key is its own inputs (definition, sources, environment,
// mounts: `StepPrediction.inputKey`) chained onto its parent's key, and a step hits when an
// earlier build had the same key. Two builds therefore agree on a step's key exactly when
// they agree on the inputs of every step up to it, in whatever order those steps stand: the
// key of the step at position i depends only on the *set* of steps at positions ≤ i. So with
// D(c', c) = the steps whose inputs differ between builds c' and c, the step placed after
// the set S re-runs in build c exactly when every earlier build c' has D(c', c) ∩ (S ∪ {u})
// ≠ ∅, and the cost of an order is Σ cost(u) · misses(prefix set up to u). Only the minimal
// D(c', c) of each build matter, and a build with an empty one never re-runs anything.
//
// The search. Because a placement's cost depends only on the set placed so far, the best
// order is a shortest path over the down-closed sets (ideals) of the dependence order: an
// exact dynamic programme, layer by layer (all sets of k steps), ties broken towards the
// fewest inversions of the current order (so an order that cannot be beaten is kept as it
// is). When a layer would exceed `exactStateLimit` sets, the search keeps the best
// `beamWidth` sets per layer, ranked by cost so far plus an admissible lower bound of the
// rest, and reports the result with that bound (`lowerBound`): the heuristic's answer is
// never further from the optimum than `cost - lowerBound`.

/// One stage's search input.
public struct OrderProblem: Sendable {
    /// Seconds each unit costs when it runs (0 for units that are not cache steps).
    public var costs: [Double]
    /// For each unit, the units that must stay before it (bit set over unit indices).
    public var predecessors: [UInt64]
    /// Per counted build: the minimal sets of units whose inputs differ from some earlier
    /// build (bits over units), with a weight (identical builds merged). A build whose list is
    /// empty re-runs every step.
    public var builds: [(masks: [UInt64], weight: Int)]

    public init(costs: [Double], predecessors: [UInt64], builds: [(masks: [UInt64], weight: Int)]) {
        self.costs = costs
        self.predecessors = predecessors
        self.builds = builds
    }

    public var count: Int { costs.count }

    /// Builds weighted by how often the prefix set `s` re-runs (its last step misses).
    public func misses(_ s: UInt64) -> Int {
        var n = 0
        for b in builds where b.masks.allSatisfy({ $0 & s != 0 }) { n += b.weight }
        return n
    }

    /// The cost of one order (unit indices): Σ cost · misses(prefix).
    public func cost(of order: [Int]) -> Double {
        var s: UInt64 = 0
        var total = 0.0
        for u in order {
            s |= 1 << UInt64(u)
            if costs[u] > 0 { total += costs[u] * Double(misses(s)) }
        }
        return total
    }

    /// Re-runs of each unit in one order (by unit index).
    public func missesPerUnit(_ order: [Int]) -> [Int] {
        var out = [Int](repeating: 0, count: count)
        var s: UInt64 = 0
        for u in order {
            s |= 1 << UInt64(u)
            out[u] = misses(s)
        }
        return out
    }

    /// True when `order` places every unit after its predecessors.
    public func allows(_ order: [Int]) -> Bool {
        guard order.count == count, Set(order).count == count else { return false }
        var s: UInt64 = 0
        for u in order {
            if predecessors[u] & ~s != 0 { return false }
            s |= 1 << UInt64(u)
        }
        return true
    }

    /// Every unit that must come before `u`, transitively.
    func ancestors() -> [UInt64] {
        var anc = predecessors
        var changed = true
        while changed {
            changed = false
            for u in 0..<count {
                var a = anc[u]
                var rest = a
                while rest != 0 {
                    let v = rest.trailingZeroBitCount
                    rest &= rest - 1
                    a |= anc[v]
                }
                if a != anc[u] { anc[u] = a; changed = true }
            }
        }
        return anc
    }
}

public struct OrderSolution: Sendable, Equatable {
    public var order: [Int]
    public var cost: Double
    /// True when the search visited every allowed set (the order is optimal).
    public var exact: Bool
    /// A lower bound of the optimum (equal to `cost` when exact).
    public var lowerBound: Double
    /// Sets expanded.
    public var states: Int
}

public enum OrderSearch {
    /// Largest number of sets in one layer the exact search keeps.
    public static let exactStateLimit = 20_000
    /// Sets kept per layer once the exact search would exceed the limit.
    public static let beamWidth = 2_000
    /// Units per stage the search handles (one machine word of bits).
    public static let maxUnits = 64

    struct Entry {
        var cost: Double
        var inversions: Int
        var parent: UInt64
        var last: Int
    }

    static func better(_ a: (Double, Int), than b: (Double, Int)) -> Bool {
        if a.0 < b.0 - 1e-9 { return true }
        if a.0 > b.0 + 1e-9 { return false }
        return a.1 < b.1
    }

    /// The builds in flat arrays: per build its weight and the range of its masks.
    struct Flat {
        var masks: [UInt64] = []
        var starts: [Int] = []
        var weights: [Int] = []
        init(_ p: OrderProblem) {
            for b in p.builds {
                starts.append(masks.count)
                masks += b.masks
                weights.append(b.weight)
            }
            starts.append(masks.count)
        }

        /// misses(S ∪ {u}) for every u, from one pass over the builds: a build re-runs the
        /// step placed after S when every mask S does not meet contains that step.
        func successorMisses(_ s: UInt64, into out: inout [Int]) {
            var base = 0
            for i in out.indices { out[i] = 0 }
            for b in 0..<weights.count {
                var open = UInt64.max
                var anyOpen = false
                for k in starts[b]..<starts[b + 1] where masks[k] & s == 0 {
                    open &= masks[k]
                    anyOpen = true
                }
                if !anyOpen { base += weights[b]; continue }
                var bits = open & ~s
                while bits != 0 {
                    let u = bits.trailingZeroBitCount
                    bits &= bits - 1
                    if u < out.count { out[u] += weights[b] }
                }
            }
            for i in out.indices { out[i] += base }
        }
    }

    /// The cheapest order `problem` allows; ties go to the order closest to 0, 1, 2, ….
    public static func solve(_ problem: OrderProblem, stateLimit: Int = exactStateLimit, beam: Int = beamWidth) -> OrderSolution {
        let n = problem.count
        precondition(n <= maxUnits)
        if n == 0 { return OrderSolution(order: [], cost: 0, exact: true, lowerBound: 0, states: 0) }
        let anc = problem.ancestors()
        let flat = Flat(problem)
        // A unit in no mask never changes whether anything re-runs: placing it as soon as it
        // may stand costs least (misses only grow with the prefix) and changes no other
        // unit's cost, so the search places such units greedily instead of branching on them.
        var inBits: UInt64 = 0
        for m in flat.masks { inBits |= m }
        var inert: UInt64 = 0
        for u in 0..<n where inBits & (1 << UInt64(u)) == 0 { inert |= 1 << UInt64(u) }
        // Lower bound of each unit's cost whatever precedes it beyond its ancestors.
        var own = [Double](repeating: 0, count: n)
        for u in 0..<n where problem.costs[u] > 0 {
            own[u] = problem.costs[u] * Double(problem.misses(anc[u] | (1 << UInt64(u))))
        }
        let lowerBoundAll = own.reduce(0, +)
        var layers: [[UInt64: Entry]] = [[0: Entry(cost: 0, inversions: 0, parent: 0, last: -1)]]
        var exact = true
        var states = 0
        var succ = [Int](repeating: 0, count: n)
        for _ in 0..<n {
            var next: [UInt64: Entry] = [:]
            for (s, e) in layers[layers.count - 1] {
                states += 1
                flat.successorMisses(s, into: &succ)
                // Available units; an available inert unit is placed alone (the first of them).
                // So is an inert unit that costs nothing when it is the first unit of the file's
                // order still to place (its place changes no cost; this keeps the file's order).
                var available: [Int] = []
                for u in 0..<n {
                    let bit: UInt64 = 1 << UInt64(u)
                    guard s & bit == 0, problem.predecessors[u] & ~s == 0 else { continue }
                    if inert & bit != 0 && (problem.costs[u] > 0 || available.isEmpty) { available = [u]; break }
                    available.append(u)
                }
                for u in available {
                    let bit: UInt64 = 1 << UInt64(u)
                    let t = s | bit
                    let add = problem.costs[u] > 0 ? problem.costs[u] * Double(succ[u]) : 0
                    // Inversions: units not yet placed that stood before u.
                    let before: UInt64 = u == 0 ? 0 : (UInt64.max >> UInt64(64 - u))
                    let inv = (before & ~s).nonzeroBitCount
                    let cand = Entry(cost: e.cost + add, inversions: e.inversions + inv, parent: s, last: u)
                    if let old = next[t], !better((cand.cost, cand.inversions), than: (old.cost, old.inversions)) { continue }
                    next[t] = cand
                }
            }
            if next.count > stateLimit {
                exact = false
                // Keep the most promising sets: cost so far plus the bound of the rest.
                func rest(_ s: UInt64) -> Double {
                    var b = 0.0
                    var left = ~s
                    while left != 0 {
                        let u = left.trailingZeroBitCount
                        left &= left - 1
                        if u < n { b += own[u] }
                    }
                    return b
                }
                let ranked = next.map { ($0.key, $0.value, $0.value.cost + rest($0.key)) }
                    .sorted { better(($0.2, $0.1.inversions), than: ($1.2, $1.1.inversions)) }
                next = Dictionary(uniqueKeysWithValues: ranked.prefix(beam).map { ($0.0, $0.1) })
            }
            layers.append(next)
        }
        let full: UInt64 = n == 64 ? UInt64.max : (1 << UInt64(n)) - 1
        guard let end = layers[n][full] else {
            // Cyclic constraints cannot come from a file's order; keep the file's order.
            let id = Array(0..<n)
            return OrderSolution(order: id, cost: problem.cost(of: id), exact: false, lowerBound: lowerBoundAll, states: states)
        }
        var order: [Int] = []
        var s = full
        var e = end
        var k = n
        while k > 0 {
            order.append(e.last)
            s = e.parent
            k -= 1
            if k > 0 { e = layers[k][s]! }
        }
        order.reverse()
        order = keepFileOrder(order, problem: problem)
        let cost = exact ? end.cost : min(end.cost, problem.cost(of: order))
        return OrderSolution(order: order, cost: cost, exact: exact, lowerBound: exact ? cost : min(lowerBoundAll, cost),
                             states: states)
    }

    /// Swaps adjacent units back into the file's order wherever that costs nothing more, so a
    /// proposal moves only what its saving needs.
    static func keepFileOrder(_ order: [Int], problem: OrderProblem) -> [Int] {
        var o = order
        var cost = problem.cost(of: o)
        var changed = true
        var rounds = 0
        while changed && rounds < 4 * o.count {
            changed = false
            rounds += 1
            for i in 0..<(max(0, o.count - 1)) where o[i] > o[i + 1] {
                // o[i+1] may move above o[i] only when it does not need o[i].
                if problem.predecessors[o[i + 1]] & (1 << UInt64(o[i])) != 0 { continue }
                var t = o
                t.swapAt(i, i + 1)
                let c = problem.cost(of: t)
                if c <= cost + 1e-9 { o = t; cost = min(cost, c); changed = true }
            }
        }
        return o
    }
}
