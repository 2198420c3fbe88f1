"""The numbers on the dashboard, each a single aggregate query."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from writer_app.models import Content, ContentStatus, Job, Task, db
from writer_app.services.credits import balance
from writer_app.services.scope import Scope, scoped


@dataclass
class DashboardData:
    task_counts: dict[str, int] = field(default_factory=dict)
    content_counts: dict[str, int] = field(default_factory=dict)
    credits: int = 0
    waiting_for_review: list[Content] = field(default_factory=list)
    recent_jobs: list[Job] = field(default_factory=list)


def _counts_by_status(scope: Scope, model: type) -> dict[str, int]:
    stmt = scoped(scope, model).with_only_columns(model.status, func.count()).group_by(model.status)
    if scope.site_id:
        stmt = stmt.where(model.site_id == scope.site_id)
    return {
        str(status.value if hasattr(status, "value") else status): n for status, n in db.session.execute(stmt)
    }


def dashboard(scope: Scope) -> DashboardData:
    review = scoped(scope, Content).where(Content.status == ContentStatus.REVIEW)
    if scope.site_id:
        review = review.where(Content.site_id == scope.site_id)
    # Longest waiting first, named by who submitted it (not who edited it last).
    review = (
        review.options(joinedload(Content.submitted_by))
        .order_by(Content.submitted_at, Content.updated_at, Content.id)
        .limit(10)
    )
    jobs = (
        select(Job)
        .where(Job.account_id == scope.account_id, Job.kind != "send_mail")  # mail jobs: Settings → Email
        .options(joinedload(Job.user))
        .order_by(Job.created_at.desc())
        .limit(8)
    )
    return DashboardData(
        task_counts=_counts_by_status(scope, Task),
        content_counts=_counts_by_status(scope, Content),
        credits=balance(scope.account_id),
        waiting_for_review=list(db.session.scalars(review)),
        recent_jobs=list(db.session.scalars(jobs)),
    )
