"""Users, accounts, memberships and the working context (active site/sector)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from writer_app.models import Account, Membership, Role, Sector, Site, User, db
from writer_app.services import audit, credits
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from writer_app.services.identity import sessions
from writer_app.services.identity.emails import clean_email, normalize_email
from writer_app.services.scope import Scope, get

MIN_PASSWORD_LENGTH = 8


def slugify(text: str, max_length: int = 200) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length] or "item"


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")  # tests set a cheap one


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method())


def _check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError.field(field, f"Use at least {MIN_PASSWORD_LENGTH} characters.")


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == normalize_email(email))).first()


def create_user(email: str, password: str, name: str = "") -> User:
    email = clean_email(email)
    if find_user(email) is not None:
        raise ValidationError.field("email", "A user with this email already exists.")
    _check_password(password)
    user = User(email=email, name=name.strip(), password_hash=_hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def create_account(name: str) -> Account:
    name = name.strip()
    if not name:
        raise ValidationError.field("account_name", "Name the account.")
    base = slugify(name)
    slug, n = base, 1
    while db.session.scalar(select(Account.id).where(Account.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    account = Account(name=name, slug=slug, credits=0, settings={})
    db.session.add(account)
    db.session.flush()
    return account


def find_account(name_or_slug: str) -> Account | None:
    """An account by slug, or by exact (case-insensitive) name."""
    stmt = select(Account).where(
        (Account.slug == name_or_slug) | (func.lower(Account.name) == name_or_slug.strip().lower())
    )
    return db.session.scalars(stmt.order_by(Account.id)).first()


def add_membership(user: User, account: Account, role: Role) -> Membership:
    membership = Membership(user_id=user.id, account_id=account.id, role=Role(role))
    db.session.add(membership)
    db.session.flush()
    return membership


def sign_up(
    email: str, password: str, account_name: str, name: str = "", *, starting_credits: int = 0
) -> tuple[User, Account]:
    """A new user with a new account, of which they are the admin; the account starts with
    `starting_credits` (config SIGNUP_CREDITS), written to its ledger like any other credit."""
    user = create_user(email, password, name)
    account = create_account(account_name)
    add_membership(user, account, Role.ADMIN)
    user.current_account_id = account.id
    scope = Scope(account.id, Role.ADMIN, user.id)
    audit.record(scope, "account.create", account, name=account.name)
    credits.add_signup_credits(scope, starting_credits)
    return user, account


@cache
def _unknown_user_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


class LoginRefused(Exception):
    """Credentials are right but the user may not log in (deactivated, no account)."""


def password_is_right(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password or "")


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, None if wrong; LoginRefused if they may not log in."""
    user = find_user(email)
    if user is None:
        # As slow as a wrong password, so answer times do not tell which emails have users.
        check_password_hash(_unknown_user_hash(_hash_method()), password or "")
        return None
    if not password_is_right(user, password):
        return None
    if user.password_hash.split("$", 1)[0] != _hash_method():
        user.password_hash = _hash_password(password)  # stored anew with the current parameters
    if not user.active:
        raise LoginRefused("This user is deactivated. Ask an admin of your account to reactivate it.")
    if not user.memberships:
        raise LoginRefused("This user is not a member of any account.")
    return user


def change_password(user: User, current: str, new: str, *, keep_session_id: int | None = None) -> None:
    """A new password ends the user's other sessions (`keep_session_id`: the one changing it)."""
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationError.field("current_password", "The current password is not right.")
    _check_password(new, "new_password")
    user.password_hash = _hash_password(new)
    sessions.revoke_all(user.id, keep_id=keep_session_id)


def set_password(user: User, new: str) -> None:
    """An operator's reset: whoever knew the old password is logged out everywhere."""
    _check_password(new)
    user.password_hash = _hash_password(new)
    sessions.revoke_all(user.id)


def memberships(user: User) -> list[Membership]:
    stmt = (
        select(Membership)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.account))
        .join(Account)
        .order_by(Account.name)
    )
    return list(db.session.scalars(stmt))


