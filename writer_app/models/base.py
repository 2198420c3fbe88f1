"""Declarative base, the shared `db` object and the mixins every tenant model uses."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, overload

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)},
    )


db = SQLAlchemy(model_class=Base)


# PostgreSQL-only substring search (migration 0019): a stored generated column of lowered text per
# searched table and its GIN pg_trgm index. The models do not declare them (SQLite has FTS5 tables
# instead), so schema comparison (autogenerate, the migrations test) leaves them alone.
POSTGRES_SEARCH_COLUMN = "search_text"
POSTGRES_SEARCH_INDEXES = frozenset({"ix_writer_tasks_search_trgm", "ix_writer_content_search_trgm"})


# SQLite-only FTS5 search tables of migration 0004 (and the shadow tables FTS5 keeps beside them).
SQLITE_SEARCH_TABLES = ("writer_tasks_search", "writer_content_search")


def include_in_schema_comparison(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if not reflected or compare_to is not None:
        return True
    if type_ == "index":
        return name not in POSTGRES_SEARCH_INDEXES
    if type_ == "column":
        return name != POSTGRES_SEARCH_COLUMN
    if type_ == "table":
        return not (name or "").startswith(SQLITE_SEARCH_TABLES)
    return True


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """A stored timestamp with its UTC offset: SQLite hands back naive datetimes (we store UTC)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def choice(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column: VARCHAR + CHECK constraint storing the enum's values."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        name=enum_class.__name__.lower(),
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, server_default=func.now())


class SoftDeleteMixin:
    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class TenantMixin:
    """account → site → sector ownership carried by every writer object."""

    @declared_attr
    def account_id(cls) -> Mapped[int]:
        return mapped_column(Integer, ForeignKey("accounts.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def site_id(cls) -> Mapped[int]:
        return mapped_column(Integer, ForeignKey("sites.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def sector_id(cls) -> Mapped[int]:
        return mapped_column(Integer, ForeignKey("sectors.id", ondelete="CASCADE"), index=True)
