"""The dead-link check: run on demand ("Check links") and at publish time, never per keystroke.

    check_links(scope, content) -> LinkCheck      probe the body's links (network), store the result
    stored_check(content) -> LinkCheck | None     the stored result if it is for the current body
    dead_links(content) -> tuple[str, ...] | None what the "Dead links" check reads (None: not checked)

The result lives in `Content.link_report["checked"]` with a fingerprint of the body, so any edit makes
it stale (the check then shows as not run until the next check or publish).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app

from writer_app.integrations.link_check import LinkChecker
from writer_app.models import Content, Role, Site, db
from writer_app.models.base import utcnow
from writer_app.services.links import store_on_content
from writer_app.services.scope import Scope
from writer_app.services.site_checks import site_levels
from writer_app.text.links import is_web_link, link_hrefs, normalize_url


@dataclass(frozen=True)
class LinkCheck:
    checked_at: str
    total: int
    dead: list[dict[str, str]] = field(default_factory=list)  # {"url", "reason"}


def _fingerprint(html: str) -> str:
    return hashlib.sha256((html or "").encode()).hexdigest()[:32]


def _checker() -> LinkChecker:
    config = current_app.config
    return LinkChecker(
        str(config.get("WORDPRESS_ALLOW_PRIVATE_HOSTS") or ""),
        timeout=float(config.get("LINK_CHECK_TIMEOUT", 3)),
        ttl=float(config.get("LINK_CHECK_CACHE_SECONDS", 600)),
    )


def body_urls(content: Content, site: Site) -> list[str]:
    base = site.wp_url or site.domain or ""
    urls = []
    for href in link_hrefs(content.html):
        if is_web_link(href):
            urls.append(normalize_url(href, base) if href.startswith("/") else href.strip())
    return list(dict.fromkeys(urls))


def check_links(scope: Scope, content: Content) -> LinkCheck:
    """Probe the body's links now and keep the result with the content (editor+; the caller commits)."""
    scope.require(Role.EDITOR)
    site = content.site or db.session.get(Site, content.site_id)
    assert site is not None
    urls = body_urls(content, site)
    results = _checker().check(urls) if urls else {}
    dead = [{"url": u, "reason": s.reason} for u, s in results.items() if not s.ok]
    check = LinkCheck(checked_at=utcnow().isoformat(), total=len(results), dead=dead)
    stored = {"fingerprint": _fingerprint(content.html), "at": check.checked_at, "total": check.total}
    # Not a text edit: no revision, and no new version for the editors' open forms.
    store_on_content(
        content, link_report={**(content.link_report or {}), "checked": {**stored, "dead": dead}}
    )
    return check


def stored_check(content: Content) -> LinkCheck | None:
    checked: dict[str, Any] = (content.link_report or {}).get("checked") or {}
    if not checked or checked.get("fingerprint") != _fingerprint(content.html):
        return None
    return LinkCheck(
        str(checked.get("at") or ""), int(checked.get("total") or 0), list(checked.get("dead") or [])
    )


def dead_links(content: Content) -> tuple[str, ...] | None:
    check = stored_check(content)
    return None if check is None else tuple(d["url"] for d in check.dead)


def check_links_before_publishing(scope: Scope, content: Content) -> None:
    """At publish time: check the body's links unless the check is Off for the site or the stored
    result is for this very text (the probes themselves are cached per URL for a while)."""
    site = content.site or db.session.get(Site, content.site_id)
    assert site is not None
    if site_levels(site).get("dead_links") == "off" or not current_app.config.get(
        "LINK_CHECK_ON_PUBLISH", True
    ):
        return
    stored = stored_check(content)
    ttl = float(current_app.config.get("LINK_CHECK_CACHE_SECONDS", 600))
    fresh = (
        stored is not None and (utcnow() - datetime.fromisoformat(stored.checked_at)).total_seconds() < ttl
    )
    if not fresh and link_hrefs(content.html):
        check_links(scope, content)
