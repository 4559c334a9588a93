"""Run the Pulumi program offline, under Pulumi's own mock runtime, and collect its resources.

No CLI, no credentials, no network: the mocks answer every resource registration
with its own inputs, which is all a tier check needs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tierguard.declared import Resource
from tierguard.errors import InputError
from tierguard.stack import stack_file

PLACEHOLDER_SECRET = "offline-placeholder"  # secure values are never decrypted offline


def flat_config(root: Path, stack: str) -> tuple[dict[str, str], list[str]]:
    """The stack file's config as the engine hands it over: strings, objects JSON-encoded."""
    doc = yaml.safe_load(stack_file(root, stack).read_text()) or {}
    flat, secrets = {}, []
    for key, value in (doc.get("config") or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            value = PLACEHOLDER_SECRET
            secrets.append(key)
        flat[key] = value if isinstance(value, str) else json.dumps(value)
    return flat, secrets


def _close_loops() -> None:
    # The SDK's executor threads each open an event loop and never close it; left to
    # the garbage collector at exit, each prints an "Invalid file descriptor" traceback.
    import asyncio
    import gc

    for obj in gc.get_objects():
        if isinstance(obj, asyncio.AbstractEventLoop) and not obj.is_closed() and not obj.is_running():
            obj.close()
    asyncio.set_event_loop(None)


def run_program(root: Path, project: str, stack: str, extra_config: dict[str, Any] | None = None) -> list[Resource]:
    """Register the program's resources under mocks and return them in order."""
    import pulumi
    from pulumi.runtime import mocks

    from tierguard.program import declare

    flat, secrets = flat_config(root, stack)
    flat.setdefault(f"{project}:supabaseDbPassword", PLACEHOLDER_SECRET)
    secrets.append(f"{project}:supabaseDbPassword")
    for key, value in (extra_config or {}).items():
        flat[key] = value if isinstance(value, str) else json.dumps(value)
    found: list[Resource] = []

    class Collect(mocks.Mocks):
        def new_resource(self, args: mocks.MockResourceArgs):
            found.append(Resource(args.typ, args.name, dict(args.inputs)))
            return f"{args.name}-id", dict(args.inputs)

        def call(self, args: mocks.MockCallArgs):
            return {}

    mocks.set_mocks(Collect(), project=project, stack=stack, preview=True)
    pulumi.runtime.set_all_config(flat, secrets)
    try:
        mocks.test(lambda: declare(root))()
        _close_loops()
    except InputError:
        raise
    except pulumi.ConfigMissingError as exc:
        raise InputError(stack_file(root, stack).relative_to(root), exc.key, "this key to be set") from None
    except Exception as exc:  # the program's own failure, e.g. a malformed config object
        cause = exc
        while cause.__cause__ or cause.__context__:
            if isinstance(cause, InputError):
                raise cause from None
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, InputError):
            raise cause from None
        raise InputError(stack_file(root, stack).relative_to(root), "", f"a config the program accepts ({exc})") from None
    return found
