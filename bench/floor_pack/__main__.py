"""The floor: a bare pulumi_policy pack with one no-op resource policy and one no-op stack policy."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy

PolicyPack(
    name="floor",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(name="noop", description="does nothing", validate=lambda args, report: None),
        StackValidationPolicy(name="noop-stack", description="does nothing", validate=lambda args, report: None),
    ],
)
