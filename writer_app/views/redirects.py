"""Where a `next` parameter may send the browser: only paths of this site.

Browsers drop tabs and newlines from URLs and read a backslash as a slash, so `/\\t/evil.example` or
`/\\evil.example` lands on another site although it starts with one slash. A target is refused when
it (or its percent-decoded path) holds any control character, whitespace or backslash, does not start
with exactly one slash, or names a scheme or host.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit


def _clean(text: str) -> bool:
    return not any(ch == "\\" or ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text)


def _local(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def is_local_path(target: str | None) -> bool:
    if not target or not _clean(target) or not _local(target):
        return False
    # Double-encoded tricks (`/%2F%2Fevil`, `/%09/evil`) are refused too: the path once decoded
    # must pass the same rules. The query may hold encoded spaces and slashes (a search).
    path = unquote(urlsplit(target).path)
    return _clean(path) and _local(path)


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path of this site, else `fallback`."""
    return target if target is not None and is_local_path(target) else fallback


def referrer_path(referrer: str | None, host: str) -> str | None:
    """The local path of a same-site Referer header (the page a form was sent from), else None."""
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_local_path(path) else None
