"""The pipeline every command shares: stack config -> program under mocks -> declared tiers -> report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tierguard.catalog import Catalog, load_catalog
from tierguard.declared import Declared, Resource, declared
from tierguard.evaluate import build_report
from tierguard.findings import Report
from tierguard.stack import StackConfig, project_name, read_stack


@dataclass(frozen=True)
class Analysis:
    root: Path
    config: StackConfig
    catalog: Catalog
    resources: list[Resource]
    declared: Declared
    report: Report


def load_overrides(users: int | None = None, growth: float | None = None, base: int | None = None) -> dict[str, Any]:
    """What-if overrides: ``--users N`` or ``--growth X`` (× the stack's users)."""
    if users is not None:
        return {"users": users}
    if growth is not None and base is not None:
        return {"users": max(1, round(base * growth))}
    return {}


def analyze(root: Path, stack: str, *, users: int | None = None, growth: float | None = None,
            today: dt.date | None = None, with_headroom: bool = True) -> Analysis:
    from tierguard.offline import run_program

    config = read_stack(root, stack)
    over = load_overrides(users, growth, config.load.users)
    if over:
        config = read_stack(root, stack, overrides=over)
    catalog = load_catalog(config.settings.assumptions)
    resources = run_program(root, project_name(root), stack)
    d = declared(resources, config, catalog)
    report = build_report(stack, d, config.load, catalog, config.settings.thresholds,
                          today or dt.date.today(), with_headroom=with_headroom)
    return Analysis(root, config, catalog, resources, d, report)
