"""CSV exports of the filtered task and content lists, streamed row by row and safe for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import joinedload

from writer_app.models import Content, db
from writer_app.services.content_list import ContentFilters, filtered_statement
from writer_app.services.scope import Scope

CONTENT_EXPORT_HEADER = (
    "id", "title", "status", "site", "sector", "cluster", "content_type", "content_structure", "source",
    "word_count", "primary_keyword", "slug", "scheduled_at", "external_url", "created_at", "updated_at",
)  # fmt: skip


def safe_cell(value: Any) -> str:
    """Text for one cell; spreadsheet apps run cells starting with = + - @ as formulas, so those get a quote."""
    text = "" if value is None else (value.isoformat() if isinstance(value, datetime) else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text line by line, header first, for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue()


def content_export_rows(scope: Scope, filters: ContentFilters) -> Iterator[list[Any]]:
    """Every content the list's filters match, as rows in CONTENT_EXPORT_HEADER order.

    The filters are checked now (a bad one raises before a download starts); rows are read lazily.
    """
    stmt = filtered_statement(scope, filters).options(
        joinedload(Content.cluster), joinedload(Content.site), joinedload(Content.sector)
    )
    names = {
        "site": lambda c: c.site.name,
        "sector": lambda c: c.sector.name,
        "cluster": lambda c: c.cluster.name,
    }

    def rows() -> Iterator[list[Any]]:
        for content in db.session.scalars(stmt.execution_options(yield_per=500)):
            yield [names[k](content) if k in names else getattr(content, k) for k in CONTENT_EXPORT_HEADER]

    return rows()
