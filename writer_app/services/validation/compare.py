"""Comparing two analyses (e.g. of two revisions): which checks changed status or measured value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Analysis


@dataclass(frozen=True)
class CheckChange:
    """One check compared between two analyses (None: absent, i.e. off or not applicable)."""

    key: str
    label: str
    before: str | None
    after: str | None
    before_value: Any
    after_value: Any


def compare_analyses(before: Analysis, after: Analysis) -> list[CheckChange]:
    """Checks whose status or measured value differ between two analyses, in check order."""
    keys = [c.key for c in after.checks] + [c.key for c in before.checks if not after.check(c.key)]
    changes = []
    for key in keys:
        old, new = before.check(key), after.check(key)
        old_state = (old.status, old.value) if old else (None, None)
        new_state = (new.status, new.value) if new else (None, None)
        if old_state != new_state:
            label = (new or old).label  # type: ignore[union-attr]
            changes.append(CheckChange(key, label, old_state[0], new_state[0], old_state[1], new_state[1]))
    return changes
