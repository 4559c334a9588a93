"""``tierguard check``: an offline ``pulumi preview --policy-pack policies``.

The program runs under Pulumi's mocks; the pack runs in its own process and is
driven over the Analyzer protocol, as the engine drives it. Exit 0 when nothing
blocks, 1 on a mandatory violation, 2 on bad input.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from tierguard import __version__
from tierguard.commands.common import add_stack_args, emit, render_reports, stacks_of, write_reports
from tierguard.output import FORMATS


def add(sub) -> None:
    p = sub.add_parser("check", help="offline preview: run the policy pack over the stack's resources")
    add_stack_args(p, FORMATS, all_stacks=True)
    p.add_argument("--policy-pack", type=Path, help="the pack directory (default: <root>/policies)")
    p.add_argument("--policy-pack-config", type=Path, help="policy config JSON, as for pulumi preview")


def _policy_config(path: Path | None) -> dict:
    from tierguard.errors import InputError

    if path is None:
        return {}
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(path, "", "an existing policy config file") from None
    except json.JSONDecodeError as err:
        raise InputError(path, "", f"valid JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(doc, dict):
        raise InputError(path, "", "a JSON object keyed by policy name", type(doc).__name__)
    return doc


def run_check(root: Path, stack: str, *, users=None, growth=None, pack_dir: Path | None = None,
              policy_config_file: Path | None = None):
    """(diagnostics, report) of one offline preview; the report as the pack wrote it, annotated."""
    from tierguard.analyze import load_overrides
    from tierguard.annotate import AnnotatedReport, annotate
    from tierguard.catalog import load_catalog
    from tierguard.declared import declared
    from tierguard.engine import run_pack
    from tierguard.offline import flat_config, run_program
    from tierguard.reportfile import REPORT_ENV
    from tierguard.stack import project_name, read_stack

    cfg = read_stack(root, stack)  # bad input fails here, with file and key, before any process starts
    over = load_overrides(users, growth, cfg.load.users)
    if over:
        cfg = read_stack(root, stack, overrides=over)
    policy_config = _policy_config(policy_config_file)
    project = project_name(root)
    resources = run_program(root, project, stack)
    flat, secrets = flat_config(root, stack)
    flat.update({f"tierguard:{k}": v for k, v in over.items()})
    with tempfile.TemporaryDirectory() as tmp:
        report_file = Path(tmp) / "report.json"
        diags = run_pack(pack_dir or root / "policies", project, stack, flat, secrets, resources,
                         policy_config, str(policy_config_file), extra_env={REPORT_ENV: str(report_file)})
        report = AnnotatedReport.model_validate(_report_doc(report_file)) if report_file.exists() else None
    if report is not None and not report.locations:  # the pack did not find the project (another --policy-pack)
        catalog = load_catalog(cfg.settings.assumptions)
        report = annotate(report, root, cfg, declared(resources, cfg, catalog), catalog, cfg.settings.thresholds)
    return diags, report


def _report_doc(path: Path) -> dict:
    doc = json.loads(path.read_text())
    doc.pop("exit_code", None)
    cost = doc["cost"]
    doc["cost"] = {"lines": cost["lines"]}
    return doc


def render_diagnostics(diags) -> str:
    """The ``Policies:`` section as ``pulumi preview`` prints it."""
    if not diags:
        return "Policies:\n    ✅ tierguard: no violations\n"
    blocked = any(d.enforcement == "mandatory" for d in diags)
    out = ["Policies:", f"    {'❌' if blocked else '⚠️ '} {diags[0].pack}@v{__version__} (local: policies)"]
    for d in diags:
        sev = f" [severity: {d.severity}]" if d.severity else ""
        where = f"  ({d.resource})" if d.resource else ""
        out.append(f"        - [{d.enforcement}]{sev}  {d.policy}{where}")
        out += [f"          {line}" for line in d.message.splitlines()]
    return "\n".join(out) + "\n"


def exit_code(diags) -> int:
    return 1 if any(d.enforcement == "mandatory" for d in diags) else 0


def _json_doc(stack: str, diags, report) -> dict:
    from dataclasses import asdict

    from tierguard.output.json import document

    code = exit_code(diags)
    return {"stack": stack, "exit_code": code, "blocked": code == 1, "diagnostics": [asdict(d) for d in diags],
            "report": document(report) if report else None}


def rendered(fmt: str, runs: list, combined: bool) -> str:
    """Markdown or SARIF of (diagnostics, report) runs; the comment folds each stack's policy output in."""
    shown = [r.model_copy(update={"policy_output": render_diagnostics(d)}) for d, r in runs if r is not None]
    return render_reports(fmt, shown, combined) if shown else ""


def run(args) -> int:
    """Every stack asked for; exit 1 if any blocks (2 on bad input, which stops at the first)."""
    from tierguard.output import renderer

    root = args.root.resolve()
    stacks = stacks_of(args, root)
    runs = [run_check(root, s, users=args.users, growth=args.growth, pack_dir=args.policy_pack,
                      policy_config_file=args.policy_pack_config) for s in stacks]
    reports = [r for _, r in runs if r is not None]
    if args.format == "json":
        docs = [_json_doc(s, d, r) for s, (d, r) in zip(stacks, runs)]
        text = json.dumps(docs if args.all_stacks else docs[0], indent=2) + "\n"
    elif args.format == "text":
        text = "\n".join(f"{render_diagnostics(d)}\n{renderer('text')(r) if r else ''}" for d, r in runs)
    else:
        text = rendered(args.format, runs, args.all_stacks)
    emit(text, args.output)
    write_reports(args, reports)
    return max(exit_code(d) for d, _ in runs)
