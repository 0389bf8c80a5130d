import DockerlintAnalysis
import DockerlintModel
import Foundation

/// A Dockerfile with a project on disk (a fresh temporary directory), analysed.
struct Analysed {
    let model: DockerfileModel
    let graph: StepGraph
    let directory: String?

    /// `files` maps context paths to contents (a path ending in `/` makes a directory);
    /// nil analyses without a context.
    init(_ dockerfile: String, files: [String: String]? = nil, buildArgs: [String: String] = [:]) {
        model = DockerfileModel.parse(dockerfile, options: BuildOptions(buildArgs: BuildArgs(buildArgs)))
        var dir: String? = nil
        if let files {
            let d = NSTemporaryDirectory() + "dockerlint-analysis-" + UUID().uuidString
            try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            for (p, text) in files {
                let full = d + "/" + p
                if p.hasSuffix("/") {
                    try! FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
                    continue
                }
                try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try! text.write(toFile: full, atomically: true, encoding: .utf8)
            }
            dir = d
        }
        directory = dir
        let df = model.dockerfile
        graph = StepGraph(model: model, context: dir.map { BuildContext.disk(directory: $0, dockerfile: $0 + "/Dockerfile") },
                          scripts: { RunScript.make($0, in: df) })
    }

    /// Opens a fixture folder under Fixtures/ (its Dockerfile and context).
    init(fixture name: String) {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
        let text = try! String(contentsOfFile: dir + "/Dockerfile", encoding: .utf8)
        model = DockerfileModel.parse(text)
        directory = dir
        let df = model.dockerfile
        graph = StepGraph(model: model, context: BuildContext.disk(directory: dir, dockerfile: dir + "/Dockerfile"),
                          scripts: { RunScript.make($0, in: df) })
    }

    var moves: Moves { Moves(graph) }

    /// The step whose instruction starts on `line` (1-based).
    func at(_ line: Int) -> StepID {
        for s in graph.stages { for st in s where st.instruction.syntax.startLine == line { return st.id } }
        fatalError("no step on line \(line)")
    }

    func step(_ line: Int) -> Step { graph.step(at(line)) }
}

/// A project on disk whose reads are counted: which files a reader opens, and how often.
final class CountingFiles: ProjectFiles {
    let disk: DiskProjectFiles
    private(set) var reads: [String: Int] = [:]

    init(root: String) { disk = DiskProjectFiles(root: root) }

    func read(_ path: String) -> [UInt8]? {
        reads[path, default: 0] += 1
        return disk.read(path)
    }
    func isDirectory(_ path: String) -> Bool? { disk.isDirectory(path) }
    func list(_ directory: String) -> [String]? { disk.list(directory) }
    func size(_ path: String) -> Int? { disk.size(path) }

    /// The step graph of `dockerfile` with these files as its build context.
    func graph(_ dockerfile: String) -> StepGraph {
        let model = DockerfileModel.parse(dockerfile)
        let df = model.dockerfile
        return StepGraph(model: model, context: BuildContext(files: self, ignore: nil), scripts: { RunScript.make($0, in: df) })
    }
}
