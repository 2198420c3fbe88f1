"""Sign-up modes (SIGNUP), its throttle, the sign-up credits, and the email rule on the login form."""

import pytest
from sqlalchemy import func, select

from tests.support.factories import PASSWORD, make_account
from writer_app.models import Account, CreditTransaction, db
from writer_app.services.identity import accounts

NEW_ACCOUNT = {
    "name": "Ann",
    "email": "ann@example.com",
    "password": "long-enough-1",
    "account_name": "Ann Co",
}


@pytest.fixture
def signup_mode(app, monkeypatch):
    def _set(mode):
        monkeypatch.setitem(app.config, "SIGNUP", mode)

    return _set


@pytest.mark.parametrize(("mode", "heading"), [("closed", "Sign-up is closed"), ("invite", "by invitation")])
def test_sign_up_takes_no_new_accounts_unless_open(client, signup_mode, mode, heading):
    signup_mode(mode)
    page = client.get("/signup")
    assert heading in page.get_data(as_text=True)
    assert 'name="password"' not in page.get_data(as_text=True)
    response = client.post("/signup", data=NEW_ACCOUNT)
    assert response.status_code == 403
    assert accounts.find_user("ann@example.com") is None and accounts.find_account("Ann Co") is None
    assert "/signup" not in client.get("/login").get_data(as_text=True)


def test_open_sign_up_creates_the_account_and_the_login_page_links_to_it(client, signup_mode):
    signup_mode("open")
    assert "/signup" in client.get("/login").get_data(as_text=True)
    assert client.post("/signup", data=NEW_ACCOUNT).status_code == 303
    assert accounts.find_account("Ann Co") is not None


def test_sign_up_is_throttled(client):
    bad = {**NEW_ACCOUNT, "password": "short"}
    statuses = [client.post("/signup", data=bad).status_code for _ in range(11)]
    assert statuses == [422] * 10 + [429]


@pytest.mark.parametrize("starting", [1000, 0])
def test_new_accounts_start_with_the_sign_up_credits_on_the_ledger(app, client, monkeypatch, starting):
    monkeypatch.setitem(app.config, "SIGNUP_CREDITS", starting)
    client.post("/signup", data=NEW_ACCOUNT)
    account = accounts.find_account("Ann Co")
    ledger = db.session.scalars(
        select(CreditTransaction).where(CreditTransaction.account_id == account.id)
    ).all()
    assert account.credits == starting
    assert sum(entry.amount for entry in ledger) == account.credits
    assert [(e.operation, e.amount) for e in ledger] == ([("signup", starting)] if starting else [])


def test_sign_up_credits_go_only_to_the_new_account(app, client, tenant):
    client.post("/signup", data=NEW_ACCOUNT)
    assert tenant.account.credits == 0
    total = db.session.scalar(select(func.sum(Account.credits)))
    assert total == app.config["SIGNUP_CREDITS"]


def test_login_accepts_the_addresses_create_user_accepts(client):
    account = make_account("Test TLD")
    user = accounts.create_user("a@a.test", PASSWORD)
    accounts.add_membership(user, account, "editor")
    db.session.commit()
    response = client.post("/login", data={"email": "a@a.test", "password": PASSWORD})
    assert response.status_code == 303


@pytest.mark.parametrize("address", ["garbage", "a@localhost"])
def test_sign_up_refuses_what_the_rule_refuses(client, address):
    response = client.post("/signup", data={**NEW_ACCOUNT, "email": address})
    assert response.status_code == 422 and "Enter a valid email address" in response.get_data(as_text=True)
    assert accounts.find_account("Ann Co") is None
