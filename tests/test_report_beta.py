"""The beta stack reproduces the stress-test report where its arithmetic holds."""

from __future__ import annotations

import pytest

from conftest import ROOT, finding

# id -> (demand, capacity, utilization, status) as the report computes them (report overlay).
REPORT_FIGURES = {
    "supabase.db_storage": (26.5, 500, 0.053, "pass"),  # report: ~27 MB / 500 MB = 5%
    "supabase.db_egress": (70.5, 2000, 0.0352, "pass"),  # report: ~71 MB / 2,000 MB = 3.5%
    "supabase.db_connections": (40, 10, 4.0, "fail"),  # report: 40 / 10
    "supabase.storage_size": (80, 1000, 0.08, "pass"),  # report: 80 MB / 1,000 MB = 8%
    "supabase.storage_egress": (1200, 2000, 0.6, "pass"),  # report: 60%, WARN (see README: threshold)
    "internet_archive.requests": (1000, 1000, 1.0, "warn"),  # report: 100%, WARN
    "internet_archive.egress": (8580, None, None, "pass"),  # report: 8,580 MB, no cap
    "cloudfront.egress": (18000, 50000, 0.36, "pass"),  # report: 18 GB / 50 GB = 36%
    "render.memory": (1000, 512, 1.9531, "fail"),  # report: 1,000 MB / 512 MB = 195%
    "openai.cost": (12.5, 100, 0.125, "pass"),  # report: 50 × $0.25 = $12.50
    "netlify.bandwidth": (2000, 100000, 0.02, "pass"),  # report: 2 GB / 100 GB = 2%
    "netlify.build_minutes": (20, 1000, 0.02, "pass"),  # report: 20 / 1,000 min = 2%
}


@pytest.mark.parametrize("id_", sorted(REPORT_FIGURES))
def test_beta_reproduces_report_figure(analysis, id_):
    demand, capacity, util, status = REPORT_FIGURES[id_]
    f = finding(analysis("beta").report, id_)
    assert f.demand == pytest.approx(demand)
    assert f.capacity == capacity
    assert (f.utilization is None and util is None) or f.utilization == pytest.approx(util, abs=1e-4)
    assert f.status.value == status


def test_beta_blocks_on_exactly_connections_and_memory(analysis):
    report = analysis("beta").report
    assert report.verdict.value == "block"
    assert report.exit_code == 1
    assert sorted(f.id for f in report.findings if f.status.value == "fail") == [
        "render.memory", "supabase.db_connections"]
    assert {f.severity.value for f in report.findings if f.status.value == "fail"} == {"critical"}


def test_report_connection_oversubscription_is_300_not_400_percent(analysis):
    # The report says "40 connections / 10 available = 400% oversubscribed" in one place and
    # "300% oversubscribed" in another: 40 is 400% OF 10, i.e. 300% OVER it.
    f = finding(analysis("beta").report, "supabase.db_connections")
    assert f.utilization == 4.0
    assert f.demand - f.capacity == 30  # "Deficit: 30 connections short"


def test_report_render_ram_is_195_percent_of_not_over(analysis):
    # "1,000 MB = 195% over 512 MB limit": it is 195% of the limit, 95% over it.
    f = finding(analysis("beta").report, "render.memory")
    assert round(f.utilization * 100) == 195
    assert round((f.demand - f.capacity) / f.capacity * 100) == 95


def test_report_music_formula_is_per_minute_not_per_track(analysis):
    # The report writes "100 users × 30 min × 2.86 MB/track × 10 tracks = 8,580 MB"; that product
    # is 85,800 MB. Its 8,580 MB is 100 × 30 min × 2.86 MB per MINUTE (10 tracks of 3 min).
    f = finding(analysis("beta").report, "internet_archive.egress")
    assert f.demand == pytest.approx(100 * 30 * 2.86)
    assert 100 * 30 * 2.86 * 10 == pytest.approx(85_800)


def test_openai_rate_is_throughput_not_simultaneous_users(analysis):
    # The report divides "50 requests" by 60/min; at the peak only 20 users are active and an AI
    # generation takes 40 s, so the rate is 20 × 60 / 40 = 30 requests per minute.
    f = finding(analysis("beta").report, "openai.requests_per_minute")
    assert f.demand == 30
    assert f.utilization == 0.5


