"""The policy pack, driven in its own process over the Analyzer protocol, and called directly."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from tierguard.declared import RENDER_WEB, SUPABASE_PROJECT
from tierguard.engine import UNKNOWN, run_pack, wire
from tierguard.offline import flat_config, run_program


def preview(root, stack, policy_config=None, extra_config=None, env=None):
    resources = run_program(root, "bassline", stack)
    flat, secrets = flat_config(root, stack)
    flat.update(extra_config or {})
    return run_pack(root / "policies", "bassline", stack, flat, secrets, resources, policy_config,
                    extra_env={"TIERGUARD_REPORT": "off", **(env or {})})


def mandatory(diags):
    return sorted((d.policy, d.message.splitlines()[1].split("]")[0] + "]") for d in diags if d.enforcement == "mandatory")


def test_beta_blocks_naming_connections_and_memory():
    diags = preview(ROOT, "beta")
    assert mandatory(diags) == [("render-memory", "[render.memory]"),
                                ("supabase-connections", "[supabase.db_connections]")]
    by_policy = {d.policy: d for d in diags if d.enforcement == "mandatory"}
    render = by_policy["render-memory"]
    assert render.severity == "critical"
    assert render.resource == f"{RENDER_WEB}: bassline-api"
    assert render.message.splitlines()[1:] == [
        "[render.memory] Render backend RAM on free: 1,000 MB needed (20 AI generations × 50 MB); 195.3% of 512 MB",
        "Fix: render plan free → standard (+$25/mo): 2,048 MB ≥ 1,000 MB needed",
    ]
    conns = by_policy["supabase-connections"]
    assert conns.resource == f"{SUPABASE_PROJECT}: bassline-db"
    assert conns.message.splitlines()[-1] == (
        "Fix: supabase plan free/nano → pro/micro (+$25/mo): 60 connections ≥ 40 connections needed")


def test_warnings_are_advisory_and_attributed():
    diags = preview(ROOT, "beta")
    warns = {d.message.splitlines()[1].split("]")[0][1:]: d for d in diags if d.policy == "capacity-warnings"}
    assert set(warns) == {"render.instance_hours", "internet_archive.requests"}
    assert {d.enforcement for d in warns.values()} == {"advisory"}
    assert warns["render.instance_hours"].resource == f"{RENDER_WEB}: bassline-api"  # from the URN


@pytest.mark.parametrize("stack", ["beta-recommended", "beta-budget"])
def test_recommended_and_budget_pass(stack):
    diags = preview(ROOT, stack)
    assert [d for d in diags if d.enforcement == "mandatory"] == []
    (summary,) = [d for d in diags if d.policy == "tierguard-summary"]
    assert "verdict WARN" in summary.message  # the Internet Archive rate limit is at 100%


def test_no_policy_is_skipped_for_unknown_values():
    # The distribution's origin domain is unknown at preview (it comes from the bucket); tier
    # properties are known, so no policy may be skipped with "can't run policy ... during preview".
    resources = run_program(ROOT, "bassline", "beta")
    (cdn,) = [r for r in resources if r.type.endswith("Distribution")]
    assert wire(cdn.props)["origins"][0]["domainName"] == UNKNOWN
    diags = preview(ROOT, "beta")
    assert not [d for d in diags if "during preview" in d.message]


def test_policy_config_overrides_thresholds_load_and_levels():
    # Lower the load for render-memory only: 40 users → 8 active × 50 MB = 400 MB fits in 512 MB.
    diags = preview(ROOT, "beta", {"render-memory": {"load": {"users": 40}}})
    assert mandatory(diags) == [("supabase-connections", "[supabase.db_connections]")]
    # Make supabase-connections advisory: nothing blocks any more for that policy.
    diags = preview(ROOT, "beta", {"supabase-connections": {"enforcementLevel": "advisory"}})
    assert [d.policy for d in diags if d.enforcement == "mandatory"] == ["render-memory"]
    # A stricter fail threshold on the passing stack: Render standard at 48.8% now fails.
    diags = preview(ROOT, "beta-recommended", {"render-memory": {"thresholds": {"warn": 0.3, "fail": 0.4}}})
    assert mandatory(diags) == [("render-memory", "[render.memory]")]


def test_policy_config_typo_is_rejected():
    from tierguard.errors import InputError

    with pytest.raises(InputError) as err:
        preview(ROOT, "beta", {"render-memory": {"treshold": {"warn": 0.5}}})
    assert err.value.line() == "policy config: render-memory.treshold: expected no such key (typo?)"
    with pytest.raises(InputError, match="render-memory.load.users: expected a value the policy accepts: -1 is less than"):
        preview(ROOT, "beta", {"render-memory": {"load": {"users": -1}}})
    with pytest.raises(InputError, match="expected a policy name, one of: render-memory"):
        preview(ROOT, "beta", {"render-mem": "advisory"})


def test_malformed_load_fails_closed():
    # The engine hands the pack whatever is in the stack config; a bad load must block, not pass.
    diags = preview(ROOT, "beta-recommended", extra_config={"tierguard:peakConcurrency": "1.5"})
    (blocked,) = [d for d in diags if d.enforcement == "mandatory"]
    assert blocked.policy == "tierguard-config"
    assert blocked.message.splitlines()[1] == (
        "tierguard cannot evaluate this stack: stack 'beta-recommended' config: tierguard:peakConcurrency: "
        "expected less than or equal to 1 (got '1.5')")


def test_unknown_tier_fails_closed():
    diags = preview(ROOT, "beta-recommended", extra_config={"tierguard:supabase": json.dumps({"plan": "platinum"})})
    (blocked,) = [d for d in diags if d.enforcement == "mandatory"]
    assert blocked.policy == "tierguard-config"
    assert "tierguard:supabase.plan: expected a supabase plan, one of: free, pro, team, enterprise (got 'platinum')" in blocked.message


def test_report_file_is_written_even_when_blocked(tmp_path):
    out = tmp_path / "report.json"
    preview(ROOT, "beta", env={"TIERGUARD_REPORT": str(out)})
    doc = json.loads(out.read_text())
    assert doc["verdict"] == "block"
    assert sorted(f["id"] for f in doc["findings"] if f["status"] == "fail") == ["render.memory", "supabase.db_connections"]


# --- the same policies, called directly -------------------------------------------------

class Args:
    """What pulumi_policy hands a resource policy (type, props, urn, name, config)."""

    def __init__(self, r, config=None):
        self.resource_type, self.props, self.urn, self.name = r.type, r.props, f"urn:{r.name}", r.name
        self._config = config or {}

    def get_config(self):
        return self._config


@pytest.fixture
def engine_env(monkeypatch):
    from tierguard.engine import engine_config

    def use(stack):
        flat, _ = flat_config(ROOT, stack)
        monkeypatch.setenv("PULUMI_STACK", stack)
        monkeypatch.setenv("PULUMI_CONFIG", json.dumps(engine_config(flat)))
        return {r.type: r for r in run_program(ROOT, "bassline", stack)}
    return use


def test_render_policy_called_directly(engine_env):
    from tierguard.policy import POLICIES

    res = engine_env("beta")
    (policy,) = [p for p in POLICIES if p.name == "render-memory"]
    got = []
    policy.validate(Args(res[RENDER_WEB]), lambda msg, urn=None: got.append(msg))
    assert got == ["[render.memory] Render backend RAM on free: 1,000 MB needed (20 AI generations × 50 MB); "
                   "195.3% of 512 MB\nFix: render plan free → standard (+$25/mo): 2,048 MB ≥ 1,000 MB needed"]
    got.clear()
    policy.validate(Args(res[SUPABASE_PROJECT]), lambda msg, urn=None: got.append(msg))
    assert got == []  # not a Render service


def test_severity_maps_to_enforcement():
    from pulumi_policy import EnforcementLevel, Severity

    from tierguard.policy import POLICIES

    levels = {p.name: (p.enforcement_level, p.severity) for p in POLICIES}
    for name in ("render-memory", "supabase-connections", "supabase-quotas", "cloudfront-egress",
                 "netlify-capacity", "openai-capacity", "internet-archive-capacity", "tierguard-config"):
        assert levels[name] == (EnforcementLevel.MANDATORY, Severity.CRITICAL), name
    assert levels["capacity-warnings"][0] is EnforcementLevel.ADVISORY
    assert levels["tierguard-summary"][0] is EnforcementLevel.ADVISORY


def test_check_command_exit_codes(repo_copy):
    def check(stack):
        return subprocess.run([sys.executable, "-m", "tierguard", "check", "--stack", stack, "--root", str(repo_copy)],
                              capture_output=True, text=True, timeout=120)
    blocked = check("beta")
    assert blocked.returncode == 1
    assert "- [mandatory] [severity: critical]  render-memory  (render:services:WebService: bassline-api)" in blocked.stdout
    assert check("beta-recommended").returncode == 0
    (repo_copy / "stacks/Pulumi.beta.yaml").write_text("config: [\n")
    bad = check("beta")
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "tierguard: error: stacks/Pulumi.beta.yaml: expected valid YAML (parse error at line 2)\n"


def test_summary_names_the_recommended_tier_set():
    diags = preview(ROOT, "beta")
    (summary,) = [d for d in diags if d.policy == "tierguard-summary"]
    assert summary.message.splitlines()[1:] == [
        "verdict BLOCK: 2 critical (render.memory, supabase.db_connections); declared cost $9.00/month + $12.50 usage",
        "Recommended (warn, `tierguard apply`): render bassline-api free ×1 → starter ×3 (+$21.00); "
        "supabase bassline-db free/nano → pro/micro (+$25.00); netlify personal → free (−$9.00): $9.00 → $46.00/month",
    ]
