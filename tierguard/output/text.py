"""Plain text: the stress-test report's results table, critical failures, cost and verdict."""

from __future__ import annotations

from tierguard.catalog import STALE_AFTER_DAYS
from tierguard.findings import Report, Status
from tierguard.output.common import STATUS_WORD, VERDICT_LINE, capacity, load_line, marker, qty, usd, use


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def render(report: Report) -> str:
    out = [f"tierguard report: stack {report.stack}"]
    overlay = f", assumptions overlay '{report.catalog.overlay}'" if report.catalog.overlay else ""
    out.append(f"catalog {report.catalog.version}{overlay}")
    out.append(f"load: {load_line(report)}")
    out.append("")
    rows = [["Component / metric", "Tier", "Demand", "Capacity", "Use", "Status", "Max users"]]
    for f in report.findings:
        rows.append([f.title, f.tier, qty(f.demand, f.unit), capacity(f) + marker(f), use(f),
                     STATUS_WORD[f.status], "-" if f.headroom_users is None else f"{f.headroom_users:,}"])
    out += _table(rows)
    bad = [f for f in report.findings if f.status is Status.fail]
    if bad:
        out += ["", "Critical failures:"]
        for i, f in enumerate(bad, 1):
            out.append(f"  {i}. {f.id}: {f.message}")
            if f.fix:
                out.append(f"     fix: {f.fix.text}")
            out.append(f"     source: {f.source} (as of {f.as_of})")
    warn = [f for f in report.findings if f.status in (Status.warn, Status.unknown)]
    if warn:
        out += ["", "Warnings:"]
        out += [f"  - {f.id}: {f.message}" for f in warn]
    out += ["", "Monthly cost (as declared):"]
    for line in report.cost.lines:
        note = f"  ({line.note})" if line.note else ""
        out.append(f"  {line.component:<17}{line.item:<44}{usd(line.usd):>10}  {line.kind}{note}")
    total = f"  total: {usd(report.cost.monthly_usd)}/month"
    if report.cost.usage_usd:
        total += f" + {usd(report.cost.usage_usd)} usage"
    out.append(total + (" (+ custom-priced items)" if report.cost.has_custom else ""))
    if report.catalog.not_documented:
        out += ["", "Not vendor-documented figures used: " + ", ".join(report.catalog.not_documented)]
    if report.catalog.stale:
        out.append(f"Stale figures (over {STALE_AFTER_DAYS} days old): " + ", ".join(report.catalog.stale))
    out += ["", f"Verdict: {VERDICT_LINE[report.verdict]}"]
    return "\n".join(out) + "\n"


def render_all(reports: list[Report]) -> str:
    return "\n".join(render(r) for r in reports)
