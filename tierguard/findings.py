"""Findings, cost lines and the report: frozen data shared by every output."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict

from tierguard.catalog import Basis, Kind


class Status(str, Enum):
    passed = "pass"
    warn = "warn"
    fail = "fail"
    unknown = "unknown"  # the catalog has no number for this tier: never a silent pass


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class Verdict(str, Enum):
    passed = "pass"
    warn = "warn"
    block = "block"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fix(Frozen):
    """The cheapest single tier change that makes one finding pass."""

    component: str
    resource: str | None
    field: str  # e.g. "plan", "compute", "instances"
    before: str
    after: str
    monthly_delta_usd: float
    capacity: float
    text: str


class Finding(Frozen):
    id: str  # component.metric
    component: str
    metric: str
    title: str
    resource: str | None
    tier: str
    demand: float
    capacity: float | None
    unit: str
    utilization: float | None  # ratio, 1.0 = at the limit
    status: Status
    severity: Severity
    limit_kind: Kind
    source: str | None
    as_of: dt.date | None
    basis: Basis | None
    formula: str  # how the demand was computed, in the load's own terms
    message: str
    overage_usd: float = 0.0  # billed beyond the quota, per month
    headroom_users: int | None = None  # the most users this tier carries before it fails
    fix: Fix | None = None


class CostLine(Frozen):
    component: str
    item: str
    usd: float | None  # None: custom pricing
    kind: str  # "plan" (monthly), "overage" (monthly, billed usage), "usage" (OpenAI generations, per the load)
    note: str | None = None


class Cost(Frozen):
    lines: tuple[CostLine, ...]

    def total(self, kind: str | None = None) -> float:
        return round(sum(l.usd or 0.0 for l in self.lines if kind is None or l.kind == kind), 2)

    @property
    def monthly_usd(self) -> float:
        return round(self.total("plan") + self.total("overage"), 2)

    @property
    def usage_usd(self) -> float:
        return self.total("usage")

    @property
    def has_custom(self) -> bool:
        return any(l.usd is None for l in self.lines)


class CatalogInfo(Frozen):
    version: str
    overlay: str | None
    oldest_as_of: dt.date
    stale: tuple[str, ...]  # figures used by this report older than the staleness window
    not_documented: tuple[str, ...]  # figures used that are estimates, inferred or assumptions


def verdict_of(findings: list[Finding] | tuple[Finding, ...]) -> Verdict:
    if any(f.status is Status.fail for f in findings):
        return Verdict.block
    if any(f.status in (Status.warn, Status.unknown) for f in findings):
        return Verdict.warn
    return Verdict.passed


class Report(Frozen):
    stack: str
    verdict: Verdict
    load: dict
    findings: tuple[Finding, ...]
    cost: Cost
    catalog: CatalogInfo
    tiers: dict[str, str]  # component/resource -> declared tier label

    @property
    def exit_code(self) -> int:
        """0 unless a hard limit fails; the one place the exit-code policy lives."""
        return 1 if self.verdict is Verdict.block else 0

    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.status in (Status.fail, Status.warn, Status.unknown)]
