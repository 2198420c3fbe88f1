"""The editorial calendar: scheduled and published content by day, rescheduling, missed schedules.

A post is *scheduled* when WordPress holds it as a `future` post (or its scheduling job is still on its
way), or when it is approved with a date and the `approved` status exists. Rescheduling goes through
publishing.schedule, so the review rules and the WordPress update apply as on the content page.
A scheduled post whose time has passed is *overdue* until the status check (`check_overdue`) asks
WordPress: still `future` there means it *missed its schedule* (WordPress's cron did not publish it);
`publish` means it went out, and the calendar shows it published at its time.
"""

from __future__ import annotations

import calendar as calendar_module
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from writer_app.models import Content, ContentStatus, Job, Role, SyncStatus, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services.editorial import APPROVED, RESCHEDULABLE_STATUSES
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.publishing import actions as publishing
from writer_app.services.scope import Scope, get, scoped

GRACE = timedelta(minutes=5)  # WordPress's cron may run a little late


@dataclass(frozen=True)
class Entry:
    content: Content
    when: datetime  # UTC
    local: datetime  # in the site's (WordPress) timezone
    state: str  # scheduled | overdue | missed | published

    @property
    def scheduled(self) -> bool:
        return self.state != "published"


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[date]]
    days: dict[date, list[Entry]] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{calendar_module.month_name[self.month]} {self.year}"

    @property
    def previous(self) -> tuple[int, int]:
        return (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)

    @property
    def next(self) -> tuple[int, int]:
        return (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)


def is_scheduled(content: Content) -> bool:
    if content.scheduled_at is None:
        return False
    if APPROVED is not None and content.status == APPROVED:
        return True
    if content.status != ContentStatus.PUBLISHED:
        return False
    wp_status = (content.external_metadata or {}).get("wp_status")
    if wp_status == "future":
        return True
    on_its_way = SyncStatus(content.sync_status) == SyncStatus.PENDING
    return on_its_way and as_utc(content.scheduled_at) > utcnow()


def _state(content: Content, now: datetime) -> str:
    if not is_scheduled(content):
        return "published"
    if (content.external_metadata or {}).get("missed_schedule"):
        return "missed"
    assert content.scheduled_at is not None
    return "overdue" if as_utc(content.scheduled_at) + GRACE < now else "scheduled"


def _entry(content: Content, now: datetime) -> Entry | None:
    state = _state(content, now)
    when = content.scheduled_at if state != "published" else content.published_at
    if when is None or (state == "published" and content.status != ContentStatus.PUBLISHED):
        return None
    when = as_utc(when)
    return Entry(content, when, when.astimezone(publishing.site_timezone(content.site)), state)


def month_view(scope: Scope, year: int, month: int, site_id: int | None = None) -> Month:
    """Scheduled and published content of the month, placed on their day in their site's timezone."""
    if not 1 <= month <= 12 or not 1970 <= year <= 9999:
        raise ValidationError.field("month", "Choose a month between 1970 and 9999.")
    first = datetime(year, month, 1, tzinfo=UTC)
    last_day = calendar_module.monthrange(year, month)[1]
    # One day around the month for timezones ahead of and behind UTC.
    start, end = first - timedelta(days=1), first + timedelta(days=last_day + 1)
    stmt = scoped(scope, Content).options(joinedload(Content.site))
    stmt = stmt.where(
        or_(
            Content.scheduled_at.between(start, end),
            Content.published_at.between(start, end),
        )
    )
    if site_id:
        stmt = stmt.where(Content.site_id == site_id)
    now = utcnow()
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)
    view = Month(year, month, weeks)
    days: dict[date, list[Entry]] = defaultdict(list)
    for content in db.session.scalars(stmt):
        entry = _entry(content, now)
        if entry is None or (entry.local.year, entry.local.month) != (year, month):
            continue
        days[entry.local.date()].append(entry)
    for day in days.values():
        day.sort(key=lambda e: (e.local, e.content.id))
    view.days = dict(days)
    view.entries = [e for day in sorted(days) for e in days[day]]
    return view


def can_reschedule(scope: Scope, content: Content) -> bool:
    return (
        scope.can(Role.REVIEWER)
        and content.status in RESCHEDULABLE_STATUSES
        and (is_scheduled(content) or content.status == APPROVED)
    )


def reschedule(scope: Scope, content_id: Any, local_when: datetime) -> Job:
    """Move scheduled (or approved) content to `local_when` in its site's timezone (reviewer+).

    Through publishing.schedule: the review rules, the publish gate and the WordPress update apply.
    Content that is live already is not rescheduled (that would take it off the site until then)."""
    scope.require(Role.REVIEWER)
    content = get(scope, Content, content_id)
    if not can_reschedule(scope, content):
        raise Conflict(
            f"“{content.title}” is not scheduled"
            + (" (it is live on WordPress already)" if content.status == ContentStatus.PUBLISHED else "")
            + "; only scheduled or approved content gets a new date here."
        )
    meta = dict(content.external_metadata or {})
    meta.pop("missed_schedule", None)
    content.external_metadata = meta
    return publishing.schedule(scope, content.id, local_when)


@dataclass(frozen=True)
class OverdueReport:
    missed: int = 0
    went_out: int = 0
    unknown: int = 0


def check_overdue(scope: Scope, site_id: int | None = None) -> OverdueReport:
    """Ask WordPress about every scheduled post whose time has passed (editor+): still `future` there is
    a missed schedule; `publish` means it went out at its time. Unreachable sites change nothing."""
    scope.require(Role.EDITOR)
    now = utcnow()
    stmt = scoped(scope, Content).where(
        Content.scheduled_at < now - GRACE,
        Content.status.in_(list(RESCHEDULABLE_STATUSES)),
        Content.external_id.is_not(None),
    )
    if site_id:
        stmt = stmt.where(Content.site_id == site_id)
    missed = went_out = unknown = 0
    for content in list(db.session.scalars(stmt)):
        if not is_scheduled(content):
            continue
        status = publishing.wordpress_status(scope, content.id)
        meta = dict(content.external_metadata or {})
        meta["schedule_checked_at"] = now.isoformat()
        if status.remote_status == "future":
            meta["missed_schedule"] = True
            missed += 1
        elif status.remote_status == "publish":
            meta.update(wp_status="publish", missed_schedule=False)
            content.published_at = content.scheduled_at
            went_out += 1
        else:
            unknown += 1
        content.external_metadata = meta
    db.session.flush()
    return OverdueReport(missed, went_out, unknown)
