"""Suggested internal links for a piece of content, and inserting one with a click.

    suggested_links(scope, content_id) -> list[Suggestion]        ranked; only the site's real pages
    insert_suggested_link(scope, content_id, url, anchor, expected_version) -> Content   saves a revision

The anchor text is the target's keyphrase, else its title, where that occurs in the body outside
links, headings and code; a target the body does not mention yet is listed without an insert button.
A hub is offered its cluster's supporting pieces first (inventory ranking).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from writer_app.models import Content, ContentClusterMap, Role, Site, db
from writer_app.services.content import get_content, update_content
from writer_app.services.errors import ValidationError
from writer_app.services.links.inventory import Subject, ranked_targets
from writer_app.services.scope import Scope
from writer_app.text.links import has_link_to, insert_link, normalize_url

SHOWN = 8
RANKED = 40  # targets considered before those already linked are skipped


@dataclass(frozen=True)
class Suggestion:
    url: str
    title: str
    anchor: str  # "" when the body does not mention the target yet
    reason: str

    @property
    def insertable(self) -> bool:
        return bool(self.anchor)


def _role(scope: Scope, content_id: int) -> str | None:
    role = db.session.scalar(
        select(ContentClusterMap.role)
        .where(ContentClusterMap.account_id == scope.account_id, ContentClusterMap.content_id == content_id)
        .limit(1)
    )
    return str(role) if role else None


def _anchor(html: str, candidates: list[str], url: str) -> str:
    for text in candidates:
        if text.strip() and insert_link(html, text, url) is not None:
            return text.strip()
    return ""


def suggestions_for(scope: Scope, content: Content) -> list[Suggestion]:
    site = content.site or db.session.get(Site, content.site_id)
    assert site is not None
    base = site.wp_url or site.domain or ""
    subject = Subject.for_content(content, _role(scope, content.id))
    own_url = normalize_url(content.external_url, base) if content.external_url else ""
    found: list[Suggestion] = []
    for target in ranked_targets(scope, site.id, subject, RANKED):
        if normalize_url(target.url, base) == own_url or has_link_to(content.html, target.url, base):
            continue
        anchor = _anchor(content.html, [target.keyphrase, target.title], target.url)
        found.append(Suggestion(target.url, target.title, anchor, target.reason))
    # Insertable ones first, the ranking kept within each group.
    found.sort(key=lambda s: not s.insertable)
    return found[:SHOWN]


def suggested_links(scope: Scope, content_id: Any) -> list[Suggestion]:
    return suggestions_for(scope, get_content(scope, content_id))


def insert_suggested_link(
    scope: Scope, content_id: Any, url: Any, anchor: Any, expected_version: int | None
) -> Content:
    """Link the first unlinked occurrence of `anchor` to `url`, a page of the site's inventory
    (editor+); a new revision names the link. Field errors when the URL or anchor no longer fit."""
    scope.require(Role.EDITOR)
    content = get_content(scope, content_id)
    url, anchor = str(url or "").strip(), str(anchor or "").strip()
    wanted = {s.url: s for s in suggestions_for(scope, content)}
    suggestion = wanted.get(url)
    if suggestion is None:
        raise ValidationError.field("url", "That page is not among this content's suggested links any more.")
    html = insert_link(content.html, anchor, url) if anchor else None
    if html is None:
        raise ValidationError.field("anchor", f"“{anchor}” no longer occurs unlinked in the body.")
    return update_content(
        scope, content.id, expected_version, html=html, note=f"Inserted a link to “{suggestion.title}”"
    )
