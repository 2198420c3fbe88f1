"""Taxonomies pages: list per site with filters (full page and htmx), create/edit/delete for admins."""

from __future__ import annotations

import pytest

from tests.support.factories import make_content, make_site
from tests.support.queries import count_queries
from writer_app.models import ContentTaxonomy, ContentTaxonomyRelation, Role, SyncStatus, TaxonomyType, db
from writer_app.services import taxonomies
from writer_app.services.identity import accounts

HX = {"HX-Request": "true"}


def term(tenant, name: str, taxonomy_type: str = "category", **kwargs) -> ContentTaxonomy:
    kwargs.setdefault("site_id", tenant.site.id)
    created = taxonomies.create_taxonomy(
        tenant.scope(Role.ADMIN), name=name, taxonomy_type=taxonomy_type, **kwargs
    )
    db.session.commit()
    return created


def form(tenant, **overrides) -> dict:
    data = {"site_id": str(tenant.site.id), "sector_id": "", "taxonomy_type": "category", "name": "Solar"}
    data.update(overrides)
    return data


def terms_named(name: str) -> list[ContentTaxonomy]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ContentTaxonomy).where(ContentTaxonomy.name == name)))


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("role", list(Role))
def test_everyone_reads_only_admins_see_controls(client, login, tenant, role):
    term(tenant, "Solar energy")
    term(tenant, "diy", "tag")
    login(tenant.users[role])
    page = client.get("/taxonomies/").get_data(as_text=True)
    assert "Solar energy" in page and "diy" in page and "solar-energy" in page
    is_admin = role == Role.ADMIN
    assert ("Add a category or tag" in page) is is_admin
    assert ("Delete</button>" in page) is is_admin


