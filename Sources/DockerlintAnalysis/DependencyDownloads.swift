// How many dependencies the builds of a Dockerfile download, per ecosystem, read from the
// project's files: the size of the download share the cost model gives one-command builds
// (`go build`, `mvn package`, `gradle build`, `cargo build`) and pre-fetch steps.
//
//   Go      distinct `module version` entries of go.sum with a module hash (the zips a build
//           downloads; `/go.mod`-only entries are not downloaded as zips), else the require
//           lines of go.mod; 0 when the module is vendored (vendor/modules.txt: `go build`
//           then reads vendor/ and downloads nothing, unless `-mod=mod` is given).
//   Maven   distinct artifacts (group and artifact id) of the `<dependency>` and `<plugin>`
//           elements of every pom of the reactor the build reads (declared ones: their
//           transitive dependencies are not counted, so the share is a lower bound).
//   Gradle  a fixed estimate (`gradleEstimate`): build scripts are programs, their
//           dependencies are not known without running them.
//   Cargo   `[[package]]` entries of Cargo.lock with a `source` (registry or git crates; the
//           project's own packages have none).
//   Composer the packages of composer.lock (`packages-dev` too unless `--no-dev`); without a
//           lock sent, the packages composer.json requires (its platform requirements `php`,
//           `ext-*`, `lib-*` aside; their own dependencies are not counted: a lower bound).

import DockerlintCache
import DockerlintShell
import DockerlintSupport
import Foundation

public enum DependencyDownloads {
    /// Dependencies assumed for a Gradle build (about the 30 s of any other dependency install
    /// at `CostModel.secondsPerDependency`).
    public static let gradleEstimate = 100

    /// Per ecosystem, the most dependencies any build or pre-fetch step of the file downloads
    /// (nothing without a build context).
    public static func count(_ graph: StepGraph) -> [DownloadEcosystem: Int] {
        guard let context = graph.context else { return [:] }
        var out: [DownloadEcosystem: Int] = [:]
        for stage in graph.stages {
            for step in stage where step.kind == .run {
                for ins in step.installs {
                    guard let e = ecosystem(ins.command.manager) else { continue }
                    let n = count(e, ins, step, graph, context.files)
                    if let n { out[e] = max(out[e] ?? 0, n) }
                }
                for si in graph.scriptInstalls(step.id) {
                    guard let e = ecosystem(si.install.command.manager) else { continue }
                    if let n = count(e, si.install, step, graph, context.files) { out[e] = max(out[e] ?? 0, n) }
                }
                if let made = graph.goBuildThroughMake(step.id), let n = goModules(workdir: made.workdir, mod: nil, step, graph, context.files) {
                    out[.go] = max(out[.go] ?? 0, n)
                }
                if mentionsMage(step.instruction.syntax.original),
                   let mage = graph.goBuildThroughMage(step.id), let n = goModules(workdir: mage.module, mod: nil, step, graph, context.files) {
                    out[.go] = max(out[.go] ?? 0, n)
                }
            }
        }
        return out
    }

