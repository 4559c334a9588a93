"""The catalog: every figure sourced and dated; overlays patch, never edit; staleness is reported."""

from __future__ import annotations

import datetime as dt

import pytest

from tierguard.catalog import Basis, Kind, load_catalog, overlay_names

CATALOG = load_catalog()


@pytest.mark.parametrize("path,fig", list(CATALOG.figures()), ids=[p for p, _ in CATALOG.figures()])
def test_every_figure_is_sourced_and_dated(path, fig):
    assert fig.source.startswith(("https://", "shared/reference/")), path
    assert dt.date(2020, 1, 1) <= fig.as_of <= dt.date(2026, 12, 31), path
    if fig.basis is not Basis.documented:
        assert fig.note, f"{path}: a figure that is not documented must say why in its note"
    if fig.value is None:
        assert fig.note, f"{path}: a missing number must say what is missing"


def test_every_vendor_and_required_row_is_present():
    assert set(CATALOG.vendors) == {"render", "supabase", "cloudfront", "netlify", "openai", "internet_archive"}
    assert list(CATALOG["render"].tables["plan"]) == [
        "free", "starter", "starter_plus", "standard", "standard_plus", "pro", "pro_plus", "pro_max", "pro_ultra"]
    assert set(CATALOG["supabase"].tables["compute"]) >= {"nano", "micro", "small", "medium", "large", "xl", "2xl",
                                                          "4xl", "8xl", "12xl", "16xl"}
    assert set(CATALOG["cloudfront"].tables["pricing"]) >= {"legacy_free_tier", "always_free", "pay_as_you_go", "flat_free"}


def test_connection_limits_depend_on_the_connection_path():
    nano = CATALOG["supabase"].tier("compute", "nano")
    assert nano.get("connections_direct").value == 60
    assert nano.get("connections_pooler_transaction").value == 200
    # PostgREST's pool on hosted Supabase scales with compute and is not published.
    assert nano.get("connections_rest").value is None
    assert all(nano.get(f"connections_{p}").kind is Kind.hard for p in ("direct", "rest", "pooler_session"))


def test_report_overlay_patches_without_editing_the_catalog():
    report = load_catalog("report")
    assert "report" in overlay_names()
    nano = report["supabase"].tier("compute", "nano").get("connections_rest")
    assert (nano.value, nano.basis, nano.source) == (10, Basis.assumption, "shared/reference/stress-test-report.md")
    assert report["supabase"].tier("compute", "micro").get("connections_rest").value == 60
    assert report["supabase"].tier("plan", "free").get("db_egress").value == 2000
    # The documented catalog is untouched.
    assert CATALOG["supabase"].tier("compute", "nano").get("connections_rest").value is None
    assert CATALOG["supabase"].tier("plan", "free").get("db_egress") is None


def test_documented_figures_the_report_has_out_of_date():
    assert CATALOG["cloudfront"].tier("pricing", "always_free").get("egress").value == 1_000_000  # 1 TB, not 50 GB
    assert CATALOG["supabase"].tier("plan", "free").get("egress").value == 5000  # 5 GB shared, not 2 + 2 GB


def test_render_ram_is_binary_megabytes():
    plans = CATALOG["render"].tables["plan"]
    assert plans["standard"].get("memory").value == 2048  # "2 GB", 4 × the free plan's 512 MB
    assert plans["free"].get("memory").value == 512


def test_staleness_against_a_pinned_date():
    stale = CATALOG.stale(dt.date(2026, 12, 4))
    assert "render.plan.starter_plus.memory" in stale  # a 2022 source
    assert "supabase.plan.free.egress" not in stale
    assert CATALOG.stale(dt.date(2020, 1, 1)) == []


def test_unknown_overlay_is_an_input_error():
    from tierguard.errors import InputError

    with pytest.raises(InputError, match="expected an overlay name, one of: report"):
        load_catalog("nope")
