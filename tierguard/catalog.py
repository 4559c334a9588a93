"""The tier catalog: vendor limits and prices as sourced, dated data.

One YAML file per vendor under ``tierguard/catalog/``. A vendor file has named
``sources`` and one or more ``tables`` (Render: ``plan``; Supabase: ``plan`` and
``compute``). A table row is a tier; each of its figures is a value with a unit,
a kind (hard limit, billed quota, price, info), a source and an as-of date.

An overlay (``catalog/overlays/<name>.yaml``) patches single figures, so a
named set of assumptions (the stress-test report's) sits on top of the
documented catalog instead of being edited into it.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tierguard.errors import InputError, pydantic_error, yaml_error

CATALOG_DIR = Path(__file__).with_name("catalog")
CATALOG_VERSION = "2026.12.0"
STALE_AFTER_DAYS = 180


class Kind(str, Enum):
    """What exceeding a figure does."""

    hard = "hard"  # the service breaks or refuses work
    billed = "billed"  # it costs money (overage)
    price = "price"  # a price, not a limit
    info = "info"  # shown, never checked


class Basis(str, Enum):
    """How well a figure is known."""

    documented = "documented"  # the vendor's own docs or repo say so
    inferred = "inferred"  # third-party or outdated source only
    estimate = "estimate"  # nobody documents it; a community estimate
    assumption = "assumption"  # a figure a user's own analysis assumed (overlays)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Frozen):
    url: str
    as_of: dt.date
    title: str | None = None


class Figure(Frozen):
    """One limit or price of one tier."""

    value: float | None  # None: exists but the vendor gives no number (e.g. "custom")
    unit: str
    kind: Kind
    source: str  # a URL or document path
    as_of: dt.date
    basis: Basis = Basis.documented
    overage: float | None = None  # USD per unit beyond a billed quota
    note: str | None = None

    @property
    def sourced(self) -> bool:
        return self.basis is Basis.documented


class FigureSpec(Frozen):
    unit: str
    kind: Kind


class RawFigure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float | None
    source: str
    kind: Kind | None = None
    basis: Basis = Basis.documented
    overage: float | None = None
    note: str | None = None
    as_of: dt.date | None = None


class VendorFile(BaseModel):
    """The on-disk shape of ``catalog/<vendor>.yaml``."""

    model_config = ConfigDict(extra="forbid")
    vendor: str
    component: str
    docs: str
    sources: dict[str, Source]
    figures: dict[str, FigureSpec]
    tables: dict[str, dict[str, dict[str, RawFigure | bool | str | list[str]]]]

    @model_validator(mode="after")
    def _known_names(self) -> "VendorFile":
        for table, rows in self.tables.items():
            for row, figs in rows.items():
                for name, fig in figs.items():
                    if isinstance(fig, RawFigure):
                        if name not in self.figures:
                            raise ValueError(f"{table}.{row}.{name}: figure not declared under 'figures'")
                        if fig.source not in self.sources and not fig.source.startswith(("http", "shared/")):
                            raise ValueError(f"{table}.{row}.{name}: unknown source {fig.source!r}")
        return self


class Tier(Frozen):
    """A row of a table: its figures plus plain attributes (flags, allowed values)."""

    id: str
    figures: dict[str, Figure]
    attrs: dict[str, Any] = Field(default_factory=dict)

    def get(self, name: str) -> Figure | None:
        return self.figures.get(name)

    def hardened(self) -> "Tier":
        """The same tier with billed quotas turned hard (a spend cap stops service at the quota)."""
        figs = {k: f.model_copy(update={"kind": Kind.hard}) if f.kind is Kind.billed else f for k, f in self.figures.items()}
        return self.model_copy(update={"figures": figs})

    @property
    def price(self) -> float:
        fig = self.figures.get("price")
        return fig.value or 0.0 if fig else 0.0


class Vendor(Frozen):
    vendor: str
    component: str
    docs: str
    specs: dict[str, FigureSpec]
    tables: dict[str, dict[str, Tier]]

    def tier(self, table: str, row: str) -> Tier:
        return self.tables[table][row]


class Catalog(Frozen):
    """The documented catalog, optionally with one overlay applied."""

    version: str
    overlay: str | None
    vendors: dict[str, Vendor]

    def __getitem__(self, component: str) -> Vendor:
        return self.vendors[component]

    def figures(self):
        """Every (path, figure) in the catalog."""
        for comp, vendor in self.vendors.items():
            for table, rows in vendor.tables.items():
                for row, tier in rows.items():
                    for name, fig in tier.figures.items():
                        yield f"{comp}.{table}.{row}.{name}", fig

    def stale(self, today: dt.date, max_age_days: int = STALE_AFTER_DAYS) -> list[str]:
        """Paths of figures older than ``max_age_days`` at ``today``."""
        return [p for p, f in self.figures() if (today - f.as_of).days > max_age_days]

    def oldest(self) -> dt.date:
        return min(f.as_of for _, f in self.figures())


class Patch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: str  # component.table.row.figure
    value: float | None
    note: str | None = None
    kind: Kind | None = None


class OverlayFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    source: str
    as_of: dt.date
    patches: list[Patch]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise yaml_error(path, exc) from None


def _vendor(path: Path) -> Vendor:
    try:
        raw = VendorFile.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise pydantic_error(path, exc) from None
    tables: dict[str, dict[str, Tier]] = {}
    for table, rows in raw.tables.items():
        tables[table] = {}
        for row, items in rows.items():
            figs, attrs = {}, {}
            for name, item in items.items():
                if not isinstance(item, RawFigure):
                    attrs[name] = item
                    continue
                spec = raw.figures[name]
                src = raw.sources.get(item.source)
                figs[name] = Figure(
                    value=item.value,
                    unit=spec.unit,
                    kind=item.kind or spec.kind,
                    source=src.url if src else item.source,
                    as_of=item.as_of or (src.as_of if src else raw.sources[next(iter(raw.sources))].as_of),
                    basis=item.basis,
                    overage=item.overage,
                    note=item.note,
                )
            tables[table][row] = Tier(id=row, figures=figs, attrs=attrs)
    return Vendor(vendor=raw.vendor, component=raw.component, docs=raw.docs, specs=raw.figures, tables=tables)


def overlay_names() -> list[str]:
    return sorted(p.stem for p in (CATALOG_DIR / "overlays").glob("*.yaml"))


def _apply(vendors: dict[str, Vendor], overlay: OverlayFile, path: Path) -> dict[str, Vendor]:
    data = {k: v.model_dump() for k, v in vendors.items()}
    for i, patch in enumerate(overlay.patches):
        parts = patch.at.split(".")
        try:
            comp, table, row, name = parts
            figs = data[comp]["tables"][table][row]["figures"]
        except (ValueError, KeyError):
            raise InputError(path, f"patches[{i}].at", "component.table.row.figure naming a catalog row") from None
        spec = data[comp]["specs"].get(name)
        if spec is None:
            raise InputError(path, f"patches[{i}].at", f"a figure {comp} declares (no {name!r})")
        base = figs.get(name) or {"overage": None, **spec}
        figs[name] = {
            **base,
            "value": patch.value,
            "kind": patch.kind or base["kind"],
            "source": overlay.source,
            "as_of": overlay.as_of,
            "basis": Basis.assumption,
            "note": patch.note,
        }
    return {k: Vendor.model_validate(v) for k, v in data.items()}


@cache
def load_catalog(overlay: str | None = None) -> Catalog:
    """Load and validate every vendor file, then apply ``overlay`` if named."""
    vendors = {}
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        v = _vendor(path)
        vendors[v.component] = v
    if overlay:
        path = CATALOG_DIR / "overlays" / f"{overlay}.yaml"
        if not path.exists():
            raise InputError(path.parent, overlay, f"an overlay name, one of: {', '.join(overlay_names())}")
        try:
            ov = OverlayFile.model_validate(_read_yaml(path))
        except ValidationError as exc:
            raise pydantic_error(path, exc) from None
        vendors = _apply(vendors, ov, path)
    return Catalog(version=CATALOG_VERSION, overlay=overlay, vendors=vendors)
