"""End to end: the real Pulumi CLI, the real Python language host, our program and our pack, offline.

Runs when a ``pulumi`` CLI and ``pulumi-language-python`` are on PATH (or in .cache/pulumi-cli/bin,
where e2e/build-cli.sh puts what it can build). Otherwise every test here is skipped with the reason.
Provider plugins are the test stand-ins in e2e/providers (the real ones are downloads).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

CACHE_BIN = ROOT / ".cache" / "pulumi-cli" / "bin"
SEARCH = os.pathsep.join([str(CACHE_BIN), os.environ.get("PATH", "")])
PULUMI = shutil.which("pulumi", path=SEARCH)
LANGUAGE_HOST = shutil.which("pulumi-language-python", path=SEARCH)
WHY = ("the Python language host (pulumi-language-python) cannot be had here: the Go module proxy refuses "
       "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3 (403 'This module version is not "
       "available'), and without it the CLI runs neither Python programs nor Python policy packs; see e2e/README.md")
if PULUMI is None and LANGUAGE_HOST is None:
    WHY = "no pulumi CLI on PATH and " + WHY
if PULUMI is None or LANGUAGE_HOST is None:
    pytest.skip(WHY, allow_module_level=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A temp copy of the project, a file backend, and the stand-in providers on PATH."""
    tmp = tmp_path_factory.mktemp("e2e")
    proj = tmp / "proj"
    shutil.copytree(ROOT, proj, ignore=shutil.ignore_patterns(".git", ".cache", "__pycache__", "tierguard-report.*"))
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{tmp / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_HOME": str(tmp / "home"),
        "PULUMI_DEBUG_COMMANDS": "true",  # --event-log is a debug flag in current CLIs
        "PATH": os.pathsep.join([str(Path(PULUMI).parent), str(ROOT / "e2e" / "providers"),
                                 str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    (tmp / "state").mkdir()
    return proj, env, tmp


def pulumi(workspace, *args, check=True):
    proj, env, _ = workspace
    res = subprocess.run([PULUMI, *args, "--non-interactive"], cwd=proj, env=env, capture_output=True,
                         text=True, timeout=600)
    if check and res.returncode != 0:
        raise AssertionError(f"pulumi {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    return res


def preview(workspace, stack: str):
    proj, env, tmp = workspace
    if pulumi(workspace, "stack", "select", stack, check=False).returncode != 0:
        pulumi(workspace, "stack", "init", stack)
        pulumi(workspace, "config", "set", "--secret", "bassline:supabaseDbPassword", "e2e-secret-do-not-print",
               "--stack", stack)
    log = tmp / f"events-{stack}.json"
    res = pulumi(workspace, "preview", "--stack", stack, "--policy-pack", "policies", "--color", "never",
                 "--event-log", str(log), check=False)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    policy = [e["policyEvent"] for e in events if "policyEvent" in e]
    return res, policy


def mandatory_ids(policy_events):
    return sorted(e["message"].splitlines()[1].split("]")[0][1:] for e in policy_events
                  if e["enforcementLevel"] == "mandatory")


def test_beta_blocks_with_critical_connections_and_memory(workspace):
    res, events = preview(workspace, "beta")
    assert res.returncode != 0
    assert mandatory_ids(events) == ["render.memory", "supabase.db_connections"]
    assert {e["severity"] for e in events if e["enforcementLevel"] == "mandatory"} == {"critical"}
    assert "Fix: render plan free → standard (+$25/mo)" in res.stdout
    assert "e2e-secret-do-not-print" not in res.stdout + res.stderr


@pytest.mark.parametrize("stack", ["beta-recommended", "beta-budget"])
def test_recommended_and_budget_pass(workspace, stack):
    res, events = preview(workspace, stack)
    assert res.returncode == 0, res.stdout + res.stderr
    assert mandatory_ids(events) == []


def test_the_pack_reads_the_load_from_stack_config(workspace):
    proj, _, _ = workspace
    stack_file = proj / "stacks" / "Pulumi.beta-recommended.yaml"
    original = stack_file.read_text()
    try:
        stack_file.write_text(original.replace("tierguard:users: 100", "tierguard:users: 5000"))
        res, events = preview(workspace, "beta-recommended")
        assert res.returncode != 0
        assert "render.memory" in mandatory_ids(events)
    finally:
        stack_file.write_text(original)


@pytest.mark.parametrize("stack", ["beta", "beta-recommended", "beta-budget"])
def test_findings_match_tierguard_check(workspace, stack):
    from tierguard.commands.check import run_check

    proj, _, _ = workspace
    _, events = preview(workspace, stack)
    diags, _ = run_check(proj, stack)
    engine = sorted((e["policyName"], e["enforcementLevel"], e["message"]) for e in events)
    ours = sorted((d.policy, d.enforcement, d.message) for d in diags)
    assert engine == ours


def test_report_file_written_when_blocked(workspace):
    proj, env, tmp = workspace
    env["TIERGUARD_REPORT"] = str(tmp / "blocked-report.json")
    try:
        res, _ = preview(workspace, "beta")
    finally:
        del env["TIERGUARD_REPORT"]
    assert res.returncode != 0
    assert json.loads((tmp / "blocked-report.json").read_text())["verdict"] == "block"
