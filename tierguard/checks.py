"""Capacity checks: one short function per metric, over the load and one component's tiers.

A check returns a ``Measure``: the demand, how it was computed, and the catalog
figure it is held against. ``judge`` turns a measure into a ``Finding``; the
thresholds and severities live there, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from tierguard.catalog import Figure, Kind, Tier
from tierguard.declared import CloudFront, RenderService, SupabaseProject
from tierguard.findings import Finding, Severity, Status
from tierguard.load import Load
from tierguard.stack import Thresholds

HOURS_PER_MONTH = 730  # 8,760 h / 12: an always-on instance


@dataclass(frozen=True)
class RenderCtx:
    service: RenderService
    plan: Tier
    free_instances_in_workspace: int  # the free plan's instance-hours are shared per workspace

    @property
    def resource(self) -> str:
        return self.service.name

    @property
    def key(self) -> tuple:
        """Everything the findings depend on except the resource's name."""
        s = self.service
        return (s.plan, s.instances, s.max_instances, self.free_instances_in_workspace)

    @property
    def label(self) -> str:
        s = self.service
        n = f" ×{s.instances}" if s.instances > 1 else ""
        auto = f" (autoscale ≤{s.max_instances})" if s.max_instances else ""
        return f"{s.plan}{n}{auto}"


@dataclass(frozen=True)
class SupabaseCtx:
    project: SupabaseProject
    plan: Tier
    compute: Tier

    @property
    def resource(self) -> str:
        return self.project.name

    @property
    def key(self) -> tuple:
        p = self.project
        return (p.plan, p.compute, p.connection, p.spend_cap)

    @property
    def label(self) -> str:
        return f"{self.project.plan}/{self.project.compute}"


@dataclass(frozen=True)
class CdnCtx:
    dist: CloudFront
    pricing: Tier

    @property
    def resource(self) -> str:
        return self.dist.name

    @property
    def key(self) -> tuple:
        return (self.dist.pricing, self.dist.price_class)

    @property
    def label(self) -> str:
        return self.dist.pricing


@dataclass(frozen=True)
class PlanCtx:
    """An external service: one plan row, no resource."""

    plan: Tier
    resource: str | None = None

    @property
    def label(self) -> str:
        return self.plan.id

    @property
    def key(self) -> tuple:
        return (self.plan.id,)


@dataclass(frozen=True)
class Measure:
    demand: float
    formula: str
    figure: Figure | None  # None: the tier has no such limit
    note: str = ""


@dataclass(frozen=True)
class Check:
    id: str  # component.metric, stable
    title: str
    fn: Callable[[Load, object], Measure | None]
    graded: bool = True  # False: a count limit (1 of 1 instances is fine), no warn band

    @property
    def component(self) -> str:
        return self.id.split(".")[0]

    @property
    def metric(self) -> str:
        return self.id.split(".", 1)[1]


