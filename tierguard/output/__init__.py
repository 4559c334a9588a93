"""Renderers: ``render(report) -> str``, one module per format, listed once here.

Each module also has ``render_all(reports) -> str``: several stacks as one output
(``--all-stacks``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

FORMATS = ("text", "markdown", "json", "sarif")


def renderer(fmt: str, many: bool = False) -> Callable:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = import_module(f"tierguard.output.{fmt}")
    return module.render_all if many else module.render
