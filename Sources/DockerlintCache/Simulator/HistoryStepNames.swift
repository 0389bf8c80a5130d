// What a history's builds are matched by, step by step, when the Dockerfile changed along the
// way: identities are ordinals (`stage:RUN#n`) that a RUN inserted above shifts, so each
// build's steps are named as one version of the file (the reference, a history's last) names
// them, by aligning the build's file with it (`CacheSimulator.alignedIdentities`, what lint's
// history evidence uses). The one owner for `simulate --git`'s summary (report, the
// rebuild-rate gate) and `bench --save-costs`.

import DockerlintModel
import DockerlintSupport

public struct HistoryStepNames: Sendable {
    /// The engine whose identities the builds' steps carry (`CacheSimulator.namedSteps`).
    public let engine: BuilderKind
    var versions: [DockerfileModel] = []
    var versionIndex: [String: Int] = [:]
    /// The version steps are named by (an index into `versions`).
    public private(set) var reference: Int? = nil
    /// Per (reference, version): the version's identities → the reference's.
    var aligned: [[Int]: [String: String]] = [:]
    /// Per version: identity → stage and full text (for the steps the reference has not).
    var texts: [Int: [String: (stage: String, text: String)]] = [:]

    /// Names and aligns steps (`alignedIdentities`, `stepTexts`) as builds on `engine` do.
    let namer: CacheSimulator

    public init(engine: BuilderKind) {
        self.engine = engine
        namer = CacheSimulator(engine: engine)
    }

    /// The index of `model`'s version, by the texts of its stages and steps (what the
    /// alignment reads).
    public mutating func version(of model: DockerfileModel) -> Int {
        // The signature is read off the text: a build of the text the last one was built
        // from (most builds of a history) is that version (`==` on a shared buffer reads nothing).
        let text = model.dockerfile.source.bytes
        if let last = lastText, last.text == text { return last.version }
        let v = versionBySignature(model)
        lastText = (text, v)
        return v
    }

    /// The text of the last version asked for, and its index.
    var lastText: (text: [UInt8], version: Int)? = nil

    mutating func versionBySignature(_ model: DockerfileModel) -> Int {
        var signature = ""
        for stage in model.stages {
            signature += "\u{1}" + (stage.name ?? "") + "\u{2}" + stage.from.syntax.original
            for mi in stage.onbuildTriggers + stage.instructions { signature += "\u{0}" + mi.syntax.original }
        }
        if let v = versionIndex[signature] { return v }
        versions.append(model)
        versionIndex[signature] = versions.count - 1
        return versions.count - 1
    }

    /// Names steps from now on as `version` names them; true when that is a change (keys
    /// given before are then stale).
    @discardableResult
    public mutating func nameBy(_ version: Int) -> Bool {
        guard version != reference else { return false }
        reference = version
        return true
    }

    /// The keys one build's steps (their identities, in build order; the build was made from
    /// `version`) are matched by across builds: the reference's identity of the step, or, for a
    /// step the reference has no counterpart of, its stage and full instruction text (with the
    /// n-th such in the build: `isReferenceIdentity` is false for those). Without a version
    /// or reference the identities are the keys, as they are.
    public mutating func keys(of identities: [String], version: Int?) -> [String] {
        guard let version, let reference, version != reference else { return identities }
        let map: [String: String]
        let pair = [reference, version]
        if let m = aligned[pair] { map = m } else {
            if aligned.count > 512 { aligned.removeAll() }
            let forward = namer.alignedIdentities(from: versions[reference], to: versions[version])
            map = Dictionary(forward.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
            aligned[pair] = map
        }
        var unaligned: [String: Int] = [:]
        return identities.map { identity in
            if let today = map[identity] { return today }
            if texts[version] == nil { texts[version] = namer.stepTexts(versions[version]) }
            let step = texts[version]![identity]
            let text = step.map { $0.stage + "\u{0}" + $0.text } ?? identity
            unaligned[text, default: 0] += 1
            return "\u{1}" + text + "\u{0}" + String(unaligned[text]!)
        }
    }

    /// Whether a key `keys(of:version:)` gave is an identity in the reference file.
    public static func isReferenceIdentity(_ key: String) -> Bool { !key.hasPrefix("\u{1}") }
}
