// The Dockerfile as the optimizer rearranges it: per stage, the instructions after FROM as
// movable units (each with the comment lines right above it), and the slots they stand in.
// A new order is written by filling the same slots with other units: blank lines, comments
// that are not attached to an instruction, parser directives and every byte of every unit
// stay as they were. Units a transformation adds (a manifest COPY, half of a split RUN) share
// the slot of the unit they stand before.

import DockerlintCache
import DockerlintModel
import DockerlintRules
import DockerlintSyntax

/// One movable piece of a stage.
public struct OptimizeUnit: Sendable, Equatable {
    /// Stage index.
    public var stage: Int
    /// The bytes written for the unit: its lines, comments above included, ending in a line break.
    public var text: [UInt8]
    /// First line of the instruction in the file the unit comes from (for new units: the line
    /// of the instruction they were made from).
    public var line: Int
    /// The keyword in upper case.
    public var keyword: String
    /// The instruction on one line, shortened.
    public var display: String
    /// Position in the stage as written (nil for units a transformation added).
    public var originalIndex: Int?
    /// The instruction (nil for added units until they are parsed in their file).
    public var instruction: ModelInstruction?
}

/// A stage's units and the slots they fill.
public struct StageLayout: Sendable {
    public var stage: Int
    public var name: String
    /// Byte ranges of the slots, in file order (one per unit as written).
    public var slots: [Range<Int>]
    public var units: [OptimizeUnit]
}

public struct OptimizeLayout: Sendable {
    public var bytes: [UInt8]
    public var model: DockerfileModel
    public var stages: [StageLayout]
    /// The file's line break.
    public var newline: [UInt8]

    public init(bytes: [UInt8], options: BuildOptions = BuildOptions()) {
        self.bytes = bytes
        let file = DockerfileParser.parse(bytes)
        model = DockerfileModel.build(file, options: options)
        let src = file.source
        if let i = bytes.firstIndex(of: 0x0A), i > 0, bytes[i - 1] == 0x0D { newline = [0x0D, 0x0A] } else { newline = [0x0A] }
        func start(_ line: Int) -> Int { line <= src.lineCount ? src.lineStarts[line - 1] : bytes.count }
        var stages: [StageLayout] = []
        for st in model.stages {
            var slots: [Range<Int>] = []
            var units: [OptimizeUnit] = []
            var previousEnd = start(st.from.syntax.endLine + 1)
            for (k, mi) in st.instructions.enumerated() {
                var lines = InstructionLines.of(mi.syntax, file)
                // Comments above belong to the unit only when they follow the previous unit's end.
                let firstByte = max(start(lines.first), previousEnd)
                if firstByte > start(lines.first) { lines.first = src.line(containing: firstByte) }
                let range = start(lines.first)..<start(lines.last + 1)
                previousEnd = range.upperBound
                slots.append(range)
                var text = Array(bytes[range])
                if text.last != 0x0A { text += newline }
                units.append(OptimizeUnit(stage: st.index, text: text, line: mi.syntax.startLine, keyword: mi.syntax.kind.keyword,
                                          display: CacheSimulator.shortText(mi.syntax), originalIndex: k, instruction: mi))
            }
            stages.append(StageLayout(stage: st.index, name: st.displayName, slots: slots, units: units))
        }
        self.stages = stages
    }

    /// The file with each stage's units in the given order (indices into that stage's
    /// `units`; stages not named keep their order). Units without an `originalIndex` are
    /// written in the slot of the next original unit of the order (the last slot at the end).
    public func render(_ orders: [Int: [Int]], extraUnits: [Int: [OptimizeUnit]] = [:]) -> [UInt8] {
        var replacements: [(Range<Int>, [UInt8])] = []
        for layout in stages {
            guard let order = orders[layout.stage] else { continue }
            let all = layout.units + (extraUnits[layout.stage] ?? [])
            var pending: [UInt8] = []
            var slot = 0
            var fills = [[UInt8]](repeating: [], count: layout.slots.count)
            for u in order {
                let unit = all[u]
                if unit.originalIndex == nil {
                    pending += unit.text
                    continue
                }
                guard slot < fills.count else { pending += unit.text; continue }
                fills[slot] = pending + unit.text
                pending = []
                slot += 1
            }
            if !pending.isEmpty, !fills.isEmpty { fills[fills.count - 1] += pending }
            for (i, r) in layout.slots.enumerated() { replacements.append((r, fills[i])) }
        }
        replacements.sort { $0.0.lowerBound < $1.0.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var cursor = 0
        for (r, t) in replacements {
            out += bytes[cursor..<r.lowerBound]
            out += t
            cursor = r.upperBound
        }
        out += bytes[cursor...]
        // The file ended without a line break: so does the result.
        if bytes.last != 0x0A, out.last == 0x0A {
            out.removeLast()
            if out.last == 0x0D, newline.count == 2 { out.removeLast() }
        }
        return out
    }
}
