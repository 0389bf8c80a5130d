import DockerlintSyntax
@testable import DockerlintModel

/// Parses the first instruction of `text` (a whole Dockerfile line) as BuildKit's
/// instructions package would.
func parseOne(_ text: String) -> Result<TypedInstruction, SyntaxError> {
    let df = DockerfileParser.parse(text)
    precondition(!df.instructions.isEmpty, "no instruction in \(text): \(df.errors)")
    return InstructionParser(df).parse(df.instructions[0])
}

func command(_ text: String) -> TypedCommand? {
    if case .success(let t) = parseOne(text) { return t.command }
    return nil
}

/// `line:column: message` of the first instruction's error, or nil.
func parseError(_ text: String) -> String? {
    if case .failure(let e) = parseOne(text) { return e.description }
    return nil
}

func model(_ text: String, buildArgs: [String: String] = [:], target: String? = nil) -> DockerfileModel {
    DockerfileModel.parse(text, options: BuildOptions(buildArgs: BuildArgs(buildArgs), target: target))
}

func errors(_ m: DockerfileModel) -> [String] { m.errors.map(\.description) }

func scopeValue(_ mi: ModelInstruction, _ name: String) -> String?? {
    guard let v = mi.scope.first(where: { $0.name == name }) else { return nil }
    return .some(v.value)
}