def membership_for(
    user: User, account_id: int | None, candidates: list[Membership] | None = None
) -> Membership | None:
    """The user's membership in `account_id`, else in their current account, else their first one.

    `candidates` are the user's memberships when the caller has them loaded already."""
    candidates = memberships(user) if candidates is None else candidates
    for wanted in (account_id, user.current_account_id):
        for m in candidates:
            if wanted is not None and m.account_id == wanted:
                return m
    return candidates[0] if candidates else None


def scope_for(membership: Membership) -> Scope:
    return Scope(
        account_id=membership.account_id,
        role=Role(membership.role),
        user_id=membership.user_id,
        site_id=membership.active_site_id,
        sector_id=membership.active_sector_id,
    )


def switch_account(user: User, account_id: int) -> Membership:
    membership = next((m for m in memberships(user) if m.account_id == account_id), None)
    if membership is None:
        raise NotFound("Account not found.")
    user.current_account_id = account_id
    return membership


def set_working_context(scope: Scope, site_id: int | None, sector_id: int | None) -> Membership:
    """Remember the user's working site/sector in this account (sector must belong to the site)."""
    membership = db.session.scalars(
        select(Membership).where(
            Membership.account_id == scope.account_id, Membership.user_id == scope.user_id
        )
    ).one()
    site = get(scope, Site, site_id) if site_id else None
    sector = get(scope, Sector, sector_id) if sector_id and site else None
    if sector is not None and site is not None and sector.site_id != site.id:
        raise ValidationError.field("sector_id", "That sector belongs to another site.")
    membership.active_site_id = site.id if site else None
    membership.active_sector_id = sector.id if sector else None
    return membership


# --- members (admins) -------------------------------------------------------------------------


def list_members(scope: Scope) -> list[Membership]:
    stmt = (
        select(Membership)
        .where(Membership.account_id == scope.account_id)
        .options(joinedload(Membership.user))
        .join(User)
        .order_by(User.email)
    )
    return list(db.session.scalars(stmt))


def _admin_count(account_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(Membership)
        .where(Membership.account_id == account_id, Membership.role == Role.ADMIN)
    )
    return db.session.scalar(stmt) or 0


def _member(scope: Scope, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.account_id != scope.account_id:
        raise NotFound("Member not found.")
    return membership


def set_role(scope: Scope, membership_id: int, role: Role) -> Membership:
    scope.require(Role.ADMIN)
    membership = _member(scope, membership_id)
    if membership.role == Role.ADMIN and Role(role) != Role.ADMIN and _admin_count(scope.account_id) == 1:
        raise Conflict(
            "The account needs at least one admin.", {"role": ["The last admin cannot be demoted."]}
        )
    old = membership.role
    membership.role = Role(role)
    audit.record(scope, "member.role", membership, email=membership.user.email, old=old, new=Role(role))
    return membership


def remove_member(scope: Scope, membership_id: int) -> None:
    scope.require(Role.ADMIN)
    membership = _member(scope, membership_id)
    if membership.role == Role.ADMIN and _admin_count(scope.account_id) == 1:
        raise Conflict("The account needs at least one admin.")
    if membership.user_id == scope.user_id:
        raise PermissionDenied("You cannot remove yourself; ask another admin.")
    audit.record(scope, "member.remove", membership, email=membership.user.email)
    user_id = membership.user_id
    db.session.delete(membership)
    db.session.flush()
    # Memberships are read afresh on every request, so this one stops working at once. A user left
    # without any account is logged out everywhere; their sessions elsewhere are not this admin's to end.
    remaining = db.session.scalar(
        select(func.count()).select_from(Membership).where(Membership.user_id == user_id)
    )
    if not remaining:
        sessions.revoke_all(user_id)


def set_user_active(email: str, active: bool) -> User:
    """Operators (CLI) activate or deactivate a user everywhere; inactive users' tokens stop working."""
    user = find_user(email)
    if user is None:
        raise NotFound(f"No user with email {email}.")
    user.active = active
    if not active:
        sessions.revoke_all(user.id)  # they stay ended when the user is reactivated
    return user


def set_operator(email: str, operator: bool) -> User:
    """The command line makes a user an operator (mints credits for any account) or takes it back."""
    user = find_user(email)
    if user is None:
        raise NotFound(f"No user with email {email}.")
    user.is_operator = operator
    return user
