"""Input errors: one line naming the file, the key and what was expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

EXIT_BLOCKED = 1
EXIT_INPUT = 2


class PackError(Exception):
    """The policy pack failed to start or answer: a run that must not pass."""


class InputError(Exception):
    """Bad user input. The CLI prints ``str(err)`` and exits 2."""

    def __init__(self, file: Path | str, key: str, expected: str, got: Any = None):
        self.file, self.key, self.expected, self.got = str(file), key, expected, got
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        got = f" (got {_show(self.got)})" if self.got is not None else ""
        return f"{where}: expected {self.expected}{got}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def pydantic_error(file: Path | str, exc, prefix: str = "", secret_keys: frozenset[str] = frozenset()) -> InputError:
    """The first error of a pydantic ``ValidationError`` as an ``InputError``.

    The offending input is echoed unless its key is a secret.
    """
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    sep = "" if prefix.endswith(":") else "."
    key = f"{prefix}{sep}{loc}" if prefix and loc else (prefix or loc)
    msg = err["msg"]
    # pydantic says "Input should be ..."/"Value error, ..."; keep the useful part.
    for lead in ("Input should be ", "Value error, "):
        if msg.startswith(lead):
            msg = msg[len(lead):]
    got = None if err["type"] == "missing" or any(s in key for s in secret_keys) else err.get("input")
    if err["type"] == "missing":
        msg = "this key to be set"
    elif err["type"] == "extra_forbidden":
        msg, got = "no such key (typo?)", None
    return InputError(file, key, msg, got)


def yaml_error(file: Path | str, exc) -> InputError:
    """A YAML parse error as one line; the context mark is where the broken construct starts."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    return InputError(file, "", f"valid YAML (parse error at line {mark.line + 1 if mark else '?'})")
