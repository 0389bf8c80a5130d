// What a step costs when it runs: defaults per instruction kind and, for RUN, per kind of
// command; overridable per kind; replaced by measured seconds from a real build when a costs
// file (reports/schemas/costs.schema.json) is given.

import DockerlintSupport
import Foundation

/// A step measured by a real build (the builder driver writes these).
public struct MeasuredStep: Sendable, Equatable {
    public var identity: String?
    public var line: Int?
    public var instruction: String?
    public var stage: Int?
    public var text: String?
    public var seconds: Double
    /// A measurement of a cached step says nothing about its run time; such entries are skipped.
    public var cached: Bool

    public init(identity: String? = nil, line: Int? = nil, instruction: String? = nil, stage: Int? = nil,
                text: String? = nil, seconds: Double, cached: Bool = false) {
        self.identity = identity
        self.line = line
        self.instruction = instruction
        self.stage = stage
        self.text = text
        self.seconds = seconds
        self.cached = cached
    }
}

public struct CostModelError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// An ecosystem whose build command also downloads the dependencies (`go build`, `mvn
/// package`, `gradle build`, `cargo build`) and that has a step fetching them alone (`go mod
/// download`, `mvn dependency:go-offline`, `gradle dependencies`, `cargo fetch`).
///
/// Composer: `composer install --no-autoloader` fetches (vendor/ from the lock, nothing of the
/// source); `composer install` also writes the autoloader and runs the scripts, and after a
/// fetch above it installs nothing again (the second run of a split install).
public enum DownloadEcosystem: String, Sendable, CaseIterable, Hashable {
    case go, maven, gradle, cargo, composer
}

/// Seconds per step when it runs.
public struct CostModel: Sendable {
    /// Per keyword (`FROM`, `RUN`, `COPY`, `ADD`, `WORKDIR`, `ENV`, ...; `METADATA` for every
    /// classic config-only step without its own entry) and per RUN category
    /// (`run:package-install`, `run:small-install`, `run:build`, `run:download`, `run:package-index`,
    /// `run:trivial` for a RUN of only commands like `mkdir`, `chmod +x`, `ln -s`, `useradd`).
    public var defaults: [String: Double]
    public var measured: [MeasuredStep]
    /// Per ecosystem: how many dependencies a build of the project downloads (read from the
    /// project's files by the caller: `DependencyDownloads` in the analysis). An ecosystem
    /// without an entry has no download share: its commands cost their category's default.
    public var dependencies: [DownloadEcosystem: Int] = [:]
    /// RUN commands that download and build through a program the text does not show (`make
    /// miniflux` whose recipe is `go build`), as the analysis found them (`DependencyDownloads`).
    public var builds: [String: DownloadEcosystem] = [:]
    /// RUN commands that run dependency installs through a program the text does not show
    /// (`make` whose goals run an `install` target of `npm ci` and `go mod download`), with
    /// those installs' text, as the analysis found them (`DependencyDownloads.madeInstalls`):
    /// such a RUN costs what `<installs> && <command>` costs.
    public var madeInstalls: [String: String] = [:]

    /// Seconds to download one dependency (a Go module zip, a Maven artifact, a crate), cold,
    /// from the ecosystem's public registry. Chosen, not measured (the machine this model was
    /// written on has no route to the registries): 0.3 s puts a project of 100 dependencies at
    /// the 30 s of `run:package-install`, the default every other dependency install gets.
    public static let secondsPerDependency = 0.3

    public static let defaultSeconds: [String: Double] = [
        "FROM": 0, "COPY": 0.5, "ADD": 1, "WORKDIR": 0.1, "METADATA": 0.1, "RUN": 2,
        "run:package-install": 30, "run:package-index": 10, "run:build": 60, "run:download": 5, "run:small-install": 5, "run:trivial": 0.5,
    ]

    public init(defaults: [String: Double] = [:], measured: [MeasuredStep] = [], dependencies: [DownloadEcosystem: Int] = [:],
                builds: [String: DownloadEcosystem] = [:], madeInstalls: [String: String] = [:]) {
        self.defaults = CostModel.defaultSeconds.merging(defaults) { _, new in new }
        self.measured = measured.filter { !$0.cached }
        self.dependencies = dependencies
        self.builds = builds
        self.madeInstalls = madeInstalls
    }

