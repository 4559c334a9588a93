"""The Render Blueprint (``render.yaml``): the single source of each service's plan and scale."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tierguard.errors import InputError, pydantic_error, yaml_error

DEFAULT_BLUEPRINT = "render.yaml"  # a stack names another with <project>:blueprint


class _Model(BaseModel):
    # Blueprints carry many keys tierguard does not read; keep them, check only ours.
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Scaling(_Model):
    min_instances: int = Field(alias="minInstances", ge=1)
    max_instances: int = Field(alias="maxInstances", ge=1)
    target_memory_percent: int | None = Field(None, alias="targetMemoryPercent", ge=1, le=90)
    target_cpu_percent: int | None = Field(None, alias="targetCPUPercent", ge=1, le=90)


class BlueprintService(_Model):
    type: Literal["web", "pserv", "worker", "cron", "keyvalue", "redis"]
    name: str
    plan: str = "starter"  # Render's default when a Blueprint omits it
    runtime: str | None = None
    region: str = "oregon"
    num_instances: int = Field(1, alias="numInstances", ge=1)
    scaling: Scaling | None = None
    build_command: str | None = Field(None, alias="buildCommand")
    start_command: str | None = Field(None, alias="startCommand")
    repo: str | None = None
    branch: str | None = None


class Blueprint(_Model):
    services: list[BlueprintService] = Field(default_factory=list)

    def web_services(self) -> list[BlueprintService]:
        return [s for s in self.services if s.type == "web"]


def load_blueprint(path: Path, plans: set[str] | None = None, shown: str | None = None) -> Blueprint:
    """Read and check a Blueprint file; ``plans`` are the plan ids the catalog knows."""
    shown = shown or str(path)
    try:
        doc = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise InputError(shown, "", "a Render Blueprint file") from None
    except yaml.YAMLError as exc:
        raise yaml_error(shown, exc) from None
    return parse_blueprint(doc, plans, shown)


def parse_blueprint(doc, plans: set[str] | None, shown: str) -> Blueprint:
    """Check a parsed Blueprint: its shape, and that every web service's plan is a known one."""
    if not isinstance(doc, dict):
        raise InputError(shown, "", "a mapping with a 'services' list", type(doc).__name__)
    try:
        bp = Blueprint.model_validate(doc)
    except ValidationError as exc:
        raise pydantic_error(shown, exc) from None
    for i, svc in enumerate(bp.services):
        if plans is not None and svc.type == "web" and svc.plan not in plans:
            raise InputError(shown, f"services[{i}].plan", f"a Render plan, one of: {', '.join(sorted(plans))}", svc.plan)
    return bp
