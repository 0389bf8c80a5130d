// The one question the optimizer asks about safety: may two steps of a stage change their
// relative order without changing the image? Every order the search considers keeps each
// pair this answers "no" for in the file's order, so every candidate is a linear extension of
// these constraints (independent steps commute; dependent ones never cross).

import DockerlintModel
import DockerlintSyntax

enum MoveSafety {
    /// Why `later` may not move above `earlier` (both of one stage, `earlier` first in the
    /// file), or nil when they commute.
    static func constraint(_ earlier: ModelInstruction, _ later: ModelInstruction, model: DockerfileModel) -> String? {
        let a = earlier.syntax.kind, b = later.syntax.kind
        // Instructions that only set image metadata keep their place: moving them changes no
        // cache key on BuildKit, and on the classic builder their cost is a tenth of a second.
        if isPinned(a) || isPinned(b) { return "metadata instructions keep their place" }
        // Anything that changes the state later steps see (environment, user, directory,
        // shell, volumes, triggers) is a barrier.
        if isBarrier(a) || isBarrier(b) { return "\(isBarrier(a) ? a.keyword : b.keyword) changes what later steps see" }
        if a == .run || b == .run {
            return "a RUN may read or write what the other step touches"
        }
        if (a == .copy || a == .add) && (b == .copy || b == .add) {
            return copiesConflict(earlier, later)
        }
        return "not known to commute"
    }

    static func isPinned(_ k: InstructionKind) -> Bool {
        switch k {
        case .cmd, .entrypoint, .expose, .label, .healthcheck, .stopsignal, .maintainer: return true
        default: return false
        }
    }

    static func isBarrier(_ k: InstructionKind) -> Bool {
        switch k {
        case .env, .arg, .user, .workdir, .shell, .volume, .onbuild, .from: return true
        default: return false
        }
    }

    /// Two copies commute when both read fixed sources and write disjoint places.
    static func copiesConflict(_ x: ModelInstruction, _ y: ModelInstruction) -> String? {
        for c in [x, y] {
            guard case .copy(let cc)? = c.typed?.command else { return "not a plain copy" }
            if c.syntax.original.contains("$") { return "a copy that expands variables" }
            if cc.isAdd { return "ADD may fetch or unpack" }
            if cc.parents { return "COPY --parents" }
        }
        guard let dx = destination(x), let dy = destination(y) else { return "destination not known" }
        if overlap(dx, dy) { return "both write \(dx.count <= dy.count ? dx : dy)" }
        return nil
    }

    /// The absolute destination, as a directory when the copy writes into one.
    static func destination(_ mi: ModelInstruction) -> String? {
        guard let d = mi.resolved?.absoluteDestination, d.hasPrefix("/") else { return nil }
        var p = d
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    static func overlap(_ a: String, _ b: String) -> Bool {
        if a == b || a == "/" || b == "/" { return true }
        return a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
    }
}