    /// `downloads(_:)` with the commands the analysis found to build (`builds`).
    /// A command of `builds` may also be one `&&` segment of the RUN (`make clean build` after
    /// tool installs, and the same make alone once they are split off): segments are looked up
    /// with their blanks and line continuations collapsed (`segmentKey`).
    public func downloads(_ command: String) -> (fetch: Set<DownloadEcosystem>, build: Set<DownloadEcosystem>) {
        var d = CostModel.downloads(command)
        if let e = builds[command] {
            d.build.insert(e)
        } else if !builds.isEmpty {
            for seg in CostModel.segments(command) { if let e = builds[CostModel.segmentKey(seg)] { d.build.insert(e) } }
        }
        return d
    }

    /// A command's words joined by one space, without line continuations: the key of a segment
    /// in `builds`.
    public static func segmentKey(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).filter { $0 != "\\" }.joined(separator: " ")
    }

    // MARK: - Downloads of one-command builds

    /// What a RUN command downloads, by ecosystem: `fetch` for the pre-fetch commands (`go mod
    /// download`, `mvn dependency:go-offline`/`dependency:resolve`, `gradle dependencies`,
    /// `cargo fetch`), `build` for the commands that download what they lack and build (`go
    /// build`/`install`/`test`/`run`, `mvn package`/`install`/`verify`/..., `gradle build` and
    /// other tasks, `cargo build`/`install`/`test`/`run`). Both leave the dependencies in the
    /// image (`/go/pkg/mod`, `~/.m2`, `~/.gradle`, `~/.cargo/registry`).
    public static func downloads(_ command: String) -> (fetch: Set<DownloadEcosystem>, build: Set<DownloadEcosystem>) {
        // Every build of a replay asks about the same commands: each is read once.
        downloadMemo.value(command) { readDownloads(command) }
    }

    static let downloadMemo = BoundedMemo<String, (fetch: Set<DownloadEcosystem>, build: Set<DownloadEcosystem>)>()

    static func readDownloads(_ command: String) -> (fetch: Set<DownloadEcosystem>, build: Set<DownloadEcosystem>) {
        var fetch = Set<DownloadEcosystem>(), build = Set<DownloadEcosystem>()
        for segment in segments(command.lowercased()) {
            if let (e, isFetch) = download(segment) {
                if isFetch { fetch.insert(e) } else { build.insert(e) }
            }
        }
        return (fetch, build)
    }

    /// The ecosystem whose downloads a cache mount at `target` keeps (`/go/pkg/mod`,
    /// `/root/.m2`, `/root/.gradle`, `/usr/local/cargo/registry`).
    public static func downloadCache(_ target: String) -> DownloadEcosystem? {
        if target.hasSuffix("/pkg/mod") || target.contains("/pkg/mod/") || target == "/go/pkg" { return .go }
        if target.contains(".m2") { return .maven }
        if target.contains(".gradle") { return .gradle }
        if target.contains("cargo/registry") || target.hasSuffix(".cargo") || target.hasSuffix("/cargo") { return .cargo }
        if target.contains("composer") { return .composer }
        return nil
    }

    /// A command word's last path component (`NSString.lastPathComponent`); a word without a
    /// slash (nearly every one) is its own, without bridging it.
    static func lastPathComponent(_ word: String) -> String {
        word.utf8.contains(UInt8(ascii: "/")) ? (word as NSString).lastPathComponent : word
    }

    /// One command of a RUN: the ecosystem it downloads for and whether it only fetches.
    static func download(_ segment: String) -> (DownloadEcosystem, Bool)? {
        var words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let w = words.first, w.contains("="), !w.hasPrefix("-") { words.removeFirst() }
        // `php [-d k=v] composer.phar install`: Composer run by the PHP binary.
        if let w = words.first, w == "php" || (w.hasPrefix("php") && w.dropFirst(3).allSatisfy({ $0.isNumber || $0 == "." })) {
            words.removeFirst()
            while let o = words.first, o.hasPrefix("-") { words.removeFirst(); if (o == "-d" || o == "-c"), !words.isEmpty { words.removeFirst() } }
            guard let script = words.first.map(CostModel.lastPathComponent), script == "composer.phar" || script == "composer" else { return nil }
        }
        guard let tool = words.first.map(CostModel.lastPathComponent) else { return nil }
        let args = words.dropFirst().filter { !$0.hasPrefix("-") }
        switch tool {
        case "go":
            guard let sub = args.first else { return nil }
            if sub == "mod", args.dropFirst().first == "download" { return (.go, true) }
            // `go install tool@version` (`go run tool@version`): the tool's own module, built
            // outside the project's; the project's modules are not downloaded.
            let packages = args.dropFirst()
            if sub == "install" || sub == "run", !packages.isEmpty, packages.allSatisfy({ $0.contains("@") }) { return nil }
            return ["build", "install", "test", "run"].contains(sub) ? (.go, false) : nil
        case "mvn", "mvnw":
            if args.contains(where: { $0.hasPrefix("dependency:go-offline") || $0.hasPrefix("dependency:resolve") }) { return (.maven, true) }
            let goals: Set<String> = ["compile", "test", "package", "verify", "install", "deploy"]
            return args.contains(where: { goals.contains($0) || $0.hasPrefix("spring-boot:") || $0.hasPrefix("quarkus:") }) ? (.maven, false) : nil
        case "gradle", "gradlew":
            guard !args.isEmpty, !words.contains("--version") else { return nil }
            return args.allSatisfy({ $0 == "dependencies" || $0.hasSuffix(":dependencies") }) ? (.gradle, true) : (.gradle, false)
        case "cargo":
            guard let sub = args.first else { return nil }
            if sub == "fetch" { return (.cargo, true) }
            return ["build", "install", "test", "run"].contains(sub) ? (.cargo, false) : nil
        case "composer", "composer.phar":
            guard args.contains("install") || args.first == "i" else { return nil }
            return (.composer, words.contains("--no-autoloader"))
        default:
            return nil
        }
    }

    /// The seconds a RUN command spends downloading dependencies, and what it costs without
    /// them; nil when no ecosystem it downloads for has a dependency count. `kept`: the
    /// ecosystems whose dependencies an earlier step of the stage (or a cache mount of the
    /// step) already holds: a build after a pre-fetch downloads nothing.
    public func downloadShare(_ command: String, kept: Set<DownloadEcosystem>) -> (download: Double, rest: Double)? {
        let (fetch, build) = downloads(command)
        let known = fetch.union(build).filter { dependencies[$0] != nil }
        guard !known.isEmpty else { return nil }
        var download = 0.0
        for e in known where !kept.contains(e) { download += Double(dependencies[e]!) * CostModel.secondsPerDependency }
        // What the command does besides the fetches: its other commands' category. A composer
        // install besides its downloads writes the autoloader and runs scripts: a plain RUN's time.
        let (others, composerAutoload) = CostModel.otherCommands(command, known: known)
        var rest: Double
        if let others { rest = categorySeconds(others, CostModel.runCategory(others)) ?? defaults["RUN"] ?? 2 } else { rest = 0 }
        if composerAutoload { rest += defaults["RUN"] ?? 2 }
        return (download, rest)
    }

    /// The commands of `command` besides the fetches of the ecosystems `known` (joined with
    /// `&&`, nil when none), and whether a composer install among them also writes the
    /// autoloader; by command and ecosystems (every build of every replay asks again).
    static func otherCommands(_ command: String, known: Set<DownloadEcosystem>) -> (String?, Bool) {
        let key = known.map(\.rawValue).sorted().joined(separator: ",") + "\u{0}" + command
        return otherCommandsMemo.value(key) {
            var composerAutoload = false
            let others = CostModel.segments(command.lowercased()).filter { seg in
                guard let (e, isFetch) = CostModel.download(seg) else { return true }
                if e == .composer, known.contains(e) { composerAutoload = composerAutoload || !isFetch; return false }
                return !(isFetch && known.contains(e))
            }
            return (others.isEmpty ? nil : others.joined(separator: " && "), composerAutoload)
        }
    }

    static let otherCommandsMemo = BoundedMemo<String, (String?, Bool)>()

    public static let standard = CostModel()

    /// The seconds of `command` of category `cat`. A RUN that installs and builds (`yarn install
    /// && yarn build`, `apk add git && npm install -g pnpm && make`) pays both: split in two,
    /// each part keeps its own share (the install's own category: its commands other than the
    /// builds).
    func categorySeconds(_ command: String, _ cat: String?) -> Double? {
        guard let cat, let v = defaults[cat] else { return nil }
        guard cat == "run:build" else { return v }
        guard let install = CostModel.installCategory(ofBuild: command), let w = defaults[install] else { return v }
        return v + w
    }

    /// The install category of the commands of a build RUN other than its builds (nil when
    /// they install nothing), by command: every build of every replay asks again.
    static func installCategory(ofBuild command: String) -> String? {
        buildInstalls.value(command) {
            let others = CostModel.segments(command.lowercased()).filter { CostModel.segmentCategory($0) != "run:build" }
            guard !others.isEmpty, let c = CostModel.categorise(others.joined(separator: " && ")),
                  ["run:package-install", "run:small-install", "run:package-index"].contains(c) else { return nil }
            return c
        }
    }

    static let buildInstalls = BoundedMemo<String, String?>()

    /// The RUN category of a command: the most expensive of its commands (split at `&&`,
    /// `||`, `;`, `|` and newlines): builds, dependency installs, package indexes, small
    /// installs of a few named packages (`apk add curl`, `npm install -g pnpm`, `gem install
    /// bundler`: seconds, not the half-minute of a project's dependencies), downloads.
    public static func runCategory(_ command: String) -> String? {
        // Every simulator of a run asks about the same commands: each is categorised once.
        categories.value(command) { categorise(command) }
    }

    static let categories = BoundedMemo<String, String?>()

    static func categorise(_ command: String) -> String? {
        let order = ["run:build", "run:package-install", "run:package-index", "run:small-install", "run:download"]
        var best: Int? = nil
        let parts = segments(command.lowercased())
        for segment in parts {
            guard let cat = segmentCategory(segment), let k = order.firstIndex(of: cat) else { continue }
            if best.map({ k < $0 }) ?? true { best = k }
        }
        if best == nil, !parts.isEmpty, parts.allSatisfy(isTrivial) { return "run:trivial" }
        return best.map { order[$0] }
    }

    /// Commands that take well under a second on a few paths: `mkdir -p /data`, `chmod +x
    /// /entrypoint.sh`, `ln -s`, `echo ... > file`, `useradd`. Recursive ones (`chown -R` over
    /// an application tree) are not.
    static func isTrivial(_ segment: String) -> Bool {
        let trivial: Set<String> = ["mkdir", "chmod", "chown", "chgrp", "ln", "echo", "printf", "touch", "true", ":", "mv", "cp", "rm",
                                    "useradd", "groupadd", "adduser", "addgroup", "usermod", "set", "export", "cd", "test", "[",
                                    "sed", "cat", "install", "unlink", "rmdir", "id", "whoami", "date", "ls", "pwd", "exit",
                                    "a2enmod", "a2dismod", "a2ensite", "a2dissite", "a2enconf", "a2disconf", "phpenmod", "phpdismod"]
        var words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let w = words.first, w.contains("="), !w.hasPrefix("-") { words.removeFirst() }
        while let w = words.first, w == "(" || w == "{" || w == "!" { words.removeFirst() }
        guard let name = words.first.map(CostModel.lastPathComponent) else { return true }
        guard trivial.contains(name) else { return false }
        let flags = words.dropFirst().filter { $0.hasPrefix("-") && !$0.hasPrefix("--") }.joined()
        if ["chmod", "chown", "chgrp", "cp", "rm"].contains(name), flags.contains("r") || flags.contains("R") || flags.contains("a")
            || words.contains("--recursive") || words.contains("--archive") {
            return false
        }
        return true
    }

    public static func segments(_ c: String) -> [String] {
        // ASCII without carriage returns (nearly every command): split on the bytes, the same
        // segments as the character loop below (there a byte is a character, and the
        // whitespace trimmed is space and tab), without building each segment by characters.
        if c.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) {
            var out: [String] = []
            let u = c.utf8
            var start = u.startIndex
            var blank = true
            var i = u.startIndex
            while i != u.endIndex {
                let b = u[i]
                if b == UInt8(ascii: "&") || b == UInt8(ascii: "|") || b == UInt8(ascii: ";") || b == UInt8(ascii: "\n") {
                    if !blank { out.append(String(c[start..<i])) }
                    start = u.index(after: i)
                    blank = true
                } else if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") {
                    blank = false
                }
                i = u.index(after: i)
            }
            if !blank { out.append(String(c[start..<u.endIndex])) }
            return out
        }
        return characterSegments(c)
    }

    /// `segments` on characters (any text).
    static func characterSegments(_ c: String) -> [String] {
        var out: [String] = []
        var cur = ""
        for ch in c {
            if ch == "&" || ch == "|" || ch == ";" || ch == "\n" {
                if !cur.trimmingCharacters(in: .whitespaces).isEmpty { out.append(cur) }
                cur = ""
            } else {
                cur.append(ch)
            }
        }
        if !cur.trimmingCharacters(in: .whitespaces).isEmpty { out.append(cur) }
        return out
    }

    static let installs = ["apt-get install", "apt install", "apk add", "yum install", "dnf install", "microdnf install",
                           "zypper install", "zypper in ", "pacman -s", "pip install", "pip3 install", "python -m pip install",
                           "npm install", "npm ci", "npm i ", "yarn install", "pnpm install", "bundle install", "gem install",
                           "composer install", "go mod download", "cargo fetch", "poetry install", "conda install",
                           "mamba install", "uv sync", "uv pip install", "pipenv install", "mvn dependency:", "yarn --frozen"]
    static let builds = ["go build", "cargo build", "mvn ", "gradle", "make ", "cmake", "npm run build", "yarn build",
                         "yarn run build", "pnpm build", "pnpm run build", "dotnet publish", "dotnet build", "gcc ", "g++ ", "ninja", "bazel", "swift build",
                         "stack build", "cabal build", "mix compile", "rustc "]

    static func segmentCategory(_ segment: String) -> String? {
        // An install first: its package names are not commands (`apk add cmake make`).
        let ws = words(segment)
        if let (verb, at) = installVerb(ws) {
            if let n = namedPackages(ws, verb: verb, rest: at) { return n <= 3 ? "run:small-install" : "run:package-install" }
            return "run:package-install"
        }
        // The needles are searched in the bytes of " segment ", copied once.
        var c: [UInt8] = [0x20]
        c.reserveCapacity(segment.utf8.count + 2)
        c.append(contentsOf: segment.utf8)
        c.append(0x20)
        func has(_ needle: String) -> Bool { c.containsBytes(needle) }
        if builds.contains(where: has) || lastWordIsMake(segment) { return "run:build" }
        if installs.contains(where: has) { return "run:package-install" }
        if has("apt-get update") || has("apk update") || has("yum makecache") { return "run:package-index" }
        if has("curl ") || has("wget ") || has("git clone") { return "run:download" }
        return nil
    }

    /// `segment.split(separator: " ").last == "make"`: on the bytes of an ASCII segment (where
    /// a byte is a character), else on characters.
    static func lastWordIsMake(_ segment: String) -> Bool {
        let u = segment.utf8
        guard u.allSatisfy({ $0 < 0x80 }) else { return segment.split(separator: " ").last == "make" }
        var end = u.endIndex
        while end > u.startIndex, u[u.index(before: end)] == 0x20 { end = u.index(before: end) }
        var start = end
        while start > u.startIndex, u[u.index(before: start)] != 0x20 { start = u.index(before: start) }
        return u[start..<end].elementsEqual("make".utf8)
    }

    static func words(_ segment: String) -> [String] {
        // ASCII: the same words split on bytes (a byte is a character; no CR LF pair is a blank).
        if segment.utf8.allSatisfy({ $0 < 0x80 }) {
            return segment.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { String(Substring($0)) }
        }
        return characterWords(segment)
    }

    /// `words` on characters (any segment).
    static func characterWords(_ segment: String) -> [String] {
        segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// The install verbs of the system package managers and the global or tool installs of
    /// the language ones (a static table: the managers' own command lines).
    static let installVerbs: [[String]] = [["apt-get", "install"], ["apt", "install"], ["apk", "add"], ["yum", "install"], ["dnf", "install"],
                                           ["microdnf", "install"], ["zypper", "install"], ["zypper", "in"], ["gem", "install"],
                                           ["pip", "install"], ["pip3", "install"], ["pipx", "install"], ["yarn", "global", "add"],
                                           ["uv", "tool", "install"]]
    static let globalInstallVerbs: [[String]] = [["npm", "install"], ["npm", "i"], ["npm", "add"], ["pnpm", "add"], ["pnpm", "install"]]

    /// The install verb `words` run and the index of the first word after it. Options may
    /// come between the program and its verb (`apk --no-cache add`, `apt-get -y install`,
    /// `pip --no-cache-dir install`); an option that takes a separate value there
    /// (`apt-get -o X install`) is not followed.
    static func installVerb(_ words: [String]) -> (verb: [String], rest: Int)? {
        // Most commands have no word any verb starts with (`matches`): nothing to look for.
        guard words.contains(where: { verbHeads.contains($0) || $0.hasPrefix("pip") || $0.hasSuffix("/pip3") || $0.hasSuffix("/pip") }) else {
            return nil
        }
        let global = words.contains("-g") || words.contains("--global")
        for verb in installVerbs + (global ? globalInstallVerbs : []) {
            for i in words.indices {
                guard matches(verb[0], words[i]) else { continue }
                var k = i + 1
                var ok = true
                for v in verb.dropFirst() {
                    while k < words.count, words[k].hasPrefix("-") { k += 1 }
                    guard k < words.count, words[k] == v else { ok = false; break }
                    k += 1
                }
                if ok { return (verb, k) }
            }
        }
        return nil
    }

    /// The first words of `installVerbs` and `globalInstallVerbs`.
    static let verbHeads = Set((installVerbs + globalInstallVerbs).map { $0[0] })

    private static func matches(_ v: String, _ w: String) -> Bool {
        w == v || (v == "pip" && w.hasPrefix("pip") && w.dropFirst(3).allSatisfy { $0.isNumber || $0 == "." })
            || (v == "pip3" && w.hasSuffix("/pip3")) || (v == "pip" && w.hasSuffix("/pip"))
    }

    /// How many packages a command installs by name (`apk add curl git` → 2), for the system
    /// package managers and the global or tool installs of the language ones; nil when it is
    /// not such an install or installs from files, manifests or the project (`pip install -r`,
    /// `pip install .`); a large count when the names come from a variable.
    static func namedPackages(_ segment: String) -> Int? {
        let words = words(segment)
        guard let (verb, at) = installVerb(words) else { return nil }
        return namedPackages(words, verb: verb, rest: at)
    }

    /// `namedPackages` of a segment's words whose install verb `installVerb` found.
    static func namedPackages(_ words: [String], verb: [String], rest at: Int) -> Int? {
        let rest = words[at...]
        if rest.contains(where: { ["-r", "-e", "-c", "--requirement", "--editable", "--constraint", "--group", "-g"].contains($0) && verb.first == "pip" }) { return nil }
        if verb.first == "gem", rest.contains(where: { $0 == "-g" || $0 == "--file" }) { return nil }
        let operands = rest.filter { !$0.hasPrefix("-") }
        if operands.contains(where: { $0.contains("$") }) { return 99 }
        if operands.contains(where: { $0 == "." || $0.hasPrefix("./") || $0.hasPrefix("/") || $0.hasSuffix(".txt") || $0.hasSuffix(".deb")
            || $0.hasSuffix(".rpm") || $0.hasSuffix(".whl") || $0.hasSuffix(".tar.gz") || $0.hasSuffix(".gem") }) { return nil }
        // A pip install of named packages may be anything from a tool to a machine-learning
        // stack: small only for the packaging tools themselves.
        if verb.first == "pip" || verb.first == "pip3" {
            let tools: Set<String> = ["pip", "setuptools", "wheel", "uv", "pipenv", "poetry", "virtualenv", "pip-tools"]
            let names = operands.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
                .map { String($0.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) }
            if !names.allSatisfy({ tools.contains($0) }) { return 99 }
        }
        return operands.count
    }

    /// The cost of a step and whether it was measured.
    /// `kept`: for a RUN, the ecosystems whose dependencies are already in the image or in a
    /// cache mount of the step (`downloadShare`).
    public func seconds(identity: String, line: Int, instruction: String, stage: Int, text: String,
                        command: String?, classicMetadata: Bool, kept: Set<DownloadEcosystem> = []) -> (Double, Bool) {
        if !measured.isEmpty {
            if let m = measured.first(where: { $0.identity == identity }) { return (m.seconds, true) }
            if let m = measured.first(where: { $0.identity == nil && $0.line == line && ($0.instruction ?? instruction) == instruction
                && ($0.stage ?? stage) == stage }) { return (m.seconds, true) }
            if let m = measured.first(where: { $0.identity == nil && $0.line == nil && $0.text == text }) { return (m.seconds, true) }
        }
        let command = command.map { c in madeInstalls[c].map { $0 + " && " + c } ?? c }
        if instruction == "RUN", let cmd = command, !dependencies.isEmpty, let share = downloadShare(cmd, kept: kept) {
            return (share.download + share.rest, false)
        }
        if instruction == "RUN", let cmd = command, let v = categorySeconds(cmd, CostModel.runCategory(cmd)) {
            return (v, false)
        }
        if let v = defaults[instruction] { return (v, false) }
        return (classicMetadata ? defaults["METADATA"] ?? 0.1 : 0, false)
    }

    /// Reads a costs file (reports/schemas/costs.schema.json).
    public static func load(json bytes: [UInt8], path: String = "costs.json") throws -> CostModel {
        let decoder = JSONDecoder()
        decoder.userInfo[CostsFile.pathKey] = path
        let file: CostsFile
        do { file = try decoder.decode(CostsFile.self, from: Data(bytes)) } catch let e as CostModelError { throw e } catch {
            throw CostModelError(message: "\(path): error: not valid JSON")
        }
        return CostModel(defaults: file.defaults, measured: file.steps)
    }
}

