import Dispatch

/// `body(0..<count)` on every core, results in index order. Small inputs run inline:
/// waking worker threads costs more than a few dozen findings take.
public func parallelMap<T>(_ count: Int, minimum: Int = 2, _ body: (Int) -> T) -> [T] {
    if count < minimum {
        return (0..<count).map(body)
    }
    let slots = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
    defer { slots.deallocate() }
    // Each index is written by exactly one iteration; the buffer outlives the loop.
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(body: body, base: slots.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            (box.base + i).initialize(to: box.body(i))
        }
    }
    let result = Array(slots)
    _ = slots.baseAddress!.deinitialize(count: count)
    return result
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let body: (Int) -> T
    let base: UnsafeMutablePointer<T>
}

/// Indices of `items` grouped by `key`, groups in order of first appearance.
public func groupedIndices<T>(_ items: [T], by key: (T) -> String) -> [[Int]] {
    var order: [String: Int] = [:]
    var groups: [[Int]] = []
    for (i, item) in items.enumerated() {
        let k = key(item)
        if let g = order[k] {
            groups[g].append(i)
        } else {
            order[k] = groups.count
            groups.append([i])
        }
    }
    return groups
}
