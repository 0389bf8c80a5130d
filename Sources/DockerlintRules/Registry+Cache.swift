import DockerlintCore

/// The layer-order and cache rules (DC).
let cacheRuleTypes: [any LintRule.Type] = [
    SourceCopiedBeforeInstallRule.self,
    CopyBeforeUnrelatedStepRule.self,
    VolatileArgEarlyRule.self,
    ContextInvitesMissesRule.self,
    RemoteAddUnpinnedRule.self,
    PackageIndexSplitRule.self,
    PreferCacheMountRule.self,
    ClassicMetadataEarlyRule.self,
]
