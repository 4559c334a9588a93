"""Recommended upgrades: the cheapest tiers that carry the load, their cost, and the launch decision.

Two entry points:

- ``cheapest_fix``: the cheapest SINGLE field change on one component that makes one
  finding pass (or at least stop failing). Catalog rows and check functions only; the
  policy pack calls it on every failing resource.
- ``recommend``: the cheapest set of tiers across all components, alternatives that
  change the load instead (``SWITCHES``), break-even users per tier, itemised cost per
  option, and a launch decision matrix.

Which tiers count. By default a tier is considered when every limit figure (hard or
billed) it is judged on is ``documented`` or an ``assumption`` of the active overlay
(the user chose the overlay). Prices may also be ``inferred``: Render publishes its
prices only on a page we hold third-party copies of, so every paid Render price is
``inferred``, and a strict price rule would leave no Render upgrade at all. Render
``starter_plus``/``standard_plus`` (limits from a 2022 third-party copy only) are thus
out unless ``tierguard:recommend: {includeUndocumented: true}``. The declared tier is
always considered: keeping what you have buys nothing unverified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations, product
from typing import Any, Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from tierguard.catalog import Basis, Catalog, Figure, Kind
from tierguard.checks import HOURS_PER_MONTH, BY_ID, CdnCtx, PlanCtx, RenderCtx, SupabaseCtx, _n
from tierguard.declared import Declared, RenderService
from tierguard.evaluate import MAX_USERS, contexts, cost, headroom, run_checks
from tierguard.findings import Cost, Finding, Fix, Status, Verdict, verdict_of
from tierguard.load import Load
from tierguard.stack import RecommendSettings, Thresholds

COMPONENTS = ("render", "supabase", "cloudfront", "netlify", "openai", "internet_archive")
PLAN_TABLES = {"netlify": "plan", "openai": "tier", "internet_archive": "plan"}
LIMIT_BASES = frozenset({Basis.documented, Basis.assumption})
PRICE_BASES = frozenset({Basis.documented, Basis.assumption, Basis.inferred})

# Switches the load model declares: (name, description, load-field updates).
# Each becomes an alternative with its own cheapest tiers; ``tierguard apply --option NAME``
# writes the updates as ``tierguard:<camelCase>`` keys.
SWITCHES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("ai-off", "AI mode off: DEFAULT class generation only (the report's budget alternative)", {"ai_mode": False}),
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Change(_Frozen):
    """One component's tier in an option, against the declared one."""

    component: str
    resource: str | None = None
    from_: str = Field(alias="from")
    to: str
    monthly_delta_usd: float
    why: tuple[str, ...] = ()  # hard-limit findings the change moves, e.g. "render.memory 195.3% → 68.4% of 512 MB"

    @property
    def changed(self) -> bool:
        return self.from_ != self.to


class Option(_Frozen):
    """A full set of tiers (and, for an alternative, a changed load) with its verdict and cost."""

    name: str  # "current", "recommended", or a switch name
    title: str
    load_updates: dict[str, Any] = Field(default_factory=dict)
    in_effect: bool = False  # an alternative whose load updates the stack already has
    declared: Declared
    changes: tuple[Change, ...]  # every component, changed or not
    verdict: Verdict
    failing: tuple[str, ...]
    warnings: tuple[str, ...]  # hard-limit warn/unknown ids left (no considered tier clears them)
    cost: Cost

    @property
    def changed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.changed)


class BreakEven(_Frozen):
    """The most users one component's tier carries, and what it takes beyond that."""

    option: str  # "current" or "recommended"
    component: str
    tier: str
    max_users: int | None  # None: no hard limit grows with users
    limited_by: str | None
    next_tier: str | None = None  # cheapest tiers for this component at max_users + 1; None: no considered tier does
    next_monthly_usd: float | None = None


class MatrixRow(_Frozen):
    scenario: str
    option: str  # the option name, or "<component>-only"
    verdict: Verdict
    failing: tuple[str, ...]
    monthly_usd: float
    usage_usd: float


