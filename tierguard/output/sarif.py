"""SARIF 2.1.0 for GitHub code scanning: one result per failing or warning finding.

The rule id is the finding id (``supabase.db_connections``), stable across runs. Each
result points at the line that declares the tier (``locate``), as a path relative to the
project root (``uriBaseId: %SRCROOT%``). Severity goes through one table, ``LEVELS``: only
a critical finding (a failed hard limit, which blocks the preview) is an error.
"""

from __future__ import annotations

import json
import re

from tierguard import __version__
from tierguard.annotate import AnnotatedReport, annotated
from tierguard.findings import Finding, Report, Severity, Status
from tierguard.locate import where_key

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"
HELP = "README.md#declaring-tiers-and-load"
# finding severity -> (result level, security-severity, problem.severity)
LEVELS = {
    Severity.critical: ("error", "9.0", "error"),
    Severity.high: ("warning", "7.0", "warning"),
    Severity.medium: ("warning", "5.0", "warning"),
    Severity.low: ("note", "3.0", "recommendation"),
    Severity.info: ("note", "1.0", "recommendation"),
}
RANK = list(Severity)  # most severe first
SHOWN = (Status.fail, Status.warn, Status.unknown)


def _rule(f: Finding, severity: Severity) -> dict:
    level, score, problem = LEVELS[severity]
    rule = {
        "id": f.id,
        "name": "".join(p.capitalize() for p in re.split(r"[._]", f.id)),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f"{f.title}: the declared {f.component} tier against the stack's load."},
        "help": {"text": f"Raise the tier on the reported line, or lower the load. See {HELP}.",
                 "markdown": f"Raise the tier on the reported line, or lower the load. See [{HELP}]({HELP})."},
        "defaultConfiguration": {"level": level},
        "properties": {"security-severity": score, "problem.severity": problem, "tags": ["capacity", f.component]},
    }
    if f.source and f.source.startswith(("https://", "http://")):
        rule["helpUri"] = f.source
    return rule


def _result(r: AnnotatedReport, f: Finding, index: int) -> dict:
    fix = f" Fix: {f.fix.text.rstrip('.')}." if f.fix else ""
    out = {
        "ruleId": f.id,
        "ruleIndex": index,
        "level": LEVELS[f.severity][0],
        "message": {"text": f"[{r.stack}] {f.message.rstrip('.')}.{fix}"},
        "partialFingerprints": {"tierguard/v1": f"{r.stack}:{where_key(f)}"},
        "properties": {"stack": r.stack, "status": f.status.value, "tier": f.tier, "utilization": f.utilization},
    }
    loc = r.locations.get(where_key(f))
    if loc is not None:
        region = {"startLine": loc.line}
        if loc.column is not None:
            region["startColumn"] = loc.column + 1
        out["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": loc.file, "uriBaseId": ROOT},
                                                  "region": region},
                             "message": {"text": f"declares {loc.key or loc.file}" if loc.exact else
                                         f"{'.'.join(loc.missing)} is not set here (default)"}}]
    return out


def document(reports: list[Report]) -> dict:
    reports = [annotated(r) for r in reports]
    shown = [(r, f) for r in reports for f in r.findings if f.status in SHOWN]
    worst: dict[str, Severity] = {}
    first: dict[str, Finding] = {}
    for _, f in shown:
        first.setdefault(f.id, f)
        if f.id not in worst or RANK.index(f.severity) < RANK.index(worst[f.id]):
            worst[f.id] = f.severity
    index = {id_: i for i, id_ in enumerate(first)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tierguard", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule(f, worst[id_]) for id_, f in first.items()]}},
            "originalUriBaseIds": {ROOT: {"description": {"text": "The Pulumi project root (where Pulumi.yaml is)."}}},
            "results": [_result(r, f, index[f.id]) for r, f in shown],
            "properties": {"stacks": {r.stack: r.verdict.value for r in reports}},
        }],
    }


def render(report: Report) -> str:
    return render_all([report])


def render_all(reports: list[Report]) -> str:
    return json.dumps(document(reports), indent=2, ensure_ascii=False) + "\n"
