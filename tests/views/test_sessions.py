"""Sessions that really end: a logged-out, replaced, revoked, expired or idle session cookie logs nobody in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie
from sqlalchemy import select

from tests.support import factories
from tests.support.factories import PASSWORD
from writer_app.models import Membership, Role, UserSession, db
from writer_app.models.base import as_utc, utcnow
from writer_app.response_cache import HIT_HEADER
from writer_app.services.identity import accounts

ENDED = "Your session has ended. Log in again."
NEW_PASSWORD = "brand-new-pass-1"


@pytest.fixture
def browser(app):
    """browser(user): another browser (test client) logged in as `user` through the login form."""

    def _browser(user):
        other = app.test_client()
        response = other.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303
        return other

    return _browser


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _sends_to_login(client, url: str = "/") -> bool:
    response = client.get(url)
    return response.status_code == 302 and "/login" in response.headers["Location"]


def _rows(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)))


def test_login_records_a_server_side_session(client, tenant, login):
    login(tenant.editor)
    (row,) = _rows(tenant.editor)
    assert row.revoked_at is None
    assert as_utc(row.expires_at) - utcnow() > timedelta(days=13)
    assert row.ip_address == "127.0.0.1"
    with client.session_transaction() as session:
        token = session["session_token"]
    assert token not in row.token_hash  # only the hash is kept


def test_a_cookie_saved_before_logout_no_longer_works(app, client, tenant, login):
    login(tenant.editor)
    saved = _session_cookie(client)
    assert _replay(app, saved).get("/").status_code == 200
    client.post("/logout")
    thief = _replay(app, saved)
    assert _sends_to_login(thief)
    page = thief.get("/login").get_data(as_text=True)
    assert ENDED in page


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, tenant, login, browser):
    login(tenant.editor)
    laptop = browser(tenant.editor)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert _sends_to_login(laptop)


def test_a_wrong_current_password_ends_nothing(client, tenant, login, browser):
    login(tenant.editor)
    laptop = browser(tenant.editor)
    client.post(
        "/account/password",
        data={"current_password": "not-it-at-all", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert laptop.get("/").status_code == 200


def test_log_out_everywhere_ends_every_session_including_this_one(client, tenant, login, browser):
    login(tenant.editor)
    laptop = browser(tenant.editor)
    colleague = browser(tenant.admin)
    response = client.post("/account/sessions/end-all")
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    assert _sends_to_login(client)
    assert _sends_to_login(laptop)
    assert colleague.get("/").status_code == 200  # other users keep theirs


def test_log_out_everywhere_needs_the_csrf_token(app, client, tenant, login):
    login(tenant.editor)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/account/sessions/end-all").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert client.get("/").status_code == 200


def test_the_account_page_lists_sessions_and_ends_one(client, tenant, login, browser):
    login(tenant.editor)
    laptop = browser(tenant.editor)
    page = client.get("/account/password").get_data(as_text=True)
    assert "Your sessions" in page
    assert page.count("(this browser)") == 1
    assert "Log out everywhere" in page
    this_id, laptop_id = sorted(r.id for r in _rows(tenant.editor))  # this browser logged in first
    response = client.post(f"/account/sessions/{laptop_id}/end")
    assert response.status_code == 303 and response.headers["Location"].endswith("/account/password")
    assert _sends_to_login(laptop)
    assert client.get("/").status_code == 200
    assert client.post(f"/account/sessions/{this_id}/end").headers["Location"].endswith("/login")
    assert _sends_to_login(client)


def test_another_users_session_cannot_be_ended(client, tenant, login, browser):
    browser(tenant.admin)
    (admins,) = _rows(tenant.admin)
    login(tenant.editor)
    assert client.post(f"/account/sessions/{admins.id}/end").status_code == 404
    assert client.post("/account/sessions/99999999999999999999/end").status_code == 404
    assert _rows(tenant.admin)[0].revoked_at is None


def test_deactivation_ends_the_users_sessions_for_good(client, tenant, login):
    login(tenant.editor)
    accounts.set_user_active(tenant.editor.email, False)
    db.session.commit()
    assert _sends_to_login(client)
    accounts.set_user_active(tenant.editor.email, True)
    db.session.commit()
    assert _sends_to_login(client)  # reactivation does not bring the old sessions back
    assert all(row.revoked_at is not None for row in _rows(tenant.editor))


def test_a_member_removed_from_their_only_account_is_logged_out(client, tenant, login):
    login(tenant.editor)
    membership = db.session.scalars(select(Membership).where(Membership.user_id == tenant.editor.id)).one()
    accounts.remove_member(tenant.scope(), membership.id)
    db.session.commit()
    assert _sends_to_login(client)


def test_a_removed_member_loses_that_account_at_once(client, tenant, other_tenant, login):
    accounts.add_membership(tenant.editor, other_tenant.account, Role.EDITOR)
    task = factories.make_task(tenant.cluster, "Acme's secret plan")
    db.session.commit()
    login(tenant.editor, tenant.account)
    assert client.get(f"/tasks/{task.id}/edit").status_code == 200
    membership = db.session.scalars(
        select(Membership).where(
            Membership.user_id == tenant.editor.id, Membership.account_id == tenant.account.id
        )
    ).one()
    accounts.remove_member(tenant.scope(), membership.id)
    db.session.commit()
    assert client.get(f"/tasks/{task.id}/edit").status_code == 404
    page = client.get("/").get_data(as_text=True)
    assert "Other Co" in page and "Acme Content" not in page


@pytest.mark.parametrize(
    ("column", "age"),
    [("expires_at", timedelta(seconds=-1)), ("last_seen_at", -timedelta(days=7, minutes=1))],
    ids=["absolute-lifetime", "idle"],
)
def test_expired_and_idle_sessions_end(client, tenant, login, column, age):
    login(tenant.editor)
    (row,) = _rows(tenant.editor)
    setattr(row, column, utcnow() + age)
    db.session.commit()
    assert _sends_to_login(client)
    assert ENDED in client.get("/login").get_data(as_text=True)


def test_use_is_recorded_every_few_minutes_not_on_every_request(client, tenant, login):
    login(tenant.editor)
    (row,) = _rows(tenant.editor)
    first_seen = as_utc(row.last_seen_at)
    client.get("/")
    assert as_utc(_rows(tenant.editor)[0].last_seen_at) == first_seen
    row = _rows(tenant.editor)[0]
    row.last_seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    client.get("/")
    assert utcnow() - as_utc(_rows(tenant.editor)[0].last_seen_at) < timedelta(minutes=1)


def test_a_remember_me_cookie_logs_nobody_in(app, tenant):
    stranger = app.test_client()
    stranger.set_cookie("remember_token", encode_cookie(str(tenant.editor.id)))
    assert _sends_to_login(stranger)


@pytest.mark.parametrize("claimed", ["admin", "junk", "99999999999999999999"])
def test_the_session_cookie_of_one_user_cannot_claim_another(app, client, tenant, login, claimed):
    login(tenant.editor)
    with client.session_transaction() as session:
        session["_user_id"] = str(tenant.admin.id) if claimed == "admin" else claimed
    assert _sends_to_login(client)


def test_a_revoked_session_is_never_answered_from_the_response_cache(app, client, tenant, login, redis_url):
    factories.make_task(tenant.cluster, "Solar roofs for farms")
    db.session.commit()
    login(tenant.editor)
    saved = _session_cookie(client)
    client.get("/tasks/")
    client.get("/tasks/")
    assert client.get("/tasks/").headers[HIT_HEADER] == "hit"
    client.post("/logout")
    thief = _replay(app, saved)
    response = thief.get("/tasks/")
    assert response.status_code == 302
    assert "Solar roofs" not in response.get_data(as_text=True)


def test_password_changes_are_throttled_per_user(client, tenant, login, browser):
    login(tenant.editor)
    wrong = {"current_password": "guess-guess", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    statuses = [client.post("/account/password", data=wrong).status_code for _ in range(10)]
    assert statuses == [422] * 10
    assert client.post("/account/password", data=wrong).status_code == 429
    assert browser(tenant.editor).post("/account/password", data=wrong).status_code == 429  # same user
    assert browser(tenant.admin).post("/account/password", data=wrong).status_code == 422
    assert client.get("/account/password").status_code == 200  # only the form POST is counted
