"""Tenancy in one place: every read and write of tenant data is scoped here.

An id that belongs to another account is reported exactly like an id that does not exist (NotFound).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Select, bindparam, select
from sqlalchemy.orm.util import identity_key

from writer_app.models import Role, Sector, Site, db
from writer_app.services.errors import NotFound, PermissionDenied, ValidationError
from writer_app.services.inputs import object_id as object_id_or_none

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """Who acts, in which account, with which role, and their working site/sector (if any)."""

    account_id: int
    role: Role
    user_id: int | None = None
    site_id: int | None = None
    sector_id: int | None = None

    def can(self, role: Role) -> bool:
        return Role(self.role).at_least(role)

    def require(self, role: Role) -> None:
        if not self.can(role):
            raise PermissionDenied(f"This needs the {Role(role).value} role or higher.")

    def with_context(self, site_id: int | None, sector_id: int | None) -> Scope:
        return replace(self, site_id=site_id, sector_id=sector_id)


def _soft_deletable(model: type) -> bool:
    return hasattr(model, "deleted_at")


def scoped(scope: Scope, model: type[T], *, include_deleted: bool = False) -> Select[tuple[T]]:
    """SELECT of `model` limited to the scope's account (and to live rows for soft-deleted models)."""
    stmt = select(model).where(model.account_id == scope.account_id)  # type: ignore[attr-defined]
    if _soft_deletable(model) and not include_deleted:
        stmt = stmt.where(model.deleted_at.is_(None))  # type: ignore[attr-defined]
    return stmt


# The account of a statement built once and run for many scopes (`scoped_once`).
SCOPE_ACCOUNT: BindParameter[int] = bindparam("scope_account_id")


def scoped_once(model: type[T], *, include_deleted: bool = False) -> Select[tuple[T]]:
    """`scoped()` with the account left as a parameter: for statements that run on every page (the
    layout's counts and lists), built once (`functools.cache`) and run with `scope_params(scope)`.
    Building even a small SELECT costs SQLAlchemy several times what SQLite takes to answer it."""
    stmt = select(model).where(model.account_id == SCOPE_ACCOUNT)  # type: ignore[attr-defined]
    if _soft_deletable(model) and not include_deleted:
        stmt = stmt.where(model.deleted_at.is_(None))  # type: ignore[attr-defined]
    return stmt


def scope_params(scope: Scope, **params: Any) -> dict[str, Any]:
    """The parameters of a `scoped_once` statement for this scope (and the statement's own)."""
    return {SCOPE_ACCOUNT.key: scope.account_id, **params}


def get(
    scope: Scope,
    model: type[T],
    object_id: Any,
    *,
    include_deleted: bool = False,
    options: Sequence[Any] = (),
    loaded_by: Select[tuple[T]] | None = None,
) -> T:
    """One object of the account by id, or NotFound (also for other accounts' ids and malformed ids).

    `loaded_by`: a statement built once that selects the object by `bindparam("object_id")` with its
    loader options, for objects read on every request of a page: `options` make SQLAlchemy build and
    key a new statement each time (the review page's content with 7 relations: 1.5 M instructions of 45)."""
    key = object_id_or_none(object_id)
    if key is None:  # not a whole number, or beyond any stored id
        raise NotFound(f"{_label(model)} not found.")
    # By primary key through the identity map: a request that needs the same object in several
    # services loads it once. The account (and trash) check is the same as scoped()'s.
    if loaded_by is not None and identity_key(model, key) not in db.session.identity_map:
        obj = db.session.execute(loaded_by, {"object_id": key}).unique().scalar_one_or_none()
    else:
        obj = db.session.get(model, key, options=options)
    if (
        obj is None
        or obj.account_id != scope.account_id  # type: ignore[attr-defined]
        or (_soft_deletable(model) and not include_deleted and obj.deleted_at is not None)  # type: ignore[attr-defined]
    ):
        raise NotFound(f"{_label(model)} {key} not found.")
    return obj


def get_many(scope: Scope, model: type[T], ids: Iterable[Any], *, include_deleted: bool = False) -> list[T]:
    """All objects for `ids`, in the order given; NotFound names the ids that are missing."""
    try:
        keys = list(dict.fromkeys(int(i) for i in ids))
    except (TypeError, ValueError):
        raise ValidationError.field("ids", "ids must be a list of whole numbers.") from None
    if not keys:
        return []
    storable = [k for k in keys if object_id_or_none(k) is not None]  # others name no row: missing
    stmt = scoped(scope, model, include_deleted=include_deleted).where(model.id.in_(storable))  # type: ignore[attr-defined]
    found = {obj.id: obj for obj in db.session.scalars(stmt)}  # type: ignore[attr-defined]
    missing = [k for k in keys if k not in found]
    if missing:
        raise NotFound(f"{_label(model)} not found: {', '.join(map(str, missing))}.")
    return [found[k] for k in keys]


def resolve_site_sector(
    scope: Scope, site_id: Any = None, sector_id: Any = None, *, require_sector: bool = True
) -> tuple[Site, Sector | None]:
    """The site and sector a new object goes to.

    Explicit ids are validated against the account and each other; when neither is given, the
    user's working context is used (as the seed's Images create does).
    """
    if site_id in (None, "") and sector_id in (None, ""):
        site_id, sector_id = scope.site_id, scope.sector_id
        if site_id is None:
            raise ValidationError.field("site_id", "Choose a site (no working site is selected).")
    if site_id in (None, ""):
        raise ValidationError.field("site_id", "site_id is required.")
    try:
        site = get(scope, Site, site_id)
    except NotFound:
        raise ValidationError.field("site_id", f"Site {site_id} does not exist in this account.") from None
    if sector_id in (None, ""):
        if require_sector:
            raise ValidationError.field("sector_id", "sector_id is required.")
        return site, None
    try:
        sector = get(scope, Sector, sector_id)
    except NotFound:
        raise ValidationError.field(
            "sector_id", f"Sector {sector_id} does not exist in this account."
        ) from None
    if sector.site_id != site.id:
        raise ValidationError.field(
            "sector_id", f"Sector “{sector.name}” does not belong to site “{site.name}”."
        )
    return site, sector


_LABELS = {"ContentTaxonomy": "Taxonomy term", "ContentIdea": "Idea"}


def _label(model: type) -> str:
    return _LABELS.get(model.__name__, model.__name__)