    /// Whether a segment of `text` (`CostModel.segments`) contains `mage`. On ASCII, where
    /// no separator is part of the word, that is whether the text's bytes hold it.
    static func mentionsMage(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8).containsBytes("mage") }
        return CostModel.segments(text).contains { $0.contains("mage") }
    }

    /// RUN commands (as the simulator sees them: the command line's words joined by spaces)
    /// that download and build through a program or values the cost model cannot read: `make
    /// <target>` whose recipe is `go build` (`StepGraph.goBuildThroughMake`), `mage <target>`
    /// whose target loads the module's packages (`StepGraph.goBuildThroughMage`), a build in a
    /// context script the RUN runs (`StepGraph.scriptInstalls`), and Maven,
    /// Gradle or Cargo builds whose goals come from variables (`mvn $MVN_ARGS` with `ARG
    /// MVN_ARGS='clean install'`).
    public static func scriptedBuilds(_ graph: StepGraph) -> [String: DownloadEcosystem] {
        var out: [String: DownloadEcosystem] = [:]
        for stage in graph.stages {
            for step in stage where step.kind == .run {
                guard case .run(let r)? = step.instruction.typed?.command else { continue }
                let command = r.commandLine.arguments.joined(separator: " ")
                if let made = graph.goBuildThroughMake(step.id) {
                    out[command] = .go
                    // The make command alone, as one segment of the RUN (or the whole RUN once split).
                    out[CostModel.segmentKey(made.command)] = .go
                    continue
                }
                if command.contains("mage"), let mage = graph.goBuildThroughMage(step.id) {
                    out[command] = .go
                    for m in mage.commands { out[CostModel.segmentKey(m)] = .go }
                    continue
                }
                // A build in a context script the RUN runs: the command line names only the script.
                for si in graph.scriptInstalls(step.id) where si.install.dependency.source == .localProject {
                    if let e = ecosystem(si.install.command.manager) { out[command] = e }
                }
                let known = CostModel.downloads(command)
                for ins in step.installs where ins.dependency.source == .localProject {
                    if let e = ecosystem(ins.command.manager), e != .go, !known.build.contains(e), !known.fetch.contains(e) { out[command] = e }
                }
            }
        }
        return out
    }

    /// RUN commands (as the simulator sees them) whose one `make` runs dependency installs in
    /// a target of its own that may run apart (`StepGraph.installThroughMake`, verdict safe,
    /// other goals left to run), with the installs' text: the cost model prices the RUN as
    /// those installs and the make, as it prices the same commands written in the RUN.
    public static func madeInstalls(_ graph: StepGraph) -> [String: String] {
        var out: [String: String] = [:]
        for stage in graph.stages {
            for step in stage where step.kind == .run {
                guard case .run(let r)? = step.instruction.typed?.command else { continue }
                let command = r.commandLine.arguments.joined(separator: " ")
                guard command.contains("make"), let made = graph.installThroughMake(step.id), made.verdict.isSafe, !made.rest.isEmpty,
                      graph.script(of: step.id)?.commands.count == 1 else { continue }
                out[command] = made.installText
            }
        }
        return out
    }

    /// True when a RUN command may run a build whose downloads the cost model sizes (the
    /// ecosystems' tools, or `make`): the project's files are then read for the counts.
    public static func mayDownload(_ command: String) -> Bool {
        let d = CostModel.downloads(command)
        if !d.fetch.isEmpty || !d.build.isEmpty { return true }
        // A segment that starts with `make` or `mage` holds those bytes: a command without
        // them has no such segment (most RUNs), and is not split into segments.
        let ascii = command.utf8.allSatisfy { $0 < 0x80 }
        let bytes = Array(command.utf8)
        if !ascii || bytes.containsBytes("make") || bytes.containsBytes("mage"),
           CostModel.segments(command).contains(where: {
               let k = CostModel.segmentKey($0), m = k.drop { $0 == "(" || $0 == " " }
               return k == "make" || k.hasPrefix("make ") || m == "mage" || m.hasPrefix("mage ")
           }) { return true }
        // On ASCII a byte is a character: the bytes answer as `contains` does.
        return ["mvn", "gradle", "cargo"].contains { ascii ? bytes.containsBytes($0) : command.contains($0) }
    }

    /// True when a RUN command may run a script by path (`./build.sh`, `/opt/app/bin/build.sh`,
    /// `bash ci/build.sh`): the scripts are then read for the builds they run.
    public static func mayRunScript(_ command: String) -> Bool {
        // ASCII (nearly every command): the same words and tests on bytes (there a byte is a
        // character, and the quotes trimmed are bytes).
        // (A carriage return is left to the characters: a CR LF pair is one, no separator.)
        if command.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            let q1 = UInt8(ascii: "\""), q2 = UInt8(ascii: "'")
            return command.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x3B || $0 == 0x26 || $0 == 0x7C })
                .contains { w in
                    var s = w.startIndex, e = w.endIndex
                    while s < e, w[s] == q1 || w[s] == q2 { s = w.index(after: s) }
                    while e > s, w[w.index(before: e)] == q1 || w[w.index(before: e)] == q2 { e = w.index(before: e) }
                    let t = w[s..<e]
                    return t.count >= 3 && t.suffix(3).elementsEqual(".sh".utf8) || t.count >= 2 && t.prefix(2).elementsEqual("./".utf8)
                }
        }
        return characterMayRunScript(command)
    }

    /// `mayRunScript` on characters (any command).
    static func characterMayRunScript(_ command: String) -> Bool {
        command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" || $0 == "&" || $0 == "|" }).contains { w in
            let t = w.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return t.hasSuffix(".sh") || t.hasPrefix("./")
        }
    }

    static func ecosystem(_ m: PackageManager) -> DownloadEcosystem? {
        switch m {
        case .go: return .go
        case .maven: return .maven
        case .gradle: return .gradle
        case .cargo: return .cargo
        case .composer: return .composer
        default: return nil
        }
    }

    /// The context path of a file the install reads, relative to its working directory.
    static func contextFile(_ name: String, _ ins: InstallRead, _ step: Step, _ graph: StepGraph) -> String? {
        graph.contextPath(ofImagePath: ImagePath.absolute(name, workdir: ins.workdir), stage: step.id.stage, before: step.id.index)
    }

    static func count(_ e: DownloadEcosystem, _ ins: InstallRead, _ step: Step, _ graph: StepGraph, _ files: ProjectFiles) -> Int? {
        switch e {
        case .go:
            return goModules(workdir: ins.workdir, mod: ins.command.optionValues("mod").last, step, graph, files)
        case .maven:
            let poms = ins.files.filter { $0.hasSuffix(".xml") }.compactMap {
                graph.contextPath(ofImagePath: $0, stage: step.id.stage, before: step.id.index)
            }
            let texts = poms.compactMap { files.text($0) }
            guard !texts.isEmpty else { return nil }
            // Each artifact once: modules repeat their siblings' and the parent's dependencies.
            var artifacts = Set<String>()
            for t in texts {
                let xml = InstallReader.withoutXMLComments(t)
                for element in ["dependency", "plugin"] {
                    for body in InstallReader.xmlElements(xml, element) {
                        let group = InstallReader.xmlElements(body, "groupId").first ?? "org.apache.maven.plugins"
                        artifacts.insert(element + ":" + group + ":" + (InstallReader.xmlElements(body, "artifactId").first ?? body))
                    }
                }
            }
            return artifacts.count
        case .gradle:
            let names = ["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"]
            return names.contains(where: { contextFile($0, ins, step, graph).map(files.exists) ?? false }) ? gradleEstimate : nil
        case .composer:
            guard ["install", "i"].contains(ins.command.subcommand.first ?? ""),
                  let path = graph.contextPath(ofImagePath: ImagePath.absolute("composer.lock", workdir: ins.projectRoot.isEmpty ? ins.workdir : ins.projectRoot),
                                               stage: step.id.stage, before: step.id.index) else { return nil }
            if let lock = files.decodeJSON(ComposerLock.self, path) {
                return lock.packages.count + (ins.command.hasOption("no-dev") ? 0 : lock.packagesDev.count)
            }
            guard graph.context?.sends(path) == false,
                  let manifest = graph.contextPath(ofImagePath: ImagePath.absolute("composer.json", workdir: ins.projectRoot.isEmpty ? ins.workdir : ins.projectRoot),
                                                   stage: step.id.stage, before: step.id.index),
                  let json = files.decodeJSON(ComposerManifest.self, manifest) else { return nil }
            return json.requiredPackages + (ins.command.hasOption("no-dev") ? 0 : json.requiredDevPackages)
        case .cargo:
            // The lock file of the package or of the workspace above it.
            guard let manifest = contextFile("Cargo.toml", ins, step, graph) else { return nil }
            var dir = ImagePath.dirname(manifest)
            while true {
                if let lock = files.text(ImagePath.contextJoin(dir, "Cargo.lock")) { return cargoLockPackages(lock) }
                if dir == "." || dir.isEmpty { return nil }
                dir = ImagePath.dirname(dir)
            }
        }
    }

    /// The module zips a Go build in `workdir` downloads.
    static func goModules(workdir: String, mod: String?, _ step: Step, _ graph: StepGraph, _ files: ProjectFiles) -> Int? {
        guard let modFile = graph.contextPath(ofImagePath: ImagePath.absolute("go.mod", workdir: workdir), stage: step.id.stage, before: step.id.index),
              files.read(modFile) != nil else { return nil }
        let dir = ImagePath.dirname(modFile)
        if files.exists(ImagePath.contextJoin(dir, "vendor/modules.txt")), mod != "mod" { return 0 }
        if let sum = files.text(ImagePath.contextJoin(dir, "go.sum")) { return goSumModules(sum) }
        return files.text(modFile).map(goModRequires)
    }

    /// Distinct `module version` pairs of a go.sum that carry a module hash.
    public static func goSumModules(_ text: String) -> Int {
        // ASCII (every real go.sum: module paths and versions are ASCII) is split by bytes, where
        // each character is one byte and `\r\n` splits as `\r` and `\n` do with empty lines
        // omitted: the same lines and fields, without breaking the text into characters.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var seen = Set<ArraySlice<UInt8>>()
            let bytes = Array(text.utf8)
            // Character.isNewline among ASCII: \n, \v, \f, \r.
            for line in bytes.split(whereSeparator: { $0 >= 0x0A && $0 <= 0x0D }) {
                let parts = line.split(separator: 0x20, omittingEmptySubsequences: true)
                guard parts.count >= 3, !parts[1].suffix(7).elementsEqual("/go.mod".utf8) else { continue }
                seen.insert(bytes[parts[0].startIndex..<parts[1].endIndex])
            }
            return seen.count
        }
        var seen = Set<Substring>()
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3, !parts[1].hasSuffix("/go.mod") else { continue }
            seen.insert(line[parts[0].startIndex..<parts[1].endIndex])
        }
        return seen.count
    }

    /// The modules a go.mod requires (`require x v` lines and the lines of `require ( ... )`).
    public static func goModRequires(_ text: String) -> Int {
        var n = 0
        var inBlock = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let full = raw.trimmingCharacters(in: .whitespaces)
            if full.hasPrefix("//") { continue }
            if inBlock {
                if full.hasPrefix(")") { inBlock = false } else if !full.isEmpty { n += 1 }
                continue
            }
            if full.hasPrefix("require (") || full == "require(" { inBlock = true; continue }
            if full.hasPrefix("require ") { n += 1 }
        }
        return n
    }

    /// `[[package]]` entries of a Cargo.lock with a `source` line.
    public static func cargoLockPackages(_ text: String) -> Int {
        var n = 0
        var inPackage = false, sourced = false
        // ASCII (every real Cargo.lock: names, versions, sources and checksums are ASCII) is read
        // by bytes, as `goSumModules` does: the same lines, trimmed of the same spaces and tabs
        // (the whitespace of `.whitespaces` in ASCII), without Foundation trimming each line
        // (a lint and every replayed version of the Dockerfile count the lock file again).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = Array(text.utf8)
            for raw in bytes.split(whereSeparator: { $0 >= 0x0A && $0 <= 0x0D }) {
                var start = raw.startIndex, end = raw.endIndex
                while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
                while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
                let line = bytes[start..<end]
                if line.first == UInt8(ascii: "[") {
                    if inPackage && sourced { n += 1 }
                    inPackage = line.elementsEqual("[[package]]".utf8)
                    sourced = false
                } else if inPackage, line.starts(with: "source ".utf8) || line.starts(with: "source=".utf8) {
                    sourced = true
                }
            }
            if inPackage && sourced { n += 1 }
            return n
        }
        return characterCargoLockPackages(text)
    }

    /// `cargoLockPackages` on characters (any text).
    static func characterCargoLockPackages(_ text: String) -> Int {
        var n = 0
        var inPackage = false, sourced = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                if inPackage && sourced { n += 1 }
                inPackage = line == "[[package]]"
                sourced = false
            } else if inPackage, line.hasPrefix("source ") || line.hasPrefix("source=") {
                sourced = true
            }
        }
        if inPackage && sourced { n += 1 }
        return n
    }

}
