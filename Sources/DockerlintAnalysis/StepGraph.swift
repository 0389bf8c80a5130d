// The step graph: for every instruction of every stage, what it reads and what it writes.
//
// Public API (small on purpose):
//   let graph = StepGraph(model: model, context: BuildContext.disk(...), scripts: { RunScript.make($0, in: model.dockerfile) })
//   graph.step(StepID(stage: 0, index: 3))   // reads, writes, installs, copied paths
//   graph.step(containing: instruction)       // the step of a ModelInstruction
//   Moves(graph).moveBelow(a, b)               // see Moves.swift
//
// Reads and writes are conservative: a program the analysis does not know reads and writes
// every path and reads the whole environment; a dependency install reads what its
// ecosystem reads (manifests, lock files, lifecycle-script inputs, workspaces), and, when
// that is not known, the project tree.

import DockerlintModel
import DockerlintShell
import DockerlintSupport
import DockerlintSyntax

/// A step by stage and position in `Stage.instructions`.
public struct StepID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var stage: Int
    public var index: Int
    public init(stage: Int, index: Int) {
        self.stage = stage
        self.index = index
    }
    public static func < (a: StepID, b: StepID) -> Bool { (a.stage, a.index) < (b.stage, b.index) }
    public var description: String { "\(stage):\(index)" }
}

/// Where a COPY/ADD from the build context puts one source.
public struct CopiedPath: Sendable, Equatable {
    /// The source as the builder sees it, context-relative and cleaned (`.` for the root).
    public var contextPath: String
    /// The absolute image path written (the destination directory for a tree source).
    public var imagePath: String
    /// True for a directory, a glob or the whole context.
    public var isTree: Bool
    /// True when the source holds a glob: only matching names are written.
    public var isGlob: Bool
}

/// A dependency install inside a RUN, and every project file it reads.
public struct InstallRead: Sendable {
    public var command: PackageCommand
    public var dependency: DependencyInstall
    public var workdir: String
    /// Image paths the install reads from the project (files or trees), manifests first.
    public var files: [String]
    /// Of `files`, those read only when present.
    public var optional: Set<String>
    /// False when the install may read more of the project than `files` (the source tree,
    /// an unknown lifecycle script); a manifests-first split is then unsafe.
    public var complete: Bool
    /// Why the install reads more than its manifests, or why it is not complete.
    public var reasons: [String]
    /// Composer: what the install reads when it runs first with `flags` added (`--no-scripts
    /// --no-autoloader`: it then reads the manifests and installs vendor/, nothing else of the
    /// project) and again, as written, once the source is there (it then installs nothing,
    /// writes the autoloader and runs the scripts as before). Nil when the command already
    /// has those flags or is no `composer install`.
    public var deferred: DeferredInstall? = nil
    /// The image directory of the project (the working directory, or `--working-dir` and the
    /// like): what an incomplete install is taken to read.
    public var projectRoot: String = ""
}

/// An install split in two runs of one command (`InstallRead.deferred`).
public struct DeferredInstall: Sendable {
    /// The options the first run adds to the command.
    public var flags: [String]
    public var files: [String]
    public var optional: Set<String>
    public var complete: Bool
    public var reasons: [String]
}

/// One instruction's effects.
public struct Step: Sendable {
    public var id: StepID
    public var instruction: ModelInstruction
    public var reads = Access()
    public var writes = Access()
    /// Context paths read (COPY/ADD sources, bind mounts of the context); `.` is all of it.
    public var contextReads: [String] = []
    /// COPY/ADD from the context: where each source lands.
    public var copied: [CopiedPath] = []
    /// RUN: dependency installs.
    public var installs: [InstallRead] = []
    /// RUN: true when a command reads the source tree's VCS metadata (`git describe`, Go's
    /// VCS stamping): the `.git` directory in the working directory or above.
    public var readsVCS = false
    /// RUN: true when a command reads the network (downloads, package indexes).
    public var readsNetwork = false
    /// Why the reads are as wide as they are (unknown programs, scripts): for messages.
    public var notes: [String] = []

    public var kind: InstructionKind { instruction.syntax.kind }
    /// True for the steps that make a layer and a cache entry (RUN, COPY, ADD).
    public var isCacheStep: Bool { kind == .run || kind == .copy || kind == .add }
}

public final class StepGraph {
    public let model: DockerfileModel
    public let context: BuildContext?
    /// Steps by stage, in `Stage.instructions` order.
    public private(set) var stages: [[Step]] = []
    private var byOffset: [Int: StepID] = [:]
    /// The parsed script of each RUN step.
    private var runScripts: [StepID: RunScript] = [:]
    /// What each RUN step runs through context scripts, once walked (`scriptRun`).
    var scriptRuns: [StepID: ScriptRun?] = [:]
    /// What the make and mage readers read of each RUN step, and the files they parsed, once
    /// walked (`ProjectReadings`).
    var projectReadings = ProjectReadings()

