"""Markdown: verdict first, the failing and warning rows, then everything else folded."""

from __future__ import annotations

from tierguard.findings import Report, Status
from tierguard.output.common import STATUS_WORD, VERDICT_LINE, load_line, marker, qty, usd, use

ICON = {Status.fail: "❌", Status.warn: "⚠️", Status.unknown: "❔", Status.passed: "✅"}


def _rows(findings) -> list[str]:
    out = ["| Component / metric | Tier | Demand | Capacity | Use | Status | Max users |", "|---|---|---:|---:|---:|---|---:|"]
    for f in findings:
        out.append(f"| {f.title} | `{f.tier}` | {qty(f.demand, f.unit)} | {qty(f.capacity, f.unit)}{marker(f)} | {use(f)}"
                   f" | {ICON[f.status]} {STATUS_WORD[f.status]} | {'-' if f.headroom_users is None else f'{f.headroom_users:,}'} |")
    return out


def render(report: Report) -> str:
    out = [f"### tierguard · `{report.stack}` · {VERDICT_LINE[report.verdict]}", "", f"Load: {load_line(report)}.", ""]
    notable = report.failing()
    if notable:
        out += _rows(notable) + [""]
    for f in (f for f in notable if f.status is Status.fail):
        out.append(f"- **{f.id}**: {f.message}" + (f"  \n  Fix: {f.fix.text}" if f.fix else ""))
    out += ["", "| Cost item | | Monthly |", "|---|---|---:|"]
    out += [f"| {l.component} | {l.item} ({l.kind}) | {usd(l.usd)} |" for l in report.cost.lines]
    out.append(f"| **total** | | **{usd(report.cost.monthly_usd)}/month** + {usd(report.cost.usage_usd)} usage |")
    passing = [f for f in report.findings if f.status is Status.passed]
    if passing:
        out += ["", f"<details><summary>{len(passing)} passing checks</summary>", ""] + _rows(passing) + ["", "</details>"]
    if report.catalog.not_documented:
        out += ["", "_Not vendor-documented figures: " + ", ".join(report.catalog.not_documented) + "._"]
    return "\n".join(out) + "\n"
