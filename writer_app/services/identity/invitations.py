"""Invitations: an admin invites an email address with a role; the invitee accepts a single-use link.

Only the SHA-256 of the link's token is stored. Nothing here tells the admin whether the address already
has a Writer user: inviting answers the same either way, and the membership exists only once the invitee
has accepted (logged in as that address, or as a new user who sets a password).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from writer_app.models import Account, Invitation, Membership, Role, User, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services import audit
from writer_app.services.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from writer_app.services.identity import accounts
from writer_app.services.identity.emails import clean_email, normalize_email
from writer_app.services.scope import Scope, get, scoped

DEFAULT_DAYS = 7


class InvitationUnusable(DomainError):
    """The link is unknown, expired, already used or revoked (410 Gone for a known one)."""

    status = 410
    code = "invitation_unusable"


UNKNOWN = "This invitation link is not valid. Check that you copied all of it, or ask for a new one."


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _pending(invitation: Invitation, now: datetime) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and as_utc(invitation.expires_at) > now
    )


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str  # the raw token for the link: shown once, never stored


def create(scope: Scope, email: str, role: Role, days: int = DEFAULT_DAYS) -> NewInvitation:
    """A pending invitation and its link's token. An earlier pending invitation of the same address to
    this account is replaced (its link stops working), so an admin who lost a link can make a new one."""
    scope.require(Role.ADMIN)
    email = clean_email(email)
    already = db.session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.account_id == scope.account_id, User.email == email)
    )
    if already is not None:  # the admin sees the member list anyway: this discloses nothing new
        raise Conflict(f"{email} is already a member.", {"email": ["Already a member of this account."]})
    now = utcnow()
    for earlier in db.session.scalars(scoped(scope, Invitation).where(Invitation.email == email)):
        if _pending(earlier, now):
            earlier.revoked_at = now
            audit.record(scope, "invitation.revoke", earlier, email=email, replaced=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        account_id=scope.account_id,
        email=email,
        role=Role(role),
        token_hash=_hash(token),
        invited_by_id=scope.user_id,
        expires_at=now + timedelta(days=max(1, days)),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(scope, "invitation.create", invitation, email=email, role=Role(role))
    return NewInvitation(invitation, token)


def list_pending(scope: Scope) -> list[Invitation]:
    scope.require(Role.ADMIN)
    stmt = scoped(scope, Invitation).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    now = utcnow()
    return [i for i in db.session.scalars(stmt.order_by(Invitation.created_at.desc())) if _pending(i, now)]


def revoke(scope: Scope, invitation_id: int) -> Invitation:
    scope.require(Role.ADMIN)
    invitation = get(scope, Invitation, invitation_id)
    if invitation.accepted_at is not None:
        raise Conflict("This invitation was accepted already; remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(scope, "invitation.revoke", invitation, email=invitation.email)
    return invitation


def find(token: str) -> Invitation:
    """The usable invitation for a link's token, or NotFound / InvitationUnusable saying why not."""
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.token_hash == _hash(token or ""))
    ).first()
    if invitation is None:
        raise NotFound(UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnusable("This invitation was used already. Log in to work in the account.")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("This invitation was withdrawn. Ask an admin of the account for a new one.")
    if as_utc(invitation.expires_at) <= utcnow():
        raise InvitationUnusable("This invitation has expired. Ask an admin of the account for a new one.")
    return invitation


def is_for(invitation: Invitation, user: User) -> bool:
    return normalize_email(user.email) == invitation.email


def accept(invitation: Invitation, user: User) -> Membership:
    """The logged-in `user` accepts: they become a member with the invited role (used up either way)."""
    if not is_for(invitation, user):
        raise PermissionDenied(
            "This invitation is for a different email address. Log out and open the link again, "
            "or ask for an invitation to your own address."
        )
    now = utcnow()
    # Used up by one conditional UPDATE: of two requests racing with the same link, only one passes.
    used = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now, accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise InvitationUnusable("This invitation cannot be used any more.")
    db.session.expire(invitation)
    membership = next((m for m in accounts.memberships(user) if m.account_id == invitation.account_id), None)
    if membership is None:
        account = db.session.get(Account, invitation.account_id)
        membership = accounts.add_membership(user, account, invitation.role)
        db.session.expire(user, ["memberships"])
    user.current_account_id = invitation.account_id
    scope = Scope(invitation.account_id, membership.role, user.id)
    audit.record(
        scope, "member.add", membership, email=user.email, role=membership.role, invitation_id=invitation.id
    )
    return membership


def accept_with_password(invitation: Invitation, name: str, password: str) -> tuple[User, Membership]:
    """Accept without being logged in: someone new gets a user with the invited address; an existing
    user (also one who belongs to no account any more, and so cannot log in) proves it with its password."""
    user = accounts.find_user(invitation.email)
    if user is None:
        user = accounts.create_user(invitation.email, password, name)
    elif not user.active or not accounts.password_is_right(user, password):
        raise ValidationError.field(
            "password",
            "There is already a Writer user with this address: enter its password to accept, or log in first.",
        )
    return user, accept(invitation, user)
