"""Bad input: one line naming the file and the key, exit 2, no traceback, no secret."""

from __future__ import annotations

import subprocess
import sys

import pytest


def tierguard(root, *args):
    return subprocess.run([sys.executable, "-m", "tierguard", *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=120)


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


CASES = {
    "malformed render.yaml": (
        lambda r: (r / "render.yaml").write_text("services:\n  - type: web\n    name: [unclosed\n"),
        "render.yaml: expected valid YAML (parse error at line 3)"),
    "render.yaml not a blueprint": (
        lambda r: (r / "render.yaml").write_text("- just\n- a list\n"),
        "render.yaml: expected a mapping with a 'services' list (got 'list')"),
    "unknown render plan": (
        lambda r: edit(r / "render.yaml", "plan: free", "plan: turbo"),
        "render.yaml: services[0].plan: expected a Render plan, one of: free, pro, pro_max, pro_plus, pro_ultra, "
        "standard, standard_plus, starter, starter_plus (got 'turbo')"),
    "negative users": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "tierguard:users: 100", "tierguard:users: -5"),
        "stacks/Pulumi.beta.yaml: tierguard:users: expected greater than 0 (got -5)"),
    "zero users": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "tierguard:users: 100", "tierguard:users: 0"),
        "stacks/Pulumi.beta.yaml: tierguard:users: expected greater than 0 (got 0)"),
    "concurrency above 1": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "tierguard:peakConcurrency: 0.2", "tierguard:peakConcurrency: 1.5"),
        "stacks/Pulumi.beta.yaml: tierguard:peakConcurrency: expected less than or equal to 1 (got 1.5)"),
    "typo in a load key": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "tierguard:aiShare: 0.5", "tierguard:aiShrae: 0.5"),
        "stacks/Pulumi.beta.yaml: tierguard:aiShrae: expected no such key (typo?)"),
    "unknown supabase plan": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "plan: free\n    connection", "plan: gold\n    connection"),
        "stacks/Pulumi.beta.yaml: tierguard:supabase.plan: expected a supabase plan, one of: free, pro, team, "
        "enterprise (got 'gold')"),
    "compute the plan does not allow": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "computeSize: nano", "computeSize: large"),
        "stacks/Pulumi.beta.yaml: tierguard:supabase.plan: expected a plan that allows compute 'large' "
        "(plan 'free' allows nano)"),
    "unknown connection path": (
        lambda r: edit(r / "stacks/Pulumi.beta.yaml", "connection: rest", "connection: carrier-pigeon"),
        "stacks/Pulumi.beta.yaml: tierguard:supabase.connection: expected 'rest', 'pooler_transaction', "
        "'pooler_session' or 'direct' (got 'carrier-pigeon')"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_exit_2(repo_copy, case):
    breaks, expected = CASES[case]
    before = sorted(p.name for p in repo_copy.rglob("*"))
    breaks(repo_copy)
    res = tierguard(repo_copy, "report", "--stack", "beta")
    assert res.returncode == 2
    assert res.stdout == ""
    assert res.stderr == f"tierguard: error: {expected}\n"
    assert sorted(p.name for p in repo_copy.rglob("*")) == before  # nothing half-written


def test_missing_stack(repo_copy):
    res = tierguard(repo_copy, "report", "--stack", "prod")
    assert res.returncode == 2
    assert res.stderr == ("tierguard: error: stacks/Pulumi.prod.yaml: expected an existing stack file "
                          "(stacks known: beta, beta-budget, beta-documented, beta-recommended)\n")


def test_missing_program_config_names_the_key(repo_copy):
    edit(repo_copy / "stacks/Pulumi.beta.yaml", "  bassline:renderOwnerId: tea-bassline\n", "")
    res = tierguard(repo_copy, "report", "--stack", "beta")
    assert res.returncode == 2
    assert res.stderr == "tierguard: error: stacks/Pulumi.beta.yaml: bassline:renderOwnerId: expected this key to be set\n"


def test_secret_never_printed(repo_copy):
    secret = "hunter2-do-not-print"
    edit(repo_copy / "stacks/Pulumi.beta.yaml", "  tierguard:users: 100",
         f"  bassline:supabaseDbPassword:\n    secure: {secret}\n  tierguard:users: 100")
    for fmt in ("text", "json", "markdown"):
        res = tierguard(repo_copy, "report", "--stack", "beta", "--format", fmt)
        assert res.returncode == 0
        assert secret not in res.stdout + res.stderr
    # A secret in a bad value is not echoed either.
    edit(repo_copy / "stacks/Pulumi.beta.yaml", "tierguard:users: 100", f"tierguard:users:\n    secure: {secret}")
    res = tierguard(repo_copy, "report", "--stack", "beta")
    assert res.returncode == 2
    assert secret not in res.stdout + res.stderr
    assert res.stderr.startswith("tierguard: error: stacks/Pulumi.beta.yaml: tierguard:users:")


def test_bad_users_flag():
    res = subprocess.run([sys.executable, "-m", "tierguard", "report", "--users", "-3"], capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.splitlines()[-1] == "tierguard report: error: argument --users: expected a positive number of users (got -3)"
