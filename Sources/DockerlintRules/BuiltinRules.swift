import DockerlintCore

/// Every rule type of the binary. A test checks this list against rules/*.yaml one to one.
public enum BuiltinRules {
    public static let types: [any LintRule.Type] = buildkitRuleTypes + hadolintRuleTypes + cacheRuleTypes
    public static let ruleSet = RuleSet(infos: builtinRuleInfos, types: types, catalog: { builtinRuleCatalog })
}
