import DockerlintCore
import DockerlintModel

/// A value BuildKit rejects as empty unless the build sets an ARG that has no default
/// (`ARG DATA_DIR` then `VOLUME ${DATA_DIR}`): the file builds only with `--build-arg`.
/// The model finds them while expanding (`DockerfileModel.unlessArgumentsSet`); a value
/// from a variable the file does not define is never reported, since the base image's
/// environment may hold it.
final class EmptyValueWithoutBuildArgRule: LintRule {
    static let code = "DR1001"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        for e in context.model.unlessArgumentsSet {
            let names = e.arguments.map { "`\($0)`" }
            let what = names.count == 1 ? "the ARG \(names[0]), which has" : "the ARGs \(names.joined(separator: ", ")), which have"
            sink.report(e.range, "Empty unless the build sets \(what) no default; without it BuildKit fails: \(e.message)")
        }
    }
}
