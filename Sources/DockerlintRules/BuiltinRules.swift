import DockerlintCore

/// Every rule type of the binary (`Generated/RuleRegistry+Generated.swift`, one per
/// rules/*.yaml) and their metadata (`Generated/RuleCatalog+Generated.swift`).
public enum BuiltinRules {
    public static let types: [any LintRule.Type] = builtinRuleTypes
    public static let ruleSet = RuleSet(infos: builtinRuleInfos, types: types, catalog: { builtinRuleCatalog }, names: builtinRuleNames)
}
