"""The report a run leaves behind, even when the preview blocks.

pulumi/actions posts nothing when a preview fails, which is exactly when a mandatory
policy blocks. So the pack's ``tierguard-summary`` policy (which runs on every
``AnalyzeStack``, blocked or not) writes the run's report itself: JSON, with the
Markdown pull-request comment beside it (same name, ``.md``).

Where, first match wins:

1. ``$TIERGUARD_REPORT`` (``off`` writes nothing);
2. the ``reportFile`` key of the ``tierguard-summary`` policy config (``off`` too);
3. ``tierguard-report.<stack>.json``: one file per stack, so previews of several
   stacks in one CI job do not overwrite each other.

The engine starts the pack with its working directory set to the pack's own directory
(``policies/``), not where ``pulumi preview`` ran. So a relative path is taken from the
project root: the nearest directory at or above the pack's whose ``Pulumi.yaml`` names
``$PULUMI_PROJECT``; from the pack's directory if there is none.
"""

from __future__ import annotations

import os
from pathlib import Path

REPORT_ENV = "TIERGUARD_REPORT"
CONFIG_KEY = "reportFile"  # in the tierguard-summary policy's config
DISABLE = "off"


def default_name(stack: str | None) -> str:
    return f"tierguard-report.{stack}.json" if stack else "tierguard-report.json"


def project_root(environ=os.environ, start: Path | None = None) -> Path | None:
    """The Pulumi project the pack checks, found from the pack's directory upwards."""
    from tierguard.errors import InputError
    from tierguard.stack import project_name

    project = environ.get("PULUMI_PROJECT")
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if project and (d / "Pulumi.yaml").is_file():
            try:
                if project_name(d) == project:
                    return d
            except InputError:
                continue
    return None


def report_path(environ=os.environ, configured: str | None = None, base: Path | None = None) -> Path | None:
    """Where the report goes (None: nowhere); relative paths are taken from ``base``."""
    value = environ.get(REPORT_ENV) or configured or default_name(environ.get("PULUMI_STACK"))
    if value == DISABLE:
        return None
    path = Path(value)
    return path if base is None or path.is_absolute() else base / path


def write_report(report, path: Path | None) -> None:
    """JSON plus the rendered Markdown comment, each written atomically; a list of reports as one."""
    if path is None:
        return
    from tierguard.files import write_atomic
    from tierguard.output import renderer

    many = isinstance(report, list)
    write_atomic(path, renderer("json", many)(report))
    write_atomic(path.with_suffix(".md"), renderer("markdown", many)(report))
