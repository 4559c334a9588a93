"""Arguments and output handling shared by the subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _positive(cast, kind: str, positive: str):
    """An argparse type: ``cast`` the text, then insist on a value above zero."""
    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind} (got {text!r})") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected {positive} (got {value})")
        return value
    return parse


positive_int = _positive(int, "a whole number of users", "a positive number of users")
positive_float = _positive(float, "a number", "a positive factor")


def add_stack_args(p: argparse.ArgumentParser, formats: tuple[str, ...], what_if: bool = True,
                   all_stacks: bool = False) -> None:
    p.add_argument("--stack", default="beta", help="stack name: stacks/Pulumi.<stack>.yaml (default: beta)")
    if all_stacks:
        p.add_argument("--all-stacks", action="store_true", help="every stacks/Pulumi.<stack>.yaml, as one output")
        p.add_argument("--output-report", type=Path, metavar="FILE",
                       help="also write the JSON report here and the Markdown comment beside it (.md); "
                            "default: $TIERGUARD_REPORT if set")
    p.add_argument("--format", choices=formats, default="text")
    if what_if:
        p.add_argument("--users", type=positive_int, help="what-if: evaluate for this many users")
        p.add_argument("--growth", type=positive_float, help="what-if: the stack's users times this factor")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: .)")
    p.add_argument("--output", type=Path, help="also write the output to this file")


def stacks_of(args, root: Path) -> list[str]:
    """``--stack``, or with ``--all-stacks`` every stack file under ``root/stacks``."""
    from tierguard.errors import InputError
    from tierguard.stack import stack_names

    if not args.all_stacks:
        return [args.stack]
    names = stack_names(root)
    if not names:
        raise InputError("stacks", "", "at least one stack file stacks/Pulumi.<stack>.yaml")
    return names


def render_reports(fmt: str, reports: list, combined: bool) -> str:
    from tierguard.output import renderer

    return renderer(fmt, combined)(reports if combined else reports[0])


def write_reports(args, reports: list) -> None:
    """``--output-report FILE`` (else ``$TIERGUARD_REPORT``): the JSON and Markdown the policy pack leaves."""
    from tierguard.reportfile import DISABLE, REPORT_ENV, write_report

    path = args.output_report or (Path(os.environ[REPORT_ENV]) if os.environ.get(REPORT_ENV, DISABLE) != DISABLE else None)
    if path is not None and reports:
        write_report(reports if args.all_stacks else reports[0], path)


def emit(text: str, output: Path | None) -> None:
    sys.stdout.write(text)
    if output:
        from tierguard.files import write_atomic

        write_atomic(output, text)
