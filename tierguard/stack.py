"""Stack config: the ``tierguard:`` keys of ``stacks/Pulumi.<stack>.yaml``.

The same parser serves the CLI (which reads the YAML file) and the policy pack
(which gets the engine's ``PULUMI_CONFIG``: a flat JSON map of ``ns:key`` to
strings, with objects JSON-encoded).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from tierguard.errors import InputError, pydantic_error, yaml_error
from tierguard.load import Load

NS = "tierguard"
Connection = Literal["rest", "pooler_transaction", "pooler_session", "direct"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True)


class Thresholds(_Model):
    """Utilization at which a limit warns and fails. Default warn 0.8: the report's own billing-alert level."""

    warn: float = Field(0.8, gt=0, le=1)
    fail: float = Field(1.0, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        if self.warn > self.fail:
            raise ValueError("warn to be at most fail")
        return self


class SupabaseSettings(_Model):
    """What the Supabase resource cannot say: the organization's plan and how the app connects."""

    plan: str = "free"
    connection: Connection = "rest"
    spend_cap: bool | None = None  # None: the plan's default (on for Pro: quotas stop service instead of billing)


class Services(_Model):
    """External services the app uses that no Pulumi resource declares."""

    netlify: str | None = None
    openai: str | None = None
    internet_archive: str | None = None


class RecommendSettings(_Model):
    """How ``tierguard recommend`` searches: instance counts to try, and whether non-documented tiers count."""

    max_instances: int = Field(4, ge=1, le=100, description="most Render instances per service to consider")
    include_undocumented: bool = Field(False, description="also consider tiers whose limits are inferred or estimated")


class Settings(_Model):
    assumptions: str | None = None  # a catalog overlay name, e.g. "report"
    thresholds: Thresholds = Field(default_factory=Thresholds)
    supabase: SupabaseSettings = Field(default_factory=SupabaseSettings)
    services: Services = Field(default_factory=Services)
    recommend: RecommendSettings = Field(default_factory=RecommendSettings)


class StackConfig(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    stack: str
    file: str  # where the config came from, for error messages
    load: Load
    settings: Settings
    values: dict[str, Any]  # every non-tierguard key, secrets replaced by SECRET
    secret_keys: frozenset[str] = frozenset()


SECRET = "[secret]"
_LOAD_KEYS = {f.alias or n for n, f in Load.model_fields.items()} | set(Load.model_fields)


def _decode(value: Any) -> Any:
    # The engine hands every value over as a string; objects and lists arrive JSON-encoded.
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def parse_config(
    flat: dict[str, Any], stack: str, file: str, secret_keys: frozenset[str] = frozenset(),
    overrides: dict[str, Any] | None = None,
) -> StackConfig:
    """Split flat ``ns:key`` config into the load, tierguard's settings and the rest."""
    ours: dict[str, Any] = {}
    values: dict[str, Any] = {}
    secrets = set(secret_keys)
    for key, raw in flat.items():
        if isinstance(raw, dict) and set(raw) == {"secure"}:
            secrets.add(key)
        ns, _, name = key.partition(":")
        if ns == NS and key in secrets:
            raise InputError(file, key, "a plain value (tierguard settings are not secrets)")
        if key in secrets:
            values[key] = SECRET
        elif ns == NS:
            ours[name] = _decode(raw)
        else:
            values[key] = _decode(raw)
    ours.update(overrides or {})
    load_part = {k: v for k, v in ours.items() if k in _LOAD_KEYS}
    rest = {k: v for k, v in ours.items() if k not in _LOAD_KEYS}
    try:
        load = Load.model_validate(load_part)
    except ValidationError as exc:
        raise pydantic_error(file, exc, prefix=f"{NS}:") from None
    try:
        settings = Settings.model_validate(rest)
    except ValidationError as exc:
        raise pydantic_error(file, exc, prefix=f"{NS}:") from None
    return StackConfig(
        stack=stack, file=file, load=load, settings=settings, values=values, secret_keys=frozenset(secrets)
    )


def stack_file(root: Path, stack: str) -> Path:
    return root / "stacks" / f"Pulumi.{stack}.yaml"


def stack_names(root: Path) -> list[str]:
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in (root / "stacks").glob("Pulumi.*.yaml"))


def read_stack(root: Path, stack: str, overrides: dict[str, Any] | None = None) -> StackConfig:
    """Read ``stacks/Pulumi.<stack>.yaml`` under ``root``."""
    path = stack_file(root, stack)
    rel = path.relative_to(root) if path.is_relative_to(root) else path
    if not path.exists():
        known = ", ".join(stack_names(root)) or "none"
        raise InputError(rel, "", f"an existing stack file (stacks known: {known})")
    try:
        doc = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise yaml_error(rel, exc) from None
    config = doc.get("config") if isinstance(doc, dict) else None
    if not isinstance(config, dict):
        raise InputError(rel, "config", "a mapping of namespace:key to values")
    return parse_config(config, stack, str(rel), overrides=overrides)


def from_engine_env(environ: dict[str, str], overrides: dict[str, Any] | None = None) -> StackConfig:
    """The stack config the engine passes to a policy pack (``PULUMI_CONFIG``)."""
    stack = environ.get("PULUMI_STACK", "")
    where = f"stack {stack!r} config" if stack else "PULUMI_CONFIG"
    try:
        flat = json.loads(environ.get("PULUMI_CONFIG") or "{}")
        secret = frozenset(json.loads(environ.get("PULUMI_CONFIG_SECRET_KEYS") or "[]"))
    except json.JSONDecodeError:
        raise InputError("PULUMI_CONFIG", "", "a JSON object of config values") from None
    return parse_config(flat, stack, where, secret, overrides)


def project_name(root: Path) -> str:
    try:
        doc = yaml.safe_load((root / "Pulumi.yaml").read_text())
        return str(doc["name"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        raise InputError(root / "Pulumi.yaml", "name", "a Pulumi project file with a name") from None
