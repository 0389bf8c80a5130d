import DockerlintCore

/// hadolint's DL rules that are not BuildKit checks.
let hadolintRuleTypes: [any LintRule.Type] = [
]
