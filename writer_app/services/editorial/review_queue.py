"""The review queue: content waiting for a decision, oldest submission first, with what a reviewer
weighs before opening it (SEO and readability scores, who submitted it, how long it has waited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from writer_app.models import Content, Revision, Role, User, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services import plain_reads
from writer_app.services.count_cache import CountKey, cached_count
from writer_app.services.editorial import WAITING_STATUSES
from writer_app.services.scope import Scope, scope_params, scoped, scoped_once
from writer_app.services.validation import Analysis

LIMIT = 200


@dataclass(frozen=True)
class QueueItem:
    content: Content
    submitted_by: User | None
    submitted_at: datetime
    seo_score: int | None
    readability_score: int | None

    @property
    def waiting_seconds(self) -> int:
        return max(0, int((utcnow() - as_utc(self.submitted_at)).total_seconds()))


def _waiting(scope: Scope, site_id: int | None) -> Any:
    stmt = scoped(scope, Content).where(Content.status.in_(list(WAITING_STATUSES)))
    if site_id:
        stmt = stmt.where(Content.site_id == site_id)
    return stmt


@cache
def _waiting_count() -> Any:
    waiting = Content.status.in_(sorted(WAITING_STATUSES))
    return scoped_once(Content).where(waiting).with_only_columns(func.count())


def waiting_count(scope: Scope) -> int:
    """How much waits for review in the account (the navigation's badge); 0 below reviewer."""
    if not scope.can(Role.REVIEWER):
        return 0
    # On every page (the layout): from the count cache while the account's data is unchanged.
    return cached_count(
        CountKey(scope.account_id, "review waiting"),
        lambda: int(plain_reads.scalar(_waiting_count(), scope_params(scope)) or 0),
    )


def _scores(content_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(SEO, readability) of each content's latest analysed revision."""
    latest = (
        select(func.max(Revision.id))
        .where(Revision.content_id.in_(content_ids), Revision.analysis.is_not(None))
        .group_by(Revision.content_id)
    )
    scores = {}
    for content_id, stored in db.session.execute(
        select(Revision.content_id, Revision.analysis).where(Revision.id.in_(latest))
    ):
        if stored and (stored.get("checks") or "seo_score" in stored):
            analysis = Analysis.from_dict(stored)
            scores[content_id] = (analysis.seo_score, analysis.readability_score)
    return scores


def review_queue(scope: Scope, site_id: int | None = None) -> list[QueueItem]:
    """Content waiting for review (reviewer+), the longest waiting first."""
    scope.require(Role.REVIEWER)
    contents = list(
        db.session.scalars(
            _waiting(scope, site_id).options(
                joinedload(Content.site),
                joinedload(Content.last_edited_by),
                joinedload(Content.submitted_by),
            )
        )
    )
    ids = [c.id for c in contents]
    scores = _scores(ids) if ids else {}
    items = []
    for content in contents:
        seo, readability = scores.get(content.id, (None, None))
        items.append(
            QueueItem(
                content=content,
                submitted_by=content.submitted_by,
                submitted_at=content.submitted_at or content.updated_at,
                seo_score=seo,
                readability_score=readability,
            )
        )
    items.sort(key=lambda item: (as_utc(item.submitted_at), item.content.id))
    return items[:LIMIT]
