"""Pages of query results and whitelisted ordering, shared by every list (HTML and API)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from writer_app.models import db
from writer_app.services.count_cache import CountKey, cached_count
from writer_app.services.errors import ValidationError
from writer_app.services.inputs import MAX_INT

T = TypeVar("T")

PAGE_SIZES = (25, 50, 100)
MAX_PAGE_SIZE = 100


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def page_params(page: Any, page_size: Any, default_size: int = 25) -> tuple[int, int]:
    """Validated (page, page_size): page ≥ 1, 1 ≤ page_size ≤ 100; bad values are a field error."""
    try:
        page_number = int(page) if page not in (None, "") else 1
    except (TypeError, ValueError):
        raise ValidationError.field("page", "page must be a whole number.") from None
    try:
        size = int(page_size) if page_size not in (None, "") else default_size
    except (TypeError, ValueError):
        raise ValidationError.field("page_size", "page_size must be a whole number.") from None
    if page_number < 1:
        raise ValidationError.field("page", "page starts at 1.")
    if page_number > MAX_INT:
        raise ValidationError.field("page", f"page must be {MAX_INT} or less.")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError.field("page_size", f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
    return page_number, size


def paginate(stmt: Select[Any], page: int, page_size: int, count_key: CountKey | None = None) -> Page[Any]:
    """Two queries whatever the data size: the count and the page itself.

    With `count_key` the total comes from the count cache while the account's data is unchanged.
    """

    def count() -> int:
        return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0

    total = count() if count_key is None else cached_count(count_key, count)
    items = list(db.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)).unique())
    return Page(items=items, total=total, page=page, page_size=page_size)


def apply_ordering(
    stmt: Select[Any], ordering: str | None, allowed: Mapping[str, Any], default: str, tiebreak: Any
) -> Select[Any]:
    """ORDER BY a whitelisted field (`-name` for descending), with a stable tiebreak column."""
    ordering = ordering or default
    name = ordering.removeprefix("-")
    if name not in allowed:
        choices = ", ".join(sorted(allowed))
        raise ValidationError.field(
            "ordering", f"Unknown ordering “{ordering}”; use one of {choices} (prefix - for descending)."
        )
    column = allowed[name]
    descending = ordering.startswith("-")
    return stmt.order_by(
        column.desc() if descending else column.asc(), tiebreak.desc() if descending else tiebreak.asc()
    )
