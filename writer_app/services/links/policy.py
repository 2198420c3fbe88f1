"""Which links AI output may keep: the site's inventory and the outbound URLs editors allowed.

    allowed_links(scope, site) -> AllowedLinks                   the predicate for one site
    filter_links(scope, site, html, allowed=None) -> (html, removed)   unwrap every other link
    allowed_outbound(site) -> list[str]; save_allowed_outbound(scope, site_id, text)   (admin)

Editor-allowed outbound URLs are a per-site list (Site.settings["allowed_outbound"], edited with the
brand voice): an entry is a domain (`energy.gov`: that host and its subdomains) or a URL prefix
(`https://example.org/guides/`). A per-site list, not per task, because sources a site trusts are
the same from one article to the next, and AI fixes of existing content have no task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from writer_app.models import Role, Site, db
from writer_app.services import audit
from writer_app.services.errors import ValidationError
from writer_app.services.links.inventory import inventory_urls
from writer_app.services.scope import Scope, get
from writer_app.text.links import normalize_url, remove_links

SETTINGS_KEY = "allowed_outbound"
MAX_ENTRIES = 200
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class AllowedLinks:
    """A link may stay when it is in the inventory or matches an allowed outbound entry."""

    base: str  # the site's address, for relative links
    internal: frozenset[str]
    outbound: tuple[str, ...] = ()

    def __call__(self, href: str) -> bool:
        url = normalize_url(href, self.base)
        if url in self.internal:
            return True
        host = (urlsplit(url).hostname or "").lower()
        for entry in self.outbound:
            if "/" in entry:
                prefix = normalize_url(entry)
                if url == prefix or url.startswith(prefix.rstrip("/") + "/"):
                    return True
            elif host == entry or host.endswith("." + entry):
                return True
        return False


def allowed_outbound(site: Site) -> list[str]:
    return [str(e) for e in (site.settings or {}).get(SETTINGS_KEY) or []]


def _entry(raw: str) -> str:
    entry = raw.strip()
    if "://" in entry:
        parts = urlsplit(entry)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"“{entry}” is not an http:// or https:// address.")
        return entry if parts.path not in ("", "/") else (parts.hostname or "").lower()
    domain = entry.lower().removeprefix("www.").rstrip(".")
    if not _DOMAIN.match(domain):
        raise ValueError(f"“{entry}” is neither a domain (example.org) nor an address (https://…).")
    return domain


def save_allowed_outbound(scope: Scope, site_id: Any, text: Any) -> list[str]:
    """Admins set the outbound URLs AI drafts may link to: one domain or URL prefix per line."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    entries: list[str] = []
    for line in re.split(r"[\n,]", str(text or "")):
        if not line.strip():
            continue
        try:
            entry = _entry(line)
        except ValueError as error:
            raise ValidationError.field("allowed_outbound", str(error)) from None
        if entry not in entries:
            entries.append(entry)
    if len(entries) > MAX_ENTRIES:
        raise ValidationError.field("allowed_outbound", f"List at most {MAX_ENTRIES} entries.")
    if entries != allowed_outbound(site):
        site.settings = {**(site.settings or {}), SETTINGS_KEY: entries}
        audit.record(scope, "site.allowed_outbound", site, entries=len(entries))
        db.session.flush()
    return entries


def allowed_links(scope: Scope, site: Site) -> AllowedLinks:
    return AllowedLinks(
        base=site.wp_url or site.domain or "",
        internal=frozenset(inventory_urls(scope, site.id)),
        outbound=tuple(allowed_outbound(site)),
    )


def filter_links(
    scope: Scope, site: Site, html: str, allowed: AllowedLinks | None = None
) -> tuple[str, list[dict[str, str]]]:
    """Unwrap every link of AI output that is neither in the site's inventory nor allowed outbound
    (its anchor text stays); returns the HTML and the removed links ({"url", "text"}) in order.
    Pass `allowed` to reuse one predicate for many drafts of the site."""
    return remove_links(html, allowed or allowed_links(scope, site))
