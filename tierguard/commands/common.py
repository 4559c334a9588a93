"""Arguments and output handling shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of users (got {text!r})") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of users (got {value})")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number (got {text!r})") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive factor (got {value})")
    return value


def add_stack_args(p: argparse.ArgumentParser, formats: tuple[str, ...], what_if: bool = True) -> None:
    p.add_argument("--stack", default="beta", help="stack name: stacks/Pulumi.<stack>.yaml (default: beta)")
    p.add_argument("--format", choices=formats, default="text")
    if what_if:
        p.add_argument("--users", type=positive_int, help="what-if: evaluate for this many users")
        p.add_argument("--growth", type=positive_float, help="what-if: the stack's users times this factor")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: .)")
    p.add_argument("--output", type=Path, help="also write the output to this file")


def emit(text: str, output: Path | None) -> None:
    sys.stdout.write(text)
    if output:
        from tierguard.files import write_atomic

        write_atomic(output, text)
