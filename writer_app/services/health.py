"""Readiness: can this process serve requests (database reachable; Redis reachable when configured)?"""

from __future__ import annotations

from sqlalchemy import text

from writer_app.jobs.connection import ping
from writer_app.models import db


def readiness(redis_url: str | None) -> tuple[bool, dict[str, str]]:
    """(ready, checks): each check is "ok", "not configured ..." or "error: <reason>"."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure means not ready; the reason is reported, not raised
        db.session.rollback()
        checks["database"] = f"error: {type(exc).__name__}"
    if redis_url:
        checks["redis"] = "ok" if ping(redis_url) else "error: unreachable"
    else:
        checks["redis"] = "not configured (jobs run inline)"
    ready = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return ready, checks
