"""The CrossGuard policies: thin adapters over the same checks the CLI runs.

``policies/__main__.py`` builds the ``PolicyPack`` from ``POLICIES``; tests import
this module directly (constructing a ``PolicyPack`` starts a server and never returns).

Blocking follows severity through one mapping: a failed hard limit (CRITICAL) is
reported by a MANDATORY policy, warnings by the ADVISORY ``capacity-warnings`` and
``tierguard-summary`` policies. If the pack cannot read the load or the catalog,
the MANDATORY ``tierguard-config`` policy says why: the pack fails closed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import lru_cache

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from tierguard.findings import Finding, Status
from tierguard.load import Load

PACK_NAME = "tierguard"
PACK_VERSION = "0.1.0"
ENFORCEMENT = {True: EnforcementLevel.MANDATORY, False: EnforcementLevel.ADVISORY}  # keyed by "is critical"

_THRESHOLDS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"warn": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                   "fail": {"type": "number", "exclusiveMinimum": 0}},
}


def _load_schema() -> dict:
    """JSON schema of the load, from the pydantic model, so a typo in policy config is rejected."""
    schema = Load.model_json_schema(by_alias=True)
    props = {k: {kk: vv for kk, vv in v.items() if kk in ("type", "minimum", "maximum", "exclusiveMinimum")}
             for k, v in schema["properties"].items() if k != "demand"}
    props["demand"] = {"type": "object"}
    return {"type": "object", "additionalProperties": False, "properties": props}


CONFIG_SCHEMA = PolicyConfigSchema(properties={"thresholds": _THRESHOLDS_SCHEMA, "load": _load_schema()})


@dataclass(frozen=True)
class Context:
    config: object  # StackConfig with policy-config overrides applied
    catalog: object
    thresholds: object


@lru_cache(maxsize=16)
def _context(overrides: str) -> Context:
    """Stack config (from the engine's environment) plus a policy's own config, parsed once per process."""
    from tierguard.catalog import load_catalog
    from tierguard.stack import Thresholds, from_engine_env

    over = json.loads(overrides)
    cfg = from_engine_env(dict(os.environ), overrides=over.get("load"))
    th = cfg.settings.thresholds
    if over.get("thresholds"):
        th = Thresholds.model_validate({**th.model_dump(), **over["thresholds"]})
    return Context(cfg, load_catalog(cfg.settings.assumptions), th)


def context(policy_config) -> Context:
    return _context(json.dumps(dict(policy_config or {}), sort_keys=True, default=str))


def _resource(r) -> "object":
    from tierguard.declared import Resource

    return Resource(r.resource_type, r.name, r.props, r.urn)


def resource_findings(args, component: str, ids: tuple[str, ...]) -> tuple[list[Finding], Context]:
    """Evaluate one resource's own checks."""
    from tierguard.declared import CLOUDFRONT, RENDER_WEB, SUPABASE_PROJECT, declared
    from tierguard.evaluate import contexts, with_fixes

    want = {"render": RENDER_WEB, "supabase": SUPABASE_PROJECT, "cloudfront": CLOUDFRONT}[component]
    if args.resource_type != want:
        return [], None
    ctx = context(args.get_config())
    d = declared([_resource(args)], ctx.config, ctx.catalog)
    out = []
    for comp, c in contexts(d, ctx.catalog):
        if comp == component:
            out += with_fixes(comp, c, ctx.config.load, ctx.catalog, ctx.thresholds, ids)
    return out, ctx


def _violation(f: Finding) -> str:
    fix = f"\nFix: {f.fix.text}" if f.fix else ""
    return f"[{f.id}] {f.message}{fix}"


def _resource_policy(name: str, component: str, ids: tuple[str, ...], description: str) -> ResourceValidationPolicy:
    def validate(args, report_violation):
        try:
            findings, _ = resource_findings(args, component, ids)
        except Exception:  # reported, blocking, by tierguard-config; don't double-report here
            return
        for f in findings:
            if f.status is Status.fail:
                report_violation(_violation(f), None)

    return ResourceValidationPolicy(
        name=name, description=description, validate=validate,
        enforcement_level=ENFORCEMENT[True], severity=Severity.CRITICAL, config_schema=CONFIG_SCHEMA,
    )


def _external_policy(name: str, component: str, description: str) -> StackValidationPolicy:
    def validate(args, report_violation):
        try:
            findings = stack_findings(args, components=(component,))
        except Exception:
            return
        for f in findings:
            if f.status is Status.fail:
                report_violation(_violation(f), None)

    return StackValidationPolicy(
        name=name, description=description, validate=validate,
        enforcement_level=ENFORCEMENT[True], severity=Severity.CRITICAL, config_schema=CONFIG_SCHEMA,
    )


def stack_findings(args, components: tuple[str, ...] | None = None, headroom: bool = False):
    """Evaluate the whole stack as the engine hands it over."""
    from tierguard.declared import declared
    from tierguard.evaluate import contexts, with_fixes

    ctx = context(args.get_config())
    d = declared([_resource(r) for r in args.resources], ctx.config, ctx.catalog)
    out = []
    for comp, c in contexts(d, ctx.catalog):
        if components is None or comp in components:
            out += with_fixes(comp, c, ctx.config.load, ctx.catalog, ctx.thresholds)
    return out


def stack_report(args, today: dt.date | None = None):
    """The full report of this run, as ``tierguard report`` would print it."""
    from tierguard.declared import declared
    from tierguard.evaluate import build_report

    ctx = context(args.get_config())
    d = declared([_resource(r) for r in args.resources], ctx.config, ctx.catalog)
    return build_report(ctx.config.stack, d, ctx.config.load, ctx.catalog, ctx.thresholds,
                        today or dt.date.today(), with_fixes=True)


def _warnings(args, report_violation):
    try:
        findings = []
        for comp in ("render", "supabase", "cloudfront"):
            findings += resource_findings(args, comp, ())[0]
    except Exception:
        return
    for f in findings:
        if f.status in (Status.warn, Status.unknown):
            report_violation(_violation(f), None)


def _config(args, report_violation):
    """Fail closed: any error reading the load, the catalog or the declared tiers blocks."""
    from tierguard.errors import InputError

    try:
        stack_findings(args)
    except InputError as err:
        report_violation(f"tierguard cannot evaluate this stack: {err.line()}", None)
    except Exception as err:  # a bug must block too, never pass silently
        report_violation(f"tierguard failed: {type(err).__name__}: {err}", None)


def _summary(args, report_violation):
    try:
        report = stack_report(args)
    except Exception:
        return
    from tierguard.reportfile import report_path, write_report

    write_report(report, report_path())
    ext = [f for f in report.findings if f.component in EXTERNAL and f.status in (Status.warn, Status.unknown)]
    for f in ext:
        report_violation(_violation(f), None)
    if report.verdict.value != "pass":
        fails = [f.id for f in report.findings if f.status is Status.fail]
        cost = f"${report.cost.monthly_usd:,.2f}/month + ${report.cost.usage_usd:,.2f} usage"
        head = f"verdict {report.verdict.value.upper()}" + (f": {len(fails)} critical ({', '.join(fails)})" if fails else "")
        report_violation(f"{head}; declared cost {cost}", None)


EXTERNAL = ("netlify", "openai", "internet_archive")

POLICIES = [
    _resource_policy("render-memory", "render", ("render.memory", "render.instances", "render.instance_hours"),
                     "Render web service RAM and instances carry the stack's peak load."),
    _resource_policy("supabase-connections", "supabase", ("supabase.db_connections",),
                     "Supabase compute size and connection path carry the peak concurrent connections."),
    _resource_policy("supabase-quotas", "supabase",
                     ("supabase.db_storage", "supabase.db_egress", "supabase.storage_size",
                      "supabase.storage_egress", "supabase.mau"),
                     "Supabase plan quotas (DB size, egress, Storage, MAU) carry the monthly load."),
    _resource_policy("cloudfront-egress", "cloudfront", ("cloudfront.egress", "cloudfront.requests"),
                     "CloudFront pricing model carries the monthly video egress and requests."),
    _external_policy("netlify-capacity", "netlify", "Netlify plan carries the frontend bandwidth and builds."),
    _external_policy("openai-capacity", "openai", "OpenAI usage tier carries the peak request rate and spend."),
    _external_policy("internet-archive-capacity", "internet_archive",
                     "Internet Archive music requests stay under the per-IP rate limit."),
    ResourceValidationPolicy(
        name="capacity-warnings", description="Tiers close to a limit, over a billed quota, or with unknown limits.",
        validate=_warnings, enforcement_level=ENFORCEMENT[False], severity=Severity.MEDIUM,
        config_schema=CONFIG_SCHEMA,
    ),
    StackValidationPolicy(
        name="tierguard-config", description="tierguard can read the stack's load, tiers and catalog.",
        validate=_config, enforcement_level=EnforcementLevel.MANDATORY, severity=Severity.CRITICAL,
        config_schema=CONFIG_SCHEMA,
    ),
    StackValidationPolicy(
        name="tierguard-summary", description="Verdict and monthly cost of the declared tiers for the target load.",
        validate=_summary, enforcement_level=EnforcementLevel.ADVISORY, severity=Severity.LOW,
        config_schema=CONFIG_SCHEMA,
    ),
]
