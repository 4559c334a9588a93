"""``tierguard report``: evaluate a stack's declared tiers against its load, offline.

Exits 0 whatever the verdict (``check`` is the gate), 2 on bad input.
"""

from __future__ import annotations

from tierguard.commands.common import add_stack_args, emit, render_reports, stacks_of, write_reports
from tierguard.output import FORMATS


def add(sub) -> None:
    p = sub.add_parser("report", help="evaluate a stack's declared tiers against its load (offline)")
    add_stack_args(p, FORMATS, all_stacks=True)


def run(args) -> int:
    from tierguard.analyze import analyze
    from tierguard.annotate import annotate

    root = args.root.resolve()
    reports = []
    for stack in stacks_of(args, root):
        a = analyze(root, stack, users=args.users, growth=args.growth)
        reports.append(annotate(a.report, root, a.config, a.declared, a.catalog, a.config.settings.thresholds))
    emit(render_reports(args.format, reports, args.all_stacks), args.output)
    write_reports(args, reports)
    return 0
