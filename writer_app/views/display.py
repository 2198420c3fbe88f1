"""Small pieces of HTML the content pages repeat for every row: a status badge, the offline-draft
badge and a time shown as "3 hours ago". Python rather than Jinja macros: a list of 50 rows calls
them 150 times, and a macro call cost more than the cell it writes (bench/README.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

import humanize
from markupsafe import Markup

from writer_app.models.base import as_utc

STATUS_LABELS = {"draft": "Draft", "review": "In review", "approved": "Approved", "published": "Published"}
OFFLINE_BADGE = Markup(
    '<span class="badge badge-offline" title="Written by the offline provider, not a real AI model: '
    'rewrite before publishing">offline draft</span>'
)


def timeago(value: datetime | None) -> str:
    if value is None:
        return ""
    return humanize.naturaltime(datetime.now(UTC) - as_utc(value))


@cache
def status_badge(status: Any) -> Markup:
    """A content status (enum member or its value) as a badge."""
    value = getattr(status, "value", status)
    return Markup('<span class="badge badge-%s">%s</span>') % (value, STATUS_LABELS.get(value, value))


def offline_badge(content: Any) -> Markup:
    return OFFLINE_BADGE if content.is_offline_draft else Markup()


def when(value: datetime | None) -> Markup:
    """A <time> saying how long ago, with the exact UTC time as its title; nothing for no time."""
    if not value:
        return Markup()
    # `%` escapes each value; Markup.format goes through string.Formatter, several times slower.
    exact = value.strftime("%Y-%m-%d %H:%M")
    return Markup('<time datetime="%s" title="%s UTC">%s</time>') % (value.isoformat(), exact, timeago(value))