/// A costs file as JSON: unknown top-level keys and values of the wrong type are errors that
/// name the member.
private struct CostsFile: Decodable {
    static let pathKey = CodingUserInfoKey(rawValue: "path")!
    var defaults: [String: Double] = [:]
    var steps: [MeasuredStep] = []

    struct Step: Decodable {
        var identity: String?
        var line: Int?
        var instruction: String?
        var stage: Int?
        var text: String?
        var seconds: Double
        var cached: Bool?
        var status: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: JSONKey.self)
            identity = c.lenient(String.self, "identity"); line = c.lenient(Int.self, "line")
            instruction = c.lenient(String.self, "instruction"); stage = c.lenient(Int.self, "stage")
            text = c.lenient(String.self, "text"); cached = c.lenient(Bool.self, "cached"); status = c.lenient(String.self, "status")
            seconds = try c.decode(Double.self, forKey: "seconds")
        }
    }

    init(from decoder: any Decoder) throws {
        let path = decoder.userInfo[Self.pathKey] as? String ?? "costs.json"
        func fail(_ m: String) -> CostModelError { CostModelError(message: "\(path): error: \(m)") }
        guard let root = try? decoder.container(keyedBy: JSONKey.self) else { throw fail("expected a JSON object") }
        let known: Set<String> = ["$schema", "version", "builder", "dockerfile", "steps", "defaults", "source"]
        if let bad = root.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown key '\(bad)'")
        }
        let defaultsKey = JSONKey("defaults")
        if root.contains(defaultsKey) {
            guard let dict = try? root.nestedContainer(keyedBy: JSONKey.self, forKey: defaultsKey) else {
                throw fail("'defaults' must be an object")
            }
            for k in dict.allKeys {
                guard let n = try? dict.decode(Double.self, forKey: k), n >= 0 else {
                    throw fail("defaults.\(k.stringValue) must be a number of seconds ≥ 0")
                }
                defaults[k.stringValue.hasPrefix("run:") ? k.stringValue : k.stringValue.uppercased()] = n
            }
        }
        let stepsKey = JSONKey("steps")
        if root.contains(stepsKey) {
            guard var list = try? root.nestedUnkeyedContainer(forKey: stepsKey) else { throw fail("'steps' must be an array") }
            var i = 0
            while !list.isAtEnd {
                let item = try list.superDecoder()
                guard (try? item.container(keyedBy: JSONKey.self)) != nil else { throw fail("steps[\(i)] must be an object") }
                guard let o = try? Step(from: item), o.seconds >= 0 else { throw fail("steps[\(i)].seconds must be a number ≥ 0") }
                steps.append(MeasuredStep(identity: o.identity, line: o.line, instruction: o.instruction?.uppercased(),
                                          stage: o.stage, text: o.text, seconds: o.seconds,
                                          cached: o.cached ?? (o.status == "hit")))
                i += 1
            }
        }
    }
}

