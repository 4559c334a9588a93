"""Formatting shared by the human-readable renderers."""

from __future__ import annotations

from tierguard.findings import Finding, Report, Status, Verdict

STATUS_WORD = {Status.passed: "PASS", Status.warn: "WARN", Status.fail: "FAIL", Status.unknown: "UNKNOWN"}
VERDICT_LINE = {
    Verdict.block: "BLOCK: a hard limit fails. Do not launch as declared.",
    Verdict.warn: "WARN: nothing fails, but some limits are close, unknown or billed.",
    Verdict.passed: "PASS: every limit has headroom.",
}


def num(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def qty(x: float | None, unit: str) -> str:
    if x is None:
        return "no cap" if unit else "-"
    if unit == "MB" and x >= 10_000:
        return f"{x / 1000:,.1f} GB".replace(".0 GB", " GB")
    unit = {"USD/month": "USD", "requests/month": "req/mo", "requests/day": "req/day",
            "requests/minute": "req/min", "hours/month": "h/mo", "minutes/month": "min/mo",
            "users/month": "MAU"}.get(unit, unit)
    return f"{num(x)} {unit}".strip()


def capacity(f: Finding) -> str:
    """A finding's capacity: "unknown" where the catalog lacks the number, "no cap" where there is none."""
    return "unknown" if f.status is Status.unknown else qty(f.capacity, f.unit)


def use(f: Finding) -> str:
    return "-" if f.utilization is None else f"{f.utilization:.1%}"


def usd(x: float | None) -> str:
    return "custom" if x is None else f"${x:,.2f}"


def marker(f: Finding) -> str:
    """A footnote mark for figures that are not the vendor's documented word."""
    return {"estimate": " (est.)", "inferred": " (inferred)", "assumption": " (assumed)"}.get(
        f.basis.value if f.basis else "", "")


def load_line(report: Report) -> str:
    l = report.load
    peak = -(-round(l["users"] * l["peakConcurrency"], 9) // 1)
    ai = f"AI mode on ({l['aiShare']:.0%} of generations)" if l["aiMode"] else "AI mode off"
    return (f"{l['users']:,} users, {peak:,.0f} active at the peak ({l['peakConcurrency']:.0%}), {ai}, "
            f"{num(l['sessionsPerUserPerMonth'])} class(es) per user per month")


def signed_usd(x: float) -> str:
    return ("+" if x >= 0 else "−") + usd(abs(x))
