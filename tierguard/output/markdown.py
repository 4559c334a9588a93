"""Markdown: the pull-request comment.

Verdict first, then the failing and warning metrics, the recommended fix as a diff of the
lines that declare the tiers, the cost before and after, and the passing rows folded. A hidden
marker (``annotate.marker``) lets ``tierguard comment`` find the comment again and edit it.

A comment stays under GitHub's 65,536-character limit for a stack of any size: each table
stops at a row budget with a "… N more" line, and a combined (``--all-stacks``) comment
leaves out the stack sections it cannot fit, naming them.
"""

from __future__ import annotations

from collections import Counter

from tierguard.annotate import ALL_STACKS, AnnotatedReport, annotated, marker
from tierguard.findings import Finding, Report, Status, Verdict, verdict_of
from tierguard.output.common import VERDICT_LINE, capacity, load_line, marker as basis_mark, qty, signed_usd, usd

LIMIT = 65_536  # GitHub's limit on a comment body, in characters
ROWS = 30  # failing and warning rows of one stack
PASSING = 60  # passing rows of one stack, folded
LINES = 60  # lines of the diff, of the policy output, and of the cost items
CELL = 80  # characters of one text cell
ICON = {Status.fail: "❌", Status.warn: "⚠️", Status.unknown: "❔", Status.passed: "✅"}
VERDICT_ICON = {Verdict.block: "❌", Verdict.warn: "⚠️", Verdict.passed: "✅"}


def bar(utilization: float | None, cells: int = 10) -> str:
    """``████████░░ 80%``: one cell per tenth, at most ``cells`` however far over the limit."""
    if utilization is None:
        return "-"
    full = min(cells, max(0, round(utilization * cells)))
    return "█" * full + "░" * (cells - full) + f" {utilization:.0%}"


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= CELL else text[:CELL - 1] + "…"


def _more(n: int, what: str) -> list[str]:
    return [f"… {n:,} more {what}"] if n > 0 else []


def _table(findings: list[Finding], limit: int, repeated: Counter) -> list[str]:
    out = ["| | Metric | Tier | Demand | Capacity | Utilization | Max users |",
           "|---|---|---|---:|---:|---|---:|"]
    for f in findings[:limit]:
        name = f"{f.title} · {f.resource}" if repeated[f.id] > 1 and f.resource else f.title
        out.append(f"| {ICON[f.status]} | {_cell(name)} | `{_cell(f.tier)}` | {qty(f.demand, f.unit)} "
                   f"| {capacity(f)}{basis_mark(f)} | {bar(f.utilization)} "
                   f"| {'-' if f.headroom_users is None else f'{f.headroom_users:,}'} |")
    return out + _more(len(findings) - limit, "metrics (the JSON report has them all)")


def _fenced(lang: str, text: str) -> list[str]:
    lines = text.rstrip("\n").splitlines()
    return [f"```{lang}", *lines[:LINES], "```", *_more(len(lines) - LINES, "lines")]


def _fix(r: AnnotatedReport) -> list[str]:
    up = r.upgrade
    if up is None:
        if r.verdict is Verdict.block:
            return ["No tier tierguard considers clears the failing limits: see `tierguard recommend`.", ""]
        return []
    title = "Recommended fix" if r.verdict is Verdict.block else "Cheaper tiers that carry the load"
    out = [f"**{title}** (verdict after: {up.verdict.value.upper()}): cost {usd(up.monthly_before)} → "
           f"**{usd(up.monthly_after)}/month**", ""]
    for c in up.changes[:LINES]:
        who = f"{c.component} {c.resource}" if c.resource else c.component
        out.append(f"- {_cell(who)}: `{c.from_}` → `{c.to}` ({signed_usd(c.monthly_delta_usd)}/month)")
    out += _more(len(up.changes) - LINES, "changes")
    if up.diff:
        out += ["", *_fenced("diff", up.diff)]
    return out + ["", f"Apply with `tierguard apply --stack {r.stack}`.", ""]


