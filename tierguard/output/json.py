"""JSON: the report model as data (stack, verdict, load, findings, cost, catalog)."""

from __future__ import annotations

import json

from tierguard.findings import Report


def document(report: Report) -> dict:
    doc = report.model_dump(mode="json")
    doc["cost"] = {**doc["cost"], "monthly_usd": report.cost.monthly_usd, "usage_usd": report.cost.usage_usd}
    doc["exit_code"] = report.exit_code
    return doc


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2) + "\n"


def render_all(reports: list[Report]) -> str:
    return json.dumps([document(r) for r in reports], indent=2) + "\n"
