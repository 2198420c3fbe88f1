"""Operators mint credits for any account; nobody else can, whatever their role."""

import pytest
from sqlalchemy import select

from writer_app.models import AuditEvent, CreditTransaction, Role, db
from writer_app.services import credits
from writer_app.services.errors import PermissionDenied


@pytest.fixture
def operator(other_tenant):
    user = other_tenant.viewer  # an operator needs no role in the accounts they fund
    user.is_operator = True
    db.session.commit()
    return user


def test_the_operator_page_is_404_for_everyone_else(client, tenant, login):
    assert client.get("/operator/credits").status_code == 404
    login(tenant.admin)
    assert client.get("/operator/credits").status_code == 404
    response = client.post("/operator/credits", data={"account": tenant.account.slug, "amount": "500"})
    assert response.status_code == 404
    assert credits.balance(tenant.account.id) == 0


def test_an_operator_grants_credits_to_any_account_with_a_note(client, tenant, operator, login):
    login(operator)
    assert "Operator" in client.get("/").get_data(as_text=True)  # linked from the header
    response = client.post(
        "/operator/credits", data={"account": "Acme Content", "amount": "250", "note": "invoice 42"}
    )
    assert response.status_code == 303
    assert credits.balance(tenant.account.id) == 250
    entry = db.session.scalars(
        select(CreditTransaction).where(CreditTransaction.account_id == tenant.account.id)
    ).one()
    assert (entry.amount, entry.balance_after, entry.note, entry.user_id) == (
        250,
        250,
        "invoice 42",
        operator.id,
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "credits.grant")).one()
    assert (event.account_id, event.user_id) == (tenant.account.id, operator.id)
    page = client.get("/operator/credits").get_data(as_text=True)
    assert "invoice 42" in page and "acme-content" in page
    client.post("/logout")
    login(tenant.admin)  # the account sees who added what, though the operator is not a member
    assert "invoice 42" in client.get("/settings/credits").get_data(as_text=True)
    assert client.get("/settings/audit/").status_code == 200


def test_an_operator_removes_credits_never_below_zero(client, tenant, operator, login):
    login(operator)
    client.post("/operator/credits", data={"account": tenant.account.slug, "amount": "50"})
    client.post("/operator/credits", data={"account": tenant.account.slug, "amount": "-80"})
    ledger = db.session.scalars(select(CreditTransaction).order_by(CreditTransaction.id)).all()
    assert [(e.amount, e.balance_after) for e in ledger] == [(50, 50), (-50, 0)]


def test_an_unknown_account_is_a_field_error(client, operator, login):
    login(operator)
    response = client.post("/operator/credits", data={"account": "nobody", "amount": "5"})
    assert response.status_code == 422
    assert "No account with this name or slug." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", list(Role))
def test_the_service_refuses_every_account_role(tenant, role):
    with pytest.raises(PermissionDenied) as refused:
        credits.grant(tenant.scope(role), 1000, "free money")
    assert refused.value.status == 403
    assert credits.balance(tenant.account.id) == 0