def test_list_fragment_for_htmx(client, login, tenant):
    term(tenant, "Solar energy")
    term(tenant, "diy", "tag")
    login(tenant.viewer)
    response = client.get("/taxonomies/?taxonomy_type=tag", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    assert "diy" in body and "Solar energy" not in body


def test_site_filter_defaults_to_the_working_site(client, login, tenant):
    other = make_site(tenant.account, "Beta blog")
    term(tenant, "Home site term")
    term(tenant, "Beta term", site_id=other.id)
    accounts.set_working_context(tenant.scope(Role.VIEWER), tenant.site.id, None)
    db.session.commit()
    login(tenant.viewer)
    default = client.get("/taxonomies/").get_data(as_text=True)
    assert "Home site term" in default and "Beta term" not in default
    everywhere = client.get("/taxonomies/?site_id=all").get_data(as_text=True)
    assert "Home site term" in everywhere and "Beta term" in everywhere
    beta = client.get(f"/taxonomies/?site_id={other.id}").get_data(as_text=True)
    assert "Beta term" in beta and "Home site term" not in beta


def test_search_and_ordering(client, login, tenant):
    for name in ("Alpha", "beta", "Gamma"):
        term(tenant, name)
    login(tenant.viewer)
    found = client.get("/taxonomies/?search=amm").get_data(as_text=True)
    assert "Gamma" in found and "Alpha" not in found
    desc = client.get("/taxonomies/?ordering=-name").get_data(as_text=True)
    assert desc.index("Gamma") < desc.index("beta") < desc.index("Alpha")


@pytest.mark.parametrize(
    "query", ["ordering=count", "taxonomy_type=attribute", "site_id=x", "page_size=1000"]
)
def test_bad_filters_are_messages(client, login, tenant, query):
    login(tenant.viewer)
    full = client.get(f"/taxonomies/?{query}")
    assert full.status_code == 422 and 'class="form-errors"' in full.get_data(as_text=True)
    fragment = client.get(f"/taxonomies/?{query}", headers=HX)
    assert fragment.status_code == 200 and 'class="form-errors"' in fragment.get_data(as_text=True)


def test_detail_shows_sync_fields_read_only(client, login, tenant):
    synced = term(tenant, "Synced")
    synced.external_id, synced.external_taxonomy, synced.sync_status, synced.count = (
        42,
        "category",
        "synced",
        7,
    )
    content = make_content(tenant.cluster)
    db.session.add(ContentTaxonomyRelation(content_id=content.id, taxonomy_id=synced.id))
    db.session.commit()
    login(tenant.editor)
    page = client.get(f"/taxonomies/{synced.id}").get_data(as_text=True)
    assert "WordPress sync" in page and "42" in page and "synced" in page
    assert "1 content item" in page
    assert 'name="external_id"' not in page and 'name="sync_status"' not in page
    assert "Save</button>" not in page and "Delete category" not in page


def test_admin_detail_has_the_edit_form_without_sync_fields(client, login, tenant):
    synced = term(tenant, "Synced")
    login(tenant.admin)
    page = client.get(f"/taxonomies/{synced.id}").get_data(as_text=True)
    assert "Save</button>" in page and "Delete category" in page
    assert 'name="external_id"' not in page and 'name="sync_status"' not in page
    assert 'id="site-fixed"' in page and "readonly" in page


def test_other_account_terms_are_404(client, login, tenant, other_tenant):
    theirs = taxonomies.create_taxonomy(
        other_tenant.scope(Role.ADMIN), site_id=other_tenant.site.id, name="Theirs", taxonomy_type="tag"
    )
    db.session.commit()
    login(tenant.admin)
    assert client.get(f"/taxonomies/{theirs.id}").status_code == 404
    assert client.post(f"/taxonomies/{theirs.id}", data=form(tenant, name="Mine")).status_code == 404
    assert client.post(f"/taxonomies/{theirs.id}/delete").status_code == 404
    assert client.get("/taxonomies/999999").status_code == 404
    assert "Theirs" not in client.get("/taxonomies/?site_id=all").get_data(as_text=True)
    assert terms_named("Theirs")


def test_list_query_count_does_not_grow_with_rows(client, login, tenant):
    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            kind = TaxonomyType.TAG if i % 2 else TaxonomyType.CATEGORY
            db.session.add(
                ContentTaxonomy(
                    account_id=tenant.account.id, site_id=tenant.site.id, name=f"Term {i:04d}",
                    slug=f"term-{i:04d}", taxonomy_type=kind, metadata_={},
                )
            )  # fmt: skip
        db.session.commit()

    login(tenant.viewer)
    add(0, 10)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/taxonomies/?page_size=100").status_code == 200
    add(10, 490)
    db.session.expire_all()
    with count_queries() as many:
        response = client.get("/taxonomies/?page_size=100")
    assert response.get_data(as_text=True).count("<code>term-") == 100
    assert few.count == many.count, many.statements


# ---------------------------------------------------------------- changing


def test_admin_creates_a_term_with_a_derived_slug(client, login, tenant):
    login(tenant.admin)
    response = client.post(
        "/taxonomies/", data=form(tenant, name="Heat Pumps", sector_id=str(tenant.sector.id))
    )
    assert response.status_code == 303
    assert response.location == f"/taxonomies/?site_id={tenant.site.id}"
    [created] = terms_named("Heat Pumps")
    assert (created.slug, created.sector_id, created.site_id) == (
        "heat-pumps",
        tenant.sector.id,
        tenant.site.id,
    )
    assert "added (slug heat-pumps)" in client.get(response.location).get_data(as_text=True)


def test_create_through_htmx_redirects_the_page(client, login, tenant):
    login(tenant.admin)
    response = client.post("/taxonomies/", data=form(tenant, name="Wind"), headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/taxonomies/?site_id={tenant.site.id}"
    assert terms_named("Wind")


def test_duplicate_slug_is_a_form_error_not_a_500(client, login, tenant):
    term(tenant, "Solar")
    login(tenant.admin)
    full = client.post("/taxonomies/", data=form(tenant, name="solar!"))
    page = full.get_data(as_text=True)
    assert full.status_code == 422
    assert "already has a category with the slug “solar”" in page
    assert 'aria-invalid="true"' in page and 'id="name-error"' in page
    fragment = client.post("/taxonomies/", data=form(tenant, name="Other", slug="Solar"), headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and body.lstrip().startswith('<article id="term-form"')
    assert 'id="slug-error"' in body and "already has a category" in body
    assert len(terms_named("Solar")) == 1 and not terms_named("Other")
    # The same slug as a tag is allowed.
    assert (
        client.post("/taxonomies/", data=form(tenant, name="Solar", taxonomy_type="tag")).status_code == 303
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Name the term."),
        ({"site_id": ""}, "Choose a site."),
        ({"site_id": "999999"}, "does not exist in this account"),
        ({"taxonomy_type": "attribute"}, "Not a valid choice"),
    ],
)
def test_create_field_errors(client, login, tenant, overrides, message):
    login(tenant.admin)
    response = client.post("/taxonomies/", data=form(tenant, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_sector_of_another_site_is_a_field_error(client, login, tenant):
    other = make_site(tenant.account)
    login(tenant.admin)
    response = client.post(
        "/taxonomies/", data=form(tenant, site_id=str(other.id), sector_id=str(tenant.sector.id))
    )
    assert response.status_code == 422
    assert "does not belong to site" in response.get_data(as_text=True)


def test_admin_edits_a_term(client, login, tenant):
    solar = term(tenant, "Solar")
    login(tenant.admin)
    response = client.post(
        f"/taxonomies/{solar.id}", data=form(tenant, name="Solar energy", slug="solar-energy")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (solar.name, solar.slug) == ("Solar energy", "solar-energy")
    htmx = client.post(f"/taxonomies/{solar.id}", data=form(tenant, name="Sun", slug="sun"), headers=HX)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == f"/taxonomies/{solar.id}"


def test_edit_to_a_taken_slug_is_a_form_error(client, login, tenant):
    term(tenant, "Wind")
    water = term(tenant, "Water")
    login(tenant.admin)
    full = client.post(f"/taxonomies/{water.id}", data=form(tenant, name="Water", slug="wind"))
    assert full.status_code == 422 and "slug “wind”" in full.get_data(as_text=True)
    fragment = client.post(
        f"/taxonomies/{water.id}", data=form(tenant, name="Water", slug="wind"), headers=HX
    )
    assert fragment.status_code == 200 and 'id="slug-error"' in fragment.get_data(as_text=True)
    db.session.expire_all()
    assert water.slug == "water"


def test_edit_never_changes_sync_fields(client, login, tenant):
    synced = term(tenant, "Synced")
    synced.external_id, synced.sync_status = 5, SyncStatus.SYNCED
    db.session.commit()
    login(tenant.admin)
    data = form(tenant, name="Synced", slug="synced", external_id="99", sync_status="none", site_id="1")
    assert client.post(f"/taxonomies/{synced.id}", data=data).status_code == 303
    db.session.expire_all()
    assert (synced.external_id, synced.sync_status, synced.site_id) == (5, SyncStatus.SYNCED, tenant.site.id)


def test_admin_deletes_a_term_and_its_relations(client, login, tenant):
    old = term(tenant, "Old")
    content = make_content(tenant.cluster)
    db.session.add(ContentTaxonomyRelation(content_id=content.id, taxonomy_id=old.id))
    db.session.commit()
    login(tenant.admin)
    response = client.post(f"/taxonomies/{old.id}/delete")
    assert response.status_code == 303
    assert "“Old” deleted" in client.get(response.location).get_data(as_text=True)
    assert not terms_named("Old")
    assert db.session.scalar(db.select(db.func.count()).select_from(ContentTaxonomyRelation)) == 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.REVIEWER])
def test_non_admins_cannot_change_terms(client, login, tenant, role):
    existing = term(tenant, "Stays")
    login(tenant.users[role])
    assert client.post("/taxonomies/", data=form(tenant, name="New")).status_code == 403
    assert client.post(f"/taxonomies/{existing.id}", data=form(tenant, name="Renamed")).status_code == 403
    assert client.post(f"/taxonomies/{existing.id}/delete").status_code == 403
    assert client.get(f"/taxonomies/{existing.id}").status_code == 200
    assert terms_named("Stays") and not terms_named("New") and not terms_named("Renamed")


def test_anonymous_users_are_sent_to_login(client, tenant):
    response = client.get("/taxonomies/")
    assert response.status_code == 302 and "/login" in response.location


def test_detail_fragment_has_no_form_for_non_admins(client, login, tenant):
    solar = term(tenant, "Solar")
    login(tenant.reviewer)
    response = client.get(f"/taxonomies/{solar.id}", headers=HX)
    assert response.status_code == 200 and "<form" not in response.get_data(as_text=True)
