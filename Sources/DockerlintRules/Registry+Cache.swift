import DockerlintCore

/// The layer-order and cache rules (DC).
let cacheRuleTypes: [any LintRule.Type] = [
]
