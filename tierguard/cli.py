"""The ``tierguard`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tierguard.errors import EXIT_INPUT, InputError


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of users (got {text!r})") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of users (got {value})")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number (got {text!r})") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive factor (got {value})")
    return value


def _common(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("--stack", default="beta", help="stack name: stacks/Pulumi.<stack>.yaml (default: beta)")
    p.add_argument("--format", choices=formats, default="text")
    p.add_argument("--users", type=_positive_int, help="what-if: evaluate for this many users")
    p.add_argument("--growth", type=_positive_float, help="what-if: the stack's users times this factor")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: .)")
    p.add_argument("--output", type=Path, help="also write the output to this file")


def parser() -> argparse.ArgumentParser:
    from tierguard.output import FORMATS

    ap = argparse.ArgumentParser(prog="tierguard", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="evaluate a stack's declared tiers against its load (offline)")
    _common(rep, FORMATS)
    return ap


def _emit(text: str, output: Path | None) -> None:
    sys.stdout.write(text)
    if output:
        from tierguard.files import write_atomic

        write_atomic(output, text)


def cmd_report(args) -> int:
    from tierguard.analyze import analyze
    from tierguard.output import renderer

    a = analyze(args.root.resolve(), args.stack, users=args.users, growth=args.growth)
    _emit(renderer(args.format)(a.report), args.output)
    return 0


COMMANDS = {"report": cmd_report}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as err:
        print(f"tierguard: error: {err.line()}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
