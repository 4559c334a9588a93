"""``tierguard recommend``: the cheapest tiers that carry the stack's load, alternatives and the launch decision."""

from __future__ import annotations

from tierguard.commands.common import add_stack_args, emit


def add(sub) -> None:
    p = sub.add_parser("recommend", help="the cheapest tiers that carry the load, with cost and a launch decision matrix")
    add_stack_args(p, ("text", "markdown", "json"))


def run(args) -> int:
    from tierguard.analyze import analyze
    from tierguard.output.recommendation import render
    from tierguard.recommend import recommend

    a = analyze(args.root.resolve(), args.stack, users=args.users, growth=args.growth, with_headroom=False)
    emit(render(recommend(a), args.format), args.output)
    return 0
