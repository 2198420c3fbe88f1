"""Publishing throughput: 50 content items to a local WordPress vs a bare requests loop.

Measured once publishing exists (services/publishing.py); until then the results say why not.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from bench.report import Check, Report
from bench.seed import Seeded

TITLE = "Publishing (50 items to WordPress vs a bare requests loop)"


def unavailable_reason() -> str | None:
    if importlib.util.find_spec("writer_app.services.publishing") is None:
        return "publishing is not built yet (writer_app/services/publishing.py does not exist)"
    return "the publishing bench is not written yet"


def run(
    report: Report, args: argparse.Namespace, seeded: Seeded, app: Any, secret: str, workdir: Path
) -> None:
    reason = unavailable_reason()
    report.sections[TITLE] = [f"not measured: {reason}"]
    report.checks.append(Check("publishing ≤ 1.3× bare loop", "-", None, reason or ""))
