"""The few GitHub REST calls ``tierguard comment`` makes, with urllib only.

One sticky comment per marker: list the pull request's issue comments (following
``Link: rel="next"``), edit the one whose line equals the marker, or create it. Any
failure is an ``InputError`` (exit 2) naming the call and GitHub's answer; the token is
never part of a message.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from tierguard.errors import InputError

DEFAULT_API = "https://api.github.com"
TIMEOUT = 30.0
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


@dataclass(frozen=True)
class GitHub:
    api: str  # e.g. https://api.github.com, or a GitHub Enterprise .../api/v3
    repo: str  # owner/name
    token: str

    def _call(self, method: str, url: str, body: dict | None = None) -> tuple[object, str | None]:
        """(decoded JSON, the next page's URL) of one call."""
        req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(), headers={
            "Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "tierguard", "Content-Type": "application/json"})
        shown = f"{method} {urlsplit(url).path}"
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                data = json.loads(resp.read() or b"null")
                link = resp.headers.get("Link") or ""
        except urllib.error.HTTPError as err:
            raise InputError("GitHub API", shown, self._why(err)) from None
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise InputError("GitHub API", shown, f"an answer from {self.api} ({self._clean(str(err))})") from None
        m = _NEXT.search(link)
        nxt = m.group(1) if m else None
        if nxt and not nxt.startswith(self.api.rstrip("/") + "/"):  # never send the token anywhere else
            raise InputError("GitHub API", shown, f"a next page under {self.api}", self._clean(nxt))
        return data, nxt

    def _why(self, err: urllib.error.HTTPError) -> str:
        try:
            msg = json.loads(err.read() or b"{}").get("message", "")
        except (ValueError, AttributeError):
            msg = ""
        hint = {401: "; check GITHUB_TOKEN", 403: "; the job needs permissions: pull-requests: write",
                404: "; check GITHUB_REPOSITORY and the pull request number"}.get(err.code, "")
        return self._clean(f"success (HTTP {err.code}{': ' + msg if msg else ''}{hint})")

    def _clean(self, text: str) -> str:
        return text.replace(self.token, "***") if self.token else text

    def comments(self, number: int) -> list[dict]:
        url: str | None = f"{self.api.rstrip('/')}/repos/{self.repo}/issues/{number}/comments?per_page=100"
        out: list[dict] = []
        while url:
            page, url = self._call("GET", url)
            out += page if isinstance(page, list) else []
        return out

    def upsert(self, number: int, body: str, marker: str) -> tuple[str, dict]:
        """("created" or "updated", the comment): the one comment carrying ``marker`` on a line of its own."""
        base = f"{self.api.rstrip('/')}/repos/{self.repo}/issues"
        mine = next((c for c in self.comments(number) if marker in (c.get("body") or "").splitlines()), None)
        if mine is None:
            return "created", self._call("POST", f"{base}/{number}/comments", {"body": body})[0]
        return "updated", self._call("PATCH", f"{base}/comments/{mine['id']}", {"body": body})[0]
