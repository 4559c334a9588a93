"""Round-trip edits of the files that declare tiers: the stack's Render Blueprint and its stack file.

``tierguard apply`` writes them; the pull-request comment shows them as a diff. Edits are
ruamel.yaml round trips (comments, key order, quotes kept), every new text is computed and
validated before any file is written, and a failed write puts back what was already written.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from tierguard import files
from tierguard.errors import InputError
from tierguard.load import Load

INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 4, 0))  # (mapping, sequence, offset) to try


@dataclass
class Edit:
    path: Path
    shown: str
    old: str
    new: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new != self.old

    def diff(self, context: int = 3) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(True), self.new.splitlines(True),
                                            f"a/{self.shown}", f"b/{self.shown}", n=context))


# --- round trip ----------------------------------------------------------------------

def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: YAML, doc: Any) -> str:
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def _load(text: str, shown: str) -> tuple[YAML, Any]:
    """Parse with the indentation that reproduces the file byte for byte (the first one tried otherwise)."""
    first = None
    for ind in INDENTS:
        y = _yaml(ind)
        try:
            doc = y.load(text)
        except Exception as exc:  # ruamel's parse errors share no useful base class
            raise InputError(shown, "", f"valid YAML ({str(exc).splitlines()[0]})") from None
        if _dump(y, doc) == text:
            return y, doc
        first = first or (y, doc)
    return first


def _set(m: CommentedMap, key: str, value: Any, after: str | None = None) -> bool:
    if key in m and m[key] == value and type(m[key]) is type(value):
        return False
    if key not in m and after in m:
        m.insert(list(m).index(after) + 1, key, value)
    else:
        m[key] = value
    return True


# --- the edits ----------------------------------------------------------------------

def _blueprint_edit(root: Path, config, before, after) -> Edit | None:
    from tierguard.locate import blueprint_file
    from tierguard.stack import project_name

    changed = [(old, new) for old, new in zip(before.render, after.render) if old != new]
    if not changed:
        return None
    rel = blueprint_file(config.values, project_name(root))
    path = root / rel
    e = Edit(path, rel, path.read_text())
    y, doc = _load(e.old, rel)
    services = doc.get("services") if isinstance(doc, dict) else None
    for old, new in changed:
        idx = next((i for i, s in enumerate(services or []) if s.get("name") == old.name and s.get("type") == "web"), None)
        if idx is None:
            raise InputError(rel, "services", f"a web service named {old.name!r}")
        s = services[idx]
        if new.plan != old.plan:
            _set(s, "plan", new.plan)
            e.notes.append(f"services[{idx}].plan: {old.plan} → {new.plan}")
        if new.instances != old.instances:
            if new.instances == 1:
                s.pop("numInstances", None)
            else:
                _set(s, "numInstances", new.instances, after="plan")
            e.notes.append(f"services[{idx}].numInstances: {old.instances} → {new.instances}")
        if new.max_instances != old.max_instances and isinstance(s.get("scaling"), dict):
            sc = s["scaling"]
            _set(sc, "maxInstances", new.max_instances)
            if int(sc.get("minInstances", 1)) > new.max_instances:
                _set(sc, "minInstances", new.max_instances)
            e.notes.append(f"services[{idx}].scaling.maxInstances: {old.max_instances} → {new.max_instances}")
    e.new = _dump(y, doc)
    return e


def _stack_edit(root: Path, config, before, after, load_updates: dict[str, Any]) -> Edit:
    from tierguard.locate import config_path
    from tierguard.stack import NS, project_name, stack_file

    path = stack_file(root, config.stack)
    shown = str(path.relative_to(root))
    e = Edit(path, shown, path.read_text())
    y, doc = _load(e.old, shown)
    node = doc["config"]
    project = project_name(root)

    def put(key: str, sub: str | None, value: Any, before: Any) -> None:
        if value == before:
            return
        if sub is None:
            node[key] = value
        else:
            if not isinstance(node.get(key), dict):
                node[key] = CommentedMap()
            _set(node[key], sub, value)
        e.notes.append(f"{key}{'.' + sub if sub else ''}: {_show(before)} → {_show(value)}")

    def put_tier(component: str, field: str, value: Any, before: Any) -> None:
        _, (_config, key, sub) = config_path(component, field, project)  # the one table of tier keys
        put(key, sub, value, before)

    old, new = before, after
    if new.supabase and old.supabase:
        put_tier("supabase", "plan", new.supabase.plan, old.supabase.plan)
        put_tier("supabase", "compute", new.supabase.compute, old.supabase.compute)
    if new.cloudfront and old.cloudfront:
        put_tier("cloudfront", "plan", new.cloudfront.pricing, old.cloudfront.pricing)
    for comp in ("netlify", "openai", "internet_archive"):
        if getattr(new, comp) is not None:
            put_tier(comp, "plan", getattr(new, comp), getattr(old, comp))
    for name, value in load_updates.items():
        put(f"{NS}:{Load.model_fields[name].alias or name}", None, value, getattr(config.load, name))
    e.new = _dump(y, doc)
    return e


def _show(v: Any) -> str:
    return "false" if v is False else "true" if v is True else str(v)


def _validate(root: Path, config, catalog, edits: list[Edit]) -> None:
    """Parse every new text the way ``report`` will, before anything is written."""
    from tierguard.blueprint import parse_blueprint
    from tierguard.stack import parse_config, stack_file

    for e in edits:
        doc = pyyaml.safe_load(e.new)
        if e.path == stack_file(root, config.stack):
            plan = parse_config(doc.get("config") or {}, config.stack, e.shown).settings.supabase.plan
            if plan not in catalog["supabase"].tables["plan"]:
                raise InputError(e.shown, "tierguard:supabase.plan", "a Supabase plan", plan)
        else:
            parse_blueprint(doc, set(catalog["render"].tables["plan"]), e.shown)


def write_all(edits: list[Edit]) -> None:
    """Write every edit; if one fails, put back the ones already written, then re-raise."""
    done: list[Edit] = []
    try:
        for e in edits:
            files.write_atomic(e.path, e.new)
            done.append(e)
    except BaseException:
        for e in reversed(done):
            files.write_atomic(e.path, e.old)
        raise


def tier_edits(root: Path, config, catalog, before, after, load_updates: dict[str, Any] | None = None) -> list[Edit]:
    """Every file's new text for moving the declared tiers ``before`` to ``after``; nothing is written."""
    edits = [e for e in (_blueprint_edit(root, config, before, after),
                         _stack_edit(root, config, before, after, load_updates or {})) if e and e.changed]
    _validate(root, config, catalog, edits)
    return edits
