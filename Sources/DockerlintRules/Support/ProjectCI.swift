import DockerlintAnalysis
import DockerlintCore
import DockerlintSupport

/// The project's CI, compose and bake files as the cache rules and their evidence read them,
/// each answer worked out once per run: a run lints the file, then (history evidence) every
/// other version of it, and the evidence asks again; all ask the same of the same files,
/// which do not change while it runs. Handed to each lint as `LintContext.runState`.
public final class ProjectCI: @unchecked Sendable {
    private let values = Locked<[String: [String: String]]>([:])
    private let constants = Locked<[String: [String: String]]>([:])

    public init() {}

    /// `VolatileValues.fromCI` of the repository that holds `contextDirectory`.
    func perBuildValues(contextDirectory dir: String) -> [String: String] {
        if let v = values.locked({ $0[dir] }) { return v }
        let v = VolatileValues.fromCI(DiskProjectFiles(root: VolatileValues.repositoryRoot(of: dir)))
        values.locked { $0[dir] = v }
        return v
    }

    /// `VolatileValues.constantsFromCI` of the repository at `root` for `dockerfile` (its path
    /// from `root`).
    func constants(root: String, dockerfile: String) -> [String: String] {
        let key = root + "\u{0}" + dockerfile
        if let v = constants.locked({ $0[key] }) { return v }
        let v = VolatileValues.constantsFromCI(DiskProjectFiles(root: root), dockerfile: dockerfile)
        constants.locked { $0[key] = v }
        return v
    }
}

extension LintContext {
    /// The run's `ProjectCI` when the lint was given one.
    var projectCI: ProjectCI? { runState as? ProjectCI }
}