class Recommendation(_Frozen):
    stack: str | None = None
    overlay: str | None
    include_undocumented: bool
    max_instances: int
    users: int
    current: Option
    recommended: Option
    alternatives: tuple[Option, ...]
    break_even: tuple[BreakEven, ...]
    decision_matrix: tuple[MatrixRow, ...]
    excluded: tuple[str, ...]  # tiers left out as not documented (ids)
    undocumented_fixes: tuple[str, ...] = ()  # what only a left-out tier clears, e.g. "openai free → tier1 (openai.requests_per_minute)"

    def option(self, name: str) -> Option | None:
        for o in (self.recommended, *self.alternatives):
            if o.name == name:
                return o
        return None


# --- shared helpers ---------------------------------------------------------------

def findings_of(d: Declared, load: Load, catalog: Catalog, th: Thresholds) -> list[Finding]:
    """Every finding of a set of tiers (no headroom, no fixes: fast)."""
    out: list[Finding] = []
    for comp, ctx in contexts(d, catalog):
        out += run_checks(load, comp, ctx, th)
    return out


def _money(x: float) -> str:
    return f"${x:,.0f}" if float(x).is_integer() else f"${x:,.2f}"


def _delta(x: float) -> str:
    return ("+" if x >= 0 else "−") + _money(abs(x))


def _prices(ctx) -> list[Figure | None]:
    if isinstance(ctx, SupabaseCtx):
        return [ctx.plan.get("price"), ctx.plan.get("compute_credit"), ctx.compute.get("price")]
    if isinstance(ctx, CdnCtx):
        return [ctx.pricing.get("price")]
    return [ctx.plan.get("price")]


def _documented(ctxs: Iterable, findings: Iterable[Finding]) -> bool:
    """Whether a tier's prices and the limit figures it is judged on are trusted by default."""
    if any(f.basis is not None and f.limit_kind in (Kind.hard, Kind.billed) and f.basis not in LIMIT_BASES
           for f in findings):
        return False
    return all(p is None or p.basis in PRICE_BASES for ctx in ctxs for p in _prices(ctx))


def _slack(findings: Iterable[Finding], th: Thresholds) -> float:
    """The smallest margin to the fail threshold over hard limits (inf: no numeric hard limit)."""
    return min((th.fail - f.utilization for f in findings
                if f.limit_kind is Kind.hard and f.utilization is not None), default=math.inf)


def label(comp: str, part: Any) -> str:
    """A component's tiers in words: ``starter ×3``, ``pro/micro``, ``legacy_free_tier``."""
    if part is None or part == ():
        return "-"
    if comp == "render":
        return "; ".join(_svc_label(s) if len(part) == 1 else f"{s.name}: {_svc_label(s)}" for s in part)
    if comp == "supabase":
        return f"{part.plan}/{part.compute}"
    if comp == "cloudfront":
        return part.pricing
    return str(part)


def _svc_label(s: RenderService) -> str:
    return f"{s.plan} ×{s.instances}" + (f" (autoscale ≤{s.max_instances})" if s.max_instances else "")


def _row(comp: str, part: Any) -> str:
    """The catalog row(s) of a choice, without the instance count."""
    return "+".join(s.plan for s in part) if comp == "render" else label(comp, part)


def _resource(comp: str, part: Any) -> str | None:
    if comp == "render":
        return ", ".join(s.name for s in part) or None
    return getattr(part, "name", None)


# --- one component: candidates, scoring, choice -------------------------------------

def _render_options(svc: RenderService, catalog: Catalog, max_instances: int) -> list[RenderService]:
    out = []
    for plan, tier in catalog["render"].tables["plan"].items():
        cap = tier.get("max_instances")  # Render accepts no more (free: 1), so more is no choice
        for n in range(1, min(max_instances, int(cap.value)) + 1 if cap and cap.value else max_instances + 1):
            if svc.max_instances:  # autoscaling: search the ceiling, keep the floor (clamped)
                out.append(svc.model_copy(update={"plan": plan, "max_instances": n, "instances": min(svc.instances, n)}))
            else:
                out.append(svc.model_copy(update={"plan": plan, "instances": n}))
    return out if svc in out else [svc, *out]


def _orderable(catalog: Catalog, comp: str, table: str) -> list[str]:
    """Rows a new customer can buy: legacy plans stay checkable but are never recommended."""
    return [row for row, tier in catalog[comp].tables[table].items() if tier.attrs.get("orderable", True)]


