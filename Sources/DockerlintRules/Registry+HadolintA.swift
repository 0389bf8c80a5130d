import DockerlintCore

/// hadolint's rules DL1001–DL3029 (filled on branch dl-rules-a).
let hadolintRuleTypesA: [any LintRule.Type] = [
]
