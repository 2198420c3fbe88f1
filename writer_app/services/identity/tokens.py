"""API tokens: shown once at creation, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select

from writer_app.models import ApiToken, Membership, Role, User, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services import audit, plain_reads
from writer_app.services.errors import NotFound, ValidationError
from writer_app.services.identity.accounts import scope_for
from writer_app.services.scope import Scope

LAST_USED_PRECISION = timedelta(minutes=1)
TOKEN_PREFIX = "wrt_"  # noqa: S105 - a public marker, not a secret


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, account_id: int, name: str) -> tuple[ApiToken, str]:
    """A new token for the user's membership in the account; returns (record, raw token)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError.field("name", "Name the token (e.g. the integration that uses it).")
    membership = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.account_id == account_id)
    ).first()
    if membership is None:
        raise NotFound("The user is not a member of that account.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, account_id=account_id, name=name[:200], token_hash=_hash(raw), prefix=raw[:12]
    )
    db.session.add(token)
    db.session.flush()
    audit.record(scope_for(membership), "token.create", token, name=token.name)
    return token, raw


def authenticate(raw: str) -> tuple[int, Scope] | None:
    """The token's id and its scope, or None when unknown, revoked, or its user is inactive or gone."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    found = plain_reads.rows(_token_with_membership(), {"token_hash": _hash(raw)})
    if not found:
        return None
    token_id, revoked_at, last_used_at, user_active, *membership = found[0]
    if revoked_at is not None or not user_active:
        return None
    now = utcnow()
    last = as_utc(last_used_at)
    if last is None or now - last > LAST_USED_PRECISION:  # not a write on every API request
        token = db.session.get(ApiToken, token_id)
        if token is not None:
            token.last_used_at = now
    account_id, role, user_id, site_id, sector_id = membership
    scope = Scope(
        account_id=account_id, role=Role(role), user_id=user_id, site_id=site_id, sector_id=sector_id
    )
    return token_id, scope


@cache
def _token_with_membership() -> Any:
    """One indexed query on every API request: what decides the token's use and the user's membership
    (plain columns, built once: building it and loading three objects cost more than running it)."""
    return (
        select(
            ApiToken.id,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
            User.active,
            Membership.account_id,
            Membership.role,
            Membership.user_id,
            Membership.active_site_id,
            Membership.active_sector_id,
        )
        .join(User, User.id == ApiToken.user_id)
        .join(
            Membership,
            (Membership.user_id == ApiToken.user_id) & (Membership.account_id == ApiToken.account_id),
        )
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )


def list_tokens(scope: Scope) -> list[ApiToken]:
    """The acting user's own tokens in this account."""
    stmt = select(ApiToken).where(ApiToken.account_id == scope.account_id, ApiToken.user_id == scope.user_id)
    return list(db.session.scalars(stmt.order_by(ApiToken.created_at.desc())))


def revoke_token(scope: Scope, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.account_id != scope.account_id or token.user_id != scope.user_id:
        raise NotFound("Token not found.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(scope, "token.revoke", token, name=token.name)
    return token
