"""Small pieces of HTML the pages repeat for every row: a status badge, the offline-draft badge, a time
shown as "3 hours ago", the options of a long select. Python rather than Jinja macros: a list of 50 rows
calls them 150 times, and a macro call cost more than the cell it writes (bench/README.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

import humanize
from markupsafe import Markup

from writer_app.models.base import as_utc


def text(value: str) -> str:
    """`value` escaped for HTML exactly as markupsafe.escape writes it, as plain text to put in markup
    we build. escape() wraps each answer in a new Markup (two Python calls and a hasattr), which cost
    more than the text a list cell holds; a task row escapes 20 values. For data (str, StrEnum), never
    for Markup: this escapes it again."""
    return (
        value.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


STATUS_LABELS = {"draft": "Draft", "review": "In review", "approved": "Approved", "published": "Published"}
OFFLINE_BADGE = Markup(
    '<span class="badge badge-offline" title="Written by the offline provider, not a real AI model: '
    'rewrite before publishing">offline draft</span>'
)


def timeago(value: datetime | None) -> str:
    """How long ago (or from now) in humanize's words: "3 hours ago"."""
    if value is None:
        return ""
    return ago(datetime.now(UTC) - as_utc(value))


def ago(delta: timedelta) -> str:
    """humanize.naturaltime of a delta. Past a day humanize reads nothing but the delta's days (and its
    sign), so those answers are kept: a list's rows mostly lie days apart, and humanize's gettext
    lookups cost 7 µs a call, 350 µs for 50 rows (tests/unit/test_display.py compares both)."""
    whole = abs(delta)
    if whole.days >= 1:
        return _days_ago(delta < _NOW, whole.days)
    return humanize.naturaltime(delta)


_NOW = timedelta(0)


@lru_cache(maxsize=4096)
def _days_ago(future: bool, days: int) -> str:
    return humanize.naturaltime(-timedelta(days=days) if future else timedelta(days=days))


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
    # Built as text from escaped parts: Markup's `%` wraps each value in a helper object and
    # Markup.format goes through string.Formatter, together half the cost of a content row's cells.
    exact = value.strftime("%Y-%m-%d %H:%M")
    html = f'<time datetime="{value.isoformat()}" title="{exact} UTC">{text(timeago(value))}</time>'
    return Markup(html)  # noqa: S704  (dates we format and escaped words)


def options(choices: Iterable[tuple[Any, ...]], selected: Any) -> Markup:
    """`<option>`s for (value, label, ...) tuples, the one whose value equals `selected` as text marked
    selected. A filter's cluster select lists every cluster of the account (a hundred options cost a
    Jinja loop 8 M instructions, as much as 12 table rows)."""
    chosen = "" if selected is None else str(selected)
    return Markup(  # noqa: S704  (each value and label is escaped)
        "".join(
            f'<option value="{text(str(value))}"{" selected" if str(value) == chosen else ""}>{text(label)}</option>'
            for value, label, *_ in choices
        )
    )
