"""Links: the site's link inventory, the invented-link filter for AI output, suggested links and the
dead-link check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from writer_app.models import Content, db


def store_on_content(content: Content, **values: Any) -> None:
    """Write bookkeeping columns (link report, style guide version) with a plain UPDATE: like the
    publish job's writes, they must not bump Content.version, so an editor's open form stays valid."""
    db.session.execute(
        update(Content)
        .where(Content.id == content.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    for name, value in values.items():
        set_committed_value(content, name, value)
