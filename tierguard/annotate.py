"""What pull-request outputs add to a report: where each tier is declared, and the recommended change.

``annotate`` reads the project's files (the Blueprint and the stack file), so the renderers
stay pure: SARIF takes its locations from ``AnnotatedReport.locations`` and the Markdown
comment its diff (``tierguard apply``'s own edits) from ``AnnotatedReport.upgrade``.
"""

from __future__ import annotations

from pathlib import Path

from tierguard.findings import Frozen, Report, Verdict
from tierguard.edits import tier_edits
from tierguard.locate import Location, Locator, file_of, finding_path, where_key
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
        # The very edits `tierguard apply` would write, shown without context lines.
        diff = "".join(e.diff(context=0) for e in tier_edits(root, config, catalog, declared, rec.declared))
    upgrade = Upgrade(changes=rec.changed, diff=diff, monthly_before=report.cost.monthly_usd,
                      monthly_after=rec.cost.monthly_usd, verdict=rec.verdict) if rec.changed else None
    return AnnotatedReport(**{**dict(report), "locations": locations, "upgrade": upgrade})
