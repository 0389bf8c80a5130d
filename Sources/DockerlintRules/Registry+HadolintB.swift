import DockerlintCore

/// hadolint's rules DL3030 and up (filled on branch dl-rules-b).
let hadolintRuleTypesB: [any LintRule.Type] = [
    OnbuildForbiddenTriggerRule.self,
    EnvSelfReferenceRule.self,
    CopyRelativeWithoutWorkdirRule.self,
    InvalidLabelKeyRule.self,
    MissingLabelRule.self,
    SuperfluousLabelRule.self,
    EmptyLabelRule.self,
    LabelInvalidUrlRule.self,
    LabelInvalidTimeRule.self,
    LabelInvalidSpdxRule.self,
    LabelInvalidHashRule.self,
    LabelInvalidSemverRule.self,
    MissingHealthcheckRule.self,
    LabelInvalidEmailRule.self,
    InstructionBeforeFromRule.self,
    NonNumericUserRule.self,
    CopyWholeFilesystemRule.self,
    MultipleCmdRule.self,
    MultipleEntrypointRule.self,
]
