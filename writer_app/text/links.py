"""Links inside stored (sanitized) HTML: list them, drop the ones not allowed, insert one.

Works on the output of `sanitize_html`: attributes are double-quoted and `<a>` never nests (the
HTML5 parser behind nh3 closes an open `<a>` before the next), so a tag scan is exact here.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"', re.IGNORECASE)
_TAG = re.compile(r"(<[^>]+>)")
# Text inside these is not a place for a new link.
_NO_LINK_IN = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "figcaption", "caption"}


def normalize_url(url: str, base: str = "") -> str:
    """A URL as links are compared: scheme and host lower case, no fragment, no trailing slash on the
    path, default ports dropped. A relative URL is resolved against `base` (the site's address)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//") and base:
        parts = urlsplit(base if "://" in base else f"https://{base}")
        url = f"{parts.scheme}://{parts.netloc}{url}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def link_hrefs(html: str) -> list[str]:
    """Every href of the body's links, unescaped, in order (repeats kept)."""
    hrefs = []
    for match in _LINK.finditer(html or ""):
        href = _HREF.search(match.group(1))
        if href:
            hrefs.append(htmllib.unescape(href.group(1)))
    return hrefs


def is_web_link(href: str) -> bool:
    """http(s) and relative links; page fragments (#…), mailto: and tel: are not links to check."""
    href = href.strip().lower()
    return bool(href) and not href.startswith(("#", "mailto:", "tel:"))


def remove_links(html: str, allowed: Callable[[str], bool]) -> tuple[str, list[dict[str, str]]]:
    """Unwrap every web link whose href `allowed` refuses: its anchor text stays, the link goes.
    Returns the new HTML and the removed links as {"url", "text"} in order."""
    removed: list[dict[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        href_match = _HREF.search(match.group(1))
        href = htmllib.unescape(href_match.group(1)) if href_match else ""
        if not href_match or not is_web_link(href) or allowed(href):
            return match.group(0)
        text = re.sub(r"<[^>]+>", "", match.group(2))
        removed.append({"url": href, "text": htmllib.unescape(text).strip()})
        return match.group(2)

    return _LINK.sub(replace, html or ""), removed


def insert_link(html: str, anchor: str, url: str) -> str | None:
    """Link the first occurrence of `anchor` (whole words, any case) in text that is not already a
    link, heading or code. None when there is no such occurrence."""
    needle = htmllib.escape(anchor.strip(), quote=False)
    if not needle:
        return None
    pattern = re.compile(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", re.IGNORECASE)
    parts = _TAG.split(html or "")
    open_tags: list[str] = []
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name:
                tag = name.group(1).lower()
                if part.startswith("</"):
                    if tag in open_tags:
                        del open_tags[len(open_tags) - 1 - open_tags[::-1].index(tag)]
                elif not part.endswith("/>") and tag in _NO_LINK_IN:
                    open_tags.append(tag)
            continue
        if open_tags:
            continue
        match = pattern.search(part)
        if match:
            href = htmllib.escape(url, quote=True)
            linked = f'<a href="{href}">{match.group(0)}</a>'
            parts[index] = part[: match.start()] + linked + part[match.end() :]
            return "".join(parts)
    return None


def has_link_to(html: str, url: str, base: str = "") -> bool:
    wanted = normalize_url(url, base)
    return any(normalize_url(h, base) == wanted for h in link_hrefs(html))
