"""``tierguard apply``: round-trip edits of render.yaml and the stack file, atomic and idempotent."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tierguard import files
from tierguard.analyze import analyze
from tierguard.cli import main
from tierguard.findings import Verdict

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".hypothesis", "e2e", "bench", "tests",
                                "docs", "tierguard", "tierguard-report.*", "*.egg-info")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=IGNORE)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_apply_recommended_keeps_comments_and_unblocks(repo, capsys):
    assert main(["apply", "--stack", "beta", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "render.yaml: services[0].plan: free → starter; services[0].numInstances: 1 → 3" in out
    blueprint = (repo / "render.yaml").read_text()
    stack = (repo / "stacks/Pulumi.beta.yaml").read_text()
    # Comments survive, including the end-of-line comment on the edited key.
    assert blueprint.startswith("# Render Blueprint for the Bassline backend.\n")
    assert '    plan: starter # report: "Confirmed from render.yaml: plan: free"\n    numInstances: 3\n' in blueprint
    assert "# 100 beta users, 20% active at the peak, half the generations in AI mode.\n" in stack
    assert "    pricing: legacy_free_tier # the report's \"Free tier (12 months): 50 GB/month\"\n" in stack
    assert "    plan: pro\n" in stack and "    computeSize: micro\n" in stack and "    netlify: free\n" in stack
    # Only the changed lines differ (minimal diff).
    before = (REPO / "render.yaml").read_text().splitlines()
    after = blueprint.splitlines()
    assert [l for l in after if l not in before] == ['    plan: starter # report: "Confirmed from render.yaml: plan: free"', "    numInstances: 3"]
    a = analyze(repo, "beta", with_headroom=False)
    assert a.report.verdict is not Verdict.block
    assert a.report.verdict is Verdict.warn  # Internet Archive at 100% of its estimated limit


def test_apply_is_idempotent(repo, capsys):
    assert main(["apply", "--stack", "beta", "--root", str(repo)]) == 0
    first = _snapshot(repo)
    capsys.readouterr()
    assert main(["apply", "--stack", "beta", "--root", str(repo)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert _snapshot(repo) == first
    assert main(["apply", "--stack", "beta", "--root", str(repo), "--dry-run"]) == 0
    assert "nothing to change" in capsys.readouterr().out


def test_dry_run_prints_a_diff_and_writes_nothing(repo, capsys):
    before = _snapshot(repo)
    assert main(["apply", "--stack", "beta", "--root", str(repo), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert _snapshot(repo) == before
    assert "--- a/render.yaml" in out and "+++ b/stacks/Pulumi.beta.yaml" in out
    assert '-    plan: free # report: "Confirmed from render.yaml: plan: free"' in out
    assert '+    plan: starter # report: "Confirmed from render.yaml: plan: free"' in out
    assert "+    numInstances: 3" in out
    assert "-    plan: free" in out and "+    plan: pro" in out  # tierguard:supabase.plan
    assert "-    computeSize: nano" in out and "+    computeSize: micro" in out


def test_alternative_writes_the_load_switch_and_drops_num_instances(repo, capsys):
    assert main(["apply", "--stack", "beta", "--root", str(repo)]) == 0  # starter ×3 first
    assert main(["apply", "--stack", "beta", "--root", str(repo), "--option", "ai-off"]) == 0
    stack = (repo / "stacks/Pulumi.beta.yaml").read_text()
    blueprint = (repo / "render.yaml").read_text()
    assert "  tierguard:aiMode: false\n" in stack
    assert "numInstances" not in blueprint  # back to one instance: Render's default, so the key goes
    assert '    plan: starter # report: "Confirmed from render.yaml: plan: free"\n' in blueprint
    a = analyze(repo, "beta", with_headroom=False)
    assert not a.config.load.ai_mode and a.report.verdict is not Verdict.block
    capsys.readouterr()
    snap = _snapshot(repo)
    assert main(["apply", "--stack", "beta", "--root", str(repo), "--option", "ai-off"]) == 0
    assert "nothing to change" in capsys.readouterr().out and _snapshot(repo) == snap


def test_stack_with_its_own_blueprint(repo):
    # beta-budget names stacks/render.beta-budget.yaml; its recommendation keeps Render Starter.
    assert main(["apply", "--stack", "beta-budget", "--root", str(repo)]) == 0
    assert (repo / "render.yaml").read_bytes() == (REPO / "render.yaml").read_bytes()
    assert analyze(repo, "beta-budget", with_headroom=False).report.verdict is not Verdict.block


def test_failed_second_write_leaves_both_files_unchanged(repo, monkeypatch, capsys):
    before = _snapshot(repo)
    real = os.replace
    stack = repo / "stacks/Pulumi.beta.yaml"

    def flaky(src, dst, *a, **k):
        if Path(dst) == stack:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(files.os, "replace", flaky)
    assert main(["apply", "--stack", "beta", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert _snapshot(repo) == before  # render.yaml put back, no temp files left behind


def test_unknown_option_is_one_line_input_error(repo, capsys):
    before = _snapshot(repo)
    assert main(["apply", "--stack", "beta", "--root", str(repo), "--option", "cheap"]) == 2
    err = capsys.readouterr().err
    assert err == "tierguard: error: --option: expected one of: recommended, ai-off (got 'cheap')\n"
    assert _snapshot(repo) == before


def test_check_blocks_before_and_passes_after_apply(tmp_path, monkeypatch, capsys):
    # `check` runs the policy pack from <root>/policies, which imports tierguard from <root>: copy it too.
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", ".pytest_cache", ".hypothesis", "e2e", "bench", "tests", "docs", "tierguard-report.*"))
    monkeypatch.setenv("TIERGUARD_REPORT", "off")
    assert main(["check", "--stack", "beta", "--root", str(root)]) == 1
    assert main(["apply", "--stack", "beta", "--root", str(root)]) == 0
    assert main(["check", "--stack", "beta", "--root", str(root)]) == 0
    capsys.readouterr()
