"""Shared fixtures: the repo, a scratch copy of it, and evaluated stacks."""

from __future__ import annotations

import datetime as dt
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 4)  # staleness is judged against a pinned date, never the clock


@lru_cache(maxsize=None)
def _analysis(stack: str, users: int | None = None):
    from tierguard.analyze import analyze

    return analyze(ROOT, stack, users=users, today=TODAY)


@pytest.fixture
def analysis():
    return _analysis


def finding(report, id_):
    (f,) = [f for f in report.findings if f.id == id_]
    return f


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """A scratch copy of the Pulumi project, to edit without touching the checkout."""
    dst = tmp_path / "repo"
    keep = ("Pulumi.yaml", "__main__.py", "render.yaml", "stacks", "policies")
    dst.mkdir()
    for name in keep:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst / name)
    return dst
