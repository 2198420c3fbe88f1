"""One publish job per site at a time: a Redis lock when Redis answers (RQ workers run in parallel),
else a check of the job table (inline runs): wait for earlier running publish jobs of the same site."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select

from writer_app.jobs.connection import redis_connection
from writer_app.models import Job, JobStatus, db
from writer_app.models.base import as_utc, utcnow

LOCK_TTL = 15 * 60  # seconds; a crashed worker's lock expires
WAIT_SECONDS = 120
FRESH = timedelta(minutes=2)


class SiteBusy(Exception):
    """Another publish job of the site runs; transient, retried."""


def _kinds() -> tuple[str, ...]:
    from writer_app.services.publishing.actions import PUBLISH_KINDS

    return PUBLISH_KINDS


def _earlier_running(site_id: int, job_id: str) -> bool:
    mine = db.session.get(Job, job_id)
    started = as_utc(mine.started_at) if mine is not None else None
    rows = db.session.scalars(
        select(Job).where(Job.kind.in_(_kinds()), Job.status == JobStatus.STARTED, Job.id != job_id)
    )
    now = utcnow()
    for job in rows:
        if (job.result or {}).get("site_id") != site_id:
            continue
        beat = as_utc(job.heartbeat_at or job.started_at)
        if beat is None or now - beat > FRESH:
            continue  # a lost worker's job; the stale check fails it
        other = as_utc(job.started_at)
        if started is None or other is None or (other, job.id) < (started, job_id):
            return True
    return False


@contextmanager
def site_lock(site_id: int, job_id: str) -> Iterator[None]:
    wait = float(current_app.config.get("WORDPRESS_SITE_LOCK_WAIT", WAIT_SECONDS))
    connection = redis_connection()
    if connection is not None:
        try:
            lock = connection.lock(f"writer:publish:site:{site_id}", timeout=LOCK_TTL, blocking_timeout=wait)
            acquired = lock.acquire()
        except RedisError:
            connection = None
        else:
            if not acquired:
                raise SiteBusy("Another publish job for this site is running; this one waits its turn.")
            try:
                yield
            finally:
                with suppress(RedisError):  # expired meanwhile: nothing to release
                    lock.release()
            return
    deadline = time.monotonic() + wait
    while _earlier_running(site_id, job_id):
        if time.monotonic() > deadline:
            raise SiteBusy("Another publish job for this site is running; this one waits its turn.")
        db.session.rollback()
        time.sleep(0.5)
    yield
