"""Invitations: single-use, expiring, revocable, scoped to the inviting account, audited."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.factories import PASSWORD, make_account, make_user
from writer_app.models import AuditEvent, Invitation, Membership, Role, db
from writer_app.models.base import utcnow
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from writer_app.services.identity import accounts, invitations
from writer_app.services.identity.invitations import InvitationUnusable


def _actions(account_id):
    stmt = select(AuditEvent.action).where(AuditEvent.account_id == account_id).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


def test_only_a_hash_of_the_token_is_stored(tenant):
    created = invitations.create(tenant.scope(), "New@Example.com", Role.REVIEWER)
    stored = db.session.get(Invitation, created.invitation.id)
    assert stored.email == "new@example.com" and stored.role == Role.REVIEWER
    assert created.token not in stored.token_hash and len(stored.token_hash) == 64
    assert invitations.find(created.token) is stored


def test_only_admins_invite(tenant):
    with pytest.raises(PermissionDenied):
        invitations.create(tenant.scope(Role.REVIEWER), "new@example.com", Role.VIEWER)


def test_a_bad_address_is_a_field_error(tenant):
    with pytest.raises(ValidationError) as refused:
        invitations.create(tenant.scope(), "not-an-address", Role.VIEWER)
    assert "email" in refused.value.fields


def test_members_of_the_account_are_not_invited_again(tenant):
    with pytest.raises(Conflict):
        invitations.create(tenant.scope(), tenant.editor.email, Role.ADMIN)


def test_a_new_invitation_replaces_the_pending_one_for_the_same_address(tenant):
    first = invitations.create(tenant.scope(), "new@example.com", Role.VIEWER)
    second = invitations.create(tenant.scope(), "new@example.com", Role.EDITOR)
    with pytest.raises(InvitationUnusable):
        invitations.find(first.token)
    assert [i.id for i in invitations.list_pending(tenant.scope())] == [second.invitation.id]


def test_accepting_creates_the_membership_once(tenant, other_tenant):
    created = invitations.create(tenant.scope(), other_tenant.editor.email, Role.REVIEWER)
    membership = invitations.accept(invitations.find(created.token), other_tenant.editor)
    assert (membership.account_id, membership.role) == (tenant.account.id, Role.REVIEWER)
    assert other_tenant.editor.current_account_id == tenant.account.id
    with pytest.raises(InvitationUnusable, match="used already"):
        invitations.find(created.token)
    with pytest.raises(InvitationUnusable):  # even holding the object, the UPDATE refuses a second use
        invitations.accept(created.invitation, other_tenant.editor)
    assert _actions(tenant.account.id)[-2:] == ["invitation.create", "member.add"]


def test_accepting_as_someone_else_is_refused(tenant, other_tenant):
    created = invitations.create(tenant.scope(), "somebody@example.com", Role.VIEWER)
    with pytest.raises(PermissionDenied):
        invitations.accept(invitations.find(created.token), other_tenant.editor)
    members = select(Membership).where(
        Membership.user_id == other_tenant.editor.id, Membership.account_id == tenant.account.id
    )
    assert db.session.scalars(members).first() is None


def test_a_new_person_becomes_a_user_and_a_member(tenant):
    created = invitations.create(tenant.scope(), "fresh@example.test", Role.EDITOR)
    user, membership = invitations.accept_with_password(created.invitation, "Fresh", "long-enough-1")
    assert user.email == "fresh@example.test" and membership.role == Role.EDITOR


def test_a_new_person_form_does_not_take_over_an_existing_user(tenant, other_tenant):
    created = invitations.create(tenant.scope(), other_tenant.viewer.email, Role.ADMIN)
    with pytest.raises(ValidationError, match="enter its password"):
        invitations.accept_with_password(created.invitation, "Mallory", "long-enough-1")
    assert invitations.find(created.token) is not None  # still pending


def test_a_user_without_any_account_accepts_with_its_password(tenant, other_tenant):
    # Removed from their last account they cannot log in; the invitation is their way back.
    user = other_tenant.viewer
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    accounts.remove_member(other_tenant.scope(), membership.id)
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(user.email, PASSWORD)
    created = invitations.create(tenant.scope(), user.email, Role.EDITOR)
    joined, membership = invitations.accept_with_password(created.invitation, "", PASSWORD)
    assert joined == user and membership.account_id == tenant.account.id and membership.role == Role.EDITOR
    assert accounts.authenticate(user.email, PASSWORD) == user


def test_expired_and_revoked_invitations_are_unusable(tenant):
    expired = invitations.create(tenant.scope(), "late@example.com", Role.VIEWER)
    expired.invitation.expires_at = utcnow() - timedelta(minutes=1)
    revoked = invitations.create(tenant.scope(), "gone@example.com", Role.VIEWER)
    invitations.revoke(tenant.scope(), revoked.invitation.id)
    with pytest.raises(InvitationUnusable, match="expired"):
        invitations.find(expired.token)
    with pytest.raises(InvitationUnusable, match="withdrawn"):
        invitations.find(revoked.token)
    with pytest.raises(NotFound):
        invitations.find("made-up-token")
    assert invitations.list_pending(tenant.scope()) == []
    assert "invitation.revoke" in _actions(tenant.account.id)


def test_another_accounts_invitations_are_not_found(tenant, other_tenant):
    created = invitations.create(other_tenant.scope(), "new@example.com", Role.VIEWER)
    with pytest.raises(NotFound):
        invitations.revoke(tenant.scope(), created.invitation.id)
    assert invitations.list_pending(tenant.scope()) == []
    assert invitations.find(created.token).revoked_at is None


def test_an_accepted_invitation_cannot_be_revoked(tenant):
    account = make_account("Elsewhere")
    newcomer = make_user(account, email="newcomer@example.com")
    created = invitations.create(tenant.scope(), newcomer.email, Role.VIEWER)
    invitations.accept(created.invitation, newcomer)
    with pytest.raises(Conflict):
        invitations.revoke(tenant.scope(), created.invitation.id)
