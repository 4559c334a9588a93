"""tierguard: check declared hosted tiers against a target load."""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from tierguard.commands import NAMES
from tierguard.errors import EXIT_BLOCKED, EXIT_INPUT, InputError, PackError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="tierguard", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    modules = {name: import_module(f"tierguard.commands.{name}") for name in NAMES}
    for module in modules.values():
        module.add(sub)
    args = ap.parse_args(argv)
    try:
        return modules[args.command].run(args)
    except InputError as err:
        print(f"tierguard: error: {err.line()}", file=sys.stderr)
        return EXIT_INPUT
    except PackError as err:  # fail closed: a pack that cannot run never lets a preview pass
        print(f"tierguard: error: {err}", file=sys.stderr)
        return EXIT_BLOCKED


if __name__ == "__main__":
    sys.exit(main())
