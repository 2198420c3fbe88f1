"""Values from a WordPress answer, made to fit Writer's columns before anything is written.

WordPress (or whatever answers at a site's address) is outside input: an id may be a string or out of
range, a `link` may be `javascript:…` or longer than the column, a name may hold NUL bytes PostgreSQL
refuses. Writing such values raw ends in a database error shown to the user; these helpers clean them
or raise a `WordPressError` with a plain message.

    remote_id(value, what) -> int       a positive id that fits an INTEGER column, else WordPressError
    remote_text(value, limit) -> str     control characters (but tab/newline) removed, cut to `limit`
    remote_link(value, limit) -> str     an http(s) URL that fits, else "" (never javascript:, data:, ...)
    remote_count(value) -> int           a count clamped to 0..INTEGER max
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from writer_app.integrations.wordpress import WordPressError

MAX_INTEGER = 2**31 - 1  # the smallest INTEGER of the databases Writer runs on (PostgreSQL)
URL_LENGTH = 1000  # Content.external_url, Image.image_url
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def remote_id(value: Any, what: str = "post") -> int:
    """WordPress ids are positive integers; anything else is a broken answer, not data to store."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if not 0 < number <= MAX_INTEGER:
        raise WordPressError(f"WordPress answered without a valid {what} id", code="bad_answer")
    return number


def remote_text(value: Any, limit: int | None = None) -> str:
    text = _CONTROL.sub("", "" if value is None else str(value))
    return text[:limit] if limit is not None else text


def remote_link(value: Any, limit: int = URL_LENGTH) -> str:
    """The URL when it is a plain http(s) link that fits `limit`; "" otherwise (shown as no link)."""
    link = "" if value is None else str(value).strip()
    if not link or len(link) > limit or _CONTROL.search(link) or any(c.isspace() for c in link):
        return ""
    try:
        parts = urlsplit(link)
    except ValueError:
        return ""
    return link if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def remote_count(value: Any) -> int:
    try:
        return max(0, min(int(value or 0), MAX_INTEGER))
    except (TypeError, ValueError):
        return 0
