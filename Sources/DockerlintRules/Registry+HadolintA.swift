import DockerlintCore

/// hadolint's rules DL1001 and DL3001–DL3028 (except the BuildKit-check ones).
let hadolintRuleTypesA: [any LintRule.Type] = [
]