def _cost(r: Report) -> list[str]:
    lines = r.cost.lines
    out = ["<details><summary>Cost as declared: " + f"{usd(r.cost.monthly_usd)}/month + {usd(r.cost.usage_usd)} usage"
           + "</summary>", "", "| Cost item | | Monthly |", "|---|---|---:|"]
    out += [f"| {l.component} | {_cell(l.item)} ({l.kind}) | {usd(l.usd)} |" for l in lines[:LINES]]
    return out + _more(len(lines) - LINES, "cost items") + ["", "</details>", ""]


def section(report: Report, rows: int = ROWS, passing_rows: int = PASSING, level: str = "###") -> list[str]:
    """One stack's part of a comment."""
    r = annotated(report)
    out = [f"{level} {VERDICT_ICON[r.verdict]} tierguard · `{r.stack}` · {VERDICT_LINE[r.verdict]}", "",
           f"Load: {load_line(r)}.", ""]
    repeated = Counter(f.id for f in r.findings)
    notable = r.failing()
    if notable:
        out += _table(notable, rows, repeated) + [""]
    out += _fix(r)
    out += _cost(r)
    passing = [f for f in r.findings if f.status is Status.passed]
    if passing:
        out += [f"<details><summary>{len(passing):,} passing checks</summary>", ""]
        out += _table(passing, passing_rows, repeated) + ["", "</details>", ""]
    if r.policy_output:
        out += ["<details><summary>Policy output (as <code>pulumi preview</code> prints it)</summary>", ""]
        out += _fenced("", r.policy_output) + ["", "</details>", ""]
    odd = r.catalog.not_documented
    if odd:
        out += ["_Not vendor-documented figures: " + ", ".join(odd[:10]) + (f", … {len(odd) - 10:,} more" if len(odd) > 10 else "")
                + "._", ""]
    return out


def _fit(lines: list[str], stack: str) -> str:
    """The comment, cut at a line if a pathological input still makes it too long; the marker always last."""
    tail = ["", marker(stack), ""]
    budget = LIMIT - len("\n".join(tail)) - 200
    text = "\n".join(lines)
    if len(text) > budget:
        text = text[:text.rfind("\n", 0, budget)] + "\n\n… (cut to fit a GitHub comment; the JSON report has everything)"
    return text.rstrip("\n") + "\n" + "\n".join(tail)


def render(report: Report) -> str:
    return _fit(section(report), report.stack)


def render_all(reports: list[Report]) -> str:
    verdict = verdict_of([f for r in reports for f in r.findings])
    out = [f"### {VERDICT_ICON[verdict]} tierguard · {len(reports)} stacks · {VERDICT_LINE[verdict]}", "",
           "| Stack | Verdict | Failing | Monthly cost |", "|---|---|---|---:|"]
    for r in reports[:ROWS * 2]:
        fails = [f.id for f in r.findings if f.status is Status.fail]
        shown = ", ".join(dict.fromkeys(fails)) or "-"
        out.append(f"| `{r.stack}` | {VERDICT_ICON[r.verdict]} {r.verdict.value.upper()} | {_cell(shown)} "
                   f"| {usd(r.cost.monthly_usd)} |")
    out += _more(len(reports) - ROWS * 2, "stacks") + [""]
    rows, passing = max(3, ROWS // len(reports)), max(3, PASSING // len(reports))
    budget = LIMIT - 1_000
    size = len("\n".join(out))
    for i, r in enumerate(reports):
        part = section(r, rows, passing, "####")
        cost = len("\n".join(part)) + 1
        if size + cost > budget:
            left = [x.stack for x in reports[i:]]
            out += [f"… {len(left):,} more stacks not shown here: " + _cell(", ".join(left)) + " (the JSON report has them)"]
            break
        out += part
        size += cost
    return _fit(out, ALL_STACKS)
