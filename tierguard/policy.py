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


def enforcement(severity: Severity) -> EnforcementLevel:
    """The one map from severity to blocking: CrossGuard blocks on the level, never on severity."""
    return EnforcementLevel.MANDATORY if severity is Severity.CRITICAL else EnforcementLevel.ADVISORY

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
# tierguard-summary also takes where to write the run's report (tierguard/reportfile.py).
SUMMARY_SCHEMA = PolicyConfigSchema(properties={**CONFIG_SCHEMA.properties, "reportFile": {"type": "string"}})


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


def _overrides_key(policy_config) -> str:
    return json.dumps(dict(policy_config), sort_keys=True, default=str) if policy_config else "{}"


def context(policy_config) -> Context:
    return _context(_overrides_key(policy_config))


def _resource(r) -> "object":
    from tierguard.declared import Resource

    return Resource(r.resource_type, r.name, r.props, r.urn)


# The engine asks every policy about every resource, and every stack policy about the whole
# stack; these caches make each distinct tier (and each stack) evaluated once per process.
_TIER_CACHE: dict[tuple, list[Finding]] = {}
_STACK_CACHE: dict[tuple, object] = {}
CACHE_LIMIT = 4096


def _memo(cache: dict, key: tuple, compute):
    if key not in cache:
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        cache[key] = compute()
    return cache[key]


STACK_LEVEL = {"render.instance_hours"}
# Type tokens, as in tierguard.declared; repeated here so a policy that does not apply costs nothing.
RESOURCE_TYPES = {"render": "render:services:WebService", "supabase": "supabase:index/project:Project"}  # a limit shared by every free service of the workspace


def resource_findings(args, component: str) -> list[Finding]:
    """One resource's own findings (failing ones with their cheapest fix)."""
    if args.resource_type != RESOURCE_TYPES[component]:  # before any work: every policy sees every resource
        return []
    from tierguard.declared import declared
    from tierguard.evaluate import contexts, with_fixes

    okey = _overrides_key(args.get_config())
    ctx = _context(okey)
    d = declared([_resource(args)], ctx.config, ctx.catalog)
    out: list[Finding] = []
    for comp, c in contexts(d, ctx.catalog):
        if comp == component:
            found = _memo(_TIER_CACHE, (okey, comp, c.key),
                          lambda: with_fixes(comp, c, ctx.config.load, ctx.catalog, ctx.thresholds))
            out += [f for f in found if f.id not in STACK_LEVEL]
    return out


def stack_report(args, today: dt.date | None = None):
    """The full report of this run, as ``tierguard report`` would print it; one evaluation per stack."""
    from tierguard.declared import declared
    from tierguard.evaluate import build_report

    okey = _overrides_key(args.get_config())
    ctx = context(args.get_config())
    d = declared([_resource(r) for r in args.resources], ctx.config, ctx.catalog)
    return _memo(_STACK_CACHE, (okey, d), lambda: build_report(
        ctx.config.stack, d, ctx.config.load, ctx.catalog, ctx.thresholds, today or dt.date.today()))


def _violation(f: Finding) -> str:
    fix = f"\nFix: {f.fix.text}" if f.fix else ""
    return f"[{f.id}] {f.message}{fix}"


FAIL, WARN = (Status.fail,), (Status.warn, Status.unknown)


def _resource_policy(name: str, component: str, ids: tuple[str, ...], description: str) -> ResourceValidationPolicy:
    def validate(args, report_violation):
        try:
            findings = resource_findings(args, component)
        except Exception:  # reported, blocking, by tierguard-config; don't double-report here
            return
        for f in findings:
            if f.id in ids and f.status in FAIL:
                report_violation(_violation(f), None)

    return ResourceValidationPolicy(
        name=name, description=description, validate=validate,
        enforcement_level=enforcement(Severity.CRITICAL), severity=Severity.CRITICAL, config_schema=CONFIG_SCHEMA,
    )


def _stack_policy(name: str, ids: tuple[str, ...], description: str) -> StackValidationPolicy:
    """Checks of what no single resource declares: external services, plan and workspace limits."""
    def validate(args, report_violation):
        try:
            findings = stack_report(args).findings
        except Exception:
            return
        urns = {r.name: r.urn for r in args.resources}
        for f in findings:
            if (f.id in ids or f.component in ids) and f.status in FAIL:
                report_violation(_violation(f), urns.get(f.resource))

    return StackValidationPolicy(
        name=name, description=description, validate=validate,
        enforcement_level=enforcement(Severity.CRITICAL), severity=Severity.CRITICAL, config_schema=CONFIG_SCHEMA,
    )


def _warnings(args, report_violation):
    """Every warning of the stack, attributed to the resource that declares the tier."""
    try:
        report = stack_report(args)
    except Exception:
        return
    urns = {r.name: r.urn for r in args.resources}
    for f in report.findings:
        if f.status in WARN:
            report_violation(_violation(f), urns.get(f.resource))