def _n(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


# --- Render -------------------------------------------------------------------

def render_memory(load: Load, c: RenderCtx) -> Measure:
    d = load.demand
    n = c.service.peak_instances
    ai = math.ceil(load.peak_ai_generations / n)
    plain = math.ceil((load.peak_users - load.peak_ai_generations) / n)
    mb = d.process_base_mb + ai * d.ai_request_mb + plain * d.default_request_mb
    parts = [f"{ai} AI generations × {_n(d.ai_request_mb)} MB"] if ai else []
    if plain and d.default_request_mb:
        parts.append(f"{plain} DEFAULT generations × {_n(d.default_request_mb)} MB")
    if d.process_base_mb:
        parts.append(f"{_n(d.process_base_mb)} MB process base")
    per = f" per instance ({n} instances share {load.peak_users} active users)" if n > 1 else ""
    return Measure(mb, (" + ".join(parts) or "no generation in flight") + per, c.plan.get("memory"))


def render_instances(load: Load, c: RenderCtx) -> Measure | None:
    fig = c.plan.get("max_instances")
    if fig is None:
        return None
    return Measure(c.service.peak_instances, f"{c.service.peak_instances} instances declared", fig)


def render_instance_hours(load: Load, c: RenderCtx) -> Measure | None:
    fig = c.plan.get("instance_hours")
    if fig is None:
        return None
    n = c.free_instances_in_workspace
    return Measure(n * HOURS_PER_MONTH, f"{n} always-on instance(s) × {HOURS_PER_MONTH} h/month", fig)


# --- Supabase -----------------------------------------------------------------

def _egress(c: SupabaseCtx, own: str) -> tuple[Figure | None, bool]:
    """A plan either has separate DB/Storage egress quotas or one shared quota."""
    fig = c.plan.get(own)
    return (fig, False) if fig is not None else (c.plan.get("egress"), True)


def _db_egress_mb(load: Load) -> float:
    d = load.demand
    return (load.users * d.registration_read_kb + load.generations * d.generation_read_kb
            + load.sessions * d.playback_read_kb) / 1000


def _storage_egress_mb(load: Load) -> float:
    d = load.demand
    return load.sessions * d.voiceover_sections_per_session * d.voiceover_section_mb


def supabase_db_storage(load: Load, c: SupabaseCtx) -> Measure:
    d = load.demand
    mb = (load.users * d.profile_kb + load.generations * d.class_plan_kb
          + load.sessions * d.analytics_kb_per_session) / 1000 + d.seed_data_mb
    f = (f"{_n(load.users)} profiles × {_n(d.profile_kb)} KB + {_n(load.generations)} classes × {_n(d.class_plan_kb)} KB"
         f" + {_n(load.sessions)} sessions × {_n(d.analytics_kb_per_session)} KB + {_n(d.seed_data_mb)} MB seed data")
    return Measure(mb, f, c.plan.get("db_size"))


def supabase_db_egress(load: Load, c: SupabaseCtx) -> Measure:
    d = load.demand
    fig, shared = _egress(c, "db_egress")
    mb = _db_egress_mb(load)
    f = (f"{_n(load.users)} × {_n(d.registration_read_kb)} KB + {_n(load.generations)} × {_n(d.generation_read_kb)} KB"
         f" + {_n(load.sessions)} × {_n(d.playback_read_kb)} KB")
    if shared:
        mb += _storage_egress_mb(load)
        f += f" + {_n(_storage_egress_mb(load))} MB Storage egress (one shared quota)"
    return Measure(mb, f, fig)


def supabase_db_connections(load: Load, c: SupabaseCtx) -> Measure:
    d = load.demand
    conns = math.ceil(round(load.peak_users * d.connections_per_active_user, 9))
    path = c.project.connection
    return Measure(
        conns,
        f"{load.peak_users} active users × {_n(d.connections_per_active_user)} connections (via {path})",
        c.compute.get(f"connections_{path}"),
    )


def supabase_storage_size(load: Load, c: SupabaseCtx) -> Measure:
    d = load.demand
    return Measure(d.voiceover_files * d.voiceover_file_mb,
                   f"{d.voiceover_files} voiceover files × {_n(d.voiceover_file_mb)} MB", c.plan.get("storage_size"))


def supabase_storage_egress(load: Load, c: SupabaseCtx) -> Measure:
    d = load.demand
    fig, shared = _egress(c, "storage_egress")
    mb = _storage_egress_mb(load)
    f = f"{_n(load.sessions)} sessions × {d.voiceover_sections_per_session} sections × {_n(d.voiceover_section_mb)} MB"
    if shared:
        mb += _db_egress_mb(load)
        f += f" + {_n(_db_egress_mb(load))} MB DB egress (one shared quota)"
    return Measure(mb, f, fig)


def supabase_mau(load: Load, c: SupabaseCtx) -> Measure:
    return Measure(load.users, f"{_n(load.users)} users, all active in the month", c.plan.get("mau"))


# --- CloudFront ---------------------------------------------------------------

def cloudfront_egress(load: Load, c: CdnCtx) -> Measure:
    d = load.demand
    return Measure(load.sessions * d.videos_per_session * d.video_mb,
                   f"{_n(load.sessions)} sessions × {d.videos_per_session} videos × {_n(d.video_mb)} MB",
                   c.pricing.get("egress"))


def cloudfront_requests(load: Load, c: CdnCtx) -> Measure:
    d = load.demand
    return Measure(load.sessions * d.videos_per_session,
                   f"{_n(load.sessions)} sessions × {d.videos_per_session} videos", c.pricing.get("requests"))


# --- External services --------------------------------------------------------

def internet_archive_requests(load: Load, c: PlanCtx) -> Measure:
    d = load.demand
    per_day = math.ceil(round(load.sessions * d.music_tracks_per_session * load.peak_day_share, 9))
    share = "" if load.peak_day_share == 1 else f" × {load.peak_day_share:.0%} on the busiest day"
    return Measure(per_day, f"{_n(load.sessions)} sessions × {d.music_tracks_per_session} tracks{share}, one IP",
                   c.plan.get("requests_per_day"))


def internet_archive_egress(load: Load, c: PlanCtx) -> Measure:
    d = load.demand
    return Measure(load.sessions * d.music_minutes_per_session * d.music_mb_per_minute,
                   f"{_n(load.sessions)} sessions × {_n(d.music_minutes_per_session)} min × {_n(d.music_mb_per_minute)} MB/min",
                   c.plan.get("egress"))


def openai_rpm(load: Load, c: PlanCtx) -> Measure:
    d = load.demand
    rpm = math.ceil(round(load.peak_ai_generations * d.openai_calls_per_generation * 60 / d.ai_generation_seconds, 9))
    return Measure(rpm, f"{load.peak_ai_generations} AI generations in flight × {_n(d.openai_calls_per_generation)} call"
                   f" per {_n(d.ai_generation_seconds)} s", c.plan.get("requests_per_minute"))


def openai_cost(load: Load, c: PlanCtx) -> Measure:
    d = load.demand
    return Measure(round(load.ai_generations * d.openai_usd_per_generation, 2),
                   f"{_n(load.ai_generations)} AI generations × ${d.openai_usd_per_generation:.2f}",
                   c.plan.get("monthly_spend"))


def netlify_bandwidth(load: Load, c: PlanCtx) -> Measure:
    d = load.demand
    return Measure(load.users * d.page_loads_per_user_per_month * d.bundle_mb,
                   f"{_n(load.users)} users × {_n(d.page_loads_per_user_per_month)} page loads × {_n(d.bundle_mb)} MB",
                   c.plan.get("bandwidth"))


def netlify_build_minutes(load: Load, c: PlanCtx) -> Measure:
    d = load.demand
    return Measure(d.deploys_per_month * d.build_minutes_per_deploy,
                   f"{_n(d.deploys_per_month)} deploys × {_n(d.build_minutes_per_deploy)} min", c.plan.get("build_minutes"))


def netlify_credits(load: Load, c: PlanCtx) -> Measure | None:
    """Credit-based plans meter bandwidth and production deploys in one monthly credit pool."""
    if c.plan.get("credits") is None:
        return None
    d = load.demand
    rate = {k: (c.plan.get(k).value or 0) for k in ("credits_per_gb", "credits_per_deploy", "credits_per_build_minute")}
    gb = load.users * d.page_loads_per_user_per_month * d.bundle_mb / 1000
    minutes = d.deploys_per_month * d.build_minutes_per_deploy
    credits = gb * rate["credits_per_gb"] + d.deploys_per_month * rate["credits_per_deploy"] + minutes * rate["credits_per_build_minute"]
    return Measure(credits, f"{_n(gb)} GB × {_n(rate['credits_per_gb'])} + {_n(d.deploys_per_month)} deploys × "
                   f"{_n(rate['credits_per_deploy'])} credits (web requests not modelled)", c.plan.get("credits"))


CHECKS: tuple[Check, ...] = (
    Check("supabase.db_storage", "Supabase DB storage", supabase_db_storage),
    Check("supabase.db_egress", "Supabase DB egress", supabase_db_egress),
    Check("supabase.db_connections", "Supabase DB connections", supabase_db_connections),
    Check("supabase.storage_size", "Supabase Storage files", supabase_storage_size),
    Check("supabase.storage_egress", "Supabase Storage egress", supabase_storage_egress),
    Check("supabase.mau", "Supabase monthly active users", supabase_mau),
    Check("internet_archive.requests", "Internet Archive requests", internet_archive_requests),
    Check("internet_archive.egress", "Internet Archive egress", internet_archive_egress),
    Check("cloudfront.egress", "CloudFront egress", cloudfront_egress),
    Check("cloudfront.requests", "CloudFront requests", cloudfront_requests),
    Check("render.memory", "Render backend RAM", render_memory),
    Check("render.instances", "Render instances", render_instances, graded=False),
    Check("render.instance_hours", "Render free instance-hours", render_instance_hours),
    Check("openai.requests_per_minute", "OpenAI requests/minute", openai_rpm),
    Check("openai.cost", "OpenAI spend", openai_cost),
    Check("netlify.bandwidth", "Netlify bandwidth", netlify_bandwidth),
    Check("netlify.build_minutes", "Netlify build minutes", netlify_build_minutes),
    Check("netlify.credits", "Netlify credits", netlify_credits),
)
BY_ID = {c.id: c for c in CHECKS}


def judge(check: Check, m: Measure, ctx, th: Thresholds) -> Finding:
    """Status and severity from utilization; the one place thresholds apply."""
    fig = m.figure
    cap = fig.value if fig else None
    util = None
    overage = 0.0
    if fig is None or fig.kind is Kind.info:
        status, sev = Status.passed, Severity.info
        why = "no limit on this tier" if fig is None else (fig.note or "not a limit")
    elif cap is None:
        status, sev = Status.unknown, Severity.medium
        why = f"depends on a figure the catalog lacks: {fig.note or 'no published number'}"
    elif fig.kind is Kind.billed and cap == 0:
        status, sev = Status.passed, Severity.info
        overage = m.demand * (fig.overage or 0)
        why = f"billed from the first unit: ${overage:,.2f}/month"
    else:
        util = m.demand / cap if cap else math.inf
        hard = fig.kind is Kind.hard
        if util > th.fail:
            status, sev = (Status.fail, Severity.critical) if hard else (Status.warn, Severity.low)
        elif util >= th.warn and check.graded:
            status, sev = Status.warn, (Severity.high if hard else Severity.low)
        else:
            status, sev = Status.passed, Severity.info
        if not hard and m.demand > cap:
            overage = (m.demand - cap) * (fig.overage or 0)
        why = f"{util:.1%} of {_n(cap)} {fig.unit}"
        if overage:
            why += f"; ${overage:,.2f}/month billed beyond the quota"
    unit = fig.unit if fig else ""
    message = f"{check.title} on {ctx.label}: {_n(m.demand)} {unit} needed ({m.formula}); {why}"
    return Finding(
        id=check.id, component=check.component, metric=check.metric, title=check.title,
        resource=ctx.resource, tier=ctx.label, demand=round(m.demand, 4), capacity=cap, unit=unit,
        utilization=None if util is None else round(util, 4), status=status, severity=sev,
        limit_kind=fig.kind if fig else Kind.info, source=fig.source if fig else None,
        as_of=fig.as_of if fig else None, basis=fig.basis if fig else None,
        formula=m.formula, message=message, overage_usd=round(overage, 2),
    )