    /// Builds the graph of every stage. `scripts` gives the parsed script of a RUN (the
    /// linter passes its cached `RunScript.of`); `context` is the build context when known.
    public init(model: DockerfileModel, context: BuildContext?, scripts: (ModelInstruction) -> RunScript?) {
        self.model = model
        self.context = context
        for (si, stage) in model.stages.enumerated() {
            var steps: [Step] = []
            for (k, mi) in stage.instructions.enumerated() {
                let id = StepID(stage: si, index: k)
                byOffset[mi.syntax.range.start.offset] = id
                steps.append(Step(id: id, instruction: mi))
            }
            stages.append(steps)
        }
        for si in stages.indices {
            for k in stages[si].indices { analyse(StepID(stage: si, index: k), scripts) }
        }
    }

    public func step(_ id: StepID) -> Step { stages[id.stage][id.index] }

    /// The step of an instruction of this model (nil for FROM, global ARGs, ONBUILD triggers).
    public func id(of mi: ModelInstruction) -> StepID? {
        guard !mi.isOnbuildTrigger else { return nil }
        return byOffset[mi.syntax.range.start.offset]
    }

    public func step(containing mi: ModelInstruction) -> Step? { id(of: mi).map(step) }

    /// The parsed script of a RUN step (nil for other steps and non-shell heredocs).
    public func script(of id: StepID) -> RunScript? { runScripts[id] }

    /// The effects of the commands of RUN step `id` that `include` accepts (all of them when
    /// nil); with `deferring`, composer installs as the first run of their split
    /// (`InstallRead.deferred`).
    public func partialRun(_ id: StepID, including include: ((CommandInvocation) -> Bool)?, deferring: Bool = false) -> Step? {
        var st = Step(id: id, instruction: step(id).instruction)
        guard case .run(let run)? = st.instruction.typed?.command, let script = runScripts[id] else { return nil }
        RunEffects.analyse(&st, run: run, script: script, graph: self, include: include, deferring: deferring)
        return st
    }

    /// The steps of a stage after `id` (exclusive) up to `end` (inclusive).
    func steps(after id: StepID, through end: Int) -> ArraySlice<Step> {
        let s = stages[id.stage]
        guard id.index + 1 <= end, end < s.count else { return [] }
        return s[(id.index + 1)...end]
    }

    // MARK: - Mapping image paths to the context

    /// The context path the image file `path` comes from in `stage`, through the COPY/ADD
    /// steps of that stage from the context (the last one at or before `before` that covers
    /// it, else the first later one). Nil when no such copy writes it.
    public func contextPath(ofImagePath path: String, stage: Int, before: Int? = nil) -> String? {
        var found: String? = nil
        for st in stages[stage] {
            for c in st.copied {
                guard let rel = ImagePath.relative(path, to: c.imagePath) else { continue }
                let cp: String?
                if c.isTree {
                    if c.isGlob {
                        // `COPY *.json ./`: only names matching the glob, one level.
                        let pattern = ImagePath.basename(c.contextPath)
                        let first = rel.split(separator: "/").first.map(String.init) ?? ""
                        guard !rel.isEmpty, ImagePath.globMatch(pattern, first) else { continue }
                        cp = ImagePath.contextJoin(ImagePath.dirname(c.contextPath) == "." ? "." : ImagePath.dirname(c.contextPath), rel)
                    } else {
                        cp = ImagePath.contextJoin(c.contextPath, rel)
                    }
                } else {
                    cp = rel.isEmpty ? c.contextPath : nil
                }
                guard let cp else { continue }
                if let b = before, st.id.index > b {
                    if found == nil { return cp }
                    return found
                }
                found = cp
            }
        }
        return found
    }

    /// The context directory that image directory `dir` mirrors (`COPY . /app` makes `/app`
    /// mirror `.`), if any COPY of the stage places a context tree there.
    public func contextDirectory(ofImageDirectory dir: String, stage: Int) -> String? {
        for st in stages[stage] {
            for c in st.copied where c.isTree && !c.isGlob {
                if let rel = ImagePath.relative(dir, to: c.imagePath) { return ImagePath.contextJoin(c.contextPath, rel) }
            }
        }
        return nil
    }

    // MARK: - Building

    private func analyse(_ id: StepID, _ scripts: (ModelInstruction) -> RunScript?) {
        var st = stages[id.stage][id.index]
        let mi = st.instruction
        // Every instruction expands variables BuildKit knows: those are environment reads.
        st.reads.env.names.formUnion(mi.matchedVariables)
        st.reads.env.names.formUnion(mi.unmatchedVariables)
        switch mi.typed?.command {
        case .run(let run)?:
            let script = scripts(mi)
            if let script { runScripts[st.id] = script }
            RunEffects.analyse(&st, run: run, script: script, graph: self)
        case .copy(let c)?, .add(let c)?:
            copyEffects(&st, c)
        case .env(let e)?:
            for p in e.pairs { st.writes.env.names.insert(p.key.value) }
        case .arg(let a)?:
            for d in a.definitions { st.writes.env.names.insert(d.key) }
        case .workdir?:
            st.reads.workdir = true
            st.writes.workdir = true
            // BuildKit creates the directory.
            if let w = mi.resolved?.workdir { st.writes.paths.insert(w) }
        case .user?:
            st.writes.user = true
        case .shell?:
            st.writes.shell = true
        case .onbuild?, nil:
            // Not understood: reads and writes everything.
            st.reads.paths = .everything
            st.writes.paths = .everything
            st.reads.env = .everything
            st.notes.append("the instruction is not understood")
        default:
            // LABEL, EXPOSE, CMD, ENTRYPOINT, HEALTHCHECK, VOLUME, STOPSIGNAL, MAINTAINER:
            // image configuration only. VOLUME freezes later writes to its paths.
            if case .volume? = mi.typed?.command {
                for v in mi.resolved?.volumes ?? [] { st.writes.paths.insert(ImagePath.absolute(v, workdir: mi.workingDirectory)) }
            }
        }
        stages[id.stage][id.index] = st
    }

