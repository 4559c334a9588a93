"""``tierguard apply``: write a recommended option's tiers into the files that declare them.

Render plans and instance counts go to the stack's Render Blueprint (``<project>:blueprint``,
default ``render.yaml``); Supabase, CloudFront, external services and load switches go to
``stacks/Pulumi.<stack>.yaml``. Edits are ruamel.yaml round trips (comments, key order,
quotes kept), every new text is computed and validated before any file is written, and a
failed write puts back what was already written.
"""

from __future__ import annotations

import difflib
import io
import sys
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


def add(sub) -> None:
    p = sub.add_parser("apply", help="write the recommended (or an alternative's) tiers into render.yaml and the stack file")
    p.add_argument("--stack", default="beta", help="stack name: stacks/Pulumi.<stack>.yaml (default: beta)")
    p.add_argument("--option", default="recommended", help="recommended (default) or an alternative's name, e.g. ai-off")
    p.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: .)")


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

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(True), self.new.splitlines(True),
                                            f"a/{self.shown}", f"b/{self.shown}"))


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

def _blueprint_edit(root: Path, a, option) -> Edit | None:
    from tierguard.locate import blueprint_file
    from tierguard.stack import project_name

    changed = [(old, new) for old, new in zip(a.declared.render, option.declared.render) if old != new]
    if not changed:
        return None
    rel = blueprint_file(a.config.values, project_name(root))
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


def _stack_edit(root: Path, a, option) -> Edit:
    from tierguard.locate import config_path
    from tierguard.stack import NS, project_name, stack_file

    path = stack_file(root, a.config.stack)
    shown = str(path.relative_to(root))
    e = Edit(path, shown, path.read_text())
    y, doc = _load(e.old, shown)
    config = doc["config"]
    project = project_name(root)

    def put(key: str, sub: str | None, value: Any, before: Any) -> None:
        if value == before:
            return
        if sub is None:
            config[key] = value
        else:
            if not isinstance(config.get(key), dict):
                config[key] = CommentedMap()
            _set(config[key], sub, value)
        e.notes.append(f"{key}{'.' + sub if sub else ''}: {_show(before)} → {_show(value)}")

    def put_tier(component: str, field: str, value: Any, before: Any) -> None:
        _, (_config, key, sub) = config_path(component, field, project)  # the one table of tier keys
        put(key, sub, value, before)

    old, new = a.declared, option.declared
    if new.supabase and old.supabase:
        put_tier("supabase", "plan", new.supabase.plan, old.supabase.plan)
        put_tier("supabase", "compute", new.supabase.compute, old.supabase.compute)
    if new.cloudfront and old.cloudfront:
        put_tier("cloudfront", "plan", new.cloudfront.pricing, old.cloudfront.pricing)
    for comp in ("netlify", "openai", "internet_archive"):
        if getattr(new, comp) is not None:
            put_tier(comp, "plan", getattr(new, comp), getattr(old, comp))
    for name, value in option.load_updates.items():
        put(f"{NS}:{Load.model_fields[name].alias or name}", None, value, getattr(a.config.load, name))
    e.new = _dump(y, doc)
    return e


def _show(v: Any) -> str:
    return "false" if v is False else "true" if v is True else str(v)


def _validate(root: Path, a, edits: list[Edit]) -> None:
    """Parse every new text the way ``report`` will, before anything is written."""
    from tierguard.blueprint import parse_blueprint
    from tierguard.stack import parse_config, stack_file

    for e in edits:
        doc = pyyaml.safe_load(e.new)
        if e.path == stack_file(root, a.config.stack):
            plan = parse_config(doc.get("config") or {}, a.config.stack, e.shown).settings.supabase.plan
            if plan not in a.catalog["supabase"].tables["plan"]:
                raise InputError(e.shown, "tierguard:supabase.plan", "a Supabase plan", plan)
        else:
            parse_blueprint(doc, set(a.catalog["render"].tables["plan"]), e.shown)


def plan_edits(root: Path, stack: str, option_name: str = "recommended") -> tuple[list[Edit], Any]:
    """Every file's new text for one option, computed and validated; nothing is written."""
    from tierguard.analyze import analyze
    from tierguard.recommend import recommend

    a = analyze(root, stack, with_headroom=False)
    rec = recommend(a, with_break_even=False)
    option = rec.option(option_name)
    if option is None:
        names = ", ".join(["recommended", *(o.name for o in rec.alternatives)])
        raise InputError("--option", "", f"one of: {names}", option_name)
    edits = [e for e in (_blueprint_edit(root, a, option), _stack_edit(root, a, option)) if e and e.changed]
    _validate(root, a, edits)
    return edits, option


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


def run(args) -> int:
    root = args.root.resolve()
    edits, option = plan_edits(root, args.stack, args.option)
    if not edits:
        print(f"tierguard apply: stack {args.stack}, option {args.option}: nothing to change")
        return 0
    if args.dry_run:
        sys.stdout.write("".join(e.diff() for e in edits))
        return 0
    try:
        write_all(edits)
    except OSError as exc:
        raise InputError(getattr(exc, "filename", None) or "", "", f"a writable file ({exc.strerror or exc})") from None
    print(f"tierguard apply: stack {args.stack}, option {args.option} "
          f"({option.cost.monthly_usd:,.2f} USD/month, verdict {option.verdict.value}):")
    for e in edits:
        print(f"  {e.shown}: " + "; ".join(e.notes))
    return 0
