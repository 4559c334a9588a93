"""The report a run leaves behind, even when the preview blocks.

pulumi/actions posts nothing when a preview fails, which is exactly when a
mandatory policy blocks. So the pack writes the run's findings itself: JSON at
``$TIERGUARD_REPORT`` (default ``tierguard-report.json`` in the working directory
of the run), with the Markdown comment beside it (same name, ``.md``).
"""

from __future__ import annotations

import os
from pathlib import Path

REPORT_ENV = "TIERGUARD_REPORT"
DEFAULT = "tierguard-report.json"
DISABLE = "off"


def report_path(environ=os.environ) -> Path | None:
    value = environ.get(REPORT_ENV, DEFAULT)
    return None if value == DISABLE else Path(value)


def write_report(report, path: Path | None) -> None:
    """JSON plus the rendered Markdown comment, each written atomically."""
    if path is None:
        return
    from tierguard.files import write_atomic
    from tierguard.output import renderer

    write_atomic(path, renderer("json")(report))
    write_atomic(path.with_suffix(".md"), renderer("markdown")(report))
