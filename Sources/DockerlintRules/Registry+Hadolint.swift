import DockerlintCore

/// hadolint's DL rules that are not BuildKit checks: DL1001, DL3001–DL3028 (A) and DL3030+ (B).
let hadolintRuleTypes: [any LintRule.Type] = hadolintRuleTypesA + hadolintRuleTypesB