def _config(args, report_violation):
    """Fail closed: any error reading the load, the catalog or the declared tiers blocks."""
    from tierguard.errors import InputError

    try:
        stack_report(args)
    except InputError as err:
        report_violation(f"tierguard cannot evaluate this stack: {err.line()}", None)
    except Exception as err:  # a bug must block too, never pass silently
        report_violation(f"tierguard failed: {type(err).__name__}: {err}", None)


def _annotated(args, report, root):
    """The report plus the recommended change (and, with the project found, its diff and tier lines)."""
    try:
        from tierguard.annotate import annotate
        from tierguard.declared import declared

        ctx = context(args.get_config())
        d = declared([_resource(r) for r in args.resources], ctx.config, ctx.catalog)
        return annotate(report, root, ctx.config, d, ctx.catalog, ctx.thresholds)
    except Exception:  # a report without the fix still beats none
        return report


def _summary(args, report_violation):
    try:
        report = stack_report(args)
    except Exception:
        return
    from tierguard.reportfile import CONFIG_KEY, project_root, report_path, write_report

    root = project_root()
    path = report_path(configured=dict(args.get_config() or {}).get(CONFIG_KEY), base=root)
    blocked = report.verdict.value == "block"
    full = _annotated(args, report, root) if path is not None or blocked else report
    if path is not None:
        write_report(full, path)
    if report.verdict.value != "pass":
        fails = [f.id for f in report.findings if f.status is Status.fail]
        cost = f"${report.cost.monthly_usd:,.2f}/month + ${report.cost.usage_usd:,.2f} usage"
        head = f"verdict {report.verdict.value.upper()}" + (f": {len(fails)} critical ({', '.join(fails)})" if fails else "")
        report_violation(f"{head}; declared cost {cost}" + (_recommended(full.upgrade) if blocked else ""), None)


def _recommended(upgrade) -> str:
    """The cheapest tier set that passes, as one line a reviewer can act on."""
    if upgrade is None or not upgrade.changes:
        return ""
    parts = [f"{c.component}{f' {c.resource}' if c.resource else ''} {c.from_} → {c.to} "
             f"({'+' if c.monthly_delta_usd >= 0 else '−'}${abs(c.monthly_delta_usd):,.2f})" for c in upgrade.changes]
    return (f"\nRecommended ({upgrade.verdict.value}, `tierguard apply`): {'; '.join(parts)}: "
            f"${upgrade.monthly_before:,.2f} → ${upgrade.monthly_after:,.2f}/month")


POLICIES = [
    _resource_policy("render-memory", "render", ("render.memory", "render.instances"),
                     "Render web service RAM and instances carry the stack's peak load."),
    _stack_policy("render-instance-hours", ("render.instance_hours",),
                  "Free Render services stay within the workspace's monthly instance-hours."),
    _resource_policy("supabase-connections", "supabase", ("supabase.db_connections",),
                     "Supabase compute size and connection path carry the peak concurrent connections."),
    # The organization plan's quotas: the plan is stack config, not a resource property.
    _stack_policy("supabase-quotas", ("supabase.db_storage", "supabase.db_egress", "supabase.storage_size",
                                      "supabase.storage_egress", "supabase.mau"),
                  "Supabase plan quotas (DB size, egress, Storage, MAU) carry the monthly load."),
    # CloudFront's free allowance is per AWS account, not per distribution.
    _stack_policy("cloudfront-egress", ("cloudfront.egress", "cloudfront.requests"),
                  "CloudFront pricing model carries the monthly video egress and requests."),
    _stack_policy("netlify-capacity", ("netlify",), "Netlify plan carries the frontend bandwidth and builds."),
    _stack_policy("openai-capacity", ("openai",), "OpenAI usage tier carries the peak request rate and spend."),
    _stack_policy("internet-archive-capacity", ("internet_archive",),
                  "Internet Archive music requests stay under the per-IP rate limit."),
    StackValidationPolicy(
        name="capacity-warnings", description="Tiers close to a limit, over a billed quota, or with unknown limits.",
        validate=_warnings, enforcement_level=enforcement(Severity.MEDIUM), severity=Severity.MEDIUM,
        config_schema=CONFIG_SCHEMA,
    ),
    StackValidationPolicy(
        name="tierguard-config", description="tierguard can read the stack's load, tiers and catalog.",
        validate=_config, enforcement_level=enforcement(Severity.CRITICAL), severity=Severity.CRITICAL,
        config_schema=CONFIG_SCHEMA,
    ),
    StackValidationPolicy(
        name="tierguard-summary", description="Verdict and monthly cost of the declared tiers for the target load.",
        validate=_summary, enforcement_level=enforcement(Severity.LOW), severity=Severity.LOW,
        config_schema=SUMMARY_SCHEMA,
    ),
]
