"""Evaluate declared tiers against a load: findings, headroom, cost, verdict."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from tierguard.catalog import STALE_AFTER_DAYS, Basis, Catalog
from tierguard.checks import BY_ID, CHECKS, CdnCtx, Check, PlanCtx, RenderCtx, SupabaseCtx, judge
from tierguard.declared import Declared
from tierguard.findings import CatalogInfo, Cost, CostLine, Finding, Report, Status, verdict_of
from tierguard.load import Load
from tierguard.stack import Thresholds

MAX_USERS = 10**9


def contexts(d: Declared, catalog: Catalog) -> Iterator[tuple[str, object]]:
    """(component, context) for every declared tier."""
    free = sum(s.peak_instances for s in d.render if catalog["render"].tier("plan", s.plan).get("instance_hours"))
    for svc in d.render:
        yield "render", RenderCtx(svc, catalog["render"].tier("plan", svc.plan), free)
    if d.supabase:
        sb = catalog["supabase"]
        plan = sb.tier("plan", d.supabase.plan)
        capped = d.supabase.spend_cap if d.supabase.spend_cap is not None else plan.attrs.get("spend_cap_default", False)
        yield "supabase", SupabaseCtx(d.supabase, plan.hardened() if capped else plan, sb.tier("compute", d.supabase.compute))
    if d.cloudfront:
        yield "cloudfront", CdnCtx(d.cloudfront, catalog["cloudfront"].tier("pricing", d.cloudfront.pricing))
    for comp, table in (("netlify", "plan"), ("openai", "tier"), ("internet_archive", "plan")):
        row = getattr(d, comp)
        if row:
            yield comp, PlanCtx(catalog[comp].tier(table, row))


def run_checks(load: Load, comp: str, ctx, th: Thresholds, checks: tuple[Check, ...] = CHECKS) -> list[Finding]:
    out = []
    for check in checks:
        if check.component != comp:
            continue
        m = check.fn(load, ctx)
        if m is not None:
            out.append(judge(check, m, ctx, th))
    return out


def with_fixes(comp: str, ctx, load: Load, catalog: Catalog, th: Thresholds, ids: tuple[str, ...] = ()) -> list[Finding]:
    """One component's findings (only ``ids`` if given), failing ones carrying their cheapest fix."""
    from tierguard.recommend import cheapest_fix

    out = []
    for f in run_checks(load, comp, ctx, th):
        if ids and f.id not in ids:
            continue
        if f.status is Status.fail:
            f = f.model_copy(update={"fix": cheapest_fix(comp, ctx, f, load, catalog, th)})
        out.append(f)
    return out


def headroom(check: Check, load: Load, ctx, th: Thresholds) -> int | None:
    """The most users this tier carries before the check stops passing its limit.

    Demand never falls as users grow, so a binary search over users is exact.
    """
    def ok(users: int) -> bool:
        m = check.fn(load.with_users(users), ctx)
        fig = m.figure if m else None
        if fig is None or fig.value is None or fig.kind.value in ("info", "price"):
            return True
        return m.demand <= fig.value * th.fail

    if ok(MAX_USERS):
        return None  # not bounded by users
    if not ok(1):
        return 0
    lo, hi = 1, MAX_USERS
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return lo


def evaluate(d: Declared, load: Load, catalog: Catalog, th: Thresholds, *, with_headroom: bool = True,
             fixes: bool = True) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[tuple, list[Finding]] = {}  # identical tiers (e.g. 1,000 alike services) are evaluated once
    for comp, ctx in contexts(d, catalog):
        key = (comp, ctx.key)
        if key in seen:
            findings += [f.model_copy(update={"resource": ctx.resource}) for f in seen[key]]
            continue
        found = with_fixes(comp, ctx, load, catalog, th) if fixes else run_checks(load, comp, ctx, th)
        if with_headroom:
            found = [f.model_copy(update={"headroom_users": headroom(BY_ID[f.id], load, ctx, th)})
                     if f.capacity is not None else f for f in found]
        seen[key] = found
        findings += found
    return findings


def cost(d: Declared, load: Load, catalog: Catalog, findings: list[Finding]) -> Cost:
    """Monthly plan prices, billed overages, and usage (OpenAI generations), itemised."""
    lines: list[CostLine] = []
    for svc in d.render:
        p = catalog["render"].tier("plan", svc.plan).get("price")
        usd = None if p is None or p.value is None else p.value * svc.instances
        note = f"up to ×{svc.max_instances} when autoscaled" if svc.max_instances else None
        lines.append(CostLine(component="render", item=f"{svc.name}: {svc.plan} ×{svc.instances}", usd=usd, kind="plan", note=note))
    if d.supabase:
        sb = catalog["supabase"]
        plan, comp = sb.tier("plan", d.supabase.plan), sb.tier("compute", d.supabase.compute)
        pp, cp = plan.get("price").value, comp.get("price").value
        credit = plan.get("compute_credit").value
        usd = None if None in (pp, cp, credit) else pp + max(0.0, cp - credit)
        lines.append(CostLine(component="supabase", item=f"{d.supabase.plan} plan + {d.supabase.compute} compute",
                              usd=usd, kind="plan", note=f"compute ${cp or 0:g} less ${credit or 0:g} credit" if cp else None))
    if d.cloudfront:
        lines.append(CostLine(component="cloudfront", item=d.cloudfront.pricing,
                              usd=catalog["cloudfront"].tier("pricing", d.cloudfront.pricing).price, kind="plan"))
    if d.netlify:
        lines.append(CostLine(component="netlify", item=d.netlify, usd=catalog["netlify"].tier("plan", d.netlify).get("price").value, kind="plan"))
    for f in findings:
        if f.overage_usd:
            lines.append(CostLine(component=f.component, item=f"{f.title} beyond the quota", usd=f.overage_usd, kind="overage"))
    if d.openai and load.ai_generations:
        usd = round(load.ai_generations * load.demand.openai_usd_per_generation, 2)
        lines.append(CostLine(component="openai", item=f"{load.ai_generations:g} AI generations", usd=usd, kind="usage",
                              note="per the load's generations; the report counts it once for the beta"))
    return Cost(lines=tuple(lines))


def catalog_info(catalog: Catalog, findings: list[Finding], today: dt.date) -> CatalogInfo:
    used = [f for f in findings if f.as_of]
    stale = {f.id for f in used if (today - f.as_of).days > STALE_AFTER_DAYS}
    odd = {f"{f.id} ({f.basis.value})" for f in used if f.basis and f.basis is not Basis.documented}
    return CatalogInfo(version=catalog.version, overlay=catalog.overlay, oldest_as_of=catalog.oldest(),
                       stale=tuple(sorted(stale)), not_documented=tuple(sorted(odd)))


def tier_labels(d: Declared, catalog: Catalog) -> dict[str, str]:
    return {f"{comp}" + (f" {ctx.resource}" if comp == "render" else ""): ctx.label for comp, ctx in contexts(d, catalog)}


def build_report(stack: str, d: Declared, load: Load, catalog: Catalog, th: Thresholds, today: dt.date,
                 *, with_headroom: bool = True, with_fixes: bool = True) -> Report:
    findings = evaluate(d, load, catalog, th, with_headroom=with_headroom, fixes=with_fixes)
    return Report(
        stack=stack,
        verdict=verdict_of(findings),
        load=load.model_dump(mode="json", by_alias=True),
        findings=tuple(findings),
        cost=cost(d, load, catalog, findings),
        catalog=catalog_info(catalog, findings, today),
        tiers=tier_labels(d, catalog),
    )
