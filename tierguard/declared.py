"""What a stack declares: tiers read from its resources plus its config.

One function, ``declared``, serves the CLI (resources registered under Pulumi's
mocks) and the policy pack (resources the engine hands to ``AnalyzeStack``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from tierguard.catalog import Catalog
from tierguard.errors import InputError
from tierguard.stack import Connection, StackConfig

RENDER_WEB = "render:services:WebService"
SUPABASE_PROJECT = "supabase:index/project:Project"
CLOUDFRONT = "aws:cloudfront/distribution:Distribution"
PRICING_TAG = "tierguard:pricing"  # CloudFront's pricing model is an account choice, so the program tags it
DEFAULT_PRICING = "always_free"  # what a pay-as-you-go account gets today: 1 TB/month free, then billed
SUPABASE_DEFAULT_COMPUTE = {"free": "nano"}  # paid plans default to micro


class Resource(NamedTuple):
    type: str
    name: str
    props: dict[str, Any]
    urn: str = ""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RenderService(_Model):
    name: str
    plan: str
    instances: int = 1
    max_instances: int | None = None  # autoscaling ceiling

    @property
    def peak_instances(self) -> int:
        return max(self.instances, self.max_instances or 0)


class SupabaseProject(_Model):
    name: str
    plan: str
    compute: str
    connection: Connection
    spend_cap: bool | None = None  # None: the plan's default


class CloudFront(_Model):
    name: str
    pricing: str
    price_class: str = "PriceClass_All"


class Declared(_Model):
    """Every tier one stack declares."""

    render: tuple[RenderService, ...] = ()
    supabase: SupabaseProject | None = None
    cloudfront: CloudFront | None = None
    netlify: str | None = None
    openai: str | None = None
    internet_archive: str | None = None


def _render(res: Resource) -> RenderService:
    details = res.props.get("serviceDetails") or {}
    auto = details.get("autoscaling") or {}
    enabled = auto.get("enabled", True) if auto else False
    return RenderService(
        name=res.name,
        plan=str(details.get("plan") or "starter"),  # the provider's default
        instances=int(details.get("numInstances") or 1),
        max_instances=int(auto["max"]) if enabled and auto.get("max") else None,
    )


def declared(resources: list[Resource], config: StackConfig, catalog: Catalog) -> Declared:
    """Read the declared tiers and check each names a row the catalog knows."""
    render = tuple(_render(r) for r in resources if r.type == RENDER_WEB)
    sb_settings = config.settings.supabase
    supabase = None
    for r in resources:
        if r.type == SUPABASE_PROJECT:
            plan = sb_settings.plan
            compute = r.props.get("instanceSize") or SUPABASE_DEFAULT_COMPUTE.get(plan, "micro")
            supabase = SupabaseProject(name=r.name, plan=plan, compute=compute, connection=sb_settings.connection,
                                       spend_cap=sb_settings.spend_cap)
    cloudfront = None
    for r in resources:
        if r.type == CLOUDFRONT:
            tags = r.props.get("tags") or {}
            cloudfront = CloudFront(
                name=r.name,
                pricing=tags.get(PRICING_TAG, DEFAULT_PRICING),
                price_class=r.props.get("priceClass") or "PriceClass_All",
            )
    s = config.settings.services
    out = Declared(
        render=render, supabase=supabase, cloudfront=cloudfront,
        netlify=s.netlify, openai=s.openai, internet_archive=s.internet_archive,
    )
    check_known(out, config, catalog)
    return out


def check_known(d: Declared, config: StackConfig, catalog: Catalog) -> None:
    """Every declared tier must be a catalog row; say where it was declared if not."""
    def need(component: str, table: str, value: str | None, file: str, key: str) -> None:
        rows = catalog[component].tables[table]
        if value is not None and value not in rows:
            raise InputError(file, key, f"a {component} {table}, one of: {', '.join(rows)}", value)

    for svc in d.render:
        need("render", "plan", svc.plan, f"render resource {svc.name!r}", "serviceDetails.plan")
    if d.supabase:
        need("supabase", "plan", d.supabase.plan, config.file, "tierguard:supabase.plan")
        need("supabase", "compute", d.supabase.compute, f"supabase resource {d.supabase.name!r}", "instanceSize")
        allowed = catalog["supabase"].tier("plan", d.supabase.plan).attrs.get("compute", [])
        if d.supabase.compute not in allowed:
            raise InputError(
                config.file, "tierguard:supabase.plan",
                f"a plan that allows compute {d.supabase.compute!r} (plan {d.supabase.plan!r} allows {', '.join(allowed)})",
            )
    if d.cloudfront:
        need("cloudfront", "pricing", d.cloudfront.pricing, f"cloudfront resource {d.cloudfront.name!r}", f"tags.{PRICING_TAG}")
    need("netlify", "plan", d.netlify, config.file, "tierguard:services.netlify")
    need("openai", "tier", d.openai, config.file, "tierguard:services.openai")
    need("internet_archive", "plan", d.internet_archive, config.file, "tierguard:services.internetArchive")
