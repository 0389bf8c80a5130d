// Schemaless protobuf decoding of `moby.buildkit.v1.StatusResponse` (the `moby.buildkit.trace`
// aux payloads of `POST /build?version=2`) and the vertex merge that turns them into steps.
// Field numbers: moby/buildkit api/services/control/control.proto (docs/BUILDERS.md §3c).
import Foundation

/// One protobuf field as read off the wire, without a schema.
public struct ProtoField: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])
        case fixed32(UInt32)
    }
    public var number: Int
    public var value: Value

    public var varint: UInt64? { if case .varint(let v) = value { return v } else { return nil } }
    public var bytes: [UInt8]? { if case .bytes(let b) = value { return b } else { return nil } }
    public var string: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// Protobuf wire-format reader (varint, fixed32/64, length-delimited; groups rejected).
public enum ProtoDecoder {
    public static func fields(_ data: [UInt8]) throws(BuilderError) -> [ProtoField] {
        var out: [ProtoField] = []
        var i = 0
        func varint() throws(BuilderError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < data.count else { throw .protocolError("protobuf: truncated varint") }
                let b = data[i]
                i += 1
                if shift < 64 { result |= UInt64(b & 0x7f) << shift }
                if b & 0x80 == 0 { return result }
                shift += 7
                if shift > 70 { throw .protocolError("protobuf: varint too long") }
            }
        }
        func fixed(_ n: Int) throws(BuilderError) -> UInt64 {
            guard i + n <= data.count else { throw .protocolError("protobuf: truncated fixed\(n * 8)") }
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(data[i + k]) << (8 * UInt64(k)) }
            i += n
            return v
        }
        while i < data.count {
            let tag = try varint()
            let number = Int(tag >> 3)
            guard number > 0 else { throw .protocolError("protobuf: field number 0") }
            switch tag & 7 {
            case 0: out.append(ProtoField(number: number, value: .varint(try varint())))
            case 1: out.append(ProtoField(number: number, value: .fixed64(try fixed(8))))
            case 2:
                let len = try varint()
                guard len <= UInt64(data.count - i) else { throw .protocolError("protobuf: length \(len) past end") }
                out.append(ProtoField(number: number, value: .bytes(Array(data[i..<(i + Int(len))]))))
                i += Int(len)
            case 5: out.append(ProtoField(number: number, value: .fixed32(UInt32(try fixed(4)))))
            default: throw .protocolError("protobuf: unsupported wire type \(tag & 7)")
            }
        }
        return out
    }
}

/// `moby.buildkit.v1.Vertex` (one state change of a build graph node).
public struct TraceVertex: Sendable, Equatable {
    public var digest: String
    public var inputs: [String]
    public var name: String
    public var cached: Bool
    /// Unix time in seconds (with fraction), nil until the vertex starts.
    public var started: Double?
    /// Unix time in seconds, nil until it ends.
    public var completed: Double?
    public var error: String?
}

/// `moby.buildkit.v1.VertexLog` (container output chunk).
public struct TraceLog: Sendable, Equatable {
    public var vertex: String
    public var timestamp: Double?
    /// 1 = stdout, 2 = stderr.
    public var stream: Int
    public var message: [UInt8]
}

/// One decoded `StatusResponse`.
public struct TraceStatus: Sendable, Equatable {
    public var vertexes: [TraceVertex]
    public var logs: [TraceLog]
    /// Vertex digests named by `VertexStatus` progress entries (field 2): transfers such as
    /// pulling a base image.
    public var progressVertexes: [String] = []

    /// Decodes the protobuf bytes; unknown fields (statuses, warnings, newer additions) are skipped.
    public static func decode(_ bytes: [UInt8]) throws(BuilderError) -> TraceStatus {
        var s = TraceStatus(vertexes: [], logs: [])
        for f in try ProtoDecoder.fields(bytes) {
            switch (f.number, f.bytes) {
            case (1, let b?): s.vertexes.append(try decodeVertex(b))
            case (2, let b?):
                // VertexStatus: ID 1, vertex 2, name 3, current 4, total 5, timestamp 6, started 7, completed 8.
                let fields = try ProtoDecoder.fields(b)
                if let v = fields.first(where: { $0.number == 2 })?.string,
                   isTransfer(id: fields.first(where: { $0.number == 1 })?.string ?? "") { s.progressVertexes.append(v) }
            case (3, let b?): s.logs.append(try decodeLog(b))
            default: continue
            }
        }
        return s
    }

    /// Decodes the base64 `aux` string of a `moby.buildkit.trace` message.
    public static func decode(base64: String) throws(BuilderError) -> TraceStatus {
        guard let d = Data(base64Encoded: base64) else { throw .protocolError("trace: bad base64") }
        return try decode(Array(d))
    }

    static func timestamp(_ b: [UInt8]) throws(BuilderError) -> Double {
        var secs: Int64 = 0
        var nanos: Int64 = 0
        for f in try ProtoDecoder.fields(b) {
            if f.number == 1, let v = f.varint { secs = Int64(bitPattern: v) }
            if f.number == 2, let v = f.varint { nanos = Int64(Int32(truncatingIfNeeded: v)) }
        }
        return Double(secs) + Double(nanos) / 1e9
    }

