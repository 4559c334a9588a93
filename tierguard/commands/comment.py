"""``tierguard comment``: post the pull request's tierguard comment, or edit it in place.

The body is the Markdown that ``check``/``report --format markdown`` wrote (``--file``), or,
without ``--file``, a fresh ``tierguard check`` of ``--stack``/``--all-stacks``. Its hidden
marker (one per stack, or one for all stacks) finds the comment to edit, so a pull request
carries one tierguard comment per marker however often the workflow runs.

Needs what GitHub Actions sets: ``GITHUB_TOKEN`` (passed in ``env:``), ``GITHUB_REPOSITORY``,
``GITHUB_EVENT_PATH`` (the pull request's number) and ``GITHUB_API_URL`` (default
https://api.github.com). Exit 0 when the comment is posted; 2 when the environment, the file
or the GitHub API says no (401, 403, 404...), with one line naming which. The token is never printed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tierguard.commands.common import positive_int
from tierguard.errors import InputError

MARKER = re.compile(r"^<!-- tierguard:stack=[^>]* -->$", re.MULTILINE)


def add(sub) -> None:
    p = sub.add_parser("comment", help="post or update the pull request's one tierguard comment (GitHub Actions)")
    p.add_argument("--file", type=Path, help="the Markdown comment to post (default: run tierguard check now)")
    p.add_argument("--stack", default="beta", help="without --file: the stack to check (default: beta)")
    p.add_argument("--all-stacks", action="store_true", help="without --file: check every stack, one comment")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="the Pulumi project directory (default: .)")
    p.add_argument("--pr", type=positive_int, help="the pull request number (default: from $GITHUB_EVENT_PATH)")


def _env(name: str, expected: str, default: str | None = None) -> str:
    value = os.environ.get(name) or default
    if not value:
        raise InputError("environment", name, expected)
    return value


def _pr_number() -> int:
    path = _env("GITHUB_EVENT_PATH", "the event file GitHub Actions sets (or pass --pr)")
    try:
        event = json.loads(Path(path).read_text())
        return int((event.get("pull_request") or event.get("issue") or {})["number"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise InputError(path, "pull_request.number", "a pull_request event (run on: pull_request, or pass --pr)") from None


def _body(args) -> str:
    if args.file is not None:
        try:
            return args.file.read_text()
        except OSError:
            raise InputError(args.file, "", "the Markdown written by tierguard check --format markdown --output FILE") from None
    from tierguard.commands.check import rendered, run_check
    from tierguard.commands.common import stacks_of

    root = args.root.resolve()
    return rendered("markdown", [run_check(root, s) for s in stacks_of(args, root)], args.all_stacks)


def run(args) -> int:
    from tierguard.github import DEFAULT_API, GitHub

    token = _env("GITHUB_TOKEN", "a token (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})")
    repo = _env("GITHUB_REPOSITORY", "owner/name (GitHub Actions sets it)")
    number = args.pr or _pr_number()
    body = _body(args)
    m = MARKER.search(body)
    if m is None:
        raise InputError(args.file or "tierguard check", "", "a tierguard comment with its <!-- tierguard:stack=… --> marker")
    action, comment = GitHub(_env("GITHUB_API_URL", "", DEFAULT_API), repo, token).upsert(number, body, m.group(0))
    print(f"tierguard comment: {action} comment {comment.get('id')} on {repo}#{number} ({len(body):,} characters)")
    return 0
