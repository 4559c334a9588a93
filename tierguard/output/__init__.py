"""Renderers: ``render(report) -> str``, one module per format, listed once here."""

from __future__ import annotations

from importlib import import_module
from typing import Callable

FORMATS = ("text", "markdown", "json")


def renderer(fmt: str) -> Callable:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return import_module(f"tierguard.output.{fmt}").render