    static func decodeVertex(_ b: [UInt8]) throws(BuilderError) -> TraceVertex {
        var v = TraceVertex(digest: "", inputs: [], name: "", cached: false, started: nil, completed: nil, error: nil)
        for f in try ProtoDecoder.fields(b) {
            switch f.number {
            case 1: v.digest = f.string ?? ""
            case 2: if let s = f.string { v.inputs.append(s) }
            case 3: v.name = f.string ?? ""
            case 4: v.cached = (f.varint ?? 0) != 0
            case 5: if let t = f.bytes { v.started = try timestamp(t) }
            case 6: if let t = f.bytes { v.completed = try timestamp(t) }
            case 7: if let e = f.string, !e.isEmpty { v.error = e }
            default: continue
            }
        }
        return v
    }

    static func decodeLog(_ b: [UInt8]) throws(BuilderError) -> TraceLog {
        var l = TraceLog(vertex: "", timestamp: nil, stream: 0, message: [])
        for f in try ProtoDecoder.fields(b) {
            switch f.number {
            case 1: l.vertex = f.string ?? ""
            case 2: if let t = f.bytes { l.timestamp = try timestamp(t) }
            case 3: l.stream = Int(truncatingIfNeeded: f.varint ?? 0)
            case 4: l.message = f.bytes ?? []
            default: continue
            }
        }
        return l
    }
}

/// Parsed `[stage k/n] INSTR …` vertex name.
struct StepName: Equatable {
    var stage: String?
    var index: Int
    var total: Int
    var instruction: String

    /// nil for `[internal] …`, `exporting to image`, `copy /context /` and other non-step vertices.
    init?(_ name: String) {
        guard name.hasPrefix("["), let close = name.firstIndex(of: "]") else { return nil }
        let inside = name[name.index(after: name.startIndex)..<close]
        let words = inside.split(separator: " ")
        guard let frac = words.last, words.count <= 2 else { return nil }
        let kn = frac.split(separator: "/")
        guard kn.count == 2, let k = Int(kn[0]), let n = Int(kn[1]) else { return nil }
        stage = words.count == 2 ? String(words[0]) : nil
        index = k
        total = n
        instruction = name[name.index(after: close)...].trimmingCharacters(in: .whitespaces)
    }
}

/// Merges trace messages by vertex digest and derives steps.
public struct BuildKitTraceAccumulator: Sendable {
    private var order: [String] = []
    private var vertices: [String: TraceVertex] = [:]
    private var withProgress: Set<String> = []
    public private(set) var logs: [TraceLog] = []

    public init() {}

    /// Merges one status message (later non-empty fields win; `cached` and `error` stick).
    public mutating func add(_ status: TraceStatus) {
        for v in status.vertexes {
            guard var cur = vertices[v.digest] else {
                order.append(v.digest)
                vertices[v.digest] = v
                continue
            }
            if !v.name.isEmpty { cur.name = v.name }
            if !v.inputs.isEmpty { cur.inputs = v.inputs }
            cur.cached = cur.cached || v.cached
            if let s = v.started {
                cur.started = s
                cur.completed = v.completed   // started again without completing: it restarted
            } else if let c = v.completed {
                cur.completed = c
            }
            if let e = v.error { cur.error = e }
            vertices[v.digest] = cur
        }
        logs.append(contentsOf: status.logs)
        withProgress.formUnion(status.progressVertexes)
    }

    /// Every vertex in first-seen order.
    public var allVertices: [TraceVertex] { order.compactMap { vertices[$0] } }

    /// Steps keyed on `[stage k/n]` and sorted by stage appearance then k. When one step maps to
    /// several vertices (rare), the failing or executed one wins.
    public var steps: [StepResult] {
        var byKey: [String: StepResult] = [:]
        var keyOrder: [String] = []
        var stageOrder: [String] = []
        for v in allVertices {
            guard let n = StepName(v.name) else { continue }
            let key = "\(n.stage ?? "")\u{0}\(n.index)"
            let stageKey = n.stage ?? ""
            if !stageOrder.contains(stageKey) { stageOrder.append(stageKey) }
            let status: StepStatus
            if v.cached {
                status = .hit
            } else if v.completed != nil {
                // FROM is never `cached`; it counts as a hit unless it transferred data (a pull).
                let isFrom = n.instruction.uppercased().hasPrefix("FROM ")
                status = isFrom && v.error == nil && !withProgress.contains(v.digest) ? .hit : .miss
            } else {
                status = .notRun
            }
            var seconds = 0.0
            if let s = v.started, let c = v.completed { seconds = max(0, c - s) }
            let step = StepResult(index: n.index, total: n.total, stage: n.stage, instruction: n.instruction,
                                  status: v.error != nil && status == .notRun ? .miss : status,
                                  seconds: seconds, error: v.error)
            if let old = byKey[key] {
                if old.error == nil && (step.error != nil || (old.status != .miss && step.status == .miss)) {
                    byKey[key] = step
                }
            } else {
                byKey[key] = step
                keyOrder.append(key)
            }
        }
        return keyOrder.compactMap { byKey[$0] }.sorted {
            let a = stageOrder.firstIndex(of: $0.stage ?? "") ?? 0
            let b = stageOrder.firstIndex(of: $1.stage ?? "") ?? 0
            return a != b ? a < b : $0.index < $1.index
        }
    }
}
