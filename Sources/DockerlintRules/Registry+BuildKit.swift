import DockerlintCore

/// BuildKit's build checks (`docker build --check`).
let buildkitRuleTypes: [any LintRule.Type] = [
    MaintainerDeprecatedRule.self,
]
