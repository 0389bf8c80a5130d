// Text parsers for builders that print steps instead of structured progress: the classic Docker
// builder's `stream` text (`Step k/n : …`, ` ---> Using cache`) and buildah/podman stdout
// (`STEP k/n: …`, `--> Using cache …`). Neither prints durations, so every line is fed with the
// monotonic time it arrived and a step lasts from its header to the next header (or the end).
import Foundation

/// Shared step bookkeeping for header-delimited logs.
struct HeaderTimedSteps {
    struct Open { var index: Int; var total: Int; var instruction: String; var start: Double; var hit: Bool; var sawOutcome: Bool }
    private(set) var done: [StepResult] = []
    private(set) var current: Open?

    mutating func begin(index: Int, total: Int, instruction: String, at t: Double) {
        close(at: t, error: nil)
        // FROM is no cache probe: it counts as a hit when the base image is already local and
        // as a miss once the builder reports pulling it (`markPulled`).
        let isFrom = instruction.split(separator: " ", maxSplits: 1).first?.uppercased() == "FROM"
        current = Open(index: index, total: total, instruction: instruction, start: t, hit: isFrom, sawOutcome: isFrom)
    }

    mutating func markPulled() {
        guard current?.instruction.split(separator: " ", maxSplits: 1).first?.uppercased() == "FROM" else { return }
        current?.hit = false
        current?.sawOutcome = true
    }

    mutating func markHit() { current?.hit = true; current?.sawOutcome = true }
    mutating func markOutcome() { current?.sawOutcome = true }

    /// Ends the open step. With an error it becomes a failed miss; without an outcome line and no
    /// error (the build was cut short) it is `notRun`.
    mutating func close(at t: Double, error: String?) {
        guard let c = current else { return }
        let status: StepStatus = error != nil ? .miss : (c.hit ? .hit : (c.sawOutcome ? .miss : .notRun))
        done.append(StepResult(index: c.index, total: c.total, instruction: c.instruction,
                               status: status, seconds: max(0, t - c.start), error: error))
        current = nil
    }
}

/// Parses the classic builder's `stream` text, line by line.
public struct ClassicStreamParser: Sendable {
    private var steps = HeaderTimedSteps()
    private var pendingText = ""
    private var pendingTime: Double?
    /// Non-step output lines (container output, `Successfully built`, …), ANSI colour stripped.
    public private(set) var log: [String] = []

    public init() {}

    /// Feeds one `stream` fragment that arrived at monotonic time `t`. Fragments need not be
    /// line-aligned (the engine sends `Step 2/5 : RUN x` and `\n` separately).
    public mutating func feed(_ fragment: String, at t: Double) {
        if pendingTime == nil { pendingTime = t }
        pendingText += fragment
        while let nl = pendingText.firstIndex(of: "\n") {
            let line = String(pendingText[..<nl])
            pendingText = String(pendingText[pendingText.index(after: nl)...])
            handle(line, at: pendingTime ?? t)
            pendingTime = pendingText.isEmpty ? nil : t
        }
    }

    /// Upper-cased first word of the step being read (`FROM`, `RUN`), nil outside steps.
    public var currentStepKeyword: String? {
        steps.current.map { String($0.instruction.split(separator: " ", maxSplits: 1).first ?? "").uppercased() }
    }

    /// A `status` message (`Pulling from …`, `Downloading`) arrived: the open FROM step fetched its image.
    public mutating func notePull() { steps.markPulled() }

    /// Ends the stream at time `t`; `error` (the stream's `error` message) fails the open step.
    public mutating func finish(at t: Double, error: String?) -> [StepResult] {
        if !pendingText.isEmpty { handle(pendingText, at: pendingTime ?? t); pendingText = "" }
        steps.close(at: t, error: error)
        return steps.done
    }

    private mutating func handle(_ raw: String, at t: Double) {
        let line = stripANSI(raw).trimmingCharacters(in: .newlines)
        if line.hasPrefix("Step "), let (k, n, instr) = Self.parseHeader(line) {
            steps.begin(index: k, total: n, instruction: instr, at: t)
            return
        }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed == "---> Using cache" {
            steps.markHit()
        } else if trimmed.hasPrefix("---> ") {
            // ` ---> Running in <ctr>` or ` ---> <image id>`: the step did something or finished.
            steps.markOutcome()
        } else if !trimmed.isEmpty {
            log.append(line)
        }
    }

    /// `Step 2/5 : RUN echo a` → (2, 5, "RUN echo a").
    static func parseHeader(_ line: String) -> (Int, Int, String)? {
        let body = line.dropFirst("Step ".count)
        guard let sep = body.range(of: " : ") ?? body.range(of: " :") else { return nil }
        let kn = body[..<sep.lowerBound].split(separator: "/")
        guard kn.count == 2, let k = Int(kn[0]), let n = Int(kn[1]) else { return nil }
        return (k, n, String(body[sep.upperBound...]).trimmingCharacters(in: .whitespaces))
    }
}

/// Parses `buildah bud` / `podman build` stdout+stderr, line by line.
public struct BuildahOutputParser: Sendable {
    private var steps = HeaderTimedSteps()
    public private(set) var log: [String] = []
    /// Full image ID (the last line of a successful build, a bare 64-hex string).
    public private(set) var imageID: String?
    /// `Error: building at STEP "…": …` and similar.
    public private(set) var error: String?

    public init() {}

    public mutating func feed(line raw: String, at t: Double) {
        let line = stripANSI(raw)
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("STEP "), let (k, n, instr) = Self.parseHeader(trimmed) {
            steps.begin(index: k, total: n, instruction: instr, at: t)
        } else if trimmed.hasPrefix("--> Using cache") {
            steps.markHit()
        } else if trimmed.hasPrefix("Trying to pull") || trimmed.hasPrefix("Getting image source signatures") {
            steps.markPulled()
            log.append(line)
        } else if trimmed.hasPrefix("--> ") {
            steps.markOutcome()
        } else if trimmed.hasPrefix("COMMIT") {
            steps.markOutcome()
        } else if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            imageID = "sha256:" + trimmed
        } else if trimmed.hasPrefix("Error:") || trimmed.hasPrefix("error ") || trimmed.hasPrefix("Build error:") {
            if error == nil { error = trimmed }
            log.append(line)
        } else if !trimmed.isEmpty {
            log.append(line)
        }
    }

    public mutating func finish(at t: Double, exitStatus: Int32) -> [StepResult] {
        if exitStatus != 0 && error == nil { error = "exit status \(exitStatus)" }
        steps.close(at: t, error: exitStatus == 0 ? nil : error)
        return steps.done
    }

    /// `STEP 2/6: RUN echo a` → (2, 6, "RUN echo a").
    static func parseHeader(_ line: String) -> (Int, Int, String)? {
        let body = line.dropFirst("STEP ".count)
        guard let colon = body.firstIndex(of: ":") else { return nil }
        let kn = body[..<colon].split(separator: "/")
        guard kn.count == 2, let k = Int(kn[0]), let n = Int(kn[1]) else { return nil }
        return (k, n, body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
}

/// Removes `ESC[…m` colour sequences (classic wraps RUN stderr in `ESC[91m … ESC[0m`).
func stripANSI(_ s: String) -> String {
    guard s.contains("\u{1b}") else { return s }
    var out = ""
    var it = s.unicodeScalars.makeIterator()
    while let c = it.next() {
        if c == "\u{1b}" {
            guard let b = it.next() else { break }
            if b == "[" { while let x = it.next(), !(x.value >= 0x40 && x.value <= 0x7e) {} }
            continue
        }
        out.unicodeScalars.append(c)
    }
    return out
}
