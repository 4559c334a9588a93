"""``tierguard apply``: write a recommended option's tiers into the files that declare them.

Render plans and instance counts go to the stack's Render Blueprint (``<project>:blueprint``,
default ``render.yaml``); Supabase, CloudFront, external services and load switches go to
``stacks/Pulumi.<stack>.yaml``. The edits themselves are ``tierguard.edits``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tierguard.edits import Edit, tier_edits, write_all
from tierguard.errors import InputError


def add(sub) -> None:
    p = sub.add_parser("apply", help="write the recommended (or an alternative's) tiers into render.yaml and the stack file")
    p.add_argument("--stack", default="beta", help="stack name: stacks/Pulumi.<stack>.yaml (default: beta)")
    p.add_argument("--option", default="recommended", help="recommended (default) or an alternative's name, e.g. ai-off")
    p.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: .)")


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
    return tier_edits(root, a.config, a.catalog, a.declared, option.declared, option.load_updates), option


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
