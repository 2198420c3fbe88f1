"""Members and roles, sites and sectors, API tokens and credits in the settings pages."""

from sqlalchemy import select

from tests.support.factories import add_credits
from writer_app.models import ApiToken, CreditTransaction, Membership, Role, Sector, Site, db
from writer_app.services.identity import tokens


def test_only_admins_manage_members(client, tenant, login):
    login(tenant.reviewer)
    assert client.get("/settings/members").status_code == 403
    assert (
        client.post("/settings/members", data={"email": "x@example.com", "role": "viewer"}).status_code == 403
    )


def test_roles_change_but_the_last_admin_stays(client, tenant, login):
    login(tenant.admin)
    editor_membership = db.session.scalars(
        select(Membership).where(Membership.user_id == tenant.editor.id)
    ).one()
    client.post(f"/settings/members/{editor_membership.id}/role", data={"role": "reviewer"})
    db.session.expire_all()
    assert editor_membership.role == Role.REVIEWER
    admin_membership = db.session.scalars(
        select(Membership).where(Membership.user_id == tenant.admin.id)
    ).one()
    page = client.post(
        f"/settings/members/{admin_membership.id}/role", data={"role": "viewer"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The account needs at least one admin." in page
    db.session.expire_all()
    assert admin_membership.role == Role.ADMIN


def test_members_of_another_account_cannot_be_touched(client, tenant, other_tenant, login):
    login(tenant.admin)
    foreign = db.session.scalars(select(Membership).where(Membership.user_id == other_tenant.editor.id)).one()
    client.post(f"/settings/members/{foreign.id}/role", data={"role": "admin"})
    client.post(f"/settings/members/{foreign.id}/remove")
    db.session.expire_all()
    assert db.session.get(Membership, foreign.id).role == Role.EDITOR


def test_sites_and_sectors(client, tenant, login):
    login(tenant.admin)
    assert (
        client.post("/settings/sites", data={"name": "Recipes", "domain": "recipes.example"}).status_code
        == 303
    )
    site = db.session.scalars(select(Site).where(Site.name == "Recipes")).one()
    client.post(f"/settings/sites/{site.id}/sectors", data={"sector-name": "Baking"})
    assert db.session.scalars(select(Sector).where(Sector.site_id == site.id)).one().slug == "baking"
    duplicate = client.post("/settings/sites", data={"name": "Recipes"})
    assert "A site with this name exists already." in duplicate.get_data(as_text=True)


def test_viewers_read_sites_but_cannot_add_them(client, tenant, login):
    login(tenant.viewer)
    page = client.get("/settings/sites")
    assert page.status_code == 200 and tenant.site.name in page.get_data(as_text=True)
    assert "Add a site" not in page.get_data(as_text=True)
    assert client.post("/settings/sites", data={"name": "Nope"}).status_code == 403


def test_tokens_are_shown_once_stored_hashed_and_revocable(client, tenant, login):
    login(tenant.editor)
    page = client.post("/settings/tokens", data={"name": "Sheets"}).get_data(as_text=True)
    token = db.session.scalars(select(ApiToken)).one()
    raw = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert (
        raw.startswith("wrt_") and token.token_hash != raw and raw not in client.get("/settings/tokens").text
    )
    assert tokens.authenticate(raw) is not None
    client.post(f"/settings/tokens/{token.id}/revoke")
    assert tokens.authenticate(raw) is None


def test_tokens_stop_working_for_inactive_users(tenant):
    _, raw = tokens.create_token(tenant.editor, tenant.account.id, "ci")
    tenant.editor.active = False
    db.session.commit()
    assert tokens.authenticate(raw) is None


def test_admins_see_balance_and_ledger_but_cannot_add_credits(client, tenant, login):
    add_credits(tenant.account, 50, "trial from the operators")
    db.session.commit()
    login(tenant.admin)
    page = client.get("/settings/credits").get_data(as_text=True)
    assert 'id="credit-balance">50<' in page and "trial from the operators" in page
    assert 'name="amount"' not in page  # no form to add credits
    response = client.post("/settings/credits", data={"amount": "1000000", "note": "free money"})
    assert response.status_code == 403
    db.session.expire_all()
    assert tenant.account.credits == 50
    ledger = db.session.scalars(select(CreditTransaction)).all()
    assert [(e.amount, e.balance_after) for e in ledger] == [(50, 50)]


def test_credits_page_is_for_admins(client, tenant, login):
    login(tenant.editor)
    assert client.get("/settings/credits").status_code == 403


def test_token_last_use_is_recorded_at_most_once_a_minute(tenant):
    from datetime import timedelta

    token, raw = tokens.create_token(tenant.editor, tenant.account.id, "ci")
    tokens.authenticate(raw)
    first = token.last_used_at
    assert first is not None
    tokens.authenticate(raw)
    assert token.last_used_at == first  # a burst of API calls writes nothing more
    token.last_used_at = first - timedelta(minutes=2)
    tokens.authenticate(raw)
    assert token.last_used_at > first - timedelta(minutes=2)