def candidates(comp: str, part: Any, catalog: Catalog, max_instances: int = 4) -> list[Any]:
    """Every tier choice for one component (the declared one first if the search would miss it)."""
    if part is None or part == ():
        return [part]
    if comp == "render":  # up to two services; more are searched by _render_joint
        return [tuple(c) for c in product(*(_render_options(s, catalog, max_instances) for s in part))]
    if comp == "supabase":
        sb = catalog["supabase"]
        out = [part.model_copy(update={"plan": plan, "compute": compute})
               for plan, row in sb.tables["plan"].items()
               for compute in row.attrs.get("compute", []) if compute in sb.tables["compute"]]
    elif comp == "cloudfront":
        out = [part.model_copy(update={"pricing": p}) for p in _orderable(catalog, "cloudfront", "pricing")]
    else:
        out = _orderable(catalog, comp, PLAN_TABLES[comp])
    return out if part in out else [part, *out]


@dataclass(frozen=True)
class Scored:
    """One candidate for one component, judged and priced."""

    part: Any
    findings: tuple[Finding, ...]
    cost: Cost
    rank_cost: float  # monthly plan + overage, autoscaled services at their ceiling; inf if custom-priced
    documented: bool
    changed: bool
    slack: float
    order: int
    qualifying_usd: float = 0.0  # past spend a tier needs before it can be had (OpenAI usage tiers)

    @cached_property
    def statuses(self) -> dict[tuple[str, str | None], Status]:
        return {(f.id, f.resource): f.status for f in self.findings if f.limit_kind is Kind.hard}


def score(comp: str, part: Any, load: Load, catalog: Catalog, th: Thresholds, *, declared: Any = None,
          order: int = 0) -> Scored:
    d = Declared(**{comp: part})
    ctxs = [ctx for _, ctx in contexts(d, catalog)]
    found = tuple(f for ctx in ctxs for f in run_checks(load, comp, ctx, th))
    c = cost(d, load, catalog, list(found))
    rank = math.inf if c.has_custom else c.monthly_usd
    if comp == "render":  # pay for the ceiling: capacity was judged at peak_instances
        rank += sum(catalog["render"].tier("plan", s.plan).price * (s.peak_instances - s.instances) for s in part)
    qualify = sum((f.value or 0) for ctx in ctxs if (f := getattr(ctx, "plan", None) and ctx.plan.get("qualifying_spend")))
    return Scored(part, found, c, round(rank, 2), _documented(ctxs, found), part != declared, _slack(found, th), order,
                  qualify)


Target = dict[tuple[str, str | None], Status]


def targets(scored: Iterable[Scored]) -> Target:
    """Per hard-limit finding: ``pass`` if some candidate passes it, else ``fail`` (= must not fail) if
    some candidate avoids failing it; findings no candidate can help are absent."""
    scored = list(scored)
    got: dict[tuple[str, str | None], set[Status]] = {}
    for s in scored:
        for k, status in s.statuses.items():
            got.setdefault(k, set()).add(status)
    best: Target = {}
    for k, statuses in got.items():
        if any(k not in s.statuses for s in scored):
            statuses = statuses | {Status.passed}  # a candidate without the finding passes it
        if Status.passed in statuses:
            best[k] = Status.passed
        elif statuses - {Status.fail}:
            best[k] = Status.fail
    return best


def unmet(s: Scored, target: Target) -> int:
    st = s.statuses
    n = 0
    for k, want in target.items():
        got = st.get(k, Status.passed)
        n += (got is not Status.passed) if want is Status.passed else (got is Status.fail)
    return n


def rank_key(s: Scored, target: Target, prefer_unchanged: bool = True) -> tuple:
    """Targets met first, then cheapest, then soonest to qualify for, then no change, then the most
    headroom, then catalog order."""
    return (unmet(s, target), s.rank_cost, s.qualifying_usd, s.changed and prefer_unchanged, -s.slack, s.order)


def _pick(comp: str, part: Any, options: Iterable[Any], load: Load, catalog: Catalog, th: Thresholds,
          settings: RecommendSettings, prefer_unchanged: bool = True) -> Scored:
    pool = [score(comp, c, load, catalog, th, declared=part, order=i) for i, c in enumerate(options)]
    pool = [s for s in pool if settings.include_undocumented or s.documented or not s.changed]
    target = targets(pool)
    return min(pool, key=lambda s: rank_key(s, target, prefer_unchanged))


JOINT_EXACT_UP_TO = 2  # Render services searched as the full cross product (≤ ~1,100 choices)


