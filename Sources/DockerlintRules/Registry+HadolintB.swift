import DockerlintCore

/// hadolint's rules DL3030 and up (filled on branch dl-rules-b).
let hadolintRuleTypesB: [any LintRule.Type] = [
]
