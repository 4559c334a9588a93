"""Renderers for ``tierguard recommend``: ``render(rec, fmt)`` as text, markdown or JSON.

Text and markdown read like the stress-test report's "Recommended Setup",
"Budget-Conscious Alternative" and "Launch Decision Matrix".
"""

from __future__ import annotations

import json

from tierguard.findings import Cost, Verdict
from tierguard.load import Load
from tierguard.output.common import usd
from tierguard.recommend import Change, Option, Recommendation

VERDICT = {Verdict.block: "BLOCK", Verdict.warn: "WARN", Verdict.passed: "PASS"}
VERDICT_WORDS = {
    Verdict.block: "a hard limit fails: do not launch",
    Verdict.warn: "nothing fails; some limits are close, unknown or billed",
    Verdict.passed: "every limit has headroom",
}


def _camel(updates: dict) -> dict:
    return {(Load.model_fields[k].alias or k): v for k, v in updates.items()}


def _delta(x: float) -> str:
    return ("+" if x >= 0 else "−") + usd(abs(x))


def _total(c: Cost) -> str:
    out = f"{usd(c.monthly_usd)}/month"
    if c.usage_usd:
        out += f" + {usd(c.usage_usd)} usage"
    return out + (" (+ custom-priced items)" if c.has_custom else "")


def _who(ch: Change) -> str:
    return f"{ch.component} {ch.resource}" if ch.resource else ch.component


# --- JSON ---------------------------------------------------------------------------

def _cost_doc(c: Cost) -> dict:
    return {"lines": [l.model_dump(mode="json") for l in c.lines], "monthly_usd": c.monthly_usd, "usage_usd": c.usage_usd}


def _changes_doc(o: Option) -> list[dict]:
    return [{**ch.model_dump(mode="json", by_alias=True), "changed": ch.changed} for ch in o.changes]


def document(rec: Recommendation) -> dict:
    return {
        "stack": rec.stack,
        "users": rec.users,
        "overlay": rec.overlay,
        "search": {"max_instances": rec.max_instances, "include_undocumented": rec.include_undocumented,
                   "excluded": list(rec.excluded), "undocumented_fixes": list(rec.undocumented_fixes)},
        "verdict": {"current": rec.current.verdict.value, "recommended": rec.recommended.verdict.value},
        "recommended": _changes_doc(rec.recommended),
        "alternatives": [
            {"name": o.name, "description": o.title, "in_effect": o.in_effect, "load_updates": _camel(o.load_updates), "tiers": _changes_doc(o),
             "verdict": o.verdict.value, "failing": list(o.failing), "monthly_usd": o.cost.monthly_usd,
             "usage_usd": o.cost.usage_usd}
            for o in rec.alternatives
        ],
        "cost": {"current": _cost_doc(rec.current.cost), "recommended": _cost_doc(rec.recommended.cost),
                 "alternatives": {o.name: _cost_doc(o.cost) for o in rec.alternatives}},
        "break_even": [b.model_dump(mode="json") for b in rec.break_even],
        "decision_matrix": [r.model_dump(mode="json") for r in rec.decision_matrix],
    }


# --- text ---------------------------------------------------------------------------

def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def _option_text(o: Option, current: Option) -> list[str]:
    out = []
    for ch in o.changed:
        out.append(f"  {_who(ch)}: {ch.from_} → {ch.to}  ({_delta(ch.monthly_delta_usd)}/month)")
        out += [f"      {w}" for w in ch.why]
    kept = [f"{_who(ch)} {ch.to}" for ch in o.changes if not ch.changed]
    if kept:
        out.append("  keep: " + ", ".join(kept))
    if o.load_updates:
        out.append("  load: " + ", ".join(f"tierguard:{k}: {json.dumps(v)}" for k, v in _camel(o.load_updates).items()))
    if o.warnings:
        out.append("  still not clear of the warn threshold (no considered tier clears it): " + ", ".join(o.warnings))
    out += ["", "  Monthly cost:"]
    for line in o.cost.lines:
        note = f"  ({line.note})" if line.note else ""
        out.append(f"    {line.component:<17}{line.item:<44}{usd(line.usd):>10}  {line.kind}{note}")
    out.append(f"    total: {_total(o.cost)}  (as declared: {_total(current.cost)})")
    return out


def _matrix_rows(rec: Recommendation) -> list[list[str]]:
    rows = [["Scenario", "Verdict", "Failing", "Monthly", "Usage"]]
    for r in rec.decision_matrix:
        rows.append([r.scenario, VERDICT[r.verdict], ", ".join(r.failing) or "-", usd(r.monthly_usd), usd(r.usage_usd)])
    return rows


def _break_even_rows(rec: Recommendation, option: str) -> list[list[str]]:
    rows = [["Component", "Tier", "Max users", "Limited by", "Beyond that"]]
    for b in rec.break_even:
        if b.option != option:
            continue
        if b.max_users is None:
            beyond = "-"
        elif b.next_tier:
            beyond = f"{b.next_tier} ({usd(b.next_monthly_usd)}/month)" if b.next_monthly_usd is not None else b.next_tier
        else:
            beyond = "no considered tier carries more"
        rows.append([b.component, b.tier, "no user-bound limit" if b.max_users is None else f"{b.max_users:,}",
                     b.limited_by or "-", beyond])
    return rows