    /// True when `text` expands variable `name` (`$name` or `${name...}`).
    static func references(_ text: String, _ name: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.range(of: "$") {
            let after = rest[r.upperBound...]
            let body = after.hasPrefix("{") ? after.dropFirst() : after
            if body.hasPrefix(name) {
                let next = body.dropFirst(name.count).first
                if next.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true { return true }
            }
            rest = after
        }
        return false
    }

    private func copyEffects(_ st: inout Step, _ c: CopyCommand) {
        let mi = st.instruction
        let wd = ImagePath.workdir(mi.workingDirectory)
        let destRaw = mi.resolved?.destination ?? c.destination.value
        if !destRaw.hasPrefix("/") { st.reads.workdir = true }
        let dest = ImagePath.absolute(destRaw, workdir: wd)
        // --chown/--chmod with names resolve them in the image's /etc/passwd and /etc/group.
        if let chown = mi.resolved?.chown ?? c.chown?.value, chown.contains(where: { $0.isLetter }) {
            st.reads.paths.insert("/etc/passwd")
            st.reads.paths.insert("/etc/group")
        }
        // A destination naming a variable the file does not set: BuildKit expands it from the
        // base image's environment (`$CATALINA_HOME/conf/`), so where the files land is not known.
        // The context it reads is known all the same.
        // So does one naming a variable whose value depends on a build argument the file
        // leaves unset (`ARG DIR` then `ENV APP=$DIR`).
        let unknownDestination = mi.unmatchedVariables.first(where: { Self.references(c.destination.value, $0) })
            ?? mi.matchedVariables.first(where: { Self.references(c.destination.value, $0) && mi.scope.variable(named: $0)?.dependsOnBuildArgument == true })
        defer {
            if let name = unknownDestination {
                st.writes.paths = .everything
                st.copied = []
                let byBuild = mi.scope.variable(named: name)?.dependsOnBuildArgument == true
                st.notes.append(byBuild ? "its destination names $\(name), whose value depends on a build argument the file leaves unset"
                                        : "its destination names $\(name), which the base image may set")
            }
        }
        if c.parents || !c.excludes.isEmpty {
            // The written set depends on patterns the analysis does not model: the whole destination.
            st.writes.paths.insert(dest)
        }
        if let from = c.from {
            // From another stage or image: not the context. The files land under dest.
            _ = from
            st.writes.paths.insert(dest)
            return
        }
        for inline in mi.resolved?.inlineSources ?? c.inlineSources {
            st.writes.paths.insert(destRaw.hasSuffix("/") ? ImagePath.absolute(inline.path, workdir: dest) : dest)
        }
        let srcs = mi.resolved?.sources ?? c.sources.map(\.value)
        let destIsDir = destRaw.hasSuffix("/") || destRaw == "." || srcs.count > 1
        for s in srcs {
            if s.containsPlainASCII("://") ?? s.contains("://") || s.hasPrefix("git@") {
                st.readsNetwork = true
                st.writes.paths.insert(destIsDir ? dest + "/" + ImagePath.basename(s) : dest)
                if !destIsDir { st.writes.paths.insert(dest) } else { st.writes.paths.insert(dest) }
                continue
            }
            let cp = ImagePath.contextJoin(".", s)
            let glob = s.isPlainASCII ? s.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
                : s.contains("*") || s.contains("?") || s.contains("[")
            var tree = glob || s == "." || s == "./" || s.hasSuffix("/")
            if !tree {
                if let ctx = context, let d = ctx.files.isDirectory(cp) { tree = d } else if context == nil {
                    tree = !ImagePath.basename(s).contains(".")
                }
            }
            // ADD of a local archive unpacks it: the written set is the archive's content.
            let archive = c.isAdd && [".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".tbz2", ".txz"].contains { s.hasSuffix($0) }
            st.contextReads.append(cp)
            let written: String
            if tree || archive { written = dest } else if destIsDir { written = dest == "/" ? "/" + ImagePath.basename(s) : dest + "/" + ImagePath.basename(s) } else { written = dest }
            st.writes.paths.insert(written)
            if !archive { st.copied.append(CopiedPath(contextPath: cp, imagePath: written, isTree: tree, isGlob: glob)) }
        }
    }
}
