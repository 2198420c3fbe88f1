"""Inviting from Settings → Members and accepting the link, in every state the link can be in."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.factories import PASSWORD
from writer_app.models import Invitation, Membership, Role, db
from writer_app.models.base import utcnow
from writer_app.services.identity import accounts, invitations


def _invite(client, email, role="editor"):
    response = client.post("/settings/members", data={"email": email, "role": role})
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    link = re.search(r'<code id="invitation-link">([^<]+)</code>', page).group(1)
    return page, link.replace("http://localhost", "")


def _membership(user, account):
    stmt = select(Membership).where(Membership.user_id == user.id, Membership.account_id == account.id)
    return db.session.scalars(stmt).first()


def test_the_invite_form_does_not_tell_whether_an_address_has_a_user(client, tenant, other_tenant, login):
    login(tenant.admin)
    known, known_link = _invite(client, other_tenant.editor.email)
    unknown, unknown_link = _invite(client, "nobody-yet@example.com")

    def message(page, email, link):
        article = re.search(r"<article class=\"new-token\".*?</article>", page, re.S).group(0)
        return article.replace(email, "EMAIL").replace(link, "LINK")

    assert message(known, other_tenant.editor.email, known_link) == message(
        unknown, "nobody-yet@example.com", unknown_link
    )
    assert "Writer sends no email (SMTP_URL is not set)" in known
    assert _membership(other_tenant.editor, tenant.account) is None  # nobody is attached without accepting
    assert accounts.find_user("nobody-yet@example.com") is None


def test_the_link_is_shown_once_and_pending_invitations_are_listed(client, tenant, login):
    login(tenant.admin)
    _, link = _invite(client, "new@example.com", "reviewer")
    page = client.get("/settings/members").get_data(as_text=True)
    assert link not in page and "invitation-link" not in page
    assert "new@example.com" in page and "reviewer" in page


def test_admins_withdraw_an_invitation_and_its_link_stops_working(client, tenant, login):
    login(tenant.admin)
    _, link = _invite(client, "new@example.com")
    invitation = db.session.scalars(select(Invitation)).one()
    client.post(f"/settings/invitations/{invitation.id}/revoke")
    assert "new@example.com" not in client.get("/settings/members").get_data(as_text=True)
    client.post("/logout")
    response = client.get(link)
    assert response.status_code == 410 and "withdrawn" in response.get_data(as_text=True)


def test_an_invalid_address_is_a_field_error(client, tenant, login):
    login(tenant.admin)
    response = client.post("/settings/members", data={"email": "someone@localhost", "role": "editor"})
    assert response.status_code == 422
    assert "Enter a valid email address" in response.get_data(as_text=True)
    assert db.session.scalars(select(Invitation)).first() is None


def test_non_admins_cannot_invite_or_withdraw(client, tenant, login):
    created = invitations.create(tenant.scope(), "new@example.com", Role.VIEWER)
    db.session.commit()
    login(tenant.reviewer)
    assert (
        client.post("/settings/members", data={"email": "x@example.com", "role": "admin"}).status_code == 403
    )
    assert client.post(f"/settings/invitations/{created.invitation.id}/revoke").status_code == 403
    assert db.session.scalars(select(Invitation)).one().revoked_at is None


def test_another_accounts_invitation_cannot_be_withdrawn(client, tenant, other_tenant, login):
    created = invitations.create(other_tenant.scope(), "new@example.com", Role.VIEWER)
    db.session.commit()
    login(tenant.admin)
    client.post(f"/settings/invitations/{created.invitation.id}/revoke")
    db.session.expire_all()
    assert db.session.get(Invitation, created.invitation.id).revoked_at is None


def test_a_new_person_sets_a_password_and_joins(client, tenant, login):
    login(tenant.admin)
    _, link = _invite(client, "Nia@Example.test", "reviewer")
    client.post("/logout")
    page = client.get(link).get_data(as_text=True)
    assert "nia@example.test" in page and "reviewer" in page
    response = client.post(link, data={"name": "Nia", "password": "first-pass-1"})
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # logged in
    user = accounts.authenticate("nia@example.test", "first-pass-1")
    assert _membership(user, tenant.account).role == Role.REVIEWER
    client.post("/logout")
    again = client.post(link, data={"name": "Eve", "password": "second-pass-1"})
    assert again.status_code == 410 and "used already" in again.get_data(as_text=True)


def test_a_short_password_is_a_field_error_and_nothing_is_used_up(client, tenant):
    created = invitations.create(tenant.scope(), "new@example.com", Role.VIEWER)
    db.session.commit()
    response = client.post(f"/invitations/{created.token}", data={"password": "short"})
    assert response.status_code == 422
    assert accounts.find_user("new@example.com") is None
    assert client.get(f"/invitations/{created.token}").status_code == 200


def test_an_existing_user_logs_in_and_comes_back_to_accept(client, tenant, other_tenant):
    created = invitations.create(tenant.scope(), other_tenant.editor.email, Role.VIEWER)
    db.session.commit()
    link = f"/invitations/{created.token}"
    page = client.get(link).get_data(as_text=True)
    login_url = re.search(r'href="(/login\?next=[^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.post(login_url, data={"email": other_tenant.editor.email, "password": PASSWORD})
    assert response.headers["Location"] == link
    assert "Accept and join" in client.get(link).get_data(as_text=True)
    assert _membership(other_tenant.editor, tenant.account) is None  # looking changes nothing
    response = client.post(link)
    assert response.status_code == 303
    assert _membership(other_tenant.editor, tenant.account).role == Role.VIEWER
    assert "Acme Content (viewer)" in client.get("/").get_data(as_text=True)  # working in the new account


def test_the_new_person_form_refuses_an_address_that_has_a_user(client, tenant, other_tenant):
    created = invitations.create(tenant.scope(), other_tenant.editor.email, Role.ADMIN)
    db.session.commit()
    response = client.post(f"/invitations/{created.token}", data={"password": "takeover-1"})
    assert response.status_code == 422 and "enter its password" in response.get_data(as_text=True)
    assert accounts.authenticate(other_tenant.editor.email, PASSWORD) is not None
    assert _membership(other_tenant.editor, tenant.account) is None


def test_a_user_logged_in_with_another_address_cannot_accept(client, tenant, other_tenant, login):
    created = invitations.create(tenant.scope(), "someone-else@example.com", Role.ADMIN)
    db.session.commit()
    login(other_tenant.editor)
    page = client.get(f"/invitations/{created.token}")
    assert "for a different email address" in page.get_data(as_text=True)
    assert "Accept and join" not in page.get_data(as_text=True)
    assert client.post(f"/invitations/{created.token}").status_code == 403
    assert _membership(other_tenant.editor, tenant.account) is None
    assert invitations.find(created.token).accepted_at is None


@pytest.mark.parametrize(
    ("state", "status", "message"),
    [("expired", 410, "has expired"), ("revoked", 410, "withdrawn"), ("unknown", 404, "not valid")],
)
def test_unusable_links_say_why(client, tenant, state, status, message):
    created = invitations.create(tenant.scope(), "new@example.com", Role.VIEWER)
    if state == "expired":
        created.invitation.expires_at = utcnow() - timedelta(seconds=1)
    elif state == "revoked":
        invitations.revoke(tenant.scope(), created.invitation.id)
    db.session.commit()
    token = created.token if state != "unknown" else created.token[:-4] + "AAAA"
    for response in (
        client.get(f"/invitations/{token}"),
        client.post(f"/invitations/{token}", data={"password": "long-enough-1"}),
    ):
        assert response.status_code == status
        assert message in response.get_data(as_text=True)
    assert accounts.find_user("new@example.com") is None


def test_accepting_is_throttled(client, tenant):
    created = invitations.create(tenant.scope(), "new@example.com", Role.VIEWER)
    db.session.commit()
    statuses = [
        client.post(f"/invitations/{created.token}", data={"password": "short"}).status_code
        for _ in range(11)
    ]
    assert statuses == [422] * 10 + [429]


@pytest.mark.parametrize("mode", ["closed", "invite"])
def test_invitation_links_work_when_sign_up_is_not_open(app, client, tenant, monkeypatch, mode):
    monkeypatch.setitem(app.config, "SIGNUP", mode)
    created = invitations.create(tenant.scope(), "new@example.com", Role.EDITOR)
    db.session.commit()
    response = client.post(f"/invitations/{created.token}", data={"password": "long-enough-1"})
    assert response.status_code == 303
    assert _membership(accounts.find_user("new@example.com"), tenant.account).role == Role.EDITOR
