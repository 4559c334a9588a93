"""``tierguard report``: evaluate a stack's declared tiers against its load, offline."""

from __future__ import annotations

from tierguard.commands.common import add_stack_args, emit
from tierguard.output import FORMATS


def add(sub) -> None:
    p = sub.add_parser("report", help="evaluate a stack's declared tiers against its load (offline)")
    add_stack_args(p, FORMATS)


def run(args) -> int:
    from tierguard.analyze import analyze
    from tierguard.output import renderer

    a = analyze(args.root.resolve(), args.stack, users=args.users, growth=args.growth)
    emit(renderer(args.format)(a.report), args.output)
    return 0