def _search_line(rec: Recommendation) -> str:
    line = f"search: every tier combination, Render 1..{rec.max_instances} instances per service"
    if rec.excluded:
        line += ("; left out as not documented (set tierguard:recommend.includeUndocumented to include): "
                 + ", ".join(rec.excluded))
    return line


def text(rec: Recommendation) -> str:
    cur, r = rec.current, rec.recommended
    overlay = f", assumptions overlay '{rec.overlay}'" if rec.overlay else ""
    out = [f"tierguard recommend: stack {rec.stack}{overlay}, {rec.users:,} users", _search_line(rec), ""]
    out.append(f"As declared: {VERDICT[cur.verdict]} ({VERDICT_WORDS[cur.verdict]}); "
               f"failing: {', '.join(cur.failing) or 'nothing'}; {_total(cur.cost)}")
    out += ["", f"Recommended setup: {VERDICT[r.verdict]} ({VERDICT_WORDS[r.verdict]})"]
    if rec.undocumented_fixes:
        out.append("  only tiers left out as not documented clear the rest (set tierguard:recommend.includeUndocumented: true"
                   " to consider them): " + "; ".join(rec.undocumented_fixes))
    out += _option_text(r, cur) if r.changed else ["  nothing to change: the declared tiers are already the cheapest that carry the load"]
    for o in rec.alternatives:
        if o.in_effect:
            out += ["", f"Alternative '{o.name}': {o.title}: already in effect"]
            continue
        out += ["", f"Alternative '{o.name}': {o.title}: {VERDICT[o.verdict]}"]
        out += _option_text(o, cur)
    out += ["", "Launch decision matrix:"] + _table(_matrix_rows(rec))
    out += ["", "Break-even, declared tiers (the most users each carries before a hard limit fails):"]
    out += _table(_break_even_rows(rec, "current"))
    out += ["", "Break-even, recommended tiers:"] + _table(_break_even_rows(rec, "recommended"))
    names = ["recommended", *(o.name for o in rec.alternatives if not o.in_effect)]
    out += ["", f"Apply with: tierguard apply --stack {rec.stack} --option {'|'.join(names)} (add --dry-run to see the diff first)"]
    return "\n".join(out) + "\n"


# --- markdown ------------------------------------------------------------------------

def _md_table(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    out = ["| " + " | ".join(rows[0]) + " |",
           "|" + "|".join("---:" if i in right else "---" for i in range(len(rows[0]))) + "|"]
    return out + ["| " + " | ".join(r) + " |" for r in rows[1:]]


def _option_md(o: Option) -> list[str]:
    rows = [["Component", "From", "To", "Monthly Δ", "Why"]]
    for ch in o.changes:
        rows.append([_who(ch), f"`{ch.from_}`", f"**`{ch.to}`**" if ch.changed else f"`{ch.to}`",
                     _delta(ch.monthly_delta_usd) if ch.changed else "-", "<br>".join(ch.why) or "-"])
    out = _md_table(rows, (3,))
    if o.load_updates:
        out += ["", "Load: " + ", ".join(f"`tierguard:{k}: {json.dumps(v)}`" for k, v in _camel(o.load_updates).items())]
    out += ["", "| Cost item | | Monthly |", "|---|---|---:|"]
    out += [f"| {l.component} | {l.item} ({l.kind}) | {usd(l.usd)} |" for l in o.cost.lines]
    out.append(f"| **total** | | **{_total(o.cost)}** |")
    return out


def markdown(rec: Recommendation) -> str:
    cur, r = rec.current, rec.recommended
    overlay = f" · overlay `{rec.overlay}`" if rec.overlay else ""
    out = [f"### tierguard recommend · `{rec.stack}` · {rec.users:,} users{overlay}", "",
           f"As declared: **{VERDICT[cur.verdict]}** ({VERDICT_WORDS[cur.verdict]}), {_total(cur.cost)}.", "",
           f"#### Recommended setup: {VERDICT[r.verdict]}", ""]
    if rec.undocumented_fixes:
        out += ["_Only tiers left out as not documented clear the rest "
                "(`tierguard:recommend: {includeUndocumented: true}`): " + "; ".join(rec.undocumented_fixes) + "._", ""]
    out += _option_md(r)
    for o in rec.alternatives:
        if o.in_effect:
            out += ["", f"#### Alternative `{o.name}`: already in effect", "", o.title]
            continue
        out += ["", f"#### Alternative `{o.name}`: {VERDICT[o.verdict]}", "", o.title, ""] + _option_md(o)
    out += ["", "#### Launch decision matrix", ""] + _md_table(_matrix_rows(rec), (3, 4))
    out += ["", "#### Break-even", "", "Declared tiers:", ""] + _md_table(_break_even_rows(rec, "current"))
    out += ["", "Recommended tiers:", ""] + _md_table(_break_even_rows(rec, "recommended"))
    out += ["", "_" + _search_line(rec) + "._"]
    return "\n".join(out) + "\n"


def render(rec: Recommendation, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(document(rec), indent=2) + "\n"
    return {"text": text, "markdown": markdown}[fmt](rec)
