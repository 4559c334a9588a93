"""Where a tier is declared: the file and line of a config key, from ruamel.yaml's round-trip line info.

One table (``config_path``) says which key of which file declares each tier field; SARIF
locations and the Markdown comment's diff both read it. A finding points at the tier that
sets its limit: Render findings at the service's ``plan:`` line in the stack's Blueprint;
``supabase.db_connections`` at ``<project>:supabase.computeSize`` (the compute size sets the
connection limit), every other Supabase finding at ``tierguard:supabase.plan``; CloudFront at
``<project>:cloudfront.pricing``; Netlify, OpenAI and the Internet Archive at
``tierguard:services.<name>``. A key that is not written (a default) resolves to the nearest
enclosing key that is, so every finding has a line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

BLUEPRINT, STACK = "blueprint", "stack"
SERVICE_KEYS = {"netlify": "netlify", "openai": "openai", "internet_archive": "internetArchive"}
RENDER_FIELDS = {"plan": ("plan",), "instances": ("numInstances",), "max_instances": ("scaling", "maxInstances")}
FINDING_FIELD = {"supabase.db_connections": "compute"}  # the rest: the component's plan

Step = str | tuple[str, str]  # a mapping key, or (key, value): the list item whose key has that value


class Location(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str  # relative to the project root, POSIX separators
    line: int  # 1-based
    key: str  # the dotted key on that line, e.g. "services[0].plan", "bassline:supabase.computeSize"
    missing: tuple[str, ...] = ()  # keys of the path not written (a default): the line is their nearest enclosing key
    column: int | None = None  # 0-based column of the scalar value on that line, when nothing is missing

    @property
    def exact(self) -> bool:
        return not self.missing


def blueprint_file(values: dict[str, Any], project: str) -> str:
    from tierguard.blueprint import DEFAULT_BLUEPRINT

    return str(values.get(f"{project}:blueprint") or DEFAULT_BLUEPRINT)


def config_path(component: str, field: str, project: str, resource: str | None = None) -> tuple[str, tuple[Step, ...]]:
    """(which file, key path) of one tier field."""
    if component == "render":
        return BLUEPRINT, ("services", ("name", resource or ""), *RENDER_FIELDS[field])
    if component == "supabase":
        sub = (f"{project}:supabase", "computeSize") if field == "compute" else ("tierguard:supabase", "plan")
        return STACK, ("config", *sub)
    if component == "cloudfront":
        return STACK, ("config", f"{project}:cloudfront", "pricing")
    return STACK, ("config", "tierguard:services", SERVICE_KEYS[component])


def finding_path(finding, project: str) -> tuple[str, tuple[Step, ...]]:
    return config_path(finding.component, FINDING_FIELD.get(finding.id, "plan"), project, finding.resource)


def where_key(finding) -> str:
    """A finding's key in ``locations``: ids repeat across Render services, so the resource is part of it."""
    return f"{finding.id}@{finding.resource}" if finding.resource else finding.id


class Locator:
    """Parses each file once (round trip) and answers (line, key) for key paths in it."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._docs: dict[str, Any] = {}

    def _doc(self, rel: str) -> Any:
        if rel not in self._docs:
            from ruamel.yaml import YAML

            try:
                self._docs[rel] = YAML().load((self.root / rel).read_text())
            except Exception:  # unreadable or not YAML: the run reports that elsewhere; here there is just no line
                self._docs[rel] = None
        return self._docs[rel]

    def find(self, rel: str, path: tuple[Step, ...]) -> Location | None:
        node = self._doc(rel)
        if node is None:
            return None
        line, col, keys = 0, None, []
        for n, step in enumerate(path):
            if isinstance(step, tuple):  # a list item chosen by one of its keys
                k, v = step
                items = node if isinstance(node, list) else []
                i = next((i for i, it in enumerate(items) if isinstance(it, dict) and it.get(k) == v), None)
                if i is None:
                    break
                keys[-1] += f"[{i}]"
                line, col, node = items.lc.item(i)[0], None, items[i]
            elif isinstance(node, dict) and step in node:
                keys.append(step)
                line, col, node = node.lc.key(step)[0], node.lc.value(step)[1], node[step]
            else:
                break
        else:
            n = len(path)
        missing = tuple(s for s in path[n:] if isinstance(s, str))
        key = ".".join(keys[1:] if keys[:1] == ["config"] else keys)  # stack-file keys as Pulumi spells them
        return Location(file=rel, line=line + 1, key=key, missing=missing,
                        column=None if missing or isinstance(node, (dict, list)) else col)


def file_of(kind: str, values: dict[str, Any], project: str, stack_rel: str) -> str:
    return blueprint_file(values, project) if kind == BLUEPRINT else stack_rel
