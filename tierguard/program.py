"""The Bassline infrastructure, declared as Pulumi resources.

``__main__.py`` at the repo root calls ``declare()``; ``tierguard`` runs the same
function under Pulumi's mocks to learn the declared tiers offline.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from tierguard.declared import PRICING_TAG


class SupabaseProject(pulumi.CustomResource):
    """A Supabase project, as the official ``supabase/supabase`` Terraform provider models it.

    Its type token is the one ``pulumi package add terraform-provider supabase/supabase``
    generates; the organization plan is not a resource, so it lives in ``tierguard:supabase``.
    """

    def __init__(self, resource_name: str, *, organization_id, name, database_password, region, instance_size,
                 opts: pulumi.ResourceOptions | None = None):
        super().__init__(
            "supabase:index/project:Project",
            resource_name,
            {
                "organizationId": organization_id,
                "name": name,
                "databasePassword": database_password,
                "region": region,
                "instanceSize": instance_size,
            },
            opts,
        )


def declare(root: Path | None = None) -> None:
    """Register every resource of the stack."""
    import pulumi_aws as aws
    import pulumi_render as render

    from tierguard.blueprint import DEFAULT_BLUEPRINT, load_blueprint
    from tierguard.catalog import load_catalog

    root = root or Path.cwd()
    cfg = pulumi.Config()
    blueprint_file = cfg.get("blueprint") or DEFAULT_BLUEPRINT
    plans = set(load_catalog()["render"].tables["plan"])
    blueprint = load_blueprint(root / blueprint_file, plans, shown=blueprint_file)
    owner = cfg.require("renderOwnerId")
    for svc in blueprint.web_services():
        details: dict = {
            "plan": svc.plan,  # the provider's create enum lacks "free"; the API takes it
            "numInstances": svc.num_instances,
            "region": svc.region,
            "runtime": svc.runtime or "python",
            "envSpecificDetails": {"buildCommand": svc.build_command, "startCommand": svc.start_command},
        }
        if svc.scaling:
            details["autoscaling"] = {
                "enabled": True,
                "min": svc.scaling.min_instances,
                "max": svc.scaling.max_instances,
                "criteria": {
                    "cpu": {"enabled": svc.scaling.target_cpu_percent is not None,
                            "percentage": svc.scaling.target_cpu_percent or 60},
                    "memory": {"enabled": svc.scaling.target_memory_percent is not None,
                               "percentage": svc.scaling.target_memory_percent or 60},
                },
            }
        render.services.WebService(
            svc.name, name=svc.name, owner_id=owner, type="web_service",
            repo=svc.repo, branch=svc.branch, service_details=details,
        )

    sb = cfg.require_object("supabase")
    SupabaseProject(
        "bassline-db",
        organization_id=sb["organizationId"],
        name=sb.get("name", "bassline"),
        database_password=cfg.require_secret("supabaseDbPassword"),
        region=sb.get("region", "us-east-1"),
        instance_size=sb.get("computeSize"),
    )

    cf = cfg.get_object("cloudfront") or {}
    videos = aws.s3.Bucket("videos")
    oac = aws.cloudfront.OriginAccessControl(
        "videos-oac", origin_access_control_origin_type="s3", signing_behavior="always", signing_protocol="sigv4"
    )
    dist = aws.cloudfront.Distribution(
        "videos-cdn",
        enabled=True,
        price_class=cf.get("priceClass", "PriceClass_100"),
        tags={PRICING_TAG: cf.get("pricing", "always_free")},
        origins=[{
            "origin_id": "videos-s3",
            "domain_name": videos.bucket_regional_domain_name,
            "origin_access_control_id": oac.id,
        }],
        default_cache_behavior={
            "target_origin_id": "videos-s3",
            "viewer_protocol_policy": "redirect-to-https",
            "allowed_methods": ["GET", "HEAD"],
            "cached_methods": ["GET", "HEAD"],
            # AWS managed policy "CachingOptimized".
            "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
        restrictions={"geo_restriction": {"restriction_type": "none"}},
        viewer_certificate={"cloudfront_default_certificate": True},
    )
    pulumi.export("videosDomain", dist.domain_name)