def test_headroom_users_for_failing_tiers(analysis):
    report = analysis("beta").report
    # 10 active users × 50 MB = 500 MB fits in 512 MB; 11 do not. At 20% concurrency: 50 users.
    assert finding(report, "render.memory").headroom_users == 50
    # 5 active users × 2 = 10 connections; at 20%: 25 users.
    assert finding(report, "supabase.db_connections").headroom_users == 25


def test_cost_as_declared(analysis):
    cost = analysis("beta").report.cost
    assert cost.monthly_usd == 9.0  # Netlify Personal only
    assert cost.usage_usd == 12.5  # 50 AI generations × $0.25


def test_what_if_users_moves_the_break_point(analysis):
    # 25 users: 5 active × 2 = 10 of 10 connections: at the limit, a warning, not a failure.
    at = analysis("beta", 25).report
    assert [f.id for f in at.findings if f.status.value == "fail"] == []
    assert finding(at, "supabase.db_connections").status.value == "warn"
    # 26 users: ceil(5.2) = 6 active users need 12 connections; Render's 6 × 50 MB still fits.
    over = analysis("beta", 26).report
    assert [f.id for f in over.findings if f.status.value == "fail"] == ["supabase.db_connections"]


@pytest.mark.parametrize("stack", ["beta-recommended", "beta-budget"])
def test_recommended_and_budget_stacks_pass(analysis, stack):
    report = analysis(stack).report
    assert report.exit_code == 0
    assert [f.id for f in report.findings if f.status.value == "fail"] == []


def test_recommended_stack_costs(analysis):
    # Supabase Pro $25 (micro compute covered by the $10 credit) + Render Standard $25 + Netlify $9.
    # The report's $77.50 adds $6 CloudFront "post free tier" and $12.50 OpenAI (one-off).
    cost = analysis("beta-recommended").report.cost
    assert cost.monthly_usd == 59.0
    assert cost.usage_usd == 12.5


def test_budget_stack_has_no_ai_spend(analysis):
    report = analysis("beta-budget").report
    assert finding(report, "render.memory").demand == 0
    assert report.cost.usage_usd == 0
    assert report.cost.monthly_usd == 41.0  # Supabase Pro 25 + Render Starter 7 + Netlify 9


def test_documented_limits_change_the_connection_verdict(analysis):
    # Against Supabase's documented limits the REST path has no published pool size: the
    # report's "10 connections" is not a vendor figure, so the finding is not a silent pass.
    report = analysis("beta-documented").report
    assert report.catalog.overlay is None
    assert finding(report, "render.memory").status.value == "fail"
    assert finding(report, "cloudfront.egress").capacity == 1_000_000  # 1 TB always free


REQUIRED_IDS = {
    "supabase.db_storage", "supabase.db_egress", "supabase.db_connections", "supabase.storage_size",
    "supabase.storage_egress", "internet_archive.requests", "internet_archive.egress", "cloudfront.egress",
    "render.memory", "openai.requests_per_minute", "openai.cost", "netlify.bandwidth", "netlify.build_minutes",
}
FINDING_KEYS = {"id", "component", "metric", "tier", "demand", "capacity", "unit", "utilization", "status",
                "severity", "limit_kind", "source", "message"}


def test_json_report_contract(capsys):
    import json

    from tierguard.cli import main

    assert main(["report", "--stack", "beta", "--format", "json", "--root", str(ROOT)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"stack", "verdict", "load", "findings", "cost"} <= set(doc)
    assert (doc["stack"], doc["verdict"], doc["load"]["users"]) == ("beta", "block", 100)
    assert REQUIRED_IDS <= {f["id"] for f in doc["findings"]}
    for f in doc["findings"]:
        assert FINDING_KEYS <= set(f), f["id"]
        assert f["id"] == f"{f['component']}.{f['metric']}"
    mem = next(f for f in doc["findings"] if f["id"] == "render.memory")
    assert (mem["demand"], mem["capacity"], mem["unit"], mem["status"], mem["severity"], mem["limit_kind"]) == (
        1000, 512, "MB", "fail", "critical", "hard")
    assert doc["cost"]["monthly_usd"] == 9.0
