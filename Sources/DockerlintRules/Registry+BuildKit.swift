import DockerlintCore

/// BuildKit's build checks (`docker build --check`).
let buildkitRuleTypes: [any LintRule.Type] = [
    MaintainerDeprecatedRule.self,
    StageNameCasingRule.self,
    FromAsCasingRule.self,
    NoEmptyContinuationRule.self,
    ConsistentInstructionCasingRule.self,
    UndefinedArgInFromRule.self,
    UndefinedVarRule.self,
    MultipleInstructionsDisallowedRule.self,
    LegacyKeyValueFormatRule.self,
    InvalidBaseImagePlatformRule.self,
    InvalidDefaultArgInFromRule.self,
    CopyIgnoredFileRule.self,
    InvalidDefinitionDescriptionRule.self,
    ExposeProtoCasingRule.self,
    ExposeInvalidFormatRule.self,
    DuplicateStageNameRule.self,
    ReservedStageNameRule.self,
    JSONArgsRecommendedRule.self,
    WorkdirRelativePathRule.self,
    RedundantTargetPlatformRule.self,
    SecretsUsedInArgOrEnvRule.self,
    FromPlatformFlagConstDisallowedRule.self,
]
