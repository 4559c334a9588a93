"""The Pulumi program's declared resources, under Pulumi's mocks."""

from __future__ import annotations

from tierguard.declared import CLOUDFRONT, PRICING_TAG, RENDER_WEB, SUPABASE_PROJECT
from tierguard.offline import PLACEHOLDER_SECRET


def by_type(resources, type_):
    return [r for r in resources if r.type == type_]


def test_beta_declares_render_supabase_and_cloudfront(analysis):
    res = analysis("beta").resources
    assert sorted(r.type for r in res) == sorted([
        RENDER_WEB, SUPABASE_PROJECT, CLOUDFRONT, "aws:s3/bucket:Bucket",
        "aws:cloudfront/originAccessControl:OriginAccessControl"])
    (web,) = by_type(res, RENDER_WEB)
    assert web.name == "bassline-api"
    assert web.props["serviceDetails"]["plan"] == "free"  # from render.yaml, the single source
    assert web.props["serviceDetails"]["numInstances"] == 1
    (db,) = by_type(res, SUPABASE_PROJECT)
    assert db.props["instanceSize"] == "nano"
    (cdn,) = by_type(res, CLOUDFRONT)
    assert cdn.props["priceClass"] == "PriceClass_100"
    assert cdn.props["tags"] == {PRICING_TAG: "legacy_free_tier"}


def test_each_stack_reads_its_own_blueprint(analysis):
    plans = {s: by_type(analysis(s).resources, RENDER_WEB)[0].props["serviceDetails"]["plan"]
             for s in ("beta", "beta-recommended", "beta-budget")}
    assert plans == {"beta": "free", "beta-recommended": "standard", "beta-budget": "starter"}


def test_database_password_is_a_secret_placeholder_offline(analysis):
    (db,) = by_type(analysis("beta").resources, SUPABASE_PROJECT)
    pw = db.props["databasePassword"]
    assert pw["value"] == PLACEHOLDER_SECRET  # wrapped as a Pulumi secret, never decrypted offline
    assert "4dabf18193072939515e22adb298388d" in pw


def test_blueprint_scale_reaches_the_resource(repo_copy):
    from tierguard.offline import run_program

    bp = repo_copy / "render.yaml"
    bp.write_text(bp.read_text().replace('plan: free # report: "Confirmed from render.yaml: plan: free"',
                                         "plan: starter\n    numInstances: 2\n"
                                         "    scaling:\n      minInstances: 2\n      maxInstances: 4\n"
                                         "      targetMemoryPercent: 70"))
    (web,) = by_type(run_program(repo_copy, "bassline", "beta"), RENDER_WEB)
    d = web.props["serviceDetails"]
    assert (d["plan"], d["numInstances"]) == ("starter", 2)
    assert (d["autoscaling"]["min"], d["autoscaling"]["max"]) == (2, 4)
    assert d["autoscaling"]["criteria"]["memory"] == {"enabled": True, "percentage": 70}