def _render_joint(part: tuple, load: Load, catalog: Catalog, th: Thresholds, settings: RecommendSettings) -> list[tuple]:
    """Joint Render choices for more than two services, without the cross product (36^n).

    Services couple only through the free plan's instance-hours, pooled per workspace. So each
    service's best plan among those without that pool is independent of the others; what remains
    is which services go free. Scored: the all-paid choice, the declared one, and every subset of
    services that fits the pool on free x1 (with 750 h and 730 h per instance: one service).
    Exact whenever the all-paid choice meets every target some choice can meet: then a set that
    overruns the pool misses targets the others meet. (Where nothing meets them, the count of
    missed targets could tie; the brute-force test covers the exact search up to two services.)
    """
    plans = catalog["render"].tables["plan"]
    pooled = {p for p, t in plans.items() if t.get("instance_hours") is not None}

    def tier_of(svc: RenderService) -> tuple:  # what a choice depends on: not the service's name
        return svc.plan, svc.instances, svc.max_instances

    best: dict[tuple, RenderService] = {}  # alike services (1,000 copies of one plan) are searched once
    for svc in part:
        if tier_of(svc) not in best:
            opts = [o for o in _render_options(svc, catalog, settings.max_instances) if o.plan not in pooled]
            opts = opts if svc in opts else [svc, *opts]
            # "No change" counts once for the whole Render component, and the declared tuple is a
            # joint candidate below; per service, ties go to headroom.
            best[tier_of(svc)] = _pick("render", (svc,), [(o,) for o in opts], load, catalog, th, settings,
                                       prefer_unchanged=False).part[0]
    paid = [best[tier_of(svc)].model_copy(update={"name": svc.name}) for svc in part]
    joint = [tuple(paid), part]
    # Which services go free: alike services are interchangeable, so one per group of alike ones.
    firsts = list({tier_of(svc): i for i, svc in reversed(list(enumerate(part)))}.values())
    for plan in pooled:
        hours = plans[plan].get("instance_hours").value or 0
        fits = int(hours * th.fail // HOURS_PER_MONTH)
        for k in range(1, min(fits, len(firsts)) + 1):
            for chosen in combinations(sorted(firsts), k):
                joint.append(tuple(part[i].model_copy(update={"plan": plan, "instances": 1, "max_instances": None})
                                   if i in chosen else paid[i] for i in range(len(part))))
    return list(dict.fromkeys(joint))


def _one_at_a_time(comp: str, part: Any, catalog: Catalog) -> list[Any]:
    """Every row a component could take, one Render service at a time (to list what was left out)."""
    if comp == "render":
        return [(o,) for svc in part for o in _render_options(svc, catalog, 1)]
    return candidates(comp, part, catalog, 1)


def best_for(comp: str, part: Any, load: Load, catalog: Catalog, th: Thresholds,
             settings: RecommendSettings = RecommendSettings()) -> Scored:
    """The cheapest tiers for one component that meet its targets (see ``recommend``)."""
    if comp == "render" and len(part) > JOINT_EXACT_UP_TO:
        return _pick(comp, part, _render_joint(part, load, catalog, th, settings), load, catalog, th, settings)
    return _pick(comp, part, candidates(comp, part, catalog, settings.max_instances), load, catalog, th, settings)


# --- cheapest single fix ------------------------------------------------------------

def _fix_variants(comp: str, ctx, catalog: Catalog) -> Iterator[tuple[str, str, str, object]]:
    """(field, before, after, new ctx) for every single-field change of one component."""
    if isinstance(ctx, RenderCtx):
        rows = catalog["render"].tables["plan"]
        svc = ctx.service
        own_free = svc.peak_instances if ctx.plan.get("instance_hours") else 0
        for plan, tier in rows.items():
            if plan == svc.plan:
                continue
            free = ctx.free_instances_in_workspace - own_free + (svc.peak_instances if tier.get("instance_hours") else 0)
            yield "plan", svc.plan, plan, RenderCtx(svc.model_copy(update={"plan": plan}), tier, free)
    elif isinstance(ctx, SupabaseCtx):
        sb = catalog["supabase"]
        p = ctx.project
        for plan, row in sb.tables["plan"].items():
            for compute in row.attrs.get("compute", []):
                if (plan, compute) == (p.plan, p.compute) or compute not in sb.tables["compute"]:
                    continue
                new = p.model_copy(update={"plan": plan, "compute": compute})
                yield "plan", f"{p.plan}/{p.compute}", f"{plan}/{compute}", SupabaseCtx(new, row, sb.tier("compute", compute))
    elif isinstance(ctx, CdnCtx):
        for pricing, tier in catalog["cloudfront"].tables["pricing"].items():
            if pricing != ctx.dist.pricing:
                yield "pricing", ctx.dist.pricing, pricing, CdnCtx(ctx.dist.model_copy(update={"pricing": pricing}), tier)
    elif isinstance(ctx, PlanCtx):
        table = PLAN_TABLES[comp]
        for row, tier in catalog[comp].tables[table].items():
            if row != ctx.plan.id:
                yield table, ctx.plan.id, row, PlanCtx(tier, ctx.resource)


def _ctx_monthly(comp: str, ctx, load: Load, catalog: Catalog, findings: list[Finding]) -> float:
    """``evaluate.cost`` of one context alone (plan + overage), autoscaled Render at its ceiling."""
    if isinstance(ctx, RenderCtx):
        d = Declared(render=(ctx.service,))
        extra = ctx.plan.price * (ctx.service.peak_instances - ctx.service.instances)
    elif isinstance(ctx, SupabaseCtx):
        d, extra = Declared(supabase=ctx.project), 0.0
    elif isinstance(ctx, CdnCtx):
        d, extra = Declared(cloudfront=ctx.dist), 0.0
    else:
        d, extra = Declared(**{comp: ctx.plan.id}), 0.0
    c = cost(d, load, catalog, findings)
    return math.inf if c.has_custom else round(c.monthly_usd + extra, 2)


def cheapest_fix(comp: str, ctx, finding: Finding, load: Load, catalog: Catalog, th: Thresholds,
                 include_undocumented: bool = False) -> Fix | None:
    """The cheapest single field change on this component that makes ``finding`` pass; if none
    does, the cheapest that stops it failing; None if nothing helps.

    Render: the plan (instances unchanged); Supabase: plan × compute (compute allowed by the
    plan; the connection path is the app's choice and is kept); CloudFront: pricing; Netlify,
    OpenAI, Internet Archive: the plan row. Monthly deltas are ``evaluate.cost``'s prices
    (Supabase: plan + compute less the compute credit), overages included.
    """
    check = BY_ID[finding.id]
    now = _ctx_monthly(comp, ctx, load, catalog, run_checks(load, comp, ctx, th))
    best: tuple | None = None
    for order, (field, before, after, new) in enumerate(_fix_variants(comp, ctx, catalog)):
        found = run_checks(load, comp, new, th)
        f = next((x for x in found if x.id == finding.id), None)
        status = f.status if f else Status.passed
        if status is Status.fail:
            continue
        if not include_undocumented and not _documented([new], [f] if f else []):
            continue
        monthly = _ctx_monthly(comp, new, load, catalog, found)
        if monthly == math.inf:
            continue
        util = f.utilization if f and f.utilization is not None else -math.inf
        key = (status is not Status.passed, monthly, util, order)
        if best is None or key < best[0]:
            best = (key, field, before, after, monthly, f)
    if best is None:
        return None
    _, field, before, after, monthly, f = best
    delta = round(monthly - now, 2)
    if f is not None and f.capacity is not None:
        why = f"{_n(f.capacity)} {f.unit} ≥ {_n(f.demand)} {f.unit} needed"
    else:
        why = f"no {check.title} limit on {after}"
    return Fix(component=comp, resource=finding.resource, field=field, before=before, after=after,
               monthly_delta_usd=delta, capacity=f.capacity if f and f.capacity is not None else math.inf,
               text=f"{comp} {field} {before} → {after} ({_delta(delta)}/mo): {why}")


# --- the recommendation -----------------------------------------------------------

def best_tiers(d: Declared, load: Load, catalog: Catalog, th: Thresholds,
               settings: RecommendSettings = RecommendSettings()) -> dict[str, Scored]:
    """The cheapest tiers for every declared component.

    Why per component is optimal. A check reads one component's context, and a Render
    context differs from another only through the per-workspace free instance-hours,
    so all Render services are searched jointly as one component. Every finding thus
    depends on exactly one component's choice, so (a) the set of findings some choice
    can bring below the warn threshold (or keep from failing) is the union of the
    per-component sets, and a full choice meets every target iff each component's part
    does; (b) ``evaluate.cost`` is a sum of per-component lines (plan prices, overages
    of that component's findings; OpenAI usage depends on the load only), so its
    minimum is the sum of per-component minima. The lexicographic objective
    (targets missed, monthly cost, components changed, -minimum slack) is therefore
    minimised by minimising each component's own (missed, cost, changed, -slack): sums
    decompose term by term, and the largest global minimum slack is the minimum of the
    per-component maxima (min is monotone in each argument). Each component's search is
    exhaustive, so the whole is exact; ``tests/test_recommend.py`` checks it against a
    brute force over the full cross product.
    """
    return {comp: best_for(comp, getattr(d, comp), load, catalog, th, settings)
            for comp in COMPONENTS if getattr(d, comp) not in (None, ())}


def _why(before: Iterable[Finding], after: Iterable[Finding]) -> tuple[str, ...]:
    from tierguard.output.common import capacity, qty

    old = {(f.id, f.resource): f for f in before if f.limit_kind is Kind.hard}
    new = {(f.id, f.resource): f for f in after if f.limit_kind is Kind.hard}
    out = []
    for k, f in old.items():
        g = new.get(k)
        if f.status is Status.passed and (g is None or g.status is Status.passed):
            continue
        was = f"{qty(f.demand, f.unit)} of {capacity(f)}" + (f" ({f.utilization:.1%})" if f.utilization is not None else "")
        if g is None:
            now = "no such limit"
        else:
            now = f"{qty(g.demand, g.unit)} of {capacity(g)}" + (f" ({g.utilization:.1%})" if g.utilization is not None else "")
        out.append(f"{f.id}: {was} → {now}")
    return tuple(out)


def _option(name: str, title: str, d: Declared, base: Declared, load: Load, catalog: Catalog, th: Thresholds,
            updates: dict[str, Any] | None = None, base_load: Load | None = None) -> Option:
    found = findings_of(d, load, catalog, th)
    before = findings_of(base, base_load or load, catalog, th)
    c = cost(d, load, catalog, found)
    c0 = cost(base, base_load or load, catalog, before)
    changes = []
    for comp in COMPONENTS:
        old, new = getattr(base, comp), getattr(d, comp)
        if old in (None, ()) and new in (None, ()):
            continue
        monthly = lambda cc: sum(l.usd or 0 for l in cc.lines if l.component == comp and l.kind != "usage")
        changes.append(Change(
            component=comp, resource=_resource(comp, new or old), **{"from": label(comp, old)}, to=label(comp, new),
            monthly_delta_usd=round(monthly(c) - monthly(c0), 2),
            why=_why([f for f in before if f.component == comp], [f for f in found if f.component == comp]) if old != new else (),
        ))
    hard_left = tuple(sorted({f.id for f in found if f.limit_kind is Kind.hard and f.status in (Status.warn, Status.unknown)}))
    return Option(name=name, title=title, load_updates=dict(updates or {}), declared=d, changes=tuple(changes),
                  verdict=verdict_of(found), failing=tuple(sorted({f.id for f in found if f.status is Status.fail})),
                  warnings=hard_left, cost=c)


def _with(d: Declared, best: dict[str, Scored]) -> Declared:
    return d.model_copy(update={comp: s.part for comp, s in best.items()})


def break_even(option: str, d: Declared, load: Load, catalog: Catalog, th: Thresholds,
               settings: RecommendSettings = RecommendSettings()) -> list[BreakEven]:
    """Per component: the most users its tier carries (the smallest headroom over its hard
    limits) and the cheapest tiers for that component at one user more."""
    out = []
    for comp in COMPONENTS:
        part = getattr(d, comp)
        if part in (None, ()):
            continue
        most, by = None, None
        for c, ctx in contexts(Declared(**{comp: part}), catalog):
            for f in run_checks(load, c, ctx, th):
                if f.limit_kind is not Kind.hard or f.capacity is None:
                    continue
                h = headroom(BY_ID[f.id], load, ctx, th)
                if h is not None and (most is None or h < most):
                    most, by = h, f.id
        nxt = None
        if most is not None and most < MAX_USERS:
            nxt = best_for(comp, part, load.with_users(most + 1), catalog, th, settings)
            if nxt.part == part or any(f.status is Status.fail for f in nxt.findings):
                nxt = None  # no considered tier carries more
        out.append(BreakEven(option=option, component=comp, tier=label(comp, part), max_users=most, limited_by=by,
                             next_tier=label(comp, nxt.part) if nxt else None,
                             next_monthly_usd=None if nxt is None or nxt.rank_cost == math.inf else nxt.rank_cost))
    return out


def recommend(source, load: Load | None = None, catalog: Catalog | None = None, th: Thresholds | None = None,
              settings: RecommendSettings | None = None, *, stack: str | None = None,
              with_break_even: bool = True) -> Recommendation:
    """The cheapest tiers that carry the load, alternatives, break-even, cost and the decision matrix.

    ``source`` is an ``analyze.Analysis`` or a ``Declared`` (then pass ``load``, ``catalog``,
    ``th``). Target per hard-limit finding: below the warn threshold if any considered tier
    gets it there, else at least not failing. See ``best_tiers`` for why the search is exact.
    """
    if not isinstance(source, Declared):
        a = source
        source, load, catalog = a.declared, a.config.load, a.catalog
        th, settings, stack = a.config.settings.thresholds, a.config.settings.recommend, a.config.stack
    d = source
    settings = settings or RecommendSettings()
    th = th or Thresholds()

    current = _option("current", "As declared", d, d, load, catalog, th)
    best = best_tiers(d, load, catalog, th, settings)
    rec = _option("recommended", "Recommended setup", _with(d, best), d, load, catalog, th)

    alts = []
    for name, desc, updates in SWITCHES:
        alt_load = load.model_copy(update=updates)
        alt_best = best_tiers(d, alt_load, catalog, th, settings)
        o = _option(name, desc, _with(d, alt_best), d, alt_load, catalog, th, updates, base_load=load)
        alts.append(o.model_copy(update={"in_effect": alt_load == load}))

    rows = [MatrixRow(scenario="As declared", option="current", verdict=current.verdict, failing=current.failing,
                      monthly_usd=current.cost.monthly_usd, usage_usd=current.cost.usage_usd)]
    for ch in rec.changed:
        partial = d.model_copy(update={ch.component: getattr(rec.declared, ch.component)})
        o = _option(f"{ch.component}-only", "", partial, d, load, catalog, th)
        rows.append(MatrixRow(scenario=f"Only {ch.component} → {ch.to}", option=o.name, verdict=o.verdict,
                              failing=o.failing, monthly_usd=o.cost.monthly_usd, usage_usd=o.cost.usage_usd))
    for o in (rec, *(a for a in alts if not a.in_effect)):
        scenario = "Recommended" if o is rec else f"Alternative {o.name}"
        rows.append(MatrixRow(scenario=scenario, option=o.name, verdict=o.verdict, failing=o.failing,
                              monthly_usd=o.cost.monthly_usd, usage_usd=o.cost.usage_usd))

    be: list[BreakEven] = []
    if with_break_even:
        be = break_even("current", d, load, catalog, th, settings) + break_even("recommended", rec.declared, load, catalog, th, settings)

    excluded = sorted({f"{comp}.{_row(comp, s.part)}" for comp in best
                       for s in [score(comp, c, load, catalog, th, declared=getattr(d, comp))
                                 for c in _one_at_a_time(comp, getattr(d, comp), catalog)]
                       if not s.documented and s.changed}) if not settings.include_undocumented else []
    hints = []
    if rec.failing and not settings.include_undocumented:
        wide = best_tiers(d, load, catalog, th, settings.model_copy(update={"include_undocumented": True}))
        for comp, w in wide.items():
            ids = sorted({f.id for f in best[comp].findings if f.status is Status.fail}
                         - {f.id for f in w.findings if f.status is Status.fail})
            if ids and w.part != best[comp].part:
                hints.append(f"{comp} {label(comp, best[comp].part)} → {label(comp, w.part)} ({', '.join(ids)})")
    return Recommendation(undocumented_fixes=tuple(hints), stack=stack, overlay=catalog.overlay, include_undocumented=settings.include_undocumented,
                          max_instances=settings.max_instances, users=load.users, current=current, recommended=rec,
                          alternatives=tuple(alts), break_even=tuple(be), decision_matrix=tuple(rows),
                          excluded=tuple(excluded))
