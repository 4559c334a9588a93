"""What pull-request outputs add to a report: where each tier is declared, and the recommended change.

``annotate`` reads the project's files (the Blueprint and the stack file) once, so the
renderers stay pure: SARIF takes its locations from ``AnnotatedReport.locations`` and the
Markdown comment its diff from ``AnnotatedReport.upgrade``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterator

from tierguard.findings import Frozen, Report, Verdict
from tierguard.locate import Location, Locator, config_path, file_of, finding_path, where_key
from tierguard.recommend import Change

ALL_STACKS = "*"  # the stack name of a combined (--all-stacks) comment's marker


class Upgrade(Frozen):
    """The recommended tiers (``tierguard recommend``), as the comment shows them."""

    changes: tuple[Change, ...]  # only the components that change
    diff: str  # unified diff of the tier lines, paths relative to the project root ("" when no file was found)
    monthly_before: float
    monthly_after: float
    verdict: Verdict  # of the recommended tiers


class AnnotatedReport(Report):
    locations: dict[str, Location] = {}  # locate.where_key(finding) -> where its tier is declared
    upgrade: Upgrade | None = None
    policy_output: str | None = None  # the "Policies:" section of the preview, for `tierguard check`


def annotated(report: Report) -> AnnotatedReport:
    """Any report as an ``AnnotatedReport`` (a plain one has no locations and no upgrade)."""
    return report if isinstance(report, AnnotatedReport) else AnnotatedReport(**dict(report))


def marker(stack: str) -> str:
    """The hidden line that finds a stack's sticky comment again (``ALL_STACKS`` for the combined one)."""
    return f"<!-- tierguard:stack={stack} -->"


def _changed_fields(old, new) -> Iterator[tuple[str, str, str | None, Any, Any]]:
    """(component, field, resource, before, after) for every tier field that differs."""
    for o, n in zip(old.render, new.render):
        for field in ("plan", "instances", "max_instances"):
            a, b = getattr(o, field), getattr(n, field)
            if a != b and b is not None and not (field == "max_instances" and a is None):
                yield "render", field, o.name, a, b
    if old.supabase and new.supabase:
        for field in ("plan", "compute"):
            if getattr(old.supabase, field) != getattr(new.supabase, field):
                yield "supabase", field, None, getattr(old.supabase, field), getattr(new.supabase, field)
    if old.cloudfront and new.cloudfront and old.cloudfront.pricing != new.cloudfront.pricing:
        yield "cloudfront", "pricing", None, old.cloudfront.pricing, new.cloudfront.pricing
    for comp in ("netlify", "openai", "internet_archive"):
        if getattr(old, comp) and getattr(old, comp) != getattr(new, comp):
            yield comp, "plan", None, getattr(old, comp), getattr(new, comp)


def _edit(loc: Location, before: Any, after: Any) -> tuple[int, str | None, list[str]]:
    """(line, replacement or None, lines to insert after it) that set one value."""
    if loc.exact:
        head, tail = loc.text[:loc.column], loc.text[loc.column:]
        old = str(before)
        return loc.line, head + (tail.replace(old, str(after), 1) if old in tail else str(after)), []
    pad = " " * loc.child_indent
    new = [f"{pad}{'  ' * i}{k}:" for i, k in enumerate(loc.missing)]
    new[-1] += f" {after}"
    return loc.plan_line or loc.line, None, new


def _diff(locator: Locator, edits: list[tuple[Location, Any, Any]]) -> str:
    out = []
    for rel in dict.fromkeys(loc.file for loc, _, _ in edits):
        old = (locator.root / rel).read_text().splitlines()
        new: list[list[str]] = [[line] for line in old]  # each old line and what follows it
        for loc, before, after in (e for e in edits if e[0].file == rel):
            line, repl, add = _edit(loc, before, after)
            if repl is not None:
                new[line - 1][0] = repl
            new[line - 1] += add
        flat = [line for group in new for line in group]
        out += difflib.unified_diff(old, flat, f"a/{rel}", f"b/{rel}", n=0, lineterm="")
    return "\n".join(out) + ("\n" if out else "")


def annotate(report: Report, root: Path | None, config, declared, catalog, th) -> AnnotatedReport:
    """``report`` plus tier locations and the recommended change, read from the project under ``root``."""
    from tierguard.recommend import recommend
    from tierguard.stack import project_name, stack_file

    rec = recommend(declared, config.load, catalog, th, config.settings.recommend, stack=report.stack,
                    with_break_even=False).recommended
    locations: dict[str, Location] = {}
    diff = ""
    if root is not None:
        project = project_name(root)
        locator = Locator(root)
        stack_rel = stack_file(root, report.stack).relative_to(root).as_posix()

        def find(kind: str, path) -> Location | None:
            return locator.find(file_of(kind, config.values, project, stack_rel), path)

        for f in report.findings:
            loc = find(*finding_path(f, project))
            if loc is not None:
                locations[where_key(f)] = loc
        edits = []
        for comp, field, resource, before, after in _changed_fields(declared, rec.declared):
            loc = find(*config_path(comp, field, project, resource))
            if loc is not None:
                edits.append((loc, before, after))
        diff = _diff(locator, edits)
    upgrade = Upgrade(changes=rec.changed, diff=diff, monthly_before=report.cost.monthly_usd,
                      monthly_after=rec.cost.monthly_usd, verdict=rec.verdict) if rec.changed else None
    return AnnotatedReport(**{**dict(report), "locations": locations, "upgrade": upgrade})
