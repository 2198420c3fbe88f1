"""A site's link inventory: the pages an article may link to internally, never invented ones.

    site_inventory(scope, site_id) -> list[LinkTarget]             every linkable page of the site
    ranked_targets(scope, site_id, subject, limit) -> list[LinkTarget]   best first for one piece
    Subject.for_task(task) / Subject.for_content(content)           what is being written

A target is published content with a WordPress URL: Writer's own published content and the site's
synced (imported) WordPress posts, which are stored as content of source "wordpress" (URL, title,
keyphrase). Ranking: the cluster role first — a hub's own supporting pieces and a supporting piece's
hub (tier 2), then the rest of the same cluster (tier 1), then the site — and within a tier the Jaccard
similarity of the plural-folded content words of title + keyphrase (set overlap, 0..1: simple, and
scale-free for texts this short).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from writer_app.models import (
    ClusterRole,
    Content,
    ContentClusterMap,
    ContentStatus,
    ContentStructure,
    Site,
    Task,
    db,
)
from writer_app.services.scope import Scope, get, scoped
from writer_app.services.validation.keyphrase import Keyphrase, word_forms
from writer_app.services.validation.wordlists import FUNCTION_WORDS
from writer_app.text.links import normalize_url

DEFAULT_LIMIT = 10
MAX_TARGETS = 2000  # a site's inventory read per call (newest first)


@dataclass(frozen=True)
class Subject:
    """The piece links are ranked for."""

    title: str
    keyphrase: str = ""
    cluster_id: int | None = None
    hub: bool = False  # written as the cluster's hub
    content_id: int | None = None  # itself: never a target

    @classmethod
    def for_task(cls, task: Task) -> Subject:
        keywords = task.keyword_list
        return cls(
            title=task.title,
            keyphrase=keywords[0] if keywords else "",
            cluster_id=task.cluster_id,
            hub=ContentStructure(task.content_structure) == ContentStructure.CLUSTER_HUB,
        )

    @classmethod
    def for_content(cls, content: Content, role: str | None = None) -> Subject:
        hub = (
            role == ClusterRole.HUB
            if role
            else (ContentStructure(content.content_structure) == ContentStructure.CLUSTER_HUB)
        )
        return cls(
            title=content.title,
            keyphrase=content.primary_keyword or "",
            cluster_id=content.cluster_id,
            hub=bool(hub),
            content_id=content.id,
        )


@dataclass(frozen=True)
class LinkTarget:
    url: str
    title: str
    keyphrase: str
    content_id: int
    cluster_id: int | None
    role: str  # "hub", "supporting", "attribute" or "" (no cluster map row, e.g. an imported post)
    source: str  # "writer" or "wordpress"
    tier: int = 0
    similarity: float = 0.0

    @property
    def reason(self) -> str:
        if self.tier == 2:
            return (
                "the hub of this cluster" if self.role == ClusterRole.HUB else "a piece of this hub's cluster"
            )
        if self.tier == 1:
            return "same cluster"
        return "related topic" if self.similarity else "same site"


def _words(text: str) -> frozenset[str]:
    """Content words, each folded to its shortest plausible singular."""
    parsed = Keyphrase.parse(text)
    return frozenset(min(word_forms(w), key=len) for w in parsed.words if w not in FUNCTION_WORDS)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the content words of two short texts (0 when either has none)."""
    x, y = _words(a), _words(b)
    return round(len(x & y) / len(x | y), 3) if x and y else 0.0


def site_inventory(scope: Scope, site_id: int) -> list[LinkTarget]:
    """Every page of the site that can be linked to: published, with a URL on WordPress."""
    rows = db.session.execute(
        scoped(scope, Content)
        .with_only_columns(
            Content.id,
            Content.title,
            Content.primary_keyword,
            Content.external_url,
            Content.cluster_id,
            Content.source,
        )
        .where(
            Content.site_id == site_id,
            Content.status == ContentStatus.PUBLISHED,
            Content.external_url != "",
        )
        .order_by(Content.id.desc())
        .limit(MAX_TARGETS)
    ).all()
    roles = dict(
        db.session.execute(
            select(ContentClusterMap.content_id, ContentClusterMap.role).where(
                ContentClusterMap.account_id == scope.account_id,
                ContentClusterMap.content_id.in_([r.id for r in rows] or [0]),
            )
        ).all()
    )
    return [
        LinkTarget(
            url=r.external_url,
            title=r.title,
            keyphrase=r.primary_keyword or "",
            content_id=r.id,
            cluster_id=r.cluster_id,
            role=str(roles[r.id]) if r.id in roles else "",
            source="wordpress" if str(r.source) == "wordpress" else "writer",
        )
        for r in rows
        if r.external_url.startswith(("http://", "https://"))
    ]


def _tier(subject: Subject, target: LinkTarget) -> int:
    if subject.cluster_id is None or target.cluster_id != subject.cluster_id:
        return 0
    complementary = target.role == ClusterRole.SUPPORTING if subject.hub else target.role == ClusterRole.HUB
    return 2 if complementary else 1


def rank(subject: Subject, targets: list[LinkTarget], limit: int = DEFAULT_LIMIT) -> list[LinkTarget]:
    text = f"{subject.title} {subject.keyphrase}"
    scored = [
        LinkTarget(
            **{
                **t.__dict__,
                "tier": _tier(subject, t),
                "similarity": similarity(text, f"{t.title} {t.keyphrase}"),
            }
        )
        for t in targets
        if t.content_id != subject.content_id
    ]
    scored.sort(key=lambda t: (-t.tier, -t.similarity, t.title.lower(), t.content_id))
    return scored[:limit]


def ranked_targets(
    scope: Scope, site_id: int, subject: Subject, limit: int = DEFAULT_LIMIT
) -> list[LinkTarget]:
    return rank(subject, site_inventory(scope, site_id), limit)


def inventory_urls(scope: Scope, site_id: int) -> set[str]:
    """The normalized URLs of the site's inventory (what AI output may link to internally)."""
    site = get(scope, Site, site_id)
    return {normalize_url(t.url, site.wp_url or site.domain) for t in site_inventory(scope, site_id)}
