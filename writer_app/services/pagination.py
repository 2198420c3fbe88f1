"""Pages of query results and whitelisted ordering, shared by every list (HTML and API)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, Select, bindparam, func, inspect, literal, select

from writer_app.models import db
from writer_app.services import plain_reads
from writer_app.services.count_cache import CountKey, cached_count
from writer_app.services.errors import ValidationError
from writer_app.services.inputs import MAX_INT
from writer_app.services.search import MANY_MATCHES
from writer_app.services.statement_cache import kept

T = TypeVar("T")

PAGE_SIZES = (25, 50, 100)
MAX_PAGE_SIZE = 100
# The task and content lists count matching rows exactly up to here; past it they say "10,000+"
# (`total_is_exact` False), so a count never reads more than this many rows however big the account.
COUNT_LIMIT = 10_000


@dataclass
class Page(Generic[T]):
    """One page. `total` is exact unless `total_is_exact` is False: then more than `total` rows match
    (the count stopped at COUNT_LIMIT) and `pages` is a lower bound."""

    items: list[T]
    total: int
    page: int
    page_size: int
    total_is_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        # Past a stopped count at least one more row matches than `total` says.
        return self.page < self.pages or (
            not self.total_is_exact and self.page * self.page_size >= self.total
        )

    @property
    def total_label(self) -> str:
        """The total as the pages show it: "42", or "10,000+" past the count limit."""
        return str(self.total) if self.total_is_exact else f"{self.total:,}+"

    @property
    def pages_label(self) -> str:
        return str(self.pages) if self.total_is_exact else f"{self.pages:,}+"

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


@dataclass(frozen=True)
class PageRows(Generic[T]):
    """How a list reads a page as plain rows (statements made by `page_by_ids`, the same rows in the
    same order as the counted SELECT) and what `make`s an item of each row.

    `many`: the same page read another way, taken once more than MANY_MATCHES rows match.
    `counted`: the same page with the number of all matching rows as each row's last column, taken
    when the total is not cached (a search on SQLite, whose page sorts every match anyway)."""

    select: Select[Any]
    make: Callable[[Any], T]
    many: Select[Any] | None = None
    counted: Select[Any] | None = None


def paginate(
    stmt: Select[Any],
    page: int,
    page_size: int,
    count_key: CountKey | None = None,
    *,
    rows: PageRows[Any] | None = None,
) -> Page[Any]:
    """Two queries whatever the data size: the count and the page itself (one with `rows.counted`).

    `rows` reads the page without the ORM; `stmt` is still what is counted.

    With `count_key` (the task and content lists) the total comes from the count cache while the
    account's data is unchanged, and counting stops at COUNT_LIMIT rows unless the page asked for
    lies beyond them (whoever pages that deep gets exact page numbers).
    """
    limit = COUNT_LIMIT if count_key is not None and page * page_size <= COUNT_LIMIT else None
    offset = (page - 1) * page_size
    window = {"page_limit": page_size, "page_offset": offset}
    found: Sequence[Any] | None = None  # the page's rows, once read

    def count() -> int:
        # The count key names the counted rows (account, scope, filters), so it names the statement too.
        counting = kept(("count", count_key, limit), lambda: count_statement(stmt, limit))
        return plain_reads.scalar(counting) or 0

    def count_with_page(counted: Select[Any]) -> int:
        nonlocal found
        found = plain_reads.rows(counted, window)
        if found:
            return int(found[0][-1])
        return 0 if offset == 0 else count()  # past the last page no row carries the total

    if count_key is None:  # the other lists (some join in their WHERE): counted as written
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    else:
        key = count_key if limit is None else count_key._replace(what=f"{count_key.what} upto {limit}")
        counted = rows.counted if rows is not None else None
        total = cached_count(key, count if counted is None else lambda: count_with_page(counted))
    if rows is None:
        items = list(db.session.scalars(_one_page(stmt, page_size, offset)).unique())
    else:
        if found is None:
            many = rows.many is not None and total > MANY_MATCHES
            found = plain_reads.rows(rows.many if many else rows.select, window)  # type: ignore[arg-type]
        items = [rows.make(row) for row in found]
    exact = limit is None or total <= limit
    return Page(
        items=items, total=min(total, limit or total), page=page, page_size=page_size, total_is_exact=exact
    )


def _one_page(stmt: Select[Any], page_size: int, offset: int) -> Select[Any]:
    """`stmt` limited to one page, with LIMIT and OFFSET written into the SQL: PostgreSQL plans a
    prepared statement once (a generic plan) only when it knows how many rows the LIMIT keeps; with
    them as parameters it planned the content list afresh each time (1.5 → 0.6 ms a page). Both are
    whole numbers checked by page_params."""
    return stmt.limit(literal(page_size, literal_execute=True)).offset(literal(offset, literal_execute=True))


def page_by_ids(
    rows: Select[Any],
    where: Any,
    key: Any,
    order: Callable[[Select[Any]], Select[Any]],
    *,
    with_total: bool = False,
) -> Select[Any]:
    """One page of `rows` (columns and their joins) under `where` in `order`, for `PageRows`.

    On SQLite the page's `key`s are found first and the rows read for them alone: a search that matched
    326 tasks otherwise had all of them joined and carried through the sort with every column (2.5 →
    1.6 ms). PostgreSQL walks the list's index and stops after the page by itself; the ids subquery
    there sometimes got a generic plan that read every match (6 → 10 ms at 100,000 tasks).

    `with_total` (SQLite): each row ends with the number of rows under `where`, counted by the window
    of the statement that sorts them to find the page's keys (`PageRows.counted`).

    The page is named by `page_limit`/`page_offset` when the statement runs, so one statement object
    serves every page: SQLAlchemy computes its cache key once instead of walking the whole SELECT on
    each request, and the numbers are still written into the SQL (see _one_page)."""
    limit = bindparam("page_limit", type_=Integer, literal_execute=True)
    offset = bindparam("page_offset", type_=Integer, literal_execute=True)
    if db.session.get_bind().dialect.name != "sqlite":
        return order(rows if where is None else rows.where(where)).limit(limit).offset(offset)
    if with_total:
        found = select(key.label("key"), func.count().over().label("matched"))
        found = order(found if where is None else found.where(where)).limit(limit).offset(offset)
        ids = found.subquery()
        return order(rows.add_columns(ids.c.matched).join(ids, ids.c.key == key))
    ids = order(select(key) if where is None else select(key).where(where))
    return order(rows.where(key.in_(ids.limit(limit).offset(offset))))


def count_statement(stmt: Select[Any], limit: int | None = None) -> Select[tuple[int]]:
    """count(*) of the rows `stmt` selects (limit + 1 at most, to tell "more than limit").

    Counts the primary keys under the statement's WHERE only: no eager-load joins, no wide column
    list, so each database can answer from an index. For selects of one entity whose WHERE names
    only that entity's table (the task and content lists)."""
    entity = stmt.column_descriptions[0]["entity"]
    inner = select(inspect(entity).primary_key[0])
    if stmt.whereclause is not None:
        inner = inner.where(stmt.whereclause)
    if limit is not None:
        inner = inner.limit(limit + 1)
    return select(func.count()).select_from(inner.subquery())


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
